using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel.Numerics;

/// <summary>
/// Exact weighted two-way fixed effects: minimise Σ_it w_it (y_it − α_i − β_t)² over unit
/// effects α and period effects β, with w_it ≥ 0 (w = 0 leaves a cell out). Unit effects are
/// eliminated, α_i = Σ_t w_it (y_it − β_t) / Σ_t w_it, leaving the T×T normal equations
/// <c>A β = r</c> with A = diag(Σ_i w_it) − Σ_i w_i w_iᵀ / Σ_t w_it, a weighted graph Laplacian
/// whose null space holds one constant vector per connected component of the unit–period graph
/// (edges = cells with w &gt; 0). Adding the projector on those vectors fixes Σ_{t∈c} β_t = 0 in
/// every component c and makes the system positive definite; it is solved by Cholesky.
/// (Imputation form of DiD: Borusyak, Jaravel and Spiess 2024, REStud, Theorem 1.)
/// </summary>
internal static class TwoWayFixedEffects
{
    /// <summary>
    /// Fits α (length n) and β (length t) to the row-major n×t arrays <paramref name="y"/> and
    /// <paramref name="w"/>. <paramref name="component"/> (length n + t) receives the connected
    /// component of every unit (first n entries) and period (last t), −1 for a unit or period
    /// without weight; a cell's fitted value α_i + β_t is identified only when its unit and period
    /// share a component. Entries of y where w = 0 are ignored (they may be NaN).
    /// </summary>
    public static void Fit(ReadOnlySpan<double> y, ReadOnlySpan<double> w, int n, int t,
        Span<double> alpha, Span<double> beta, Span<int> component)
    {
        Components(w, n, t, component);

        var a = new double[t * t];          // symmetric, so row- and column-major agree
        var r = new double[t];
        var idx = new int[t];
        for (var i = 0; i < n; i++)
        {
            var wi = w.Slice(i * t, t);
            var yi = y.Slice(i * t, t);
            int m = 0;
            double total = 0, weightedSum = 0;
            for (var s = 0; s < t; s++)
            {
                if (wi[s] <= 0) continue;
                idx[m++] = s;
                total += wi[s];
                weightedSum += wi[s] * yi[s];
            }
            if (m == 0) continue;
            var unitMean = weightedSum / total;
            for (var p = 0; p < m; p++)
            {
                var s = idx[p];
                a[s * t + s] += wi[s];
                r[s] += wi[s] * (yi[s] - unitMean);
                var ws = wi[s] / total;
                for (var q = 0; q < m; q++) a[s * t + idx[q]] -= ws * wi[idx[q]];
            }
        }

        // One constant vector per component (isolated periods get their own, pinning β_t = 0).
        double scale = 0;
        for (var s = 0; s < t; s++) scale = Math.Max(scale, a[s * t + s]);
        if (scale == 0) scale = 1;
        for (var s = 0; s < t; s++)
            for (var q = 0; q < t; q++)
                if (component[n + s] == component[n + q] && (component[n + s] >= 0 || s == q))
                    a[s * t + q] += scale;

        var solution = Matrix<double>.Build.Dense(t, t, a).Cholesky().Solve(Vector<double>.Build.Dense(r));
        solution.AsArray().CopyTo(beta);

        for (var i = 0; i < n; i++)
        {
            double total = 0, sum = 0;
            for (var s = 0; s < t; s++)
            {
                var ws = w[i * t + s];
                if (ws <= 0) continue;
                total += ws;
                sum += ws * (y[i * t + s] - beta[s]);
            }
            alpha[i] = total > 0 ? sum / total : 0;
        }
    }

    /// <summary>Connected components of the bipartite unit–period graph by union–find.</summary>
    public static void Components(ReadOnlySpan<double> w, int n, int t, Span<int> component)
    {
        var parent = new int[n + t];
        for (var k = 0; k < parent.Length; k++) parent[k] = k;
        var hasEdge = new bool[n + t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                if (w[i * t + s] <= 0) continue;
                hasEdge[i] = hasEdge[n + s] = true;
                int a = Find(parent, i), b = Find(parent, n + s);
                if (a != b) parent[a] = b;
            }
        for (var k = 0; k < parent.Length; k++) component[k] = hasEdge[k] ? Find(parent, k) : -1;
    }

    private static int Find(int[] parent, int k)
    {
        while (parent[k] != k) k = parent[k] = parent[parent[k]];
        return k;
    }
}
