using System.Security.Cryptography;
using System.Text;

namespace CausalPanel;

/// <summary>
/// A unit of parallel work described by what determines its results: the panel, the estimator and its options, the
/// method and its options (seed, replications, clusters as a unit → cluster map), the statistic — <see cref="Description"/>,
/// whose hash <see cref="Hash"/> names the job in checkpoints and shard files — and <see cref="Count"/> items, item i
/// computed by <see cref="WorkItems.Execute"/>. Variance methods and <see cref="EstimatorComparison"/> build their jobs
/// and hand them to their <see cref="IWorkExecutor"/>.
/// </summary>
public sealed class WorkJob
{
    internal WorkJob(string kind, int count, string description, string? portabilityProblem, WorkPlan plan)
    {
        Kind = kind;
        Count = count;
        Description = description;
        PortabilityProblem = portabilityProblem;
        Plan = plan;
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}\n{count}\n{description}")));
    }

    /// <summary>What the items are: "replicates" (a variance method's), "comparison" (an <see cref="EstimatorComparison"/>'s simulated panels) or "variance comparison" (a <see cref="VarianceComparison"/>'s simulation cells) or "dwcp cells" (a DWCP fit's per-cell fits, <see cref="DwcpOptions.Executor"/>).</summary>
    public string Kind { get; }

    /// <summary>Items 0..Count−1.</summary>
    public int Count { get; }

    /// <summary>Everything the items' results depend on, as text (not the parallelism, progress or executor, which they do not).</summary>
    public string Description { get; }

    /// <summary>SHA-256 of <see cref="Kind"/>, <see cref="Count"/> and <see cref="Description"/> (hex): two runs with the same hash compute the same items.</summary>
    public string Hash { get; }

    /// <summary>
    /// Why the job cannot be described by data alone — an option that is a callback (injected permutations or draws,
    /// an estimator without an options record), which cannot be written to a checkpoint or shard file nor sent to
    /// another machine; null when it can.
    /// </summary>
    public string? PortabilityProblem { get; }

    /// <summary>This process's way of computing the items.</summary>
    internal WorkPlan Plan { get; }

    /// <summary>Writes the job as data (<see cref="WorkJobJson"/>), given its hash.</summary>
    internal Func<string, string>? Writer { get; init; }

    /// <summary>
    /// The job as JSON data for an executor whose workers are other processes or machines: they rebuild it with
    /// <see cref="FromJson"/> (once per job, keyed by <see cref="Hash"/>) and compute items with <see cref="WorkItems.Execute"/>.
    /// A variance job holds the panel, the estimator and its options record, the method and its options (clusters as a
    /// unit → cluster map) and the statistic; a comparison (<see cref="EstimatorComparison"/>, <see cref="VarianceComparison"/>)
    /// its estimators, variance methods, settings and designs, each design's <see cref="FactorModel"/> with every number in
    /// round-trip form; a DWCP per-cell job the standardised outcome, the cells set aside, covariates, donors, λ's and cells,
    /// so the rebuilt job computes the same bits.
    /// </summary>
    /// <exception cref="WorkNotPortableException">The job holds a callback (named).</exception>
    public string ToJson()
    {
        RequirePortable("an executor that sends it to other processes");
        return Writer?.Invoke(Hash) ?? throw new WorkNotPortableException($"This {Kind} job was built without a data form; run it locally.");
    }

    /// <summary>
    /// Rebuilds a job sent by <see cref="ToJson"/>: the panel, the estimator's fit (refitted here, deterministic) and the
    /// method's replicates; its <see cref="Hash"/> equals the sender's.
    /// </summary>
    /// <exception cref="WorkJobMismatchException">The text is not a job, or the job rebuilt here differs from the sender's.</exception>
    public static WorkJob FromJson(string json, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        return WorkJobJson.Read(json, ct);
    }

    /// <summary>Refuses the job for <paramref name="use"/> when it is not describable by data.</summary>
    /// <exception cref="WorkNotPortableException">It holds a callback.</exception>
    public void RequirePortable(string use)
    {
        if (PortabilityProblem is { } problem)
            throw new WorkNotPortableException($"This {Kind} job cannot be used with {use}: {problem} Remove the callback, or run on the local executor without a checkpoint or shard.");
    }

    /// <summary>"replicates job 3f2a…: 200 items".</summary>
    public override string ToString() => $"{Kind} job {Hash[..12]}: {SummaryText.Count(Count, "item")}";
}

/// <summary>The one function that computes a work item, whichever executor runs it.</summary>
public static class WorkItems
{
    /// <summary>
    /// Item <paramref name="index"/> of <paramref name="job"/>: a pure function of the job's description and the index
    /// (a replicate draws only from its own stream (seed, index)), so any executor gives the same bits. An estimator's
    /// refusal is returned as the result's <see cref="WorkItemResult.Failure"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in 0..Count−1.</exception>
    public static WorkItemResult Execute(WorkJob job, int index, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, job.Count);
        return job.Plan.Execute(index, ct);
    }
}
