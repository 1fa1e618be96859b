namespace CausalPanel;

/// <summary>
/// A synthetic-weighting cohort's weights: the nonzero unit weights ω as horizontal bars (largest first,
/// at most 25) and the time weights λ over the pre-periods as columns — the weights synthdid's plots show.
/// </summary>
internal static class WeightsChart
{
    public static string Render(SyntheticWeightingResult fit, int cohort, string? title)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (cohort < 0 || cohort >= fit.Cohorts.Count)
            throw new ArgumentOutOfRangeException(nameof(cohort), cohort, $"This fit has {fit.Cohorts.Count} cohort(s); give 0 to {fit.Cohorts.Count - 1}.");
        var c = fit.Cohorts[cohort];
        var units = c.UnitWeights.Where(w => w.Weight > 0).OrderByDescending(w => w.Weight).Take(25).ToArray();
        var hasTime = c.TimeWeights.Any(w => w.Weight > 0);
        const int top = 84, bar = 16, right = 24, panelGap = 56, timeHeight = 160;
        var labelWidth = 7 * Math.Max(8, units.Max(w => w.Label.Length)) + 10;
        var left = labelWidth + 12;
        var width = Math.Max(640, left + 360 + right);
        var unitsHeight = units.Length * bar;
        var height = top + unitsHeight + 30 + (hasTime ? panelGap + timeHeight + 30 : 0) + 10;
        var subtitle = string.Create(Svg.Inv, $"adoption {c.AdoptionPeriod}: effective controls {c.EffectiveControls:F1} of {c.UnitWeights.Count}{(c.EffectivePrePeriods is { } e ? string.Create(Svg.Inv, $", effective pre-periods {e:F1} of {c.TimeWeights.Count}") : "")}");
        var svg = Svg.Begin(width, height, 64, title ?? $"{fit.Estimator} weights", subtitle);

        // Unit weights: horizontal bars on a 0..max axis.
        var uStep = Svg.NiceStep(units[0].Weight / 4);
        var uMax = Math.Ceiling(units[0].Weight / uStep) * uStep;
        double Xu(double v) => left + (width - right - left) * v / uMax;
        for (var v = 0.0; v <= uMax + uStep / 2; v += uStep)
        {
            svg.AppendLine(Svg.Inv, $"<line x1=\"{Xu(v):F1}\" y1=\"{top}\" x2=\"{Xu(v):F1}\" y2=\"{top + unitsHeight}\" stroke=\"#e5e5e5\"/>");
            svg.AppendLine(Svg.Inv, $"<text x=\"{Xu(v):F1}\" y=\"{top + unitsHeight + 16}\" text-anchor=\"middle\">{v:0.###}</text>");
        }
        for (var k = 0; k < units.Length; k++)
        {
            var y = top + k * bar;
            svg.AppendLine(Svg.Inv, $"<rect x=\"{left}\" y=\"{y + 2}\" width=\"{Xu(units[k].Weight) - left:F1}\" height=\"{bar - 4}\" fill=\"{Svg.Palette[0]}\"><title>{Svg.Escape(string.Create(Svg.Inv, $"{units[k].Label}: ω = {units[k].Weight:G4}"))}</title></rect>");
            svg.AppendLine(Svg.Inv, $"<text x=\"{left - 6}\" y=\"{y + bar - 4}\" text-anchor=\"end\">{Svg.Escape(units[k].Label)}</text>");
        }
        svg.AppendLine(Svg.Inv, $"<text x=\"{left}\" y=\"{top - 8}\" font-weight=\"bold\">unit weights ω{(c.UnitWeights.Count(w => w.Weight > 0) > units.Length ? $" (largest {units.Length})" : "")}</text>");

        if (hasTime)
        {
            var t0 = top + unitsHeight + 30 + panelGap;
            var periods = c.TimeWeights;
            var tStep = Svg.NiceStep(periods.Max(w => w.Weight) / 4);
            var tMax = Math.Ceiling(periods.Max(w => w.Weight) / tStep) * tStep;
            double Yt(double v) => t0 + timeHeight * (1 - v / tMax);
            svg.AppendLine(Svg.Inv, $"<text x=\"{left}\" y=\"{t0 - 8}\" font-weight=\"bold\">time weights λ</text>");
            Svg.Frame(svg, 0, tMax, tStep, Yt, left, width - right, t0, t0 + timeHeight, "");
            var column = (width - right - left) / (double)periods.Count;
            var every = Math.Max(1, (int)Math.Ceiling(periods.Count / 12.0));
            for (var k = 0; k < periods.Count; k++)
            {
                var x = left + k * column;
                if (periods[k].Weight > 0)
                    svg.AppendLine(Svg.Inv, $"<rect x=\"{x + 1:F1}\" y=\"{Yt(periods[k].Weight):F1}\" width=\"{column - 2:F1}\" height=\"{t0 + timeHeight - Yt(periods[k].Weight):F1}\" fill=\"{Svg.Palette[1]}\"><title>{Svg.Escape(string.Create(Svg.Inv, $"{periods[k].Label}: λ = {periods[k].Weight:G4}"))}</title></rect>");
                if (k % every == 0)
                    svg.AppendLine(Svg.Inv, $"<text x=\"{x + column / 2:F1}\" y=\"{t0 + timeHeight + 16}\" text-anchor=\"middle\">{Svg.Escape(periods[k].Label)}</text>");
            }
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
