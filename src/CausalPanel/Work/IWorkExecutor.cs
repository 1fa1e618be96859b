namespace CausalPanel;

/// <summary>
/// Runs the items of a <see cref="WorkJob"/> — variance replicates, simulated panels of a comparison — somewhere: on this
/// machine's cores (<see cref="LocalWorkExecutor"/>, the default), or on other machines (a cluster engine's workers, which
/// compute each item with <see cref="WorkItems.Execute"/>).
/// Every item is a pure function of the job and its index (a replicate draws only from its own stream (seed, index)),
/// so every executor gives bit-identical results.
/// </summary>
public interface IWorkExecutor
{
    /// <summary>
    /// Computes the items <paramref name="items"/> of <paramref name="job"/> in any order, handing each result to
    /// <paramref name="finished"/> as soon as it is known (from any thread, one call at a time is not guaranteed); an
    /// item the estimator refused is a result with its <see cref="WorkItemResult.Failure"/>, not an exception.
    /// </summary>
    /// <exception cref="WorkNotPortableException">The executor needs the job as data and it holds a callback.</exception>
    Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default);
}
