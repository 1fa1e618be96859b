using Orleans.Concurrency;

namespace CausalPanel.Orleans;

/// <summary>
/// The work-item worker of a silo (<see cref="WorkItemGrain"/>, a stateless worker: as many activations per silo as it
/// has cores), one grain key per silo (its address). <see cref="OrleansWorkExecutor"/> sends a job's data once per silo with <see cref="Prepare"/> and then
/// index batches with <see cref="Execute"/>; every item is computed by <see cref="WorkItems.Execute"/>.
/// </summary>
public interface IWorkItemGrain : IGrainWithStringKey
{
    /// <summary>
    /// Makes the job <paramref name="hash"/> ready on this silo: found in its cache, or rebuilt from <paramref name="json"/>
    /// (<see cref="WorkJob.ToJson"/>) and its hash checked; with <paramref name="json"/> null and the job not cached, the
    /// reply asks for the text (<see cref="WorkSiloReply.JobMissing"/>), so the text travels once per silo. Tells where
    /// it runs and how many batches it computes at once.
    /// </summary>
    Task<WorkSiloReply> Prepare(string hash, string? json, CancellationToken ct = default);

    /// <summary>
    /// Computes the items <paramref name="items"/> of the cached job <paramref name="hash"/>; a reply with
    /// <see cref="WorkBatchReply.JobMissing"/> when the job is not (or no longer) cached here.
    /// </summary>
    Task<WorkBatchReply> Execute(string hash, int[] items, CancellationToken ct = default);

    /// <summary>The silo this activation runs on (answered between batches: the executor's liveness probe).</summary>
    [AlwaysInterleave]
    Task<SiloAddress> Where();
}

/// <summary>A silo's answer to <see cref="IWorkItemGrain.Prepare"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkSiloReply
{
    /// <summary>The silo that prepared the job.</summary>
    [Id(0)] public required SiloAddress Silo { get; init; }

    /// <summary>Batches it computes at once (its worker activations: one per core).</summary>
    [Id(1)] public required int Slots { get; init; }

    /// <summary>Why the job could not be rebuilt there (a <see cref="WorkJobMismatchException"/>'s message); null when it was.</summary>
    [Id(2)] public string? Error { get; init; }

    /// <summary>The job is not cached there and no text was sent: send it.</summary>
    [Id(3)] public bool JobMissing { get; init; }

    /// <summary>The silo was built without <see cref="WorkSiloBuilderExtensions.AddCausalPanelWorkers"/>: it computes no items.</summary>
    [Id(4)] public bool WorkersMissing { get; init; }
}

/// <summary>A silo's answer to <see cref="IWorkItemGrain.Execute"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkBatchReply
{
    /// <summary>The silo that computed the batch.</summary>
    [Id(0)] public required SiloAddress Silo { get; init; }

    /// <summary>The job is not cached on that silo (evicted, or the silo restarted): prepare it again.</summary>
    [Id(1)] public bool JobMissing { get; init; }

    /// <summary>The items' results (each names its index; empty when <see cref="JobMissing"/>).</summary>
    [Id(2)] public WorkItemResult[] Results { get; init; } = [];

    /// <summary>Time spent computing the items on the silo (what the batch cost there, without messaging).</summary>
    [Id(3)] public TimeSpan Compute { get; init; }
}
