using System.Collections.Concurrent;

namespace CausalPanel.Tests.Distributed;

/// <summary>Records every item a local run on one thread computes, and counts them.</summary>
internal sealed class RecordingExecutor : IWorkExecutor
{
    public readonly ConcurrentDictionary<int, WorkItemResult> Items = new();

    public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default) =>
        new LocalWorkExecutor { MaxDegreeOfParallelism = 1 }.RunAsync(job, items, r => finished(Items[r.Index] = r), ct);
}

/// <summary>
/// A stand-in for a cluster engine's worker: the job travels as JSON text, is rebuilt by <see cref="WorkJob.FromJson"/>,
/// and each item is computed from the rebuilt job (in reverse order) with <see cref="WorkItems.Execute"/>.
/// </summary>
internal sealed class JsonWorker : IWorkExecutor
{
    public string? Sent, SenderHash, RebuiltHash;
    public readonly ConcurrentDictionary<int, WorkItemResult> Items = new();

    public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default)
    {
        Sent = job.ToJson();
        SenderHash = job.Hash;
        var rebuilt = WorkJob.FromJson(Sent, ct);
        RebuiltHash = rebuilt.Hash;
        foreach (var i in items.Reverse()) finished(Items[i] = WorkItems.Execute(rebuilt, i, ct));
        return Task.CompletedTask;
    }
}

/// <summary>Cancels its token when the count of finished items reaches <paramref name="at"/>.</summary>
internal sealed class CancelAt(int at, CancellationTokenSource cts) : IProgress<int>
{
    public void Report(int value)
    {
        if (value >= at) cts.Cancel();
    }
}
