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

    /// <summary>Workspace sized for a problem, reused across runs so that the loop does not allocate.</summary>
    public sealed class Workspace(int rows, int columns)
    {
        /// <summary>A x for the current x.</summary>
        internal readonly double[] Product = new double[rows];
        internal readonly double[] Gradient = new double[columns];
    }

    /// <summary>Improves <paramref name="x"/> (a point of the simplex) in place.</summary>
    public static Run Solve(SimplexProblem p, Span<double> x, double minDecrease, int maxIterations, Workspace? workspace = null)
    {
        workspace ??= new Workspace(p.Rows, p.Columns);
        var ax = workspace.Product.AsSpan(0, p.Rows);
        var g = workspace.Gradient.AsSpan(0, p.Columns);
        var threshold = minDecrease * minDecrease;
        double previous = double.NaN, current = double.NaN;
        var t = 0;
        p.Product(x, ax);   // kept up to date for the current x: the same numbers R recomputes at each step
        while (t < maxIterations && (t < 2 || previous - current > threshold))
        {
            t++;
            Step(p, x, ax, g);
            p.Product(x, ax);
            previous = current;
            current = p.Objective(x, ax);
        }
        return new Run(t, current, t >= maxIterations && !(previous - current <= threshold));
    }

    /// <summary>One step from x (synthdid's <c>fw.step</c>); leaves A x of the new x in the workspace.</summary>
    public static void StepOnce(SimplexProblem p, Span<double> x, Workspace workspace)
    {
        var ax = workspace.Product.AsSpan(0, p.Rows);
        p.Product(x, ax);
        Step(p, x, ax, workspace.Gradient.AsSpan(0, p.Columns));
        p.Product(x, ax);
    }

    /// <summary>One exact-line-search step from x, given ax = A x; <paramref name="g"/> is scratch.</summary>
    private static void Step(SimplexProblem p, Span<double> x, Span<double> ax, Span<double> g)
    {
        p.HalfGradient(x, ax, g);
        var i = 0;
        for (var j = 1; j < g.Length; j++)
            if (g[j] < g[i]) i = j;

        // Direction d = e_i − x; stop if x is already the vertex.
        var atVertex = true;
        for (var j = 0; j < x.Length && atVertex; j++)
            atVertex = x[j] == (j == i ? 1.0 : 0.0);
        if (atVertex) return;

        // step = −g·d / (‖A_i − A x‖² + η‖d‖²).
        double gd = 0, dd = 0;
        for (var j = 0; j < x.Length; j++)
        {
            var d = (j == i ? 1.0 : 0.0) - x[j];
            gd += g[j] * d;
            dd += d * d;
        }
        var a = p.Column(i);
        double ee = 0;
        for (var row = 0; row < p.Rows; row++)
        {
            var e = a[row] - ax[row];
            ee += e * e;
        }
        // A flat direction (all columns equal, no ridge) gives 0/0, where R returns NaN: take no
        // step if f does not decrease along d, the whole step if it decreases linearly.
        var curvature = ee + p.Eta * dd;
        var step = curvature > 0 ? Math.Min(1, Math.Max(0, -gd / curvature)) : gd < 0 ? 1 : 0;
        for (var j = 0; j < x.Length; j++)
            x[j] += step * ((j == i ? 1.0 : 0.0) - x[j]);
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
