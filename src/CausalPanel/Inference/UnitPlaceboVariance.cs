namespace CausalPanel;

/// <summary>
/// Placebo variance over units (Arkhangelsky et al. 2021, AER, Algorithm 4; R synthdid
/// <c>vcov(method = "placebo")</c>), conditional on the periods: drop the treated units; in each
/// replication permute the never-treated units, let the last N1 of them be placebo-treated over the
/// real post-periods and re-estimate (with the original fit's regularisation, weights warm-started);
/// SE = √((B−1)/B)·sd of the placebo estimates. Needs N0 &gt; N1; the only synthdid method defined for
/// one treated unit.
/// </summary>
public sealed record UnitPlaceboVariance : VarianceMethod
{
    /// <summary>Replications B. Default 200.</summary>
    public int Replications { get; init; } = 200;

    /// <summary>Seed of the per-replicate random streams.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Replaces the random permutations, e.g. to replay R's draws: given the replicate index and N0, a
    /// permutation of 0..N0−1 (indices into the never-treated units in panel order).
    /// </summary>
    public Func<int, int, IReadOnlyList<int>>? Permutations { get; init; }

    /// <inheritdoc/>
    public override string Name => "Unit placebo";

    /// <inheritdoc/>
    public override VarianceTarget Target => VarianceTarget.ConditionalOnPeriods;

    /// <inheritdoc/>
    public override VarianceResult Estimate(EstimationResult fit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(fit);
        Replicates.Validate(Replications, MaxDegreeOfParallelism);
        if (Replicates.UnitPlaceboProblem(fit, Name) is { } problem)
            return VarianceResult.Undefined(Name, Target, fit.Att, problem, Replications);
        var data = fit.Data;
        var controls = data.Pattern.NeverTreatedUnitIndices;
        int n0 = controls.Count, n1 = data.Pattern.TreatedUnitCount, t0 = data.Pattern.Cohorts[0].PeriodIndex;

        var draws = Replicates.Run(Replications, b =>
        {
            var permutation = Permutations?.Invoke(b, n0) ?? Shuffle(Replicates.Stream(Seed, b), n0);
            var rows = permutation.Select(k => controls[k]).ToArray();
            var panel = Replicates.Panel(data, rows, r => r >= n0 - n1, t0);
            var estimator = fit.ForReplicate(rows[..(n0 - n1)], fixWeights: false);
            var label = string.Join("+", rows[(n0 - n1)..].Select(i => data.Units[i]));
            return (estimator.Estimate(panel, ct).Att, label);
        }, MaxDegreeOfParallelism, Progress, ct);

        var estimates = draws.Select(d => d.Att).ToArray();
        return new VarianceResult
        {
            Method = Name, Target = Target, Estimate = fit.Att, Seed = Permutations is null ? Seed : null,
            StandardError = VarianceResult.PopulationSd(estimates),
            Replicates = estimates, ReplicateLabels = draws.Select(d => d.label).ToArray(), RequestedReplications = Replications,
        };
    }

    private static int[] Shuffle(Random random, int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        random.Shuffle(p);
        return p;
    }
}
