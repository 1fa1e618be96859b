namespace CausalPanel;

/// <summary>Runs a job's items through an executor, resuming from and appending to a checkpoint file.</summary>
internal static class WorkRun
{
    /// <summary>
    /// Every item of <paramref name="job"/>, in item order: those already in <paramref name="checkpoint"/> (when given)
    /// read back, the others computed by <paramref name="executor"/> and appended to it as they finish.
    /// <paramref name="progress"/> receives the number of items done (those read back included).
    /// </summary>
    /// <exception cref="WorkNotPortableException">A checkpoint was asked for a job that holds a callback.</exception>
    /// <exception cref="WorkJobMismatchException">The checkpoint is another job's.</exception>
    /// <exception cref="IncompleteWorkException">The executor left items (a shard's run).</exception>
    public static WorkItemResult[] Run(WorkJob job, IWorkExecutor executor, string? checkpoint, IProgress<int>? progress, CancellationToken ct)
    {
        var results = new WorkItemResult?[job.Count];
        WorkCheckpoint.Writer? writer = null;
        if (checkpoint is not null)
        {
            job.RequirePortable($"a checkpoint file ('{checkpoint}')");
            foreach (var item in WorkCheckpoint.Read(checkpoint, job)) results[item.Index] = item;
            writer = WorkCheckpoint.Append(checkpoint, job);
        }
        using (writer)
        {
            var done = results.Count(r => r is not null);
            var remaining = Enumerable.Range(0, job.Count).Where(i => results[i] is null).ToArray();
            if (remaining.Length > 0)
                executor.RunAsync(job, remaining, item =>
                {
                    results[item.Index] = item;
                    writer?.Write(item);
                    progress?.Report(Interlocked.Increment(ref done));
                }, ct).GetAwaiter().GetResult();
        }
        var missing = Enumerable.Range(0, job.Count).Where(i => results[i] is null).ToArray();
        if (missing.Length > 0)
            throw new IncompleteWorkException($"{SummaryText.Count(missing.Length, "item")} of this {job.Kind} job ({job.Count} in all) were not computed: {WorkCheckpoint.Items(missing)} (0-based){(checkpoint is null ? "" : $"; the others are in '{checkpoint}'")}. A shard's run leaves the other shards' items: merge the shard files and rerun with the merged file as the checkpoint.", missing);
        return results!;
    }
}
