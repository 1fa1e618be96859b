namespace CausalPanel;

/// <summary>
/// A variance estimator for a panel estimator's ATT. Methods re-run the estimator on replicate
/// panels through its re-estimation hook, so one method serves every estimator.
/// </summary>
public interface IVarianceEstimator
{
    /// <summary>Short name for tables.</summary>
    string Name { get; }

    /// <summary>The variance this method targets.</summary>
    VarianceTarget Target { get; }

    /// <summary>Fits <paramref name="estimator"/> on <paramref name="data"/> and estimates the variance of its ATT.</summary>
    VarianceResult Estimate(IEstimator estimator, PanelData data, CancellationToken ct = default);

    /// <summary>Estimates the variance of an existing fit's ATT (the fit's <see cref="EstimationResult.Source"/> is re-run).</summary>
    VarianceResult Estimate(EstimationResult fit, CancellationToken ct = default);
}

/// <summary>What the replicate-based variance methods share: parallelism, progress and the fit-then-estimate entry point.</summary>
public abstract record VarianceMethod : IVarianceEstimator
{
    /// <summary>
    /// The settings as <c>BootstrapVariance { Name = Bootstrap, Replications = 200, … }</c>, a callback as
    /// <c>custom</c>. Sealed so that every method record prints so rather than synthesising its own.
    /// </summary>
    public sealed override string ToString() => SummaryText.Record(this);

    /// <summary>Parallel replicates at most (−1 = all cores). Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Receives the number of finished replicates.</summary>
    public IProgress<int>? Progress { get; init; }

    /// <summary>
    /// Runs the replicates (a <see cref="WorkJob"/>): null (default) = <see cref="LocalWorkExecutor"/> with
    /// <see cref="MaxDegreeOfParallelism"/>; a <see cref="ShardWorkExecutor"/> or a cluster engine's executor. Results do not depend on it.
    /// </summary>
    public IWorkExecutor? Executor { get; init; }

    /// <summary>
    /// A checkpoint file (<see cref="WorkCheckpoint"/>): finished replicates are appended as they finish, and a rerun with
    /// the same fit and options skips those already in it; a file of another job is refused
    /// (<see cref="WorkJobMismatchException"/>). Null (default): none.
    /// </summary>
    public string? Checkpoint { get; init; }

    /// <summary>
    /// This method with its random draws seeded by <paramref name="seed"/>, for methods that draw (placebo sets, bootstrap
    /// samples); itself for the deterministic ones. <see cref="VarianceComparison"/> gives each simulated panel its own.
    /// </summary>
    internal virtual VarianceMethod Reseeded(int seed) => this;

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public abstract VarianceTarget Target { get; }

    /// <inheritdoc/>
    public VarianceResult Estimate(IEstimator estimator, PanelData data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        var fit = estimator.Estimate(data, ct);
        return Estimate(fit.Source is null ? fit with { Source = estimator } : fit, ct);
    }

    /// <inheritdoc/>
    public VarianceResult Estimate(EstimationResult fit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return Compute(fit, ct);
    }

    /// <summary>
    /// The method itself, for a non-null fit: by default the standard error of the ATT over the method's replicates
    /// (<see cref="Replicate"/>), and of each event time over the same replicates.
    /// </summary>
    protected virtual VarianceResult Compute(EstimationResult fit, CancellationToken ct) =>
        Replicate(fit, ReplicateStatistic.Att, ct).ToVarianceResult(fit);

    /// <summary>
    /// The method's replicates of <paramref name="statistic"/> (the one hook through which the variance of the ATT, the
    /// event study and the cohort × period effects re-run the estimator). When a replicate panel cannot be estimated
    /// (e.g. leaving out a unit leaves a period without controls) the set is undefined with the replicate and the
    /// estimator's reason, rather than an exception or a silently shorter set of replicates.
    /// </summary>
    internal ReplicateSet Replicate(EstimationResult fit, ReplicateStatistic statistic, CancellationToken ct)
    {
        try
        {
            return ReplicateCore(fit, statistic, ct);
        }
        catch (Replicates.ReplicateFailedException e)
        {
            return ReplicateSet.Undefined(this, e.Message);
        }
    }

    /// <summary>
    /// Runs <paramref name="count"/> replicates of <paramref name="fit"/> as a <see cref="WorkJob"/> on <see cref="Executor"/>
    /// (with <see cref="Checkpoint"/>), <paramref name="item"/> computing replicate b; <paramref name="details"/> adds what the
    /// settings do not print (the cluster map), <paramref name="callback"/> names an option that is a callback.
    /// </summary>
    private protected WorkItemResult[] RunReplicates(EstimationResult fit, ReplicateStatistic statistic, int count, string? details, string? callback,
        Func<int, CancellationToken, WorkItemResult> item, CancellationToken ct)
    {
        var (description, problem) = WorkDescriptions.Replicates(this, fit, statistic, details);
        problem ??= callback is null ? null : $"{Name}'s {callback} is a callback.";
        var job = new WorkJob("replicates", count, description, problem, new WorkPlan(item)) { Writer = hash => WorkJobJson.Write(hash, this, fit, statistic) };
        var results = WorkRun.Run(job, Executor ?? new LocalWorkExecutor { MaxDegreeOfParallelism = MaxDegreeOfParallelism }, Checkpoint, Progress, ct);
        var failed = results.Where(r => r.Failure is not null).ToArray();
        if (failed.Length > 0) throw Replicates.FailedAt(failed[0].Index, count, failed.Length, failed[0].Failure!);
        return results;
    }

    /// <summary>The replicates of a method that has them; by default none (a one-fit formula or a combination of methods).</summary>
    private protected virtual ReplicateSet ReplicateCore(EstimationResult fit, ReplicateStatistic statistic, CancellationToken ct) =>
        ReplicateSet.Undefined(this, $"{Name} has no replicates of its own (it is a formula or a combination of other methods), so it gives no standard error per event time or cohort; use UnitPlaceboVariance, BootstrapVariance, JackknifeVariance or TimePlaceboVariance.");
}

/// <summary>Shortcuts from a fit to its variance.</summary>
public static class VarianceExtensions
{
    /// <summary>The variance of this fit's ATT by <paramref name="method"/>, e.g. <c>fit.WithVariance(new UnitPlaceboVariance { Seed = 1 })</c>.</summary>
    public static VarianceResult WithVariance(this EstimationResult fit, IVarianceEstimator method, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(method);
        return method.Estimate(fit, ct);
    }
}
