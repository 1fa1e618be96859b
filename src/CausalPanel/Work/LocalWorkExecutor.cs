namespace CausalPanel;

/// <summary>
/// The default executor: the items in parallel on this machine's cores, each worker reusing its solver scratch (so the
/// run's solver memory is that of its workers rather than of its items). Results do not depend on the thread count.
/// </summary>
public sealed record LocalWorkExecutor : IWorkExecutor
{
    /// <summary>Items at most in parallel (−1 = one per core). Default −1.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>The settings as <c>LocalWorkExecutor { MaxDegreeOfParallelism = −1 }</c>.</summary>
    public override string ToString() => SummaryText.Record(this);

    /// <inheritdoc/>
    public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(finished);
        Replicates.ValidateParallelism(MaxDegreeOfParallelism);
        var plan = job.Plan;
        Replicates.ForEach(items.Count, k => finished(plan.Execute(items[k], ct)), MaxDegreeOfParallelism, ct);
        return Task.CompletedTask;
    }
}
