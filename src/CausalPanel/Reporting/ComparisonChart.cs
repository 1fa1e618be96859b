namespace CausalPanel;

/// <summary>
/// Grouped bar chart of an <see cref="ComparisonResult"/>: one group per design, one bar per estimator,
/// height = RMSE relative to the design's best estimator (dashed line at 1), as the TROP keynote figure.
/// Plain SVG 1.1, no dependencies; colours from the Okabe–Ito palette (colour-blind safe).
/// </summary>
internal static class ComparisonChart
{
    public static string Render(ComparisonResult result, string? title)
    {
        var inv = Svg.Inv;
        var designs = result.Designs;
        var estimators = result.Estimators;
        const int right = 24, top = 64, bar = 14, gap = 28, plotHeight = 300, charWidth = 7;
        // Design labels are rotated by 30°: a label of w pixels reaches 0.87·w to the left of its group's
        // centre and 0.5·w below the axis; the margins make room for the longest and for the first.
        var labelWidth = designs.Max(d => d.Length) * charWidth;
        var bottom = 20 + labelWidth / 2 + 40;
        var width = Math.Max(Math.Max(640, 64 + right + estimators.Count * 96), 64 + right + designs.Count * (estimators.Count * bar + gap));
        var groupWidth = (width - 64 - right) / designs.Count;
        var left = Math.Max(64, (int)(0.87 * designs[0].Length * charWidth) - groupWidth / 2 + 8);
        width += left - 64;
        var height = top + plotHeight + bottom;

        var values = result.Rows.Where(r => r.Valid > 0).Select(result.NormalisedRmse).ToArray();
        var step = Svg.NiceStep(values.Max() / 5);
        var max = Math.Ceiling(values.Max() / step) * step;
        if (values.Max() > max - step / 4) max += step;                // head room above the tallest bar
        double Y(double v) => top + plotHeight * (1 - v / max);

        var svg = Svg.Begin(width, height, left, title ?? "RMSE relative to the best estimator per design",
            $"{result.Replications} simulated panels per design; 1 = lowest RMSE");
        Svg.Frame(svg, 0, max, step, Y, left, width - right, top, top + plotHeight, "RMSE / best RMSE");

        // Bars.
        for (var d = 0; d < designs.Count; d++)
        {
            var x0 = left + d * groupWidth + (groupWidth - estimators.Count * bar) / 2;
            for (var e = 0; e < estimators.Count; e++)
            {
                var row = result[designs[d], estimators[e]];
                if (row.Valid == 0) continue;
                var v = result.NormalisedRmse(row);
                var y = Y(v);
                svg.AppendLine(inv, $"<rect x=\"{x0 + e * bar}\" y=\"{y:F1}\" width=\"{bar - 2}\" height=\"{top + plotHeight - y:F1}\" fill=\"{Svg.Palette[e % Svg.Palette.Length]}\"><title>{Svg.Escape($"{row.Estimator} on {row.Design}: RMSE {row.Rmse:G4} ({v:F2}× best)")}</title></rect>");
            }
            var cx = x0 + estimators.Count * bar / 2.0;
            svg.AppendLine(inv, $"<text transform=\"translate({cx:F1} {top + plotHeight + 14}) rotate(-30)\" text-anchor=\"end\">{Svg.Escape(designs[d])}</text>");
        }
        svg.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{Y(1):F1}\" x2=\"{width - right}\" y2=\"{Y(1):F1}\" stroke=\"#333333\" stroke-dasharray=\"4 3\"/>");

        // Legend along the bottom.
        for (var e = 0; e < estimators.Count; e++)
            Svg.LegendEntry(svg, left + e * 96, height - 14, Svg.Palette[e % Svg.Palette.Length], estimators[e]);
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
