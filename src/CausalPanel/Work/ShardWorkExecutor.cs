namespace CausalPanel;

/// <summary>
/// One shard of a job-array run (SLURM array task, Kubernetes Indexed Job pod): of the items asked for, it computes
/// those with index mod <see cref="Count"/> = <see cref="Shard"/> − 1 through <see cref="Inner"/> and leaves the
/// others, so a run with a <c>Checkpoint</c> file writes the shard's items to it and then ends with an
/// <see cref="IncompleteWorkException"/> naming the other shards' items. <see cref="WorkCheckpoint.Merge"/> combines the
/// shards' files; a rerun with the merged file as its checkpoint gives the unsharded result.
/// </summary>
public sealed record ShardWorkExecutor : IWorkExecutor
{
    /// <summary>This shard, 1..<see cref="Count"/>.</summary>
    public required int Shard { get; init; }

    /// <summary>Shards in all.</summary>
    public required int Count { get; init; }

    /// <summary>Runs the shard's items. Default: <see cref="LocalWorkExecutor"/> on all cores.</summary>
    public IWorkExecutor Inner { get; init; } = new LocalWorkExecutor();

    /// <summary>The settings as <c>ShardWorkExecutor { Shard = 1, Count = 4, … }</c>.</summary>
    public override string ToString() => SummaryText.Record(this);

    /// <inheritdoc/>
    public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(items);
        if (Count < 1 || Shard < 1 || Shard > Count)
            throw new ArgumentOutOfRangeException(nameof(Shard), Shard, $"A shard is k of n with 1 ≤ k ≤ n; this is {Shard} of {Count}.");
        return Inner.RunAsync(job, items.Where(i => i % Count == Shard - 1).ToArray(), finished, ct);
    }
}
