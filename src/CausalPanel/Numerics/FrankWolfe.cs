using static CausalPanel.Numerics.Blas;

namespace CausalPanel.Numerics;

/// <summary>
/// Frank–Wolfe with exact line search on a <see cref="SimplexProblem"/>, step for step as R
/// <c>synthdid</c>'s <c>fw.step</c>/<c>sc.weight.fw</c> (Arkhangelsky et al. 2021, Appendix; Frank
/// and Wolfe 1956): the vertex is the <em>first</em> index of the smallest half-gradient entry,
/// the step is the exact minimiser along the segment clipped to [0, 1], and the loop runs at least
/// two steps and stops at the first step that lowers f by no more than minDecrease² (note the
/// square) or after maxIterations steps. The loop allocates nothing.
/// </summary>
internal static class FrankWolfe
{
    /// <summary>Outcome of a run.</summary>
    /// <param name="Iterations">Steps taken.</param>
    /// <param name="Objective">f at the returned x.</param>
    /// <param name="HitCap">True when the run stopped at maxIterations rather than by the decrease rule.</param>
    public readonly record struct Run(int Iterations, double Objective, bool HitCap);

    /// <summary>
    /// Workspace for problems of up to a given size, reused across runs so that the loop does not allocate, and across
    /// the fits of one replicate worker (<see cref="WorkerScratch"/>), so that a variance run allocates the vertex cache
    /// once per worker rather than once per weight solve.
    /// </summary>
    public sealed class Workspace(int rows, int columns)
    {
        /// <summary>A x for the current x.</summary>
        internal double[] Product = new double[rows];

        /// <summary>Aᵀ(A x − b) for the current x (the half-gradient without the ridge term).</summary>
        internal double[] Gradient = new double[columns];

        /// <summary>Where M_i = Aᵀ(A_i − b) of vertex i sits in <see cref="Cache"/> (−1: not computed in this run).</summary>
        internal int[] Slot = new int[columns];

        /// <summary>M_i of the vertices visited so far, <c>columns</c> entries each; grows by doubling up to the problem's <see cref="CacheLimit"/>.</summary>
        internal double[] Cache = new double[columns * Math.Min(columns, 16)];

        /// <summary>A x − b, and M_i when the cache is full.</summary>
        internal double[] Residual = new double[rows];
        internal double[] Scratch = new double[columns];

        internal int Cached;

        /// <summary>Vertex gradients M_i computed so far (each a pass over A): the solver checks the token after each.</summary>
        internal long VertexPasses;

        /// <summary>‖x‖² for the current x, updated along each step.</summary>
        internal double SquaredNorm;

        /// <summary>This workspace, grown where needed to hold a problem of <paramref name="rows"/> × <paramref name="columns"/> (contents are not kept).</summary>
        internal Workspace Fit(int rows, int columns)
        {
            static void Grow<T>(ref T[] a, int length)
            {
                if (a.Length < length) a = new T[length];
            }
            Grow(ref Product, rows);
            Grow(ref Residual, rows);
            Grow(ref Gradient, columns);
            Grow(ref Slot, columns);
            Grow(ref Scratch, columns);
            return this;
        }

        internal void Reset()
        {
            Array.Fill(Slot, -1);
            Cached = 0;
        }
    }

    /// <summary>
    /// Largest vertex cache, in doubles (128 MB): beyond it M_i is recomputed at each visit (O(nk)), so
    /// memory stays bounded for tens of thousands of control units.
    /// </summary>
    internal const int MaxCacheEntries = 16 << 20;

    /// <summary>Vertex cache a problem may always use, in doubles (8 MB).</summary>
    private const int MinCacheEntries = 1 << 20;

