using System.Globalization;
using System.Text;

namespace CausalPanel;

/// <summary>
/// The effect of one adoption cohort in one period, ATT(g, t) (Callaway and Sant'Anna 2021): after adoption (and in its
/// anticipation window, if the fit has one) the mean effect over the cohort's cells in the period; before that the
/// cohort's lead (a pre-treatment placebo effect).
/// </summary>
/// <param name="Cohort">Label of the cohort's first treated period g.</param>
/// <param name="Period">Label of the period t.</param>
/// <param name="EventTime">Periods since adoption, t − g (negative before adoption).</param>
/// <param name="Effect">ATT(g, t).</param>
/// <param name="StandardError">Its standard error from the variance method's replicates (NaN when undefined).</param>
/// <param name="Lower">Pointwise interval, lower end.</param>
/// <param name="Upper">Pointwise interval, upper end.</param>
/// <param name="TreatedCells">Cells averaged.</param>
public readonly record struct CohortPeriodEffect(string Cohort, string Period, int EventTime, double Effect, double StandardError,
    double Lower, double Upper, int TreatedCells)
{
    /// <summary>True in the cohort's anticipation window (the k periods before adoption of a fit with Anticipation = k): an effect, not a placebo.</summary>
    public bool IsAnticipation { get; init; }

    /// <summary>True before the cohort's adoption and its anticipation window (a lead).</summary>
    public bool IsLead => EventTime < 0 && !IsAnticipation;

    /// <summary>"ATT(2004, 2006) = −0.137 (SE 0.0368), 20 cells".</summary>
    public override string ToString() =>
        $"ATT({Cohort}, {Period}) = {SummaryText.Number(Effect)} (SE {SummaryText.Number(StandardError)}), {SummaryText.Count(TreatedCells, "cell")}";
}

/// <summary>How <see cref="CohortPeriodEffects.Aggregate"/> averages ATT(g, t) (Callaway and Sant'Anna 2021, §3, with cells as weights).</summary>
public enum AttAggregation
{
    /// <summary>All treated cells: the ATT.</summary>
    Simple,

    /// <summary>Per cohort, over its periods after adoption (θ_sel(g)).</summary>
    ByCohort,

    /// <summary>Per calendar period, over the cohorts treated then (θ_c(t)).</summary>
    ByPeriod,

    /// <summary>Per event time, over the cohorts that reach it, leads included (θ_es(e)): the event study's effects.</summary>
    ByEventTime,
}

/// <summary>One aggregate of ATT(g, t).</summary>
/// <param name="Label">"ATT", the cohort, the period or the event time.</param>
/// <param name="Effect">The cell-weighted mean of the ATT(g, t) it averages.</param>
/// <param name="StandardError">Its standard error from the same replicates (NaN when undefined).</param>
/// <param name="Lower">Pointwise interval, lower end.</param>
/// <param name="Upper">Pointwise interval, upper end.</param>
/// <param name="TreatedCells">Cells averaged.</param>
public readonly record struct AggregatedEffect(string Label, double Effect, double StandardError, double Lower, double Upper, int TreatedCells)
{
    /// <summary>"2004: −0.0846 (SE 0.0265), 80 cells".</summary>
    public override string ToString() =>
        $"{Label}: {SummaryText.Number(Effect)} (SE {SummaryText.Number(StandardError)}), {SummaryText.Count(TreatedCells, "cell")}";
}

/// <summary>Aggregates of ATT(g, t) with standard errors (<see cref="CohortPeriodEffects.Aggregate"/>).</summary>
public sealed record AggregatedEffects
{
    /// <summary>How ATT(g, t) was averaged.</summary>
    public required AttAggregation Aggregation { get; init; }

    /// <summary>The fit.</summary>
    public required EstimationResult Fit { get; init; }

    /// <summary>The variance method.</summary>
    public required string Method { get; init; }

    /// <summary>Coverage level of the intervals.</summary>
    public required double Level { get; init; }

    /// <summary>The aggregates, in cohort, period or event-time order.</summary>
    public required IReadOnlyList<AggregatedEffect> Effects { get; init; }

    /// <summary>Why the standard errors are undefined (null when defined).</summary>
    public string? UndefinedReason { get; init; }

    /// <summary>What a reader should know (aggregates some replicates lack).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>A table of the aggregates, then the notes.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var what = Aggregation switch
        {
            AttAggregation.Simple => "ATT",
            AttAggregation.ByCohort => "effects by cohort",
            AttAggregation.ByPeriod => "effects by period",
            _ => "effects by event time",
        };
        sb.AppendLine(CultureInfo.InvariantCulture, $"{Fit.Estimator} {what}, {Method}{(UndefinedReason is null ? "" : $" (standard errors undefined — {UndefinedReason})")}");
        var d = EffectRows.Decimals(Effects.Select(e => e.Effect), Effects.Select(e => e.StandardError));
        var header = Aggregation switch
        {
            AttAggregation.ByCohort => "cohort",
            AttAggregation.ByPeriod => "period",
            AttAggregation.ByEventTime => "event time",
            _ => "",
        };
        EffectRows.Append(sb, [header, "effect", "std. error", $"{SummaryText.Number(Level * 100)}% interval", "cells"],
            Effects.Select(e => (IReadOnlyList<string>)[e.Label, EffectRows.Number(e.Effect, d), EffectRows.Number(e.StandardError, d),
                EffectRows.Interval(e.Lower, e.Upper, d), e.TreatedCells.ToString(CultureInfo.InvariantCulture)]));
        foreach (var note in Notes) sb.AppendLine(CultureInfo.InvariantCulture, $"  note: {note}");
        return sb.ToString().TrimEnd();
    }
}

