using System.Diagnostics;
using Orleans.Concurrency;

namespace CausalPanel.Orleans;

/// <summary>
/// Computes work items on a silo: a stateless worker (one activation per core at most, each computing one batch at a
/// time), so a silo computes as many batches at once as it has cores. The job is rebuilt once per silo and cached
/// (<see cref="WorkJobCache"/>); each item is <see cref="WorkItems.Execute"/>, the function every executor runs.
/// </summary>
[StatelessWorker]
public sealed class WorkItemGrain(WorkJobCache cache, ILocalSiloDetails silo) : Grain, IWorkItemGrain
{
    /// <inheritdoc/>
    public Task<WorkSiloReply> Prepare(string hash, string json, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(json);
        string? error = null;
        try
        {
            cache.GetOrRebuild(hash, json, ct);
        }
        catch (WorkJobMismatchException e)
        {
            error = e.Message;   // sent back as data: the client raises it as the same exception
        }
        return Task.FromResult(new WorkSiloReply { Silo = silo.SiloAddress, Slots = Environment.ProcessorCount, Error = error });
    }

    /// <inheritdoc/>
    public Task<WorkBatchReply> Execute(string hash, int[] items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (cache.Find(hash) is not { } job) return Task.FromResult(new WorkBatchReply { Silo = silo.SiloAddress, JobMissing = true });
        var clock = Stopwatch.StartNew();
        var results = new WorkItemResult[items.Length];
        for (var k = 0; k < items.Length; k++) results[k] = WorkItems.Execute(job, items[k], ct);
        return Task.FromResult(new WorkBatchReply { Silo = silo.SiloAddress, Results = results, Compute = clock.Elapsed });
    }

    /// <inheritdoc/>
    public Task<SiloAddress> Where() => Task.FromResult(silo.SiloAddress);
}
