using System.Globalization;
using System.Text;

namespace CausalPanel;

/// <summary>
/// One event time of an event study: the mean effect over the treated cells that many periods after adoption
/// (0 = the first treated period; negative = leads, pre-treatment placebo effects, or, with an anticipation window of k
/// periods, event times −k..−1, the window's effects, marked <see cref="IsAnticipation"/>), its standard error,
/// pointwise interval and the simultaneous (sup-t) band.
/// </summary>
/// <param name="EventTime">Periods since adoption; negative for leads.</param>
/// <param name="Effect">The mean effect (a lead: the mean pre-treatment placebo effect).</param>
/// <param name="StandardError">Its standard error from the variance method's replicates (NaN when the method gives none; <see cref="EventStudyResult.UndefinedReason"/> says why).</param>
/// <param name="Lower">Pointwise interval, lower end, at the result's level.</param>
/// <param name="Upper">Pointwise interval, upper end.</param>
/// <param name="UniformLower">Simultaneous band over all event times (sup-t critical value from the replicate draws), lower end.</param>
/// <param name="UniformUpper">Simultaneous band, upper end.</param>
/// <param name="TreatedCells">Cells averaged at this event time (a lead: the held-out or pre-treatment cells).</param>
public readonly record struct EventStudyPoint(int EventTime, double Effect, double StandardError, double Lower, double Upper,
    double UniformLower, double UniformUpper, int TreatedCells)
{
    /// <summary>
    /// True in the anticipation window (event times −k..−1 of a fit with Anticipation = k): effects the fit allows before
    /// adoption, estimated as the lags are; not placebo effects, not in the ATT or the pre-trend tests.
    /// </summary>
    public bool IsAnticipation { get; init; }

    /// <summary>True for a lead: a pre-treatment placebo effect, before the anticipation window if there is one.</summary>
    public bool IsLead => EventTime < 0 && !IsAnticipation;
}

/// <summary>
/// A test about the leads of an event study: the joint test that they are all zero (Wald, with the replicate
/// covariance) or the equivalence test that they all lie within a bound (two one-sided tests, as R <c>fect</c>).
/// </summary>
/// <param name="Name">What is tested, e.g. "Joint Wald test that all 4 leads are 0".</param>
/// <param name="Statistic">The test statistic (Wald: the F statistic; equivalence: the smallest of the one-sided t statistics).</param>
/// <param name="DegreesOfFreedom">Degrees of freedom of the statistic's reference distribution (Wald: the numerator's, K; equivalence: ∞ for normal).</param>
/// <param name="PValue">The p-value.</param>
/// <param name="Verdict">A plain-language reading at the result's level, e.g. "no evidence against parallel pre-trends (p = 0.41)".</param>
public sealed record PreTrendTest(string Name, double Statistic, double DegreesOfFreedom, double PValue, string Verdict)
{
    /// <summary>The F statistic's denominator degrees of freedom (Wald test); null for the equivalence test.</summary>
    public double? DenominatorDegreesOfFreedom { get; init; }

    /// <summary>False when the test cannot be computed (e.g. a singular replicate covariance); <see cref="UndefinedReason"/> says why and the numbers are NaN.</summary>
    public bool IsDefined { get; init; } = true;

    /// <summary>Why the test is not computed (null when it is).</summary>
    public string? UndefinedReason { get; init; }

    /// <summary>"Name: F = 0.84 (3, 197 df), p = 0.47; verdict", or "Name: not computed: reason".</summary>
    public override string ToString()
    {
        if (!IsDefined) return $"{Name}: {Verdict}";
        var df = DenominatorDegreesOfFreedom is { } d
            ? $"F = {SummaryText.Number(Statistic)} ({SummaryText.Number(DegreesOfFreedom)}, {SummaryText.Number(d)} df)"
            : double.IsPositiveInfinity(DegreesOfFreedom) ? $"z = {SummaryText.Number(Statistic)}" : $"t = {SummaryText.Number(Statistic)} ({SummaryText.Number(DegreesOfFreedom)} df)";
        return $"{Name}: {df}, {SummaryText.PValue(PValue)}; {Verdict}";
    }
}

/// <summary>
/// An event study: the effects of a fit by event time, leads (pre-treatment placebo effects) and lags, with standard
/// errors, pointwise intervals and a simultaneous band from a variance method's replicates, and the pre-trend tests.
/// Made by <c>fit.EventStudy(method)</c> (<see cref="EventStudies.EventStudy"/>).
/// </summary>
[TypeFormatterSource(typeof(NotebookFormatterSource))]
public sealed record EventStudyResult
{
    /// <summary>The fit the event study is of.</summary>
    public required EstimationResult Fit { get; init; }

