namespace CausalPanel;

/// <summary>
/// The synthetic-control gap plot (Abadie, Diamond and Hainmueller 2010, Fig. 3): treated minus synthetic over all
/// periods with the onset marked and a zero line. On a staggered design one gap path per cohort on the calendar, or
/// all cohorts aligned at their onsets and averaged by event time (weighted by their unit counts).
/// </summary>
internal static class GapChart
{
    private const string Onset = "#999999", Cohort = "#999999";

    public static string Render(SyntheticWeightingResult fit, bool byEventTime, string? title) => Chart(fit, byEventTime, title).ToSvg();

    public static string Spec(SyntheticWeightingResult fit, bool byEventTime, string? title) => Chart(fit, byEventTime, title).ToVegaLite();

    private static LineChart Chart(SyntheticWeightingResult fit, bool byEventTime, string? title)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var data = fit.Data;
        var paths = CohortPaths.Of(fit).Select(p => (Path: p, Gap: GapPath.Of(p.Label, p.Points, p.Onset))).ToArray();
        var yTitle = $"gap in {data.OutcomeName} (treated − synthetic)";
        if (paths.Length > 1 && byEventTime) return ByEventTime(fit, paths, yTitle, title);

        if (paths.Length == 1)
        {
            var (path, gap) = paths[0];
            var unit = fit.Cohorts[0].TreatedUnits.Count == 1 ? fit.Cohorts[0].TreatedUnits[0] : null;
            return new LineChart(title ?? $"{fit.Estimator}: gap between {unit ?? "the treated units' mean"} and its synthetic control",
                [string.Create(Svg.Inv, $"Pre-treatment RMSPE {Svg.Number(Math.Sqrt(gap.PreMspe))}; the mean gap from {path.Period} on is the estimate τ̂\u00A0=\u00A0{Svg.Number(fit.Att)}."), Intercept(fit)],
                yTitle, "period", data.Periods,
                [new LineSeries($"{unit ?? "treated mean"} − synthetic {unit ?? "control"}", $"{path.Label}: treated − synthetic", gap.Gaps, Svg.Palette[0])],
                [(path.Onset - 0.5, $"treated from {path.Period}", Onset)], "treatment onset", Zero: true);
        }
        string Colour(int c) => Svg.Palette[c % Svg.Palette.Length];
        return new LineChart(title ?? $"{fit.Estimator}: gap between each cohort and its synthetic control",
            [string.Create(Svg.Inv, $"{paths.Length} cohorts against {data.Pattern.NeverTreatedCount} never-treated units; the mean gap of a cohort from its onset on is its τ̂; ATT = {Svg.Number(fit.Att)}."), Intercept(fit)],
            yTitle, "period", data.Periods,
            paths.Select((p, c) => new LineSeries(p.Path.Label, $"{p.Path.Label}: treated − synthetic", p.Gap.Gaps, Colour(c))).ToArray(),
            paths.Select((p, c) => (p.Path.Onset - 0.5, p.Path.Period, Colour(c))).ToArray(), "each cohort's onset, in its colour", Zero: true);
    }

    /// <summary>
    /// How the synthetic control's level is set: none for SC (λ = 0); the mean pre-treatment gap for DIFP (uniform λ);
    /// the λ-weighted pre-treatment gap for SDID (Arkhangelsky et al. 2021, Eq. 1.1).
    /// </summary>
    private static string? Intercept(SyntheticWeightingResult fit)
    {
        var lambda = fit.Cohorts[0].TimeWeights;
        if (lambda.All(w => w.Weight == 0)) return null;
        var uniform = lambda.All(w => Math.Abs(w.Weight - 1.0 / lambda.Count) < 1e-12);
        return uniform
            ? $"The synthetic control of {fit.Estimator} is shifted by the mean pre-treatment gap, so the gaps before the onset average 0."
            : $"The synthetic control of {fit.Estimator} is shifted by the time-weighted (λ) pre-treatment gap, so the gaps before the onset average 0 under λ.";
    }

    /// <summary>Cohorts aligned at their onsets: each cohort's gap by event time (thin, grey) and their unit-weighted mean (thick).</summary>
    private static LineChart ByEventTime(SyntheticWeightingResult fit, (CohortPath Path, GapPath Gap)[] paths, string yTitle, string? title)
    {
        var t = fit.Data.PeriodCount;
        int first = -paths.Max(p => p.Path.Onset), last = t - 1 - paths.Min(p => p.Path.Onset);
        var times = Enumerable.Range(first, last - first + 1).ToArray();
        double[] Aligned(CohortPath path, GapPath gap) => times.Select(e => path.Onset + e is var s && s >= 0 && s < t ? gap.Gaps[s] : double.NaN).ToArray();
        var mean = times.Select(e =>
        {
            double sum = 0, units = 0;
            foreach (var (path, gap) in paths)
                if (path.Onset + e is var s && s >= 0 && s < t)
                {
                    sum += path.Units * gap.Gaps[s];
                    units += path.Units;
                }
            return sum / units;
        }).ToArray();
        return new LineChart(title ?? $"{fit.Estimator}: gap between each cohort and its synthetic control, by event time",
            [
                string.Create(Svg.Inv, $"{paths.Length} cohorts aligned at their onsets (event time 0 = first treated period); the thick line averages the cohorts present at each event time, weighted by their unit counts. ATT = {Svg.Number(fit.Att)}."),
                Intercept(fit),
            ],
            yTitle, "periods since adoption (event time)", times.Select(e => e.ToString(Svg.Inv)).ToArray(),
            [
                .. paths.Select(p => new LineSeries("one cohort's gap", $"{p.Path.Label}: treated − synthetic", Aligned(p.Path, p.Gap), Cohort, 1)),
                new LineSeries("mean gap over cohorts (unit-weighted)", "mean gap over cohorts, weighted by their unit counts", mean, Svg.Palette[0], 3),
            ],
            [(-first - 0.5, "", Onset)], "the onset, between event times −1 and 0", Zero: true, KeepLabel: -first);
    }
}
