using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// Leads of the imputation estimators (DiD, MC-NNM, DWCP) by leave-one-period-out fits, as R <c>fect</c>'s placebo
/// "loo" test (Liu, Wang and Xu 2024, AJPS, §4.1): for lead −k, the cells H_k = {(i, g_i − a − k)} of every treated unit i
/// (g_i its first treated period, a the fit's anticipation window) that are observed are held out; the estimator is
/// refitted to the remaining fit cells (untreated, outside the anticipation window) at the original fit's tuning; and
/// each held-out cell's placebo effect is Y_it − Ŷ_it(0), out of sample. A held-out cell whose untreated outcome the
/// remaining cells do not identify (its unit's only untreated cell, or a period in which every other unit is treated or
/// held out) stays in the fit and out of the lead.
/// </summary>
internal static class HeldOutLeads
{
    /// <summary>
    /// Predicts the untreated outcomes of <c>cells</c> from a fit to the cells with positive training weights (row-major
    /// N×T, valid during the call only); null for a cell the fit does not identify.
    /// </summary>
    public delegate double?[] Predictor(double[] training, IReadOnlyList<(int I, int T)> cells, CancellationToken ct);

    /// <summary>
    /// The leads −a−1..−a−<paramref name="count"/> per cohort and period, a = <paramref name="anticipation"/> (leads without
    /// an identified cell are absent).
    /// </summary>
    public static IReadOnlyList<LeadEffect> Compute(PanelData data, int count, int anticipation, Predictor predict, CancellationToken ct)
    {
        int n = data.UnitCount, t = data.PeriodCount;
        var untreated = AnticipationWindow.FitWeights(data, anticipation);
        var pattern = data.Pattern;
        var component = new int[n + t];
        var leads = new List<LeadEffect>();
        var training = untreated;       // each lead zeroes its held-out cells and restores them afterwards
        for (var k = 1; k <= count; k++)
        {
            ct.ThrowIfCancellationRequested();
            var held = new List<(int I, int T)>();
            foreach (var i in pattern.TreatedUnitIndices)
                if (pattern.FirstTreatedPeriodIndex(i) - anticipation - k is { } s && s >= 0 && untreated[i * t + s] > 0) held.Add((i, s));
            foreach (var (i, s) in held) training[i * t + s] = 0;
            TwoWayFixedEffects.Components(training, n, t, component);
            var identified = held.Where(c => component[c.I] >= 0 && component[c.I] == component[n + c.T]).ToList();
            foreach (var (i, s) in held.Except(identified)) training[i * t + s] = 1;   // back in the fit (it only links more)
            var predicted = identified.Count > 0 ? predict(training, identified, ct) : [];
            foreach (var (i, s) in identified) training[i * t + s] = 1;
            if (identified.Count == 0) continue;

            leads.AddRange(identified.Select((c, j) => (c, j))
                .Where(x => predicted[x.j] is not null)
                .GroupBy(x => x.c.T)                      // one cohort per period at a given k
                .Select(group => new LeadEffect(group.Key + anticipation + k, group.Key, group.Average(x => data.Outcomes[x.c.I, x.c.T] - predicted[x.j]!.Value), group.Count())));
        }
        return leads;
    }
}
