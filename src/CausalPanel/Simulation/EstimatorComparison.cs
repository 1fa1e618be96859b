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

    /// <summary>
    /// Runs the simulated panels (a <see cref="WorkJob"/> of Designs × Replications items, design d's panel b being item
    /// d·Replications + b): null (default) = <see cref="LocalWorkExecutor"/> with <see cref="MaxDegreeOfParallelism"/>.
    /// Results do not depend on it.
    /// </summary>
    public IWorkExecutor? Executor { get; init; }

    /// <summary>
    /// A checkpoint file (<see cref="WorkCheckpoint"/>): finished panels are appended as they finish, and a rerun with the
    /// same settings skips those already in it; a file of another comparison is refused (<see cref="WorkJobMismatchException"/>).
    /// </summary>
    public string? Checkpoint { get; init; }

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

        var count = Designs.Count * Replications;
        var estimators = Estimators.Select(WorkDescriptions.Estimator).ToArray();
        var (variance, varianceProblem) = Variance is null ? ("none", null) : WorkDescriptions.Method(Variance);
        var description = $"seed: {Seed}\nreplications: {Replications}\nvariance: {variance}\n"
            + string.Join("\n", estimators.Select(e => $"estimator: {e.Text}")) + "\n"
            + string.Join("\n", Designs.Select(d => $"design: {WorkDescriptions.Design(d)}"));
        var problem = estimators.Select(e => e.Problem).FirstOrDefault(p => p is not null) ?? varianceProblem;
        var job = new WorkJob("comparison", count, description, problem, new WorkPlan((item, token) =>
        {
            int d = item / Replications, b = item % Replications;
            var panel = Designs[d].Simulate(Replicates.Stream(unchecked(Seed * 1_000_003 + d), b));
            return new WorkItemResult { Index = item, Outcomes = Estimators.Select(estimator => Outcome(estimator, panel, token)).ToArray() };
        })) { Writer = hash => WorkJobJson.Write(hash, this) };
        var outcomes = WorkRun.Run(job, Executor ?? new LocalWorkExecutor { MaxDegreeOfParallelism = MaxDegreeOfParallelism }, Checkpoint, Progress, ct);

        var rows = new List<ComparisonRow>();
        for (var d = 0; d < Designs.Count; d++)
            for (var e = 0; e < Estimators.Count; e++)
                rows.Add(ComparisonRow.From(Designs[d].Name, Estimators[e].Name,
                    outcomes.Skip(d * Replications).Take(Replications).Select(o => (o.Outcomes![e].Estimate, o.Outcomes[e].Covered, o.Outcomes[e].Failure)).ToArray()));
        return new ComparisonResult(rows, Replications, Seed, Variance?.Name);
    }

    private WorkEstimateOutcome Outcome(IEstimator estimator, PanelData panel, CancellationToken ct)
    {
        try
        {
            var fit = estimator.Estimate(panel, ct);
            if (Variance is null) return new(fit.Att, null, null);
            var variance = fit.WithVariance(Variance, ct);
            if (!variance.IsDefined) return new(fit.Att, null, null);
            var interval = variance.ConfidenceInterval;
            return new(fit.Att, interval.Lower <= 0 && 0 <= interval.Upper, null);
        }
        catch (EstimationException ex)
        {
            return new(null, null, ex.Message);
        }
    }
}
