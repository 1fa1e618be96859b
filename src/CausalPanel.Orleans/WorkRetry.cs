namespace CausalPanel.Orleans;

/// <summary>
/// Items an <see cref="OrleansWorkExecutor"/> sent again because the silo computing them was lost (it stopped, crashed
/// or did not answer its liveness probe in time). Retrying is safe: an item is a pure function of the job and its index.
/// </summary>
/// <param name="Items">The items (0-based) queued again.</param>
/// <param name="Silo">The silo they were on.</param>
/// <param name="Reason">What was seen ("no answer to the liveness probe in 5 s", the exception's message).</param>
public sealed record WorkRetry(IReadOnlyList<int> Items, string Silo, string Reason)
{
    /// <summary>"retried 3 items (4, 5, 6) from silo S127.0.0.1:11112:…: reason".</summary>
    public override string ToString() => $"retried {Items.Count} item{(Items.Count == 1 ? "" : "s")} ({string.Join(", ", Items)}) from silo {Silo}: {Reason}";
}
