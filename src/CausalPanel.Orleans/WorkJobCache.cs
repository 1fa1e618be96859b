namespace CausalPanel.Orleans;

/// <summary>
/// The jobs a silo has rebuilt (<see cref="WorkJob.FromJson"/>: the panel read and the estimator refitted once per job,
/// not per batch), by <see cref="WorkJob.Hash"/>; the least recently used is dropped beyond <see cref="Capacity"/>
/// (an executor whose job was dropped is told so and sends it again). One per silo, registered by
/// <see cref="WorkSiloBuilderExtensions.AddCausalPanelWorkers"/>.
/// </summary>
public sealed class WorkJobCache(int capacity)
{
    private readonly Dictionary<string, (Lazy<WorkJob> Job, long Used)> _jobs = [];
    private long _clock;

    /// <summary>Jobs kept at most (each holds its panel and fit).</summary>
    public int Capacity { get; } = capacity >= 1 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A silo keeps at least one job.");

    /// <summary>The job <paramref name="hash"/> when it is cached here (rebuilding it if another call is doing so).</summary>
    public WorkJob? Find(string hash)
    {
        Lazy<WorkJob> job;
        lock (_jobs)
        {
            if (!_jobs.TryGetValue(hash, out var entry)) return null;
            _jobs[hash] = (entry.Job, ++_clock);
            job = entry.Job;
        }
        return job.Value;
    }

    /// <summary>
    /// The job <paramref name="hash"/>, rebuilt from <paramref name="json"/> when it is not cached (once, however many
    /// calls ask at the same time).
    /// </summary>
    /// <exception cref="WorkJobMismatchException">The text is not a job, or the job rebuilt here has another hash than <paramref name="hash"/>.</exception>
    public WorkJob GetOrRebuild(string hash, string json, CancellationToken ct)
    {
        Lazy<WorkJob> job;
        lock (_jobs)
        {
            if (!_jobs.TryGetValue(hash, out var entry))
            {
                entry = (new Lazy<WorkJob>(() => Rebuild(hash, json, ct)), 0);
                while (_jobs.Count >= Capacity) _jobs.Remove(_jobs.MinBy(j => j.Value.Used).Key);
            }
            _jobs[hash] = (entry.Job, ++_clock);
            job = entry.Job;
        }
        try
        {
            return job.Value;
        }
        catch
        {
            lock (_jobs)
                if (_jobs.TryGetValue(hash, out var entry) && entry.Job == job) _jobs.Remove(hash);   // a failed or cancelled rebuild is not kept
            throw;
        }
    }

    private static WorkJob Rebuild(string hash, string json, CancellationToken ct)
    {
        var job = WorkJob.FromJson(json, ct);
        return job.Hash == hash ? job
            : throw new WorkJobMismatchException($"The job sent as {hash[..Math.Min(12, hash.Length)]}… was rebuilt on this silo as {job.Hash[..12]}…: the sender's text and hash disagree.");
    }
}
