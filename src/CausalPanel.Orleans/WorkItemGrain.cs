using System.Diagnostics;
using CausalPanel.Numerics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace CausalPanel.Orleans;

/// <summary>
/// Computes work items on a silo: a stateless worker (one activation per core at most, each computing one batch at a
/// time), so a silo computes as many batches at once as it has cores. The job is rebuilt once per silo and cached
/// (<see cref="WorkJobCache"/>); a batch is computed on one thread by the function of <see cref="WorkItems.Execute"/> (the
/// one every executor runs) with the activation's solver scratch, kept across its batches as a local run's worker keeps
/// it across items (a fresh one per batch cost about 35 ms of growing the Frank–Wolfe vertex cache on a 1,000 × 200 SDID
/// bootstrap, 4% of a one-second batch and 40% of a one-item batch).
/// On a silo built without <see cref="WorkSiloBuilderExtensions.AddCausalPanelWorkers"/> (no cache) it answers so, and the
/// executor raises <see cref="WorkersNotConfiguredException"/> naming the silo rather than a dependency-injection error.
/// </summary>
[StatelessWorker]
public sealed class WorkItemGrain(IServiceProvider services, ILocalSiloDetails silo) : Grain, IWorkItemGrain
{
    private readonly WorkJobCache? _cache = services.GetService<WorkJobCache>();
    private readonly WorkerScratch _scratch = new();   // this activation's: it computes one batch at a time

    /// <inheritdoc/>
    public Task<WorkSiloReply> Prepare(string hash, string? json, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var reply = new WorkSiloReply { Silo = silo.SiloAddress, Slots = Environment.ProcessorCount };
        if (_cache is not { } cache) return Task.FromResult(reply with { WorkersMissing = true });
        if (json is null) return Task.FromResult(cache.Find(hash) is null ? reply with { JobMissing = true } : reply);
        try
        {
            cache.GetOrRebuild(hash, json, ct);
            return Task.FromResult(reply);
        }
        catch (WorkJobMismatchException e)
        {
            return Task.FromResult(reply with { Error = e.Message });   // sent back as data: the client raises it as the same exception
        }
    }

    /// <inheritdoc/>
    public Task<WorkBatchReply> Execute(string hash, int[] items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (_cache?.Find(hash) is not { } job) return Task.FromResult(new WorkBatchReply { Silo = silo.SiloAddress, JobMissing = true });
        // The items computed in turn by the job's one function (WorkItems.Execute's), as a local run's worker does.
        var clock = Stopwatch.StartNew();
        var results = new WorkItemResult[items.Length];
        using (_scratch.Enter())
            for (var k = 0; k < items.Length; k++)
            {
                ct.ThrowIfCancellationRequested();
                results[k] = job.Plan.Execute(items[k], ct);
            }
        return Task.FromResult(new WorkBatchReply { Silo = silo.SiloAddress, Results = results, Compute = clock.Elapsed });
    }

    /// <inheritdoc/>
    public Task<SiloAddress> Where() => Task.FromResult(silo.SiloAddress);
}