/// <summary>
/// A fit's cohort × period effects ATT(g, t) with standard errors from a variance method's replicates, and their
/// aggregates (<see cref="Aggregate"/>). Made by <c>fit.CohortPeriodEffects(method)</c> (<see cref="EventStudies.CohortPeriodEffects"/>).
/// </summary>
[TypeFormatterSource(typeof(NotebookFormatterSource))]
public sealed record CohortPeriodEffects
{
    /// <summary>The fit.</summary>
    public required EstimationResult Fit { get; init; }

    /// <summary>Name of the variance method.</summary>
    public required string Method { get; init; }

    /// <summary>Coverage level of the intervals.</summary>
    public required double Level { get; init; }

    /// <summary>ATT(g, t), by cohort then period; before a cohort's adoption, its leads.</summary>
    public required IReadOnlyList<CohortPeriodEffect> Effects { get; init; }

    /// <summary>False when the method gives no standard errors (see <see cref="UndefinedReason"/>).</summary>
    public bool IsDefined => UndefinedReason is null;

    /// <summary>Why the standard errors are undefined (null when defined).</summary>
    public string? UndefinedReason { get; init; }

    /// <summary>Replicates behind the standard errors.</summary>
    public int Replications { get; init; }

    /// <summary>What a reader should know (leads left out, cells not identified, replicates lacking a cell).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    private readonly EventStudies.Inputs _inputs;

    /// <summary>Effects over <paramref name="inputs"/>' grid and replicates, which the aggregates are computed from.</summary>
    internal CohortPeriodEffects(EventStudies.Inputs inputs) => _inputs = inputs;

    /// <summary>
    /// ATT(g, t) averaged with the cells as weights (Callaway and Sant'Anna 2021, §3.1, whose weights on a balanced
    /// panel are these): the ATT over all treated cells, per cohort over its periods after adoption, per calendar period
    /// over the cohorts treated then, or per event time over the cohorts that reach it (leads included). Each replicate
    /// averages its own grid with its own cells, so the standard errors are the method's, and the simple aggregate's is
    /// that of the ATT (<see cref="VarianceResult.StandardError"/>).
    /// </summary>
    public AggregatedEffects Aggregate(AttAggregation aggregation)
    {
        var entries = _inputs.Grid.Entries;
        var periods = Fit.Data.Periods;
        var groups = aggregation switch
        {
            AttAggregation.Simple => [("ATT", (Func<int, int, bool>)((g, t) => t >= g))],
            AttAggregation.ByCohort => entries.Select(e => e.Cohort).Distinct().Order()
                .Select(c => (periods[c], (Func<int, int, bool>)((g, t) => g == c && t >= g))).ToArray(),
            AttAggregation.ByPeriod => entries.Where(e => e.Period >= e.Cohort).Select(e => e.Period).Distinct().Order()
                .Select(p => (periods[p], (Func<int, int, bool>)((g, t) => t == p && t >= g))).ToArray(),
            AttAggregation.ByEventTime => entries.Select(e => e.Period - e.Cohort).Distinct().Order()
                .Select(e => (e.ToString(CultureInfo.InvariantCulture), (Func<int, int, bool>)((g, t) => t - g == e))).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "Use Simple, ByCohort, ByPeriod or ByEventTime."),
        };
        var q = _inputs.Summarise(groups.Select(g => g.Item2).ToArray(), groups.Select(g => g.Item1).ToArray(), uniform: false);
        return new AggregatedEffects
        {
            Aggregation = aggregation, Fit = Fit, Method = Method, Level = Level, UndefinedReason = UndefinedReason, Notes = q.Notes,
            Effects = groups.Select((g, j) => new AggregatedEffect(g.Item1, q.Effects[j], q.StandardErrors[j],
                q.Effects[j] - q.Pointwise * q.StandardErrors[j], q.Effects[j] + q.Pointwise * q.StandardErrors[j], q.Cells[j])).ToArray(),
        };
    }

    /// <summary>A table of ATT(g, t): cohort, period, event time, effect, standard error, interval, cells; then the notes.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"{Fit.Estimator} ATT(g, t), {Method}");
        if (Replications > 0) sb.Append(inv, $" ({SummaryText.Count(Replications, "replicate")})");
        sb.AppendLine(inv, $": ATT = {SummaryText.Number(Fit.Att)}");
        if (!IsDefined) sb.AppendLine(inv, $"  standard errors undefined — {UndefinedReason}");
        var d = EffectRows.Decimals(Effects.Select(e => e.Effect), Effects.Select(e => e.StandardError));
        EffectRows.Append(sb, ["cohort", "period", "event time", "effect", "std. error", $"{SummaryText.Number(Level * 100)}% interval", "cells"],
            Effects.Select(e => (IReadOnlyList<string>)[e.Cohort, e.Period, e.EventTime.ToString(inv), EffectRows.Number(e.Effect, d),
                EffectRows.Number(e.StandardError, d), EffectRows.Interval(e.Lower, e.Upper, d), e.TreatedCells.ToString(inv)]));
        foreach (var note in Notes) sb.AppendLine(inv, $"  note: {note}");
        return sb.ToString().TrimEnd();
    }
}
