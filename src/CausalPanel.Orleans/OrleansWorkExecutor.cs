using System.Globalization;

namespace CausalPanel.Orleans;

/// <summary>
/// Runs a job's work items on the silos of a Microsoft Orleans cluster (each silo configured with
/// <see cref="WorkSiloBuilderExtensions.AddCausalPanelWorkers"/>), giving the bits of a local run: the job travels as data
/// (<see cref="WorkJob.ToJson"/>), once per silo, and every item is computed there by <see cref="WorkItems.Execute"/>.
/// The client fans index batches out to every silo (as many batches in flight on a silo as it has cores), hands each
/// result to the caller as it comes (so progress and checkpoints work as locally), probes the silos that hold its
/// batches and sends the batches of a lost silo again (safe: an item is a pure function), and stops within a second
/// of cancellation (the token reaches the silos, whose items check it).
/// </summary>
/// <remarks>
/// Batch size: unless <see cref="BatchSize"/> is set, a silo's first batch on each of its workers is one item; from the
/// compute time the silos report, later batches hold as many items as fit in <see cref="BatchDuration"/> (a call's own
/// cost, well under a millisecond on a LAN, is then under 0.1% of a batch), but never more than half of a fair share of
/// the items left, so that the last batches spread over every worker. <c>ClientMessagingOptions.ResponseTimeout</c>
/// (30 s by default) must exceed the longest single item.
/// </remarks>
public sealed record OrleansWorkExecutor : IWorkExecutor
{
    /// <summary>The cluster: an <c>IClusterClient</c> (or a grain's <c>GrainFactory</c>).</summary>
    public required IGrainFactory Grains { get; init; }

    /// <summary>Items per batch (0 = chosen from the items' measured cost and <see cref="BatchDuration"/>). Default 0.</summary>
    public int BatchSize { get; init; }

    /// <summary>What an automatically sized batch should take on a silo. Default 1 s.</summary>
    public TimeSpan BatchDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a silo may take to answer its liveness probe (sent every second to each silo in use) before its batches
    /// are sent elsewhere; also how long the run waits for a silo to appear when it has none. Default 10 s.
    /// </summary>
    public TimeSpan SiloTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Silos that must hold the job (have rebuilt it) before any item is sent; when the cluster has fewer for
    /// <see cref="SiloTimeout"/>, the run fails saying how many it had (a silo still rebuilding the job is waited for). Default 1. Set it to the cluster's size when every
    /// silo must take part from the first item on — a short run otherwise starts on the silos that answer first and
    /// admits the others at the next membership check (once a second), possibly after the last item — as a deployment
    /// check or a test that every silo computes.
    /// </summary>
    public int MinimumSilos { get; init; } = 1;

    /// <summary>How many times one item is sent before the run gives up on it. Default 5.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Told of every batch sent again after its silo was lost (for a log); null for none.</summary>
    public Action<WorkRetry>? Retried { get; init; }

    /// <summary>"OrleansWorkExecutor { BatchSize = auto (1 s), SiloTimeout = 10 s, MinimumSilos = 1, MaxAttempts = 5 }".</summary>
    public override string ToString() =>
        $"OrleansWorkExecutor {{ BatchSize = {(BatchSize > 0 ? BatchSize.ToString(CultureInfo.InvariantCulture) : $"auto ({BatchDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)")}, " +
        $"SiloTimeout = {SiloTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, MinimumSilos = {MinimumSilos}, MaxAttempts = {MaxAttempts} }}";

    /// <inheritdoc/>
    /// <exception cref="WorkNotPortableException">The job holds a callback (it cannot be sent to the silos).</exception>
    /// <exception cref="WorkJobMismatchException">A silo rebuilt another job than the one sent (another CausalPanel version).</exception>
    /// <exception cref="WorkersNotConfiguredException">A silo was built without <see cref="WorkSiloBuilderExtensions.AddCausalPanelWorkers"/> (named).</exception>
    /// <exception cref="IncompleteWorkException">The cluster has no silo left (for <see cref="SiloTimeout"/>), fewer than <see cref="MinimumSilos"/> joined within <see cref="SiloTimeout"/>, or an item was lost <see cref="MaxAttempts"/> times.</exception>
    public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(finished);
        ArgumentNullException.ThrowIfNull(Grains);
        ArgumentOutOfRangeException.ThrowIfNegative(BatchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumSilos, 1);
        if (BatchDuration <= TimeSpan.Zero || SiloTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(SiloTimeout), "BatchDuration and SiloTimeout are positive times.");
        job.RequirePortable("an executor that sends it to other processes");   // a job holding a callback is refused before anything is sent
        // The text (5 MB and 0.13 s for a 1,000 × 200 panel) only if a silo does not hold the job yet.
        var json = new Lazy<string>(job.ToJson);
        return items.Count == 0 ? Task.CompletedTask : new OrleansWorkRun(this, job, json, items, finished).RunAsync(ct);
    }
}
