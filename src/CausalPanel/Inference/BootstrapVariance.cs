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

    /// <summary>Resample never-treated and treated units separately (TROP's stratified bootstrap). Default false (synthdid).</summary>
    public bool Stratified { get; init; }

    /// <summary>A replicate gives up after this many discarded draws (the design is then reported undefined). Default 100.</summary>
    public int MaxAttempts { get; init; } = 100;

    /// <summary>
    /// Replaces the random draws, e.g. to replay R's: given the replicate index and N, N indices into the
    /// units ordered never-treated first then treated (each group in panel order), as synthdid orders them.
    /// </summary>
    public Func<int, int, IReadOnlyList<int>>? Draws { get; init; }

    /// <inheritdoc/>
    public override string Name => Stratified ? "Stratified bootstrap" : "Bootstrap";

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
        if (p.TreatedUnitCount == 1)
            return ReplicateSet.Undefined(this, "the bootstrap needs at least two treated units; with one, use UnitPlaceboVariance.", Replications);

        var order = p.NeverTreatedUnitIndices.Concat(p.TreatedUnitIndices).ToArray();
        int n = order.Length, n0 = p.NeverTreatedCount;
        var draws = Replicates.Run(Replications, b =>
        {
            var random = Draws is null ? Replicates.Stream(Seed, b) : null;
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var drawn = (Draws?.Invoke(b, n) ?? (Stratified
                    ? Enumerable.Range(0, n).Select(k => k < n0 ? random!.Next(n0) : n0 + random!.Next(n - n0)).ToArray()
                    : Enumerable.Range(0, n).Select(_ => random!.Next(n)).ToArray())).Order().ToArray();
                var controls = drawn.Count(k => k < n0);
                if (controls == 0 || controls == n) continue;
                var rows = drawn.Select(k => order[k]).ToArray();
                var panel = Replicates.Resampled(data, rows);
                var replicate = fit.ForReplicate(rows[..controls], fixWeights: false).Estimate(panel, ct);
                return ((ReplicateValue?)statistic.Of(replicate, ct), attempt);
            }
            return (null, MaxAttempts);
        }, MaxDegreeOfParallelism, Progress, ct);

        if (draws.Any(d => d.Item1 is null))
            return ReplicateSet.Undefined(this, $"some replicates drew only controls or only treated units {MaxAttempts} times in a row; the panel has too few of one kind.", Replications);
        return new ReplicateSet
        {
            Method = Name, Target = Target, Spread = ReplicateSpread.Centred, Seed = Draws is null ? Seed : null,
            Values = draws.Select(d => d.Item1!.Value).ToArray(), Labels = Enumerable.Range(1, draws.Length).Select(b => $"draw {b}").ToArray(),
            Requested = Replications, Discarded = draws.Sum(d => d.Item2),
        };
    }
}
