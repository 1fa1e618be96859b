using MathNet.Numerics.Distributions;

namespace CausalPanel;

/// <summary>Effects by event time (periods since adoption) with a pointwise confidence band from a variance result's event-time standard errors.</summary>
internal static class EffectsChart
{
    public static string Render(EstimationResult fit, VarianceResult? variance, string? title)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var effects = fit.EffectsByEventTime;
        if (effects.Count == 0) throw new InvalidOperationException($"This {fit.Estimator} result has no treated cells to plot.");
        var q = variance is null ? 0 : Normal.InvCDF(0, 1, 0.5 + variance.ConfidenceLevel / 2);
        var band = effects.Select(e => variance is not null && variance.EventTimeStandardErrors.TryGetValue(e.EventTime, out var se)
            ? (Lower: e.Effect - q * se, Upper: e.Effect + q * se) : ((double Lower, double Upper)?)null).ToArray();

        const int right = 24, top = 64, plotHeight = 280, bottomMargin = 80;
        var axis = Svg.NiceAxis(effects.Select(e => e.Effect).Concat(band.Where(b => b is not null).SelectMany(b => new[] { b!.Value.Lower, b.Value.Upper })), zero: true);
        var yTitle = $"effect on {fit.Data.OutcomeName}";
        var left = Svg.LeftMargin(axis, Svg.YTitleLines(yTitle, plotHeight));
        var width = Math.Max(640, left + right + 28 * effects.Count);
        var height = top + plotHeight + bottomMargin;
        double X(int k) => left + 14 + (width - right - left - 28) * (effects.Count == 1 ? 0.5 : k / (double)(effects.Count - 1));
        double Y(double v) => top + plotHeight * (1 - (v - axis.Min) / (axis.Max - axis.Min));

        var svg = Svg.Begin(width, height, left, title ?? $"{fit.Estimator}: effect by periods since adoption",
            string.Create(Svg.Inv, $"ATT = {fit.Att:G4}{(variance is { IsDefined: true } ? string.Create(Svg.Inv, $" (SE {variance.StandardError:G4}, {variance.Method})") : "")}"));
        Svg.Frame(svg, axis, Y, left, width - right, top, top + plotHeight, yTitle, 16);
        svg.AppendLine(Svg.Inv, $"<line x1=\"{left}\" y1=\"{Y(0):F1}\" x2=\"{width - right}\" y2=\"{Y(0):F1}\" stroke=\"#333333\" stroke-dasharray=\"4 3\"/>");

        // The band, as one polygon over the event times that have a standard error (runs split at gaps).
        var run = new List<int>();
        void Flush()
        {
            if (run.Count > 0)
            {
                var upper = run.Select(k => string.Create(Svg.Inv, $"{X(k):F1},{Y(band[k]!.Value.Upper):F1}"));
                var lower = run.AsEnumerable().Reverse().Select(k => string.Create(Svg.Inv, $"{X(k):F1},{Y(band[k]!.Value.Lower):F1}"));
                svg.AppendLine($"<polygon points=\"{string.Join(" ", upper.Concat(lower))}\" fill=\"{Svg.Palette[4]}\" fill-opacity=\"0.35\" stroke=\"none\"/>");
            }
            run.Clear();
        }
        for (var k = 0; k < effects.Count; k++)
            if (band[k] is not null) run.Add(k); else Flush();
        Flush();

        svg.AppendLine(Svg.Inv, $"<polyline fill=\"none\" stroke=\"{Svg.Palette[0]}\" stroke-width=\"2\" points=\"{string.Join(" ", effects.Select((e, k) => string.Create(Svg.Inv, $"{X(k):F1},{Y(e.Effect):F1}")))}\"/>");
        var every = Math.Max(1, (int)Math.Ceiling(effects.Count / 15.0));
        for (var k = 0; k < effects.Count; k++)
        {
            svg.AppendLine(Svg.Inv, $"<circle cx=\"{X(k):F1}\" cy=\"{Y(effects[k].Effect):F1}\" r=\"3\" fill=\"{Svg.Palette[0]}\"><title>{Svg.Escape(string.Create(Svg.Inv, $"event time {effects[k].EventTime}: {effects[k].Effect:G4} ({effects[k].TreatedCells} cells){(band[k] is { } b ? string.Create(Svg.Inv, $", band [{b.Lower:G4}, {b.Upper:G4}]") : "")}"))}</title></circle>");
            if (k % every == 0)
                svg.AppendLine(Svg.Inv, $"<text x=\"{X(k):F1}\" y=\"{top + plotHeight + 16}\" text-anchor=\"middle\">{effects[k].EventTime}</text>");
        }
        svg.AppendLine(Svg.Inv, $"<text x=\"{(left + width - right) / 2}\" y=\"{top + plotHeight + 36}\" text-anchor=\"middle\">periods since adoption</text>");
        Svg.LegendEntry(svg, left, height - 14, Svg.Palette[0], "effect", line: true);
        if (band.Any(b => b is not null))
            Svg.LegendEntry(svg, left + 100, height - 14, Svg.Palette[4], string.Create(Svg.Inv, $"{variance!.ConfidenceLevel * 100:0}% pointwise band (±{q:F2} SE per event time)"));
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
