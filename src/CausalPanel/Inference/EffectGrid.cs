namespace CausalPanel;

/// <summary>
/// A fit's effects by adoption cohort and period, ATT(g, t) (Callaway and Sant'Anna 2021, J. Econometrics, §2): after
/// adoption the mean effect over the cohort's treated cells in the period, in the anticipation window (the k periods
/// before adoption) the mean effect over its cells there (<see cref="EstimationResult.AnticipationEffects"/>), and before
/// that the estimator's lead (<see cref="EstimationResult.LeadEffects"/>), each with its cell count. Every event-study quantity is a cell-weighted
/// mean over some of these entries — an event time, a cohort, a period, the ATT — and every variance replicate computes
/// the same grid on its replicate fit, so one set of replicates serves them all.
/// </summary>
internal sealed class EffectGrid
{
    private EffectGrid(IReadOnlyList<LeadEffect> entries) => Entries = entries;

    /// <summary>The entries (cohort column, period column, mean effect, cells), sorted by cohort, then period.</summary>
    public IReadOnlyList<LeadEffect> Entries { get; }

    /// <summary>
    /// The grid of <paramref name="fit"/>: its treated and anticipation-window cells by (first treated period, period)
    /// and, with <paramref name="leads"/> &gt; 0, its leads −k−1..−k−leads (those the fit has; k its anticipation), for
    /// SC, DIFP and SDID as <paramref name="definition"/> defines them (the in-time placebo fits' warnings to
    /// <paramref name="warnings"/>).
    /// </summary>
    public static EffectGrid Of(EstimationResult fit, int leads, SyntheticLeads definition, CancellationToken ct, ICollection<string>? warnings = null)
    {
        var pattern = fit.Data.Pattern;
        var post = new Dictionary<(int Cohort, int Period), (double Sum, int Cells)>();
        foreach (var c in fit.AnticipationEffects.Concat(fit.CellEffects))
        {
            var key = (pattern.FirstTreatedPeriodIndex(c.UnitIndex)!.Value, c.PeriodIndex);
            var (sum, cells) = post.GetValueOrDefault(key);
            post[key] = (sum + c.Effect, cells + 1);
        }
        var pre = leads == 0 ? []
            : definition == SyntheticLeads.InTimePlacebo
                ? (fit as SyntheticWeightingResult ?? throw new InvalidOperationException($"In-time placebo leads are defined for SC, DIFP and SDID, not {fit.Estimator}.")).InTimePlaceboLeads(leads, warnings, ct)
                : fit.LeadEffects(leads, ct) ?? [];
        return new EffectGrid(pre.Concat(post.Select(e => new LeadEffect(e.Key.Cohort, e.Key.Period, e.Value.Sum / e.Value.Cells, e.Value.Cells)))
            .OrderBy(e => e.Cohort).ThenBy(e => e.Period).ToArray());
    }

    /// <summary>A grid of <paramref name="entries"/> (sorted by cohort, then period), e.g. read back from a work item's result.</summary>
    public static EffectGrid From(IReadOnlyList<LeadEffect> entries) => new(entries);

    /// <summary>The grid with every cohort and period moved by <paramref name="columns"/> (event times kept): a time placebo's window aligned with the real adoption.</summary>
    public EffectGrid Shifted(int columns) => columns == 0 ? this
        : new EffectGrid(Entries.Select(e => e with { Cohort = e.Cohort + columns, Period = e.Period + columns }).ToArray());

    /// <summary>The cell-weighted mean effect over the entries <paramref name="selects"/> (cohort, period) picks, and their cells; NaN and 0 when it picks none.</summary>
    public (double Effect, int Cells) Mean(Func<int, int, bool> selects)
    {
        double sum = 0;
        var cells = 0;
        foreach (var e in Entries)
        {
            if (!selects(e.Cohort, e.Period)) continue;
            sum += e.Effect * e.Cells;
            cells += e.Cells;
        }
        return cells > 0 ? (sum / cells, cells) : (double.NaN, 0);
    }
}
