namespace CausalPanel.Numerics;

/// <summary>
/// What one worker of a parallel replicate run reuses across the fits it runs: the Frank–Wolfe workspace with its vertex
/// cache, and DWCP's weighted low-rank workspace. A variance run so holds one per worker instead of allocating (and zeroing, and growing by copies) one per
/// weight solve, which on a 5,000 × 100 panel cost more than the solves. Ambient per thread between <see cref="Enter"/>
/// and the scope's end; outside a run every solve allocates its own. Reuse never changes results: a solve overwrites
/// whatever it reads.
/// </summary>
internal sealed class WorkerScratch
{
    [ThreadStatic]
    private static WorkerScratch? t_current;

    private FrankWolfe.Workspace? _frankWolfe;
    private WeightedLowRankRegression.Workspace? _lowRank;

    /// <summary>
    /// A Frank–Wolfe workspace for a problem of <paramref name="rows"/> × <paramref name="columns"/>: the current worker's
    /// (one solve at a time), or a new one outside a run.
    /// </summary>
    public static FrankWolfe.Workspace FrankWolfe(int rows, int columns) =>
        t_current is { } s ? (s._frankWolfe ??= new(rows, columns)).Fit(rows, columns) : new(rows, columns);

    /// <summary>
    /// A weighted low-rank workspace for an <paramref name="n"/> × <paramref name="t"/> panel with the regressors
    /// <paramref name="x"/> (DWCP's per-cell fits): the current worker's, kept while the sizes stay the same, or a new one
    /// outside a run.
    /// </summary>
    public static WeightedLowRankRegression.Workspace LowRank(int n, int t, IReadOnlyList<double[]>? x)
    {
        if (t_current is not { } s) return new(n, t, x);
        if (s._lowRank is not { } w || w.Size != n * t || w.Covariates != (x?.Count ?? 0)) s._lowRank = w = new(n, t, x);
        return w;
    }

    /// <summary>Makes this the current thread's scratch until the returned scope is disposed (then the previous one is back).</summary>
    public Scope Enter()
    {
        var scope = new Scope(t_current);
        t_current = this;
        return scope;
    }

    /// <summary>Restores the scratch that was current before <see cref="Enter"/>.</summary>
    public readonly struct Scope(WorkerScratch? previous) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose() => t_current = previous;
    }
}
