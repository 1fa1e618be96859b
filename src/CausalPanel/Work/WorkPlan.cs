namespace CausalPanel;

/// <summary>
/// How a job computes its items in this process: the one function every executor's worker runs (locally the method's
/// own closure over the fit; on a remote worker the same closure rebuilt from the job's data).
/// </summary>
internal sealed class WorkPlan(Func<int, CancellationToken, WorkItemResult> item)
{
    [ThreadStatic]
    private static bool t_inItem;

    /// <summary>
    /// Whether this thread is computing a work item (of any job, on any executor): work nested in it — a DWCP fit's
    /// per-cell job inside a variance replicate or a comparison's simulated panel — then runs on this thread rather than
    /// fanning out again from inside a worker.
    /// </summary>
    public static bool InItem => t_inItem;

    /// <summary>
    /// Item <paramref name="index"/>: its result, or a result with the estimator's refusal (so every item runs and the
    /// one reported first does not depend on scheduling).
    /// </summary>
    public WorkItemResult Execute(int index, CancellationToken ct)
    {
        var outer = t_inItem;
        t_inItem = true;
        try
        {
            return item(index, ct) with { Index = index };
        }
        catch (EstimationException e)
        {
            return new WorkItemResult { Index = index, Failure = e.Message };
        }
        finally
        {
            t_inItem = outer;
        }
    }
}
