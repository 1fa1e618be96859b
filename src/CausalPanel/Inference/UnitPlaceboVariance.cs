namespace CausalPanel;

/// <summary>
/// Placebo variance over units (Arkhangelsky et al. 2021, AER, Algorithm 4; R synthdid
/// <c>vcov(method = "placebo")</c>), conditional on the periods: drop the treated units; in each
/// replication permute the never-treated units, let the last N1 of them be placebo-treated over the
/// real post-periods and re-estimate (with the original fit's regularisation, weights warm-started);
/// SE = √((B−1)/B)·sd of the placebo estimates. Needs N0 &gt; N1; the only synthdid method defined for
/// one treated unit. With one treated unit there are only N0 distinct placebos, so by default they are
/// enumerated (the B → ∞ limit of synthdid's draws, deterministic). On a staggered design the placebo
/// units take over the treated units' adoption periods (Clarke, Pailañir, Athey and Imbens 2023, Stata
/// <c>sdid</c>), and each replicate refits the estimator from scratch.
/// </summary>
public sealed record UnitPlaceboVariance : VarianceMethod
{
    /// <summary>Replications B. Default 200.</summary>
    public int Replications { get; init; } = 200;

    /// <summary>Seed of the per-replicate random streams.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Enumerate every never-treated unit as the placebo instead of drawing <see cref="Replications"/>
    /// permutations; only possible with one treated unit. Null (default): enumerate exactly when N1 = 1.
    /// </summary>
    public bool? Exhaustive { get; init; }

    /// <summary>
    /// Replaces the random permutations, e.g. to replay R's draws: given the replicate index and N0, a
    /// permutation of 0..N0−1 (indices into the never-treated units in panel order).
    /// </summary>
    public Func<int, int, IReadOnlyList<int>>? Permutations { get; init; }

    /// <inheritdoc/>
    public override string Name => "Unit placebo";

    /// <inheritdoc/>
    public override VarianceTarget Target => VarianceTarget.ConditionalOnPeriods;

    private protected override ReplicateSet ReplicateCore(EstimationResult fit, ReplicateStatistic statistic, CancellationToken ct)
    {
        Replicates.Validate(Replications, MaxDegreeOfParallelism);
        if (Replicates.UnitPlaceboProblem(fit, Name) is { } problem)
            return ReplicateSet.Undefined(this, problem, Replications);
        var data = fit.Data;
        var p = data.Pattern;
        var controls = p.NeverTreatedUnitIndices;
        int n0 = controls.Count, n1 = p.TreatedUnitCount;
        var adoptions = p.TreatedUnitIndices.Select(i => p.FirstTreatedPeriodIndex(i)!.Value).Order().ToArray();
        var exhaustive = Permutations is null && (Exhaustive ?? n1 == 1);
        if (exhaustive && n1 != 1)
            throw new ArgumentException($"Exhaustive enumeration of unit placebos needs one treated unit; this panel has {n1}. Leave Exhaustive unset to draw {Replications} permutations.", nameof(Exhaustive));
        var count = exhaustive ? n0 : Replications;

        var draws = Replicates.Run(count, b =>
        {
            var permutation = exhaustive ? Enumerable.Range(0, n0).Where(k => k != b).Append(b).ToArray()
                : Permutations?.Invoke(b, n0) ?? Shuffle(Replicates.Stream(Seed, b), n0);
            var rows = permutation.Select(k => controls[k]).ToArray();
            var panel = Replicates.Panel(data, rows, r => r >= n0 - n1 ? adoptions[r - (n0 - n1)] : null);
            var estimator = fit.ForReplicate(rows[..(n0 - n1)], fixWeights: false);
            var label = string.Join("+", rows[(n0 - n1)..].Select(i => data.Units[i]));
            return (Value: statistic.Of(estimator.Estimate(panel, ct), ct), Label: label);
        }, MaxDegreeOfParallelism, Progress, ct);

        return new ReplicateSet
        {
            Method = Name, Target = Target, Spread = ReplicateSpread.Centred, ArePlaceboEffects = true,
            Seed = Permutations is null && !exhaustive ? Seed : null,
            Values = draws.Select(d => d.Value).ToArray(), Labels = draws.Select(d => d.Label).ToArray(), Requested = count,
        };
    }

    private static int[] Shuffle(Random random, int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        random.Shuffle(p);
        return p;
    }
}
