namespace CausalPanel;

/// <summary>
/// Runs estimators on many panels simulated from placebo designs and reports, per design and
/// estimator, the RMSE and bias of the ATT (the true effect is 0) and, with a variance method, the
/// coverage of its intervals — the SDID paper's Tables 2–4 and TROP's Table 1, and the recommendation
/// to "simulate designs matched to your data and pick the estimator that does best there" (Athey,
/// Imbens, Qu and Viviano 2025, §3). All estimators see the same simulated panels (replication b of a
/// design draws from the stream (Seed, design, b)), so results do not depend on thread count.
/// </summary>
public sealed record EstimatorComparison
{
    /// <summary>The settings as <c>EstimatorComparison { Estimators = [DiD, SC, …], Designs = […], … }</c>, estimators by name.</summary>
    public override string ToString() => SummaryText.Record(this);

    /// <summary>The estimators, named by <see cref="IEstimator.Name"/> (give distinct names, e.g. with <see cref="EstimatorNaming.Named"/>).</summary>
    public required IReadOnlyList<IEstimator> Estimators { get; init; }

    /// <summary>The designs.</summary>
    public required IReadOnlyList<SimulationDesign> Designs { get; init; }

    /// <summary>Simulated panels per design. Default 1000 (the papers').</summary>
    public int Replications { get; init; } = 1000;

    /// <summary>Seed of the simulation streams.</summary>
    public int Seed { get; init; }

    /// <summary>Optional variance method; coverage is then the share of its intervals containing 0 (set its own parallelism to 1).</summary>
    public IVarianceEstimator? Variance { get; init; }

    /// <summary>Replications at most in parallel (−1 = all cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Receives the number of finished simulated panels (over all designs).</summary>
    public IProgress<int>? Progress { get; init; }

    /// <summary>Runs the comparison.</summary>
    public ComparisonResult Run(CancellationToken ct = default)
    {
        if (Estimators is null || Estimators.Count == 0) throw new ArgumentException("Give at least one estimator.", nameof(Estimators));
        if (Designs is null || Designs.Count == 0) throw new ArgumentException("Give at least one design.", nameof(Designs));
        if (Replications < 2) throw new ArgumentOutOfRangeException(nameof(Replications), Replications, "Replications must be at least 2.");
        Replicates.ValidateParallelism(MaxDegreeOfParallelism);
        if (Estimators.Select(e => e.Name).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new ArgumentException($"Two estimators are named \"{duplicate.Key}\"; name them apart with estimator.Named(\"...\").", nameof(Estimators));
        if (Designs.Select(d => d.Name).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twin)
            throw new ArgumentException($"Two designs are named \"{twin.Key}\"; give each design its own Name.", nameof(Designs));

        var rows = new List<ComparisonRow>();
        var finished = 0;
        var progress = Progress is null ? null : new Progress<int>(_ => Progress.Report(Interlocked.Increment(ref finished)));
        for (var d = 0; d < Designs.Count; d++)
        {
            var design = Designs[d];
            var designSeed = unchecked(Seed * 1_000_003 + d);
            var outcomes = Replicates.Run(Replications, b =>
            {
                var panel = design.Simulate(Replicates.Stream(designSeed, b));
                return Estimators.Select(estimator => Outcome(estimator, panel, ct)).ToArray();
            }, MaxDegreeOfParallelism, progress, ct);
            for (var e = 0; e < Estimators.Count; e++)
                rows.Add(ComparisonRow.From(design.Name, Estimators[e].Name, outcomes.Select(o => o[e]).ToArray()));
        }
        return new ComparisonResult(rows, Replications, Seed, Variance?.Name);
    }

    private (double? Estimate, bool? Covered, string? Failure) Outcome(IEstimator estimator, PanelData panel, CancellationToken ct)
    {
        try
        {
            var fit = estimator.Estimate(panel, ct);
            if (Variance is null) return (fit.Att, null, null);
            var variance = fit.WithVariance(Variance, ct);
            if (!variance.IsDefined) return (fit.Att, null, null);
            var interval = variance.ConfidenceInterval;
            return (fit.Att, interval.Lower <= 0 && 0 <= interval.Upper, null);
        }
        catch (EstimationException ex)
        {
            return (null, null, ex.Message);
        }
    }
}
