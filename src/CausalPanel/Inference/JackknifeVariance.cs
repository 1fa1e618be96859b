namespace CausalPanel;

/// <summary>
/// Jackknife variance over units (Arkhangelsky et al. 2021, AER, Algorithm 3; R synthdid
/// <c>vcov(method = "jackknife")</c>): leave out each unit in turn (controls and treated) and recompute
/// the estimate with the original weights held fixed (unit weights renormalised over the remaining
/// controls); SE = √((N−1)/N · Σ(u_i − ū)²). Deterministic. Undefined with one treated unit, or when
/// only one control has a nonzero unit weight. Conservative; not recommended for SC (paper §5).
/// </summary>
public sealed record JackknifeVariance : VarianceMethod
{
    /// <inheritdoc/>
    public override string Name => "Jackknife";

    /// <inheritdoc/>
    public override VarianceTarget Target => VarianceTarget.ConditionalOnPeriods;

    private protected override ReplicateSet ReplicateCore(EstimationResult fit, ReplicateStatistic statistic, CancellationToken ct)
    {
        Replicates.ValidateParallelism(MaxDegreeOfParallelism);
        if (Replicates.AdoptionDesignProblem(fit, Name) is { } problem)
            return ReplicateSet.Undefined(this, problem);
        var data = fit.Data;
        var p = data.Pattern;
        if (p.TreatedUnitCount == 1)
            return ReplicateSet.Undefined(this, "the jackknife needs at least two treated units (leaving out the only one leaves nothing to estimate).");
        if (fit is SyntheticWeightingResult && p.Cohorts.Count > 1)
            return ReplicateSet.Undefined(this, "the fixed-weight jackknife holds one set of unit and time weights, but this staggered fit has one per adoption cohort; use BootstrapVariance or UnitPlaceboVariance.");
        if (fit is SyntheticWeightingResult weighted && weighted.UnitWeights.Count(w => w.Weight > 0) == 1)
            return ReplicateSet.Undefined(this, "only one control has a nonzero unit weight, so leaving it out leaves no synthetic control.");

        var order = p.NeverTreatedUnitIndices.Concat(p.TreatedUnitIndices).ToArray();
        var n0 = p.NeverTreatedCount;
        var values = Replicates.Run(order.Length, k =>
        {
            var rows = order.Where((_, r) => r != k).ToArray();
            var controls = k < n0 ? n0 - 1 : n0;
            var panel = Replicates.Resampled(data, rows);
            return statistic.Of(fit.ForReplicate(rows[..controls], fixWeights: true).Estimate(panel, ct), ct);
        }, MaxDegreeOfParallelism, Progress, ct);

        return new ReplicateSet
        {
            Method = Name, Target = Target, Spread = ReplicateSpread.Jackknife,
            Values = values, Labels = order.Select(i => $"without {data.Units[i]}").ToArray(), Requested = order.Length,
        };
    }
}
