namespace CausalPanel;

/// <summary>
/// Unit bootstrap variance (Arkhangelsky et al. 2021, AER, Algorithm 2; R synthdid
/// <c>vcov(method = "bootstrap")</c>, its default), conditional on the periods: draw N units with
/// replacement from all units (a draw with no control or no treated unit is discarded and redrawn),
/// re-estimate with the original regularisation and warm-started weights; SE = √((B−1)/B)·sd.
/// With <see cref="Stratified"/>, the never-treated and the treated units are resampled separately
/// (N0 and N1 draws), as TROP's Algorithm 3 (Athey, Imbens, Qu and Viviano 2025, §5.3), so no draw is
/// discarded. Undefined with one treated unit. On a staggered design the drawn units keep their adoption
/// periods (Clarke, Pailañir, Athey and Imbens 2023, Stata <c>sdid</c>).
/// </summary>
public sealed record BootstrapVariance : VarianceMethod
{
    /// <summary>Replications B (valid draws). Default 200.</summary>
    public int Replications { get; init; } = 200;

    /// <summary>Seed of the per-replicate random streams.</summary>
    public int Seed { get; init; }

    /// <inheritdoc/>
    internal override VarianceMethod Reseeded(int seed) => this with { Seed = seed };

    /// <summary>Resample never-treated and treated units separately (TROP's stratified bootstrap). Default false (synthdid).</summary>
    public bool Stratified { get; init; }

    /// <summary>A replicate gives up after this many discarded draws (the design is then reported undefined). Default 100.</summary>
    public int MaxAttempts { get; init; } = 100;

    /// <summary>
    /// Replaces the random draws, e.g. to replay R's: given the replicate index and N, N indices into the
    /// units ordered never-treated first then treated (each group in panel order), as synthdid orders them. With
    /// <see cref="Cluster"/>, given G, G indices into the clusters ordered control clusters first, then treated ones
    /// (each by its first unit in panel order).
    /// </summary>
    public Func<int, int, IReadOnlyList<int>>? Draws { get; init; }

    /// <summary>
    /// Cluster bootstrap (unit label → cluster label, e.g. county → state), for noise correlated within clusters: each
    /// replicate draws G clusters with replacement and keeps all their units, as Stata <c>sdid</c>'s
    /// <c>vce(bootstrap) cluster()</c> does (<c>bsample, cluster()</c>; Clarke, Pailañir, Athey and Imbens 2023, version
    /// 2.0.4); with <see cref="Stratified"/>, G0 draws from the control clusters and G1 from the treated ones. A cluster
    /// holding any treated unit is a treated cluster and its never-treated units travel with it (they stay controls in
    /// the replicate). A draw without a never-treated or without a treated unit is redrawn, as for units. Needs at
    /// least two treated and two control clusters, else <see cref="TooFewClustersException"/>. Every unit its own
    /// cluster (<c>u =&gt; u</c>) gives the unclustered bootstrap exactly. Null (default): units are independent.
    /// A panel read with a cluster column (<see cref="PanelReadOptions.Cluster"/>) gives its map as <c>data.ClusterOf</c>.
    /// </summary>
    public Func<string, string>? Cluster { get; init; }

    /// <inheritdoc/>
    public override string Name => (Stratified, Cluster is null) switch
    {
        (false, true) => "Bootstrap",
        (true, true) => "Stratified bootstrap",
        (false, false) => "Cluster bootstrap",
        (true, false) => "Stratified cluster bootstrap",
    };

    /// <inheritdoc/>
    public override VarianceTarget Target => VarianceTarget.ConditionalOnPeriods;

    private protected override ReplicateSet ReplicateCore(EstimationResult fit, ReplicateStatistic statistic, CancellationToken ct)
    {
        Replicates.Validate(Replications, MaxDegreeOfParallelism);
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "MaxAttempts must be at least 1.");
        if (Replicates.AdoptionDesignProblem(fit, Name) is { } problem)
            return ReplicateSet.Undefined(this, problem, Replications);
        var data = fit.Data;
        var p = data.Pattern;
        if (Cluster is null && p.TreatedUnitCount == 1)
            return ReplicateSet.Undefined(this, "the bootstrap needs at least two treated units; with one, use UnitPlaceboVariance.", Replications);
        var clusters = ClusterLayout.Of(data, Cluster ?? (u => u));
        if (Cluster is not null) clusters.Require(2, 2, Name, "at least two treated and two control clusters to resample");

        int g = clusters.Count, g0 = clusters.ControlCount;
        var draws = RunReplicates(fit, statistic, Replications, Cluster is null ? null : clusters.Describe(data), Draws is null ? null : nameof(Draws), (b, ct) =>
        {
            var random = Draws is null ? Replicates.Stream(Seed, b) : null;
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var drawn = (Draws?.Invoke(b, g) ?? (Stratified
                    ? Enumerable.Range(0, g).Select(k => k < g0 ? random!.Next(g0) : g0 + random!.Next(g - g0)).ToArray()
                    : Enumerable.Range(0, g).Select(_ => random!.Next(g)).ToArray())).Order();
                var (rows, controls) = clusters.Rows(drawn, p);
                if (controls == 0 || controls == rows.Length) continue;
                var panel = Replicates.Resampled(data, rows);
                var replicate = fit.ForReplicate(rows[..controls], fixWeights: false).Estimate(panel, ct);
                return ReplicateStatistic.Item(statistic.Of(replicate, ct), $"draw {b + 1}", attempt);
            }
            return new WorkItemResult { Index = b, Discarded = MaxAttempts };
        }, ct);

        if (draws.Any(d => d.Grid is null))
            return ReplicateSet.Undefined(this, $"some replicates drew only controls or only treated units {MaxAttempts} times in a row; the panel has too few of one kind{(Cluster is null ? "" : " of cluster")}.", Replications);
        return new ReplicateSet
        {
            Method = Name, Target = Target, Spread = ReplicateSpread.Centred, Seed = Draws is null ? Seed : null,
            Values = draws.Select(ReplicateStatistic.Value).ToArray(), Labels = draws.Select(d => d.Label!).ToArray(),
            Requested = Replications, Discarded = draws.Sum(d => d.Discarded),
        };
    }
}
