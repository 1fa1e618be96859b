namespace CausalPanel;

/// <summary>
/// Placebo variance over time (in-time placebo; Almeida, Athey, Imbens, Lestant and Olaizola 2025,
/// our reading in spec §3.2 and §4.2), conditional on the units: drop the post-treatment periods, give
/// the actual treated units a placebo treatment over a window of T1 pre-periods, re-estimate, and slide
/// the window over the pre-period (the synthdid family keeps the original regularisation and refits its
/// weights, as <c>synthdid_placebo</c> does). The placebo effects are 0 by construction, so
/// V̂ = (1/K) Σ_k τ̂_k² (uncentred) over the K windows, and the interval is Student t with K − 1 df.
/// <see cref="Symmetric"/> = false (default) keeps only the periods up to each window's end, as synthdid's
/// placebo does (needed by SC and SDID, whose weights look at the past); true keeps every pre-period,
/// natural for DiD, MC and DWCP. Block designs; needs T0 ≥ T1 + <see cref="MinPrePeriods"/>. For a fit with an
/// anticipation window of k periods the windows slide over the periods before the real window only, each placebo
/// window has its own k periods before it (the estimator, re-run with the same options, sets them aside), and T0 must
/// be at least T1 + MinPrePeriods + 2k.
/// </summary>
public sealed record TimePlaceboVariance : VarianceMethod
{
    /// <summary>Untreated periods required before each placebo window. Default 2.</summary>
    public int MinPrePeriods { get; init; } = 2;

    /// <summary>Keep the pre-periods after each window too (an on-and-off placebo). Default false (forward).</summary>
    public bool Symmetric { get; init; }

    /// <inheritdoc/>
    public override string Name => "Time placebo";

    /// <inheritdoc/>
    public override VarianceTarget Target => VarianceTarget.ConditionalOnUnits;

    private protected override ReplicateSet ReplicateCore(EstimationResult fit, ReplicateStatistic statistic, CancellationToken ct)
    {
        Replicates.ValidateParallelism(MaxDegreeOfParallelism);
        if (MinPrePeriods < 1) throw new ArgumentOutOfRangeException(nameof(MinPrePeriods), MinPrePeriods, "MinPrePeriods must be at least 1.");
        if (Replicates.BlockDesignProblem(fit, Name) is { } problem)
            return ReplicateSet.Undefined(this, problem);
        var data = fit.Data;
        var p = data.Pattern;
        // With an anticipation window of k periods the placebos use only the periods before the real window (whose cells
        // may carry anticipation effects) and each placebo window has its own k periods set aside before it.
        int t0 = p.Cohorts[0].PeriodIndex, t1 = data.PeriodCount - t0, k = fit.Anticipation, usable = t0 - k;
        var windows = usable - t1 - MinPrePeriods - k + 1;
        if (windows < 2)
            return ReplicateSet.Undefined(this, k == 0
                ? $"the time placebo needs T0 ≥ T1 + MinPrePeriods + 1 for at least two windows, but T0 = {t0}, T1 = {t1}, MinPrePeriods = {MinPrePeriods}."
                : $"the time placebo needs T0 ≥ T1 + MinPrePeriods + 2k + 1 for at least two windows with the anticipation window of k periods (before the real adoption and before each placebo one), but T0 = {t0}, T1 = {t1}, MinPrePeriods = {MinPrePeriods}, k = {k}.");

        var treated = new HashSet<int>(p.TreatedUnitIndices);
        var estimator = fit.ForReplicate(null, fixWeights: false);
        var values = RunReplicates(fit, statistic, windows, null, null, (window, ct) =>
        {
            var start = MinPrePeriods + k + window;              // first placebo-treated period
            var end = Symmetric ? usable : start + t1;           // periods kept: 0..end−1
            var y = new double[data.UnitCount, end];
            var w = new bool[data.UnitCount, end];
            for (var i = 0; i < data.UnitCount; i++)
                for (var s = 0; s < end; s++)
                {
                    y[i, s] = data.Outcomes[i, s];
                    w[i, s] = treated.Contains(i) && s >= start && s < start + t1;
                }
            var panel = PanelData.FromMatrices(y, w, data.Units, data.Periods.Take(end), data.OutcomeName);
            return ReplicateStatistic.Item(statistic.Of(estimator.Estimate(panel, ct), ct, shift: t0 - start));
        }, ct);

        return new ReplicateSet
        {
            Method = Name, Target = Target, Spread = ReplicateSpread.Uncentred, DegreesOfFreedom = windows - 1, ArePlaceboEffects = true,
            Values = values.Select(ReplicateStatistic.Value).ToArray(),
            Labels = Enumerable.Range(0, windows).Select(w => $"placebo {data.Periods[MinPrePeriods + k + w]}–{data.Periods[MinPrePeriods + k + w + t1 - 1]}").ToArray(),
            Requested = windows,
        };
    }
}
