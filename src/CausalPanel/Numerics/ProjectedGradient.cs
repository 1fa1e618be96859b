namespace CausalPanel.Numerics;

/// <summary>
/// A converged solver for a <see cref="SimplexProblem"/>: accelerated projected gradient (FISTA,
/// Beck and Teboulle 2009) with adaptive restart (O'Donoghue and Candès 2015) and Euclidean
/// projection onto the simplex (Duchi et al. 2008). It stops when the Frank–Wolfe duality gap
/// gᵀx − min_j g_j of f, an upper bound on f(x) − f*, falls below <c>tolerance · max(1, f(x))</c>,
/// so the returned point is optimal to that certificate rather than "the 10,000th iterate".
/// </summary>
internal static class ProjectedGradient
{
    /// <summary>
    /// Improves <paramref name="x"/> (a point of the simplex) in place; returns (iterations, objective, converged). Checks
    /// <paramref name="ct"/> at every iteration (each costs a few O(nk) products).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public static (int Iterations, double Objective, bool Converged) Solve(SimplexProblem p, Span<double> x, double tolerance = 1e-13, int maxIterations = 200_000,
        CancellationToken ct = default)
    {
        int n = p.Rows, k = p.Columns;
        var ax = new double[n];
        var residual = new double[n];
        var g = new double[k];
        var y = new double[k];
        var previous = new double[k];
        var sorted = new double[k];
        var scale = 2.0 / n;                              // ∇f = (2/n)(Aᵀ(Ax − b) + η x)
        var step = 1 / (scale * (LargestEigenvalue(p) + p.Eta));

        x.CopyTo(y);
        double momentum = 1, objective = double.NaN;
        for (var it = 1; it <= maxIterations; it++)
        {
            ct.ThrowIfCancellationRequested();
            // Certificate at x.
            p.Product(x, ax);
            p.HalfGradient(x, ax, g, residual);
            double gx = 0, gmin = double.PositiveInfinity;
            for (var j = 0; j < k; j++) { gx += g[j] * x[j]; gmin = Math.Min(gmin, g[j]); }
            objective = p.Objective(x, ax);
            if (scale * (gx - gmin) <= tolerance * Math.Max(1, objective)) return (it - 1, objective, true);

            // Gradient step from the extrapolated point y, then projection.
            p.Product(y, ax);
            p.HalfGradient(y, ax, g, residual);
            x.CopyTo(previous);
            for (var j = 0; j < k; j++) x[j] = y[j] - step * scale * g[j];
            ProjectOntoSimplex(x, sorted);

            // Restart when the momentum points uphill; otherwise extrapolate.
            double uphill = 0;
            for (var j = 0; j < k; j++) uphill += (y[j] - x[j]) * (x[j] - previous[j]);
            var next = uphill > 0 ? 1 : (1 + Math.Sqrt(1 + 4 * momentum * momentum)) / 2;
            var beta = uphill > 0 ? 0 : (momentum - 1) / next;
            momentum = next;
            for (var j = 0; j < k; j++) y[j] = x[j] + beta * (x[j] - previous[j]);
        }
        return (maxIterations, objective, false);
    }

    /// <summary>Euclidean projection onto {x ≥ 0, Σx = 1} (sort-based, Duchi et al. 2008).</summary>
    internal static void ProjectOntoSimplex(Span<double> x, Span<double> scratch)
    {
        x.CopyTo(scratch);
        scratch[..x.Length].Sort();
        double cumulative = 0, theta = 0;
        for (var r = x.Length - 1; r >= 0; r--)
        {
            cumulative += scratch[r];
            var candidate = (cumulative - 1) / (x.Length - r);
            if (r == 0 || scratch[r - 1] <= candidate) { theta = candidate; break; }
        }
        for (var j = 0; j < x.Length; j++) x[j] = Math.Max(0, x[j] - theta);
    }

    /// <summary>λ_max(AᵀA) by power iteration (a slight overestimate is safe for the step size).</summary>
    private static double LargestEigenvalue(SimplexProblem p)
    {
        int n = p.Rows, k = p.Columns;
        var v = new double[k];
        var av = new double[n];
        Array.Fill(v, 1 / Math.Sqrt(k));
        double lambda = 0;
        for (var it = 0; it < 100; it++)
        {
            p.Product(v, av);
            double norm = 0;
            for (var j = 0; j < k; j++)
            {
                var a = p.Column(j);
                double s = 0;
                for (var i = 0; i < n; i++) s += a[i] * av[i];
                v[j] = s;
                norm += s * s;
            }
            norm = Math.Sqrt(norm);
            if (norm == 0) return 0;
            for (var j = 0; j < k; j++) v[j] /= norm;
            if (Math.Abs(norm - lambda) <= 1e-10 * norm) { lambda = norm; break; }
            lambda = norm;
        }
        return lambda * 1.01;
    }
}
