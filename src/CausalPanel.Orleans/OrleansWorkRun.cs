using System.Collections.Concurrent;
using System.Diagnostics;
using Orleans.Runtime.Placement;

namespace CausalPanel.Orleans;

/// <summary>
/// One <see cref="OrleansWorkExecutor.RunAsync"/>: the queue of items not yet computed, the silos in use (each with as
/// many worker lanes as it has cores, every lane sending one batch at a time to its silo) and the monitor that adds
/// silos as they join and drops those that stop answering, sending their batches again.
/// </summary>
internal sealed class OrleansWorkRun
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    private readonly OrleansWorkExecutor _options;
    private readonly WorkJob _job;
    private readonly Lazy<string> _json;   // built when a silo first asks for the text
    private readonly Action<WorkItemResult> _finished;
    private readonly ConcurrentQueue<int> _pending;
    private readonly int[] _attempts;
    private readonly bool[] _delivered;
    private readonly Lock _gate = new();
    private readonly Dictionary<SiloAddress, Silo> _silos = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _enoughSilos = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<SiloAddress> _joined = [];   // silos that have held the job in this run
    private int _remaining;
    private bool _stopped;
    private double _secondsPerItem = double.NaN;

    /// <summary>A silo in use: its lanes stop and its batches are queued again when <see cref="Lost"/> is cancelled.</summary>
    private sealed class Silo(SiloAddress address, CancellationToken run)
    {
        public SiloAddress Address { get; } = address;
        public CancellationTokenSource Lost { get; } = CancellationTokenSource.CreateLinkedTokenSource(run);
        public int Slots;
        public string? Reason;
    }

    public OrleansWorkRun(OrleansWorkExecutor options, WorkJob job, Lazy<string> json, IReadOnlyList<int> items, Action<WorkItemResult> finished)
    {
        _options = options;
        _job = job;
        _json = json;
        _finished = finished;
        _pending = new ConcurrentQueue<int>(items);
        _attempts = new int[job.Count];
        _delivered = new bool[job.Count];
        Array.Fill(_delivered, true);   // items not asked for count as delivered
        foreach (var i in items)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(i);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, job.Count);
            _delivered[i] = false;
        }
        _remaining = _delivered.Count(d => !d);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var monitor = Task.Run(() => MonitorAsync(run.Token), CancellationToken.None);
        try
        {
            await _done.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate) _stopped = true;   // no result is handed on after the run returns or throws
            await run.CancelAsync().ConfigureAwait(false);
            try
            {
                await monitor.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>
    /// Calls the worker grain of <paramref name="silo"/>: one grain key per silo (a gateway remembers where it placed a
    /// key) placed there by a placement hint (a stateless worker activates where it is told).
    /// </summary>
    private Task<T> On<T>(SiloAddress silo, Func<IWorkItemGrain, Task<T>> call)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return call(_options.Grains.GetGrain<IWorkItemGrain>(silo.ToParsableString()));
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>Every second: silos that joined the cluster are prepared and given lanes; silos in use are probed.</summary>
    private async Task MonitorAsync(CancellationToken ct)
    {
        try
        {
            await MonitorLoopAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private async Task MonitorLoopAsync(CancellationToken ct)
    {
        var management = _options.Grains.GetGrain<IManagementGrain>(0);
        var alone = Stopwatch.StartNew();
        var fewer = Stopwatch.StartNew();   // since when fewer than MinimumSilos silos were in use, before any item was sent
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var hosts = await management.GetHosts(onlyActive: true).WaitAsync(_options.SiloTimeout, ct).ConfigureAwait(false);
                await Task.WhenAll(hosts.Keys.Select(address => AdmitAsync(address, ct))).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransport(e))
            {
                // the management grain's silo may be the one lost; the probes below still run
            }
            Silo[] inUse;
            lock (_gate) inUse = [.. _silos.Values.Where(s => !s.Lost.IsCancellationRequested)];
            await Task.WhenAll(inUse.Select(s => ProbeAsync(s, ct))).ConfigureAwait(false);
            int active;
            lock (_gate) active = _silos.Values.Count(s => !s.Lost.IsCancellationRequested);
            if (active > 0) alone.Restart();
            if (active >= _options.MinimumSilos || _enoughSilos.Task.IsCompleted) fewer.Restart();   // a silo still rebuilding the job counts
            if (alone.Elapsed > _options.SiloTimeout)
            {
                string lost;
                lock (_gate) lost = _silos.Count == 0 ? "none; is the cluster empty?" : string.Join(", ", _silos.Values.Select(s => $"{s.Address} ({s.Reason})"));
                var missing = Missing();
                Fail(new IncompleteWorkException($"The Orleans cluster has had no silo computing CausalPanel work items for {_options.SiloTimeout.TotalSeconds} s (silos lost: {lost}); {missing.Length} of the job's {_job.Count} items were not computed: {string.Join(", ", missing.Take(20))}{(missing.Length > 20 ? ", …" : "")} (0-based). Start silos configured with AddCausalPanelWorkers() and rerun (with a Checkpoint the finished items are kept).", missing));
                return;
            }
            if (fewer.Elapsed > _options.SiloTimeout)
            {
                Fail(new IncompleteWorkException($"The run waited {_options.SiloTimeout.TotalSeconds} s for {_options.MinimumSilos} silos to hold the job (OrleansWorkExecutor.MinimumSilos) and the cluster had {active}; no item was sent. Start more silos configured with AddCausalPanelWorkers(), or lower MinimumSilos.", Missing()));
                return;
            }
            await Task.Delay(ProbeInterval, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts using a silo of the membership that is not in use: a new one at once (preparing the job is its probe), one
    /// given up earlier only when it answers from its own address again (a failure seen through a gateway that was
    /// going down, say, rather than its own).
    /// </summary>
    private async Task AdmitAsync(SiloAddress address, CancellationToken ct)
    {
        Silo? known;
        lock (_gate)
            if (_silos.TryGetValue(address, out known) && !known.Lost.IsCancellationRequested) return;
        if (known is not null)
        {
            try
            {
                var where = await On(address, w => w.Where()).WaitAsync(_options.SiloTimeout, ct).ConfigureAwait(false);
                if (!where.Equals(address)) return;
            }
            catch (Exception e) when (IsTransport(e))
            {
                return;
            }
        }
        var silo = new Silo(address, ct);
        lock (_gate)
        {
            if (_silos.TryGetValue(address, out var now) && now != known) return;
            _silos[address] = silo;
        }
        _ = JoinAsync(silo);
    }

    /// <summary>Asks the silo where it is (three times, 200 ms apart, through whichever gateways, before taking it as lost).</summary>
    private async Task ProbeAsync(Silo silo, CancellationToken ct)
    {
        string? failure = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (attempt > 0) await Task.Delay(200, ct).ConfigureAwait(false);
            try
            {
                var where = await On(silo.Address, w => w.Where()).WaitAsync(_options.SiloTimeout, ct).ConfigureAwait(false);
                if (where.Equals(silo.Address)) return;
                failure = "it left the cluster (its calls are placed elsewhere)";
                break;
            }
            catch (TimeoutException)
            {
                failure = $"no answer to the liveness probe in {_options.SiloTimeout.TotalSeconds} s";
                break;
            }
            catch (Exception e) when (IsTransport(e))
            {
                failure = e.Message;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
        Lose(silo, failure!);
    }

    private void Lose(Silo silo, string reason)
    {
        lock (_gate)
        {
            if (_stopped || silo.Lost.IsCancellationRequested) return;
            silo.Reason = reason;
        }
        silo.Lost.Cancel();   // its lanes stop waiting and queue their batches again
    }

    /// <summary>Sends the job to <paramref name="silo"/> (it rebuilds it once) and starts a lane per core there.</summary>
    private async Task JoinAsync(Silo silo)
    {
        var token = silo.Lost.Token;
        try
        {
            if (!await PrepareAsync(silo, token).ConfigureAwait(false)) return;
            lock (_gate)
                if (_joined.Add(silo.Address) && _joined.Count >= _options.MinimumSilos) _enoughSilos.TrySetResult();
            await _enoughSilos.Task.WaitAsync(token).ConfigureAwait(false);   // no batch before MinimumSilos hold the job
            var lanes = Enumerable.Range(0, silo.Slots).Select(_ => LaneAsync(silo, token)).ToArray();
            await Task.WhenAll(lanes).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e) when (IsTransport(e))
        {
            Lose(silo, e.Message);
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private async Task<bool> PrepareAsync(Silo silo, CancellationToken token)
    {
        // The hash first: a silo that holds the job (an earlier run's, or this run's before it was taken back) needs no text.
        var reply = await On(silo.Address, w => w.Prepare(_job.Hash, null, token)).WaitAsync(token).ConfigureAwait(false);
        if (reply.JobMissing)
            reply = await On(silo.Address, w => w.Prepare(_job.Hash, _json.Value, token)).WaitAsync(token).ConfigureAwait(false);
        if (reply.WorkersMissing)
        {
            Fail(new WorkersNotConfiguredException($"Silo {reply.Silo} has the CausalPanel worker grain but no CausalPanel workers: it was built without AddCausalPanelWorkers(). Call siloBuilder.AddCausalPanelWorkers() where every silo is configured (e.g. builder.UseOrleans(silo => silo.AddCausalPanelWorkers())) and restart that silo; the run sent it no item."));
            return false;
        }
        if (reply.Error is { } error)
        {
            Fail(new WorkJobMismatchException($"Silo {reply.Silo} could not rebuild the job: {error}"));
            return false;
        }
        if (!reply.Silo.Equals(silo.Address))
        {
            Lose(silo, "it left the cluster (its calls are placed elsewhere)");
            return false;
        }
        silo.Slots = Math.Max(1, reply.Slots);
        return true;
    }

    /// <summary>Sends batches to <paramref name="silo"/> one at a time until every item is computed or the silo is lost.</summary>
    private async Task LaneAsync(Silo silo, CancellationToken token)
    {
        while (!token.IsCancellationRequested && !_done.Task.IsCompleted)
        {
            var batch = Take();
            if (batch.Length == 0)
            {
                await Task.Delay(20, token).ConfigureAwait(false);   // the others' batches are in flight; one may come back
                continue;
            }
            WorkBatchReply reply;
            try
            {
                reply = await On(silo.Address, w => w.Execute(_job.Hash, batch, token)).WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                if (silo.Reason is { } reason) Requeue(batch, silo.Address, reason);   // lost; otherwise the run was cancelled or is over
                return;
            }
            catch (Exception e) when (IsTransport(e))
            {
                // The batch is lost on its way (the silo, or the gateway the call went through, failed): send it again,
                // and keep the silo only if it still answers (a gateway shutting down rejects calls to healthy silos too).
                Requeue(batch, silo.Address, e.Message);
                await ProbeAsync(silo, token).ConfigureAwait(false);
                continue;
            }
            if (reply.JobMissing)
            {
                foreach (var i in batch) _pending.Enqueue(i);   // not an attempt: the silo dropped the job from its cache
                if (!await PrepareAsync(silo, token).ConfigureAwait(false)) return;
                continue;
            }
            Deliver(reply);
            if (!reply.Silo.Equals(silo.Address)) Lose(silo, "it left the cluster (its calls are placed elsewhere)");
        }
    }

    /// <summary>The next batch: <see cref="OrleansWorkExecutor.BatchSize"/> items, or as many as fit in the target duration (at most half a fair share of what is left).</summary>
    private int[] Take()
    {
        int size;
        lock (_gate)
        {
            var lanes = Math.Max(1, _silos.Values.Where(s => !s.Lost.IsCancellationRequested).Sum(s => s.Slots));
            size = _options.BatchSize > 0 ? _options.BatchSize
                : double.IsNaN(_secondsPerItem) ? 1
                : (int)Math.Clamp(Math.Min(_options.BatchDuration.TotalSeconds / Math.Max(_secondsPerItem, 1e-9), _remaining / (2.0 * lanes)), 1, int.MaxValue);
        }
        var batch = new List<int>(Math.Min(size, 1024));
        while (batch.Count < size && _pending.TryDequeue(out var i))
            lock (_gate)
                if (!_delivered[i] && !batch.Contains(i)) batch.Add(i);
        return [.. batch];
    }

    private void Deliver(WorkBatchReply reply)
    {
        lock (_gate)
        {
            if (_stopped) return;
            if (reply.Results.Length > 0)
            {
                var seconds = reply.Compute.TotalSeconds / reply.Results.Length;
                _secondsPerItem = double.IsNaN(_secondsPerItem) ? seconds : 0.7 * _secondsPerItem + 0.3 * seconds;
            }
            foreach (var result in reply.Results)
            {
                if (_delivered[result.Index]) continue;   // a batch sent again whose first copy also came back: the same bits
                _delivered[result.Index] = true;
                _remaining--;
                _finished(result);
            }
            if (_remaining == 0) _done.TrySetResult();
        }
    }

    private void Requeue(int[] batch, SiloAddress silo, string reason)
    {
        var again = new List<int>();
        lock (_gate)
        {
            if (_stopped) return;
            foreach (var i in batch.Where(i => !_delivered[i]))
            {
                if (++_attempts[i] >= _options.MaxAttempts)
                {
                    Fail(new IncompleteWorkException($"Item {i} of this {_job.Kind} job was sent {_options.MaxAttempts} times and its silo was lost each time (last: {silo}, {reason}). Check the silos' logs (an item that takes longer than the client's ResponseTimeout is lost every time); rerun with a Checkpoint to keep the finished items.", [i]));
                    return;
                }
                again.Add(i);
            }
        }
        foreach (var i in again) _pending.Enqueue(i);
        if (again.Count > 0) _options.Retried?.Invoke(new WorkRetry(again, silo.ToString(), reason));
    }

    private int[] Missing()
    {
        lock (_gate) return [.. Enumerable.Range(0, _job.Count).Where(i => !_delivered[i])];
    }

    private void Fail(Exception e) => _done.TrySetException(e);

    /// <summary>A failure of the messaging or of a silo (retrying elsewhere helps), not of the work.</summary>
    private static bool IsTransport(Exception e) => e is OrleansException or TimeoutException;
}
