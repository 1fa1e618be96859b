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
    /// <summary>
    /// Cluster jackknife (unit label → cluster label, e.g. county → state), for noise correlated within clusters: leave
    /// out each cluster in turn, all its units, with the weights held fixed as for units; SE = √((G−1)/G · Σ_g(θ_g − θ̄)²)
    /// over the G clusters (the delete-a-group jackknife; Stata <c>sdid</c>'s <c>vce(jackknife) cluster()</c>, Clarke,
    /// Pailañir, Athey and Imbens 2023, version 2.0.5). A cluster holding any treated unit is a treated cluster. Needs at
    /// least two treated and two control clusters, else <see cref="TooFewClustersException"/>; undefined when one
    /// cluster holds every control of nonzero unit weight. Every unit its own cluster (<c>u =&gt; u</c>) gives the unit
    /// jackknife exactly. Null (default): units are independent. A panel read with a cluster column
    /// (<see cref="PanelReadOptions.Cluster"/>) gives its map as <c>data.ClusterOf</c>.
    /// </summary>
    public Func<string, string>? Cluster { get; init; }

    /// <inheritdoc/>
    public override string Name => Cluster is null ? "Jackknife" : "Cluster jackknife";

    /// <inheritdoc/>
    public override VarianceTarget Target => VarianceTarget.ConditionalOnPeriods;

    private protected override ReplicateSet ReplicateCore(EstimationResult fit, ReplicateStatistic statistic, CancellationToken ct)
    {
        Replicates.ValidateParallelism(MaxDegreeOfParallelism);
        if (Replicates.AdoptionDesignProblem(fit, Name) is { } problem)
            return ReplicateSet.Undefined(this, problem);
        var data = fit.Data;
        var p = data.Pattern;
        if (Cluster is null && p.TreatedUnitCount == 1)
            return ReplicateSet.Undefined(this, "the jackknife needs at least two treated units (leaving out the only one leaves nothing to estimate).");
        var clusters = ClusterLayout.Of(data, Cluster ?? (u => u));
        if (Cluster is not null) clusters.Require(2, 2, Name, "at least two treated and two control clusters to leave out");
        if (fit is SyntheticWeightingResult && p.Cohorts.Count > 1)
            return ReplicateSet.Undefined(this, "the fixed-weight jackknife holds one set of unit and time weights, but this staggered fit has one per adoption cohort; use BootstrapVariance or UnitPlaceboVariance.");
        if (fit is SyntheticWeightingResult weighted)
        {
            var weightedRows = weighted.UnitWeights.Where(w => w.Weight > 0).Select(w => w.Index).ToHashSet();
            var holding = Enumerable.Range(0, clusters.Count).Where(g => clusters.Members(g).Any(weightedRows.Contains)).ToArray();
            if (holding.Length == 1)
                return ReplicateSet.Undefined(this, Cluster is null ? "only one control has a nonzero unit weight, so leaving it out leaves no synthetic control."
                    : $"every control of nonzero unit weight is in cluster '{clusters.Labels[holding[0]]}', so leaving it out leaves no synthetic control.");
        }

        var values = RunReplicates(fit, statistic, clusters.Count, Cluster is null ? null : clusters.Describe(data), null, (k, ct) =>
        {
            var (rows, controls) = clusters.Rows(Enumerable.Range(0, clusters.Count).Where(g => g != k), p);
            var panel = Replicates.Resampled(data, rows);
            return ReplicateStatistic.Item(statistic.Of(fit.ForReplicate(rows[..controls], fixWeights: true).Estimate(panel, ct), ct));
        }, ct);

        return new ReplicateSet
        {
            Method = Name, Target = Target, Spread = ReplicateSpread.Jackknife,
            Values = values.Select(ReplicateStatistic.Value).ToArray(), Labels = clusters.Labels.Select(label => $"without {label}").ToArray(), Requested = clusters.Count,
        };
    }
}