    /// <summary>Name of the variance method whose replicates give the standard errors and the band.</summary>
    public required string Method { get; init; }

    /// <summary>Coverage level of the pointwise intervals and of the band, e.g. 0.95.</summary>
    public required double Level { get; init; }

    /// <summary>One point per event time, leads first.</summary>
    public required IReadOnlyList<EventStudyPoint> Points { get; init; }

    /// <summary>The joint test that all leads are zero (null when there are no leads or no standard errors).</summary>
    public PreTrendTest? PreTrendTest { get; init; }

    /// <summary>The equivalence test that all leads lie within ±<see cref="EquivalenceBound"/> (null when there are no leads or no standard errors).</summary>
    public PreTrendTest? EquivalenceTest { get; init; }

    /// <summary>The bound of <see cref="EquivalenceTest"/>, in outcome units.</summary>
    public double? EquivalenceBound { get; init; }

    /// <summary>The leads (event times below 0, and below −k with an anticipation window of k periods).</summary>
    public IReadOnlyList<EventStudyPoint> Leads => Points.Where(p => p.IsLead).ToArray();

    /// <summary>The anticipation window's points (event times −k..−1 of a fit with Anticipation = k; empty without).</summary>
    public IReadOnlyList<EventStudyPoint> AnticipationPoints => Points.Where(p => p.IsAnticipation).ToArray();

    /// <summary>The lags (event times 0 and above).</summary>
    public IReadOnlyList<EventStudyPoint> Lags => Points.Where(p => p.EventTime >= 0).ToArray();

    /// <summary>False when the method gives no standard errors for this fit (its reason in <see cref="UndefinedReason"/>); the points' effects are still the fit's.</summary>
    public bool IsDefined => UndefinedReason is null;

    /// <summary>Why the standard errors, intervals, band and tests are undefined (null when they are defined).</summary>
    public string? UndefinedReason { get; init; }

    /// <summary>The standard error of the fit's ATT from the same replicates (NaN when undefined).</summary>
    public double AttStandardError { get; init; } = double.NaN;

    /// <summary>The multiple of the standard error of the pointwise intervals (normal or Student t quantile).</summary>
    public double PointwiseCriticalValue { get; init; } = double.NaN;

    /// <summary>
    /// The sup-t critical value c of the simultaneous band θ̂(e) ± c·se(e) (Montiel Olea and Plagborg-Møller 2019): the
    /// level quantile of max_e |θ_b(e) − θ̄(e)|/se(e) over the replicates (NaN when undefined).
    /// </summary>
    public double UniformCriticalValue { get; init; } = double.NaN;

    /// <summary>Replicates behind the standard errors.</summary>
    public int Replications { get; init; }

    /// <summary>What a reader should know: leads left out by default, held-out cells not identified, replicates lacking an event time.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>A table of the points (one number of decimals for the table), the tests and the notes.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var level = SummaryText.Number(Level * 100) + "%";
        sb.Append(inv, $"{Fit.Estimator} event study, {Method}");
        if (Replications > 0) sb.Append(inv, $" ({SummaryText.Count(Replications, "replicate")})");
        sb.Append(inv, $": ATT = {SummaryText.Number(Fit.Att)}");
        if (IsDefined) sb.Append(inv, $" (SE {SummaryText.Number(AttStandardError)})");
        sb.AppendLine();
        if (IsDefined)
            sb.AppendLine(inv, $"  {level} intervals ±{PointwiseCriticalValue:F2} se; {level} sup-t band ±{UniformCriticalValue:F2} se");
        else
            sb.AppendLine(inv, $"  standard errors undefined — {UndefinedReason}");
        var d = EffectRows.Decimals(Points.Select(p => p.Effect), Points.Select(p => p.StandardError));
        EffectRows.Append(sb, ["event time", "effect", "std. error", $"{level} interval", $"{level} band", "cells"],
            Points.Select(p => (IReadOnlyList<string>)[p.EventTime.ToString(inv), EffectRows.Number(p.Effect, d), EffectRows.Number(p.StandardError, d),
                EffectRows.Interval(p.Lower, p.Upper, d), EffectRows.Interval(p.UniformLower, p.UniformUpper, d), p.TreatedCells.ToString(inv)]));
        if (PreTrendTest is { } wald) sb.AppendLine(inv, $"  {wald}");
        if (EquivalenceTest is { } tost) sb.AppendLine(inv, $"  {tost}");
        foreach (var note in Notes) sb.AppendLine(inv, $"  note: {note}");
        return sb.ToString().TrimEnd();
    }
}
