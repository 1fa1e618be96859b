using System.Text;

namespace CausalPanel;

/// <summary>Line chart of <see cref="EstimationResult.Trajectory"/>: observed treated mean (solid) and counterfactual (dashed), onset marked.</summary>
internal static class TrajectoryChart
{
    public static string Render(EstimationResult fit, string? title)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var points = fit.Trajectory;
        if (points.Count < 2)
            throw new InvalidOperationException($"This {fit.Estimator} result has no trajectory to plot (it needs the treated units' mean over at least two periods).");
        const int left = 64, right = 24, top = 64, plotHeight = 300, bottomMargin = 70;
        var width = Math.Max(640, left + right + 18 * points.Count);
        var height = top + plotHeight + bottomMargin;
        var plotRight = width - right;

        var values = points.SelectMany(p => new[] { p.Treated, p.Counterfactual }).Where(double.IsFinite).ToArray();
        var step = Svg.NiceStep((values.Max() - values.Min()) / 5);
        var min = Math.Floor(values.Min() / step) * step;
        var max = Math.Ceiling(values.Max() / step) * step;
        if (max == min) max = min + step;
        double X(int k) => left + 10 + (plotRight - left - 20) * k / (double)(points.Count - 1);
        double Y(double v) => top + plotHeight * (1 - (v - min) / (max - min));

        var pattern = fit.Data.Pattern;
        var svg = Svg.Begin(width, height, left, title ?? $"{fit.Estimator}: treated units and their estimated counterfactual",
            string.Create(Svg.Inv, $"ATT = {fit.Att:G4} over {fit.CellEffects.Count} treated cell(s); {pattern.TreatedUnitCount} treated unit(s), {pattern.NeverTreatedCount} never treated"));
        Svg.Frame(svg, min, max, step, Y, left, plotRight, top, top + plotHeight, "outcome");

        // Period labels, thinned to about 12.
        var every = Math.Max(1, (int)Math.Ceiling(points.Count / 12.0));
        for (var k = 0; k < points.Count; k += every)
            svg.AppendLine(Svg.Inv, $"<text x=\"{X(k):F1}\" y=\"{top + plotHeight + 16}\" text-anchor=\"middle\">{Svg.Escape(points[k].Period)}</text>");

        // Onsets: one line per adoption cohort.
        foreach (var cohort in pattern.Cohorts)
        {
            var k = points.ToList().FindIndex(p => p.PeriodIndex == cohort.PeriodIndex);
            if (k < 0) continue;
            var x = k > 0 ? (X(k - 1) + X(k)) / 2 : X(k);
            svg.AppendLine(Svg.Inv, $"<line x1=\"{x:F1}\" y1=\"{top}\" x2=\"{x:F1}\" y2=\"{top + plotHeight}\" stroke=\"#999999\" stroke-dasharray=\"2 3\"/>");
            svg.AppendLine(Svg.Inv, $"<text x=\"{x + 4:F1}\" y=\"{top + 12}\" fill=\"#555555\">treated from {Svg.Escape(cohort.Period)}</text>");
        }

        Polyline(svg, points.Select((p, k) => (X(k), Y(p.Treated))), Svg.Palette[0], null);
        Polyline(svg, points.Select((p, k) => (X(k), Y(p.Counterfactual))), Svg.Palette[5], "6 4");

        var legendY = height - 18;
        Svg.LegendEntry(svg, left, legendY, Svg.Palette[0], "treated (mean)", line: true);
        Svg.LegendEntry(svg, left + 160, legendY, Svg.Palette[5], $"counterfactual ({fit.Estimator})", "6 4", line: true);
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void Polyline(StringBuilder svg, IEnumerable<(double X, double Y)> points, string colour, string? dash) =>
        svg.AppendLine(Svg.Inv, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")} points=\"{string.Join(" ", points.Where(p => double.IsFinite(p.Y)).Select(p => string.Create(Svg.Inv, $"{p.X:F1},{p.Y:F1}")))}\"/>");
}
