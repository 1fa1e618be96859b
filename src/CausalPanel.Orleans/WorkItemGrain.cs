using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace CausalPanel.Orleans;

/// <summary>
/// Computes work items on a silo: a stateless worker (one activation per core at most, each computing one batch at a
/// time), so a silo computes as many batches at once as it has cores. The job is rebuilt once per silo and cached
/// (<see cref="WorkJobCache"/>); a batch is computed by <see cref="LocalWorkExecutor"/> on one thread, which runs the
/// function of <see cref="WorkItems.Execute"/> (the one every executor runs) with a solver workspace reused across items.
/// On a silo built without <see cref="WorkSiloBuilderExtensions.AddCausalPanelWorkers"/> (no cache) it answers so, and the
/// executor raises <see cref="WorkersNotConfiguredException"/> naming the silo rather than a dependency-injection error.
/// </summary>
[StatelessWorker]
public sealed class WorkItemGrain(IServiceProvider services, ILocalSiloDetails silo) : Grain, IWorkItemGrain
{
    private static readonly LocalWorkExecutor Serial = new() { MaxDegreeOfParallelism = 1 };
    private readonly WorkJobCache? _cache = services.GetService<WorkJobCache>();

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
    public async Task<WorkBatchReply> Execute(string hash, int[] items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (_cache?.Find(hash) is not { } job) return new WorkBatchReply { Silo = silo.SiloAddress, JobMissing = true };
        // The local executor on one thread: the items computed in turn by the job's one function (WorkItems.Execute's),
        // reusing one solver workspace across the batch as a local run's workers do.
        var clock = Stopwatch.StartNew();
        var results = new List<WorkItemResult>(items.Length);
        await Serial.RunAsync(job, items, results.Add, ct);
        return new WorkBatchReply { Silo = silo.SiloAddress, Results = [.. results], Compute = clock.Elapsed };
    }

    /// <inheritdoc/>
    public Task<SiloAddress> Where() => Task.FromResult(silo.SiloAddress);
}