    /// <summary>
    /// The vertex cache a problem may grow. When <see cref="MaxCacheEntries"/> holds at least 1,024 vertices (k ≤ 16,384)
    /// it may grow to that: Frank–Wolfe revisits many vertices (on the 5,000 × 100 unit placebo's unit-weight problems,
    /// 4,000 controls, a full cache measured ~25% less CPU than one of 262 vertices). With more columns it would hold a
    /// small share of them and be several times the panel itself (100,000 × 50: 128 MB against 45 MB of outcomes and
    /// treatment), so it is bounded by the problem's own data [A | b] (at least <see cref="MinCacheEntries"/>).
    /// </summary>
    private static long CacheLimit(SimplexProblem p) => p.Columns <= MaxCacheEntries / 1024 ? MaxCacheEntries
        : Math.Min(MaxCacheEntries, Math.Max(MinCacheEntries, (long)p.Rows * (p.Columns + 1)));

    /// <summary>Steps between exact recomputations of A x and the gradient (bounds the drift of the updates).</summary>
    private const int Refresh = 1024;

    /// <summary>
    /// Steps between checks of the cancellation token (a step costs O(n + k)); a step that computed a vertex's M_i, a pass
    /// over A (O(nk): tens of milliseconds with 100,000 controls), is followed by a check as well.
    /// </summary>
    private const int CancellationInterval = 64;

    /// <summary>
    /// Improves <paramref name="x"/> (a point of the simplex) in place. Each step costs O(n + k), not
    /// O(nk): A x and Aᵀ(A x − b) are updated along the step with the column A_i and M_i = Aᵀ(A_i − b) of
    /// the chosen vertex (M_i computed once per vertex visited; Frank–Wolfe visits few), and recomputed
    /// exactly every <see cref="Refresh"/> steps. Checks <paramref name="ct"/> every <see cref="CancellationInterval"/> steps.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public static Run Solve(SimplexProblem p, Span<double> x, double minDecrease, int maxIterations, Workspace? workspace = null, CancellationToken ct = default)
    {
        workspace = (workspace ?? new Workspace(p.Rows, p.Columns)).Fit(p.Rows, p.Columns);
        workspace.Reset();
        var ax = workspace.Product.AsSpan(0, p.Rows);
        var g = workspace.Gradient.AsSpan(0, p.Columns);
        var threshold = minDecrease * minDecrease;
        double previous = double.NaN, current = double.NaN;
        var t = 0;
        var passes = workspace.VertexPasses;
        p.Product(x, ax);
        p.ResidualGradient(ax, g, workspace.Residual);
        workspace.SquaredNorm = SimplexProblem.SumOfSquares(x);
        while (t < maxIterations && (t < 2 || previous - current > threshold))
        {
            t++;
            if (t % CancellationInterval == 0 || workspace.VertexPasses != passes)
            {
                ct.ThrowIfCancellationRequested();
                passes = workspace.VertexPasses;
            }
            Step(p, x, ax, g, workspace);
            if (t % Refresh == 0)
            {
                p.Product(x, ax);
                p.ResidualGradient(ax, g, workspace.Residual);
                workspace.SquaredNorm = SimplexProblem.SumOfSquares(x);
            }
            previous = current;
            current = p.Objective(workspace.SquaredNorm, ax);
        }
        return new Run(t, current, t >= maxIterations && !(previous - current <= threshold));
    }

    /// <summary>One step from x (synthdid's <c>fw.step</c>); leaves the exact A x of the new x in the workspace.</summary>
    public static void StepOnce(SimplexProblem p, Span<double> x, Workspace workspace)
    {
        workspace.Fit(p.Rows, p.Columns).Reset();
        var ax = workspace.Product.AsSpan(0, p.Rows);
        var g = workspace.Gradient.AsSpan(0, p.Columns);
        p.Product(x, ax);
        p.ResidualGradient(ax, g, workspace.Residual);
        workspace.SquaredNorm = SimplexProblem.SumOfSquares(x);
        Step(p, x, ax, g, workspace);
        p.Product(x, ax);
    }

