using System.Globalization;
using System.Security;
using System.Text;

namespace CausalPanel;

/// <summary>
/// Grouped bar chart of an <see cref="ComparisonResult"/>: one group per design, one bar per estimator,
/// height = RMSE relative to the design's best estimator (dashed line at 1), as the TROP keynote figure.
/// Plain SVG 1.1, no dependencies; colours from the Okabe–Ito palette (colour-blind safe).
/// </summary>
internal static class ComparisonChart
{
    private static readonly string[] Palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#000000"];

    public static string Render(ComparisonResult result, string? title)
    {
        var inv = CultureInfo.InvariantCulture;
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
        var step = NiceStep(values.Max() / 5);
        var max = Math.Ceiling(values.Max() / step) * step;
        if (values.Max() > max - step / 4) max += step;                // head room above the tallest bar
        double Y(double v) => top + plotHeight * (1 - v / max);

        var svg = new StringBuilder();
        svg.AppendLine(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">");
        svg.AppendLine(inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        svg.AppendLine(inv, $"<text x=\"{left}\" y=\"24\" font-size=\"16\" font-weight=\"bold\">{Escape(title ?? "RMSE relative to the best estimator per design")}</text>");
        svg.AppendLine(inv, $"<text x=\"{left}\" y=\"42\" fill=\"#555555\">{result.Replications} simulated panels per design; 1 = lowest RMSE</text>");

        // Grid and y axis.
        for (var v = 0.0; v <= max + step / 2; v += step)
        {
            var y = Y(v);
            svg.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{y:F1}\" x2=\"{width - right}\" y2=\"{y:F1}\" stroke=\"#e5e5e5\"/>");
            svg.AppendLine(inv, $"<text x=\"{left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{v:0.##}</text>");
        }
        svg.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + plotHeight}\" stroke=\"#333333\"/>");
        svg.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{top + plotHeight}\" x2=\"{width - right}\" y2=\"{top + plotHeight}\" stroke=\"#333333\"/>");
        svg.AppendLine(inv, $"<text transform=\"translate(18 {top + plotHeight / 2}) rotate(-90)\" text-anchor=\"middle\">RMSE / best RMSE</text>");

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
                svg.AppendLine(inv, $"<rect x=\"{x0 + e * bar}\" y=\"{y:F1}\" width=\"{bar - 2}\" height=\"{top + plotHeight - y:F1}\" fill=\"{Palette[e % Palette.Length]}\"><title>{Escape($"{row.Estimator} on {row.Design}: RMSE {row.Rmse:G4} ({v:F2}× best)")}</title></rect>");
            }
            var cx = x0 + estimators.Count * bar / 2.0;
            svg.AppendLine(inv, $"<text transform=\"translate({cx:F1} {top + plotHeight + 14}) rotate(-30)\" text-anchor=\"end\">{Escape(designs[d])}</text>");
        }
        svg.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{Y(1):F1}\" x2=\"{width - right}\" y2=\"{Y(1):F1}\" stroke=\"#333333\" stroke-dasharray=\"4 3\"/>");

        // Legend along the bottom.
        for (var e = 0; e < estimators.Count; e++)
        {
            var x = left + e * 96;
            svg.AppendLine(inv, $"<rect x=\"{x}\" y=\"{height - 26}\" width=\"12\" height=\"12\" fill=\"{Palette[e % Palette.Length]}\"/>");
            svg.AppendLine(inv, $"<text x=\"{x + 16}\" y=\"{height - 15}\">{Escape(estimators[e])}</text>");
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="raw"/>.</summary>
    internal static double NiceStep(double raw)
    {
        if (!(raw > 0)) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var m = raw / power;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
    }

    private static string Escape(string s) => SecurityElement.Escape(s) ?? "";
}
