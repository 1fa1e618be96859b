namespace CausalPanel;

/// <summary>
/// A job that holds a callback (injected permutations or draws, an estimator without an options record) was asked to
/// travel as data: to a checkpoint or shard file, or to a remote executor.
/// </summary>
public sealed class WorkNotPortableException(string message) : CausalPanelException(message);

/// <summary>
/// A checkpoint or shard file belongs to another job (its job hash differs: other data, estimator, options, seed or
/// replications), or shard files to be merged belong to different jobs; the message names the files.
/// </summary>
public sealed class WorkJobMismatchException(string message) : CausalPanelException(message);

/// <summary>
/// A run ended with items not computed — a shard's run leaves the other shards' items, a merge lacks a shard's file —
/// and <see cref="Missing"/> names them (0-based item indices).
/// </summary>
public sealed class IncompleteWorkException(string message, IReadOnlyList<int> missing) : CausalPanelException(message)
{
    /// <summary>The items not computed (0-based indices).</summary>
    public IReadOnlyList<int> Missing { get; } = missing;
}