    /// <summary>
    /// One exact-line-search step from x, given ax = A x and g = Aᵀ(A x − b); updates all three.
    /// The vertex is the first index of the smallest g_j + η x_j.
    /// </summary>
    private static void Step(SimplexProblem p, Span<double> x, Span<double> ax, Span<double> g, Workspace workspace)
    {
        var eta = p.Eta;
        var xx = workspace.SquaredNorm;
        var i = 0;
        var best = double.PositiveInfinity;
        double gx = 0;                                   // (g + ηx)·x
        for (var j = 0; j < g.Length; j++)
        {
            var gj = g[j] + eta * x[j];
            gx += gj * x[j];
            if (gj < best) (i, best) = (j, gj);
        }

        // Direction d = e_i − x; stop if x is already the vertex (x_i = 1 is checked first: it rarely holds).
        if (x[i] == 1.0)
        {
            var atVertex = true;
            for (var j = 0; j < x.Length && atVertex; j++)
                atVertex = j == i || x[j] == 0.0;
            if (atVertex) return;
        }

        // step = −(g + ηx)·d / (‖A_i − A x‖² + η‖d‖²), with (g + ηx)·d = g̃_i − g̃·x and ‖d‖² = 1 − 2x_i + ‖x‖².
        var gd = best - gx;
        var dd = 1 - 2 * x[i] + xx;
        var a = p.Column(i);
        double ee = 0;
        for (var row = 0; row < p.Rows; row++)
        {
            var e = a[row] - ax[row];
            ee += e * e;
        }
        // A flat direction (all columns equal, no ridge) gives 0/0, where R returns NaN: take no
        // step if f does not decrease along d, the whole step if it decreases linearly.
        var curvature = ee + eta * dd;
        var step = curvature > 0 ? Math.Min(1, Math.Max(0, -gd / curvature)) : gd < 0 ? 1 : 0;
        if (step == 0) return;
        workspace.SquaredNorm = (1 - step) * (1 - step) * xx + 2 * step * (1 - step) * x[i] + step * step;
        var xi = x[i];
        MoveTowards(x, step);                    // x ← x + step (0 − x), then x_i by the same formula with 1
        x[i] = xi + step * (1.0 - xi);
        MoveTowards(ax, step, a);
        MoveTowards(g, step, VertexGradient(p, i, workspace));
    }

    /// <summary>M_i = Aᵀ(A_i − b), from the cache or computed (and cached while the cache has room).</summary>
    private static ReadOnlySpan<double> VertexGradient(SimplexProblem p, int i, Workspace w)
    {
        int k = p.Columns;
        if (w.Slot[i] >= 0) return w.Cache.AsSpan(w.Slot[i] * k, k);
        Span<double> target;
        if ((long)(w.Cached + 1) * k <= w.Cache.Length) target = w.Cache.AsSpan(w.Cached * k, k);
        else if ((long)(w.Cached + 1) * k <= CacheLimit(p))
        {
            // A reused workspace may hold a cache sized for narrower problems: grow to at least the entry needed.
            var grown = new double[Math.Min(Math.Max(2L * w.Cache.Length, (w.Cached + 1L) * k), CacheLimit(p))];
            w.Cache.AsSpan(0, w.Cached * k).CopyTo(grown);
            w.Cache = grown;
            target = w.Cache.AsSpan(w.Cached * k, k);
        }
        else
        {
            var scratch = w.Scratch.AsSpan(0, k);
            p.ResidualGradient(p.Column(i), scratch, w.Residual);
            w.VertexPasses++;
            return scratch;
        }
        w.Slot[i] = w.Cached++;
        p.ResidualGradient(p.Column(i), target, w.Residual);
        w.VertexPasses++;
        return target;
    }

    /// <summary>synthdid's sparsify: entries ≤ max/4 become 0, the rest are renormalised to sum 1.</summary>
    public static void Sparsify(Span<double> x)
    {
        double max = double.NegativeInfinity;
        foreach (var e in x) max = Math.Max(max, e);
        double sum = 0;
        for (var j = 0; j < x.Length; j++)
        {
            if (x[j] <= max / 4) x[j] = 0;
            sum += x[j];
        }
        for (var j = 0; j < x.Length; j++) x[j] /= sum;
    }
}
