namespace CausalPanel.Numerics;

/// <summary>
/// Exact weighted two-way fixed effects: minimise Σ_it w_it (y_it − α_i − β_t)² over unit
/// effects α and period effects β, with w_it ≥ 0 (w = 0 leaves a cell out). Unit effects are
/// eliminated, α_i = Σ_t w_it (y_it − β_t) / Σ_t w_it, leaving the T×T normal equations
/// <c>A β = r</c> with A = diag(Σ_i w_it) − Σ_i w_i w_iᵀ / Σ_t w_it, a weighted graph Laplacian
/// whose null space holds one constant vector per connected component of the unit–period graph
/// (edges = cells with w &gt; 0). After symmetric diagonal scaling (so that weights spanning many
/// orders of magnitude stay well conditioned), adding the projector on those vectors makes the system
/// positive definite; it is factorised once by Cholesky (allocation-free solves) and solved for as many outcomes as needed,
/// and β is normalised to Σ_{t∈c} β_t = 0 in every component c.
/// (Imputation form of DiD: Borusyak, Jaravel and Spiess 2024, REStud, Theorem 1.)
/// </summary>
internal sealed class TwoWayFixedEffects
{
    private readonly double[] _w;
    private readonly int _n, _t;
    private readonly int[] _component;
    private readonly double[] _factor;      // lower Cholesky factor of the scaled system, row-major t×t
    private readonly double[] _rowWeight;
    private readonly double[] _rhs;
    private readonly double[] _scale;       // S = √diag(A) (1 where the diagonal is 0)
    private readonly int[] _block;          // component of each period, −1 when β_t is pinned to 0
    private readonly double[] _blockSum;    // scratch: Σβ per component
    private readonly int[] _blockCount;     // periods per component

    /// <summary>Rows between checks of the cancellation token in the passes over the cells (a few milliseconds of work at T = 50).</summary>
    internal const int RowsPerCheck = 4096;

    /// <summary>
    /// Factorises the normal equations for the row-major n×t weights <paramref name="w"/> (copied, into
    /// <paramref name="storage"/> when given: a caller's n×t buffer, reused across instances that are not used at once, or the
    /// array behind <paramref name="w"/> itself when the caller leaves it unchanged while this instance is in use),
    /// so that <see cref="Fit"/> costs O(nt + t²) per outcome. The token is checked every <see cref="RowsPerCheck"/> rows.
    /// </summary>
    public TwoWayFixedEffects(ReadOnlySpan<double> w, int n, int t, double[]? storage = null, CancellationToken ct = default)
    {
        (_w, _n, _t) = (storage ?? new double[w.Length], n, t);
        if (!w.Overlaps(_w)) w.CopyTo(_w);   // storage may be w's own array (read in place)
        _component = new int[n + t];
        Components(w, n, t, _component, ct);
        _rowWeight = new double[n];
        _rhs = new double[t];

        // A = diag(Σ_i w_it) − Σ_i w_i w_iᵀ / Σ_t w_it, one rank-one update per distinct row of weights, times the
        // number of units that share it (a balanced staggered panel has one per cohort), so the build costs O(nt)
        // to group the rows plus O(t²) per distinct row; rows with zeros are dense vectors with zeros, which leave
        // the other entries unchanged.
        var a = new double[t * t];          // symmetric, so row- and column-major agree
        var row = new double[t];
        var multiplicity = RowMultiplicity(w, n, t, ct);
        for (var i = 0; i < n; i++)
        {
            if (i % RowsPerCheck == 0) ct.ThrowIfCancellationRequested();
            var wi = w.Slice(i * t, t);
            double total = 0;
            for (var s = 0; s < t; s++)
            {
                row[s] = wi[s] > 0 ? wi[s] : 0;
                total += row[s];
            }
            _rowWeight[i] = total;
            if (total <= 0 || multiplicity[i] == 0) continue;
            var m = multiplicity[i];
            for (var s = 0; s < t; s++)
            {
                if (row[s] == 0) continue;
                a[s * t + s] += m * row[s];
                Blas.AddScaled(a.AsSpan(s * t, t), -m * row[s] / total, row);
            }
        }

        // Symmetric Jacobi scaling, Ã = S⁻¹AS⁻¹ with S = √diag(A): weights that span many orders of
        // magnitude (DWCP's exp(−λ·distance)) then leave Ã well conditioned. Ã's null space is spanned by
        // S·1 on each component; adding the projector on it makes Ã positive definite (the constraint
        // Σ_s A_ss β_s = 0 per component, re-centred to Σ_s β_s = 0 after the solve). A period without
        // weight, or alone in its component, has A_ss = 0 and gets its own projector, pinning β_t = 0.
        _scale = new double[t];
        _block = new int[t];
        for (var s = 0; s < t; s++)
        {
            var positive = a[s * t + s] > 0;
            _scale[s] = positive ? Math.Sqrt(a[s * t + s]) : 1;
            _block[s] = positive ? _component[n + s] : -1;
        }
        for (var s = 0; s < t; s++)
            for (var q = 0; q < t; q++) a[s * t + q] /= _scale[s] * _scale[q];
        _blockSum = new double[n + t];
        var norm = _blockSum;
        for (var s = 0; s < t; s++)
            if (_block[s] >= 0) norm[_block[s]] += _scale[s] * _scale[s];
        for (var s = 0; s < t; s++)
            for (var q = 0; q < t; q++)
                if (s == q && _block[s] < 0) a[s * t + q] += 1;
                else if (_block[s] >= 0 && _block[s] == _block[q]) a[s * t + q] += _scale[s] * _scale[q] / norm[_block[s]];
        _blockCount = new int[n + t];
        foreach (var b in _block)
            if (b >= 0) _blockCount[b]++;
        _factor = Cholesky(a, t);
    }

    /// <summary>
    /// For each row of the row-major n×t weights: the number of rows with exactly its weights if it is the first of
    /// them, else 0.
    /// </summary>
    private static int[] RowMultiplicity(ReadOnlySpan<double> w, int n, int t, CancellationToken ct)
    {
        var multiplicity = new int[n];
        var first = new Dictionary<int, List<int>>();
        for (var i = 0; i < n; i++)
        {
            if (i % RowsPerCheck == 0) ct.ThrowIfCancellationRequested();
            var wi = w.Slice(i * t, t);
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(wi));
            var key = hash.ToHashCode();
            if (!first.TryGetValue(key, out var candidates)) first[key] = candidates = [];
            var same = -1;
            foreach (var c in candidates)
                if (w.Slice(c * t, t).SequenceEqual(wi)) { same = c; break; }
            if (same >= 0) multiplicity[same]++;
            else
            {
                candidates.Add(i);
                multiplicity[i] = 1;
            }
        }
        return multiplicity;
    }

    /// <summary>Solves (Ã + projectors) β̃ = S⁻¹r, sets β = S⁻¹β̃ and centres β within each component.</summary>
    private void SolvePeriods(double[] rhs, Span<double> beta)
    {
        int t = _t;
        for (var s = 0; s < t; s++) rhs[s] /= _scale[s];
        SolveInPlace(_factor, t, rhs);
        Array.Clear(_blockSum);
        for (var s = 0; s < t; s++)
        {
            beta[s] = _block[s] >= 0 ? rhs[s] / _scale[s] : 0;
            if (_block[s] >= 0) _blockSum[_block[s]] += beta[s];
        }
        for (var s = 0; s < t; s++)
            if (_block[s] >= 0) beta[s] -= _blockSum[_block[s]] / _blockCount[_block[s]];
    }

    /// <summary>
    /// Connected component of every unit (first n entries) and period (last t), −1 for a unit or
    /// period without weight; a cell's fitted value α_i + β_t is identified only when its unit and
    /// period share a component.
    /// </summary>
    public ReadOnlySpan<int> Component => _component;

    /// <summary>
    /// Fits α (length n) and β (length t) to the row-major n×t outcomes <paramref name="y"/>
    /// (entries where w = 0 are ignored and may be NaN). The token is checked every <see cref="RowsPerCheck"/> rows.
    /// </summary>
    public void Fit(ReadOnlySpan<double> y, Span<double> alpha, Span<double> beta, CancellationToken ct = default)
    {
        int n = _n, t = _t;
        Array.Clear(_rhs);
        for (var i = 0; i < n; i++)
        {
            if (i % RowsPerCheck == 0) ct.ThrowIfCancellationRequested();
            if (_rowWeight[i] <= 0) continue;
            var wi = _w.AsSpan(i * t, t);
            var yi = y.Slice(i * t, t);
            double weightedSum = 0;
            for (var s = 0; s < t; s++)
                if (wi[s] > 0) weightedSum += wi[s] * yi[s];
            var unitMean = weightedSum / _rowWeight[i];
            for (var s = 0; s < t; s++)
                if (wi[s] > 0) _rhs[s] += wi[s] * (yi[s] - unitMean);
        }
        SolvePeriods(_rhs, beta);

        for (var i = 0; i < n; i++)
        {
            if (i % RowsPerCheck == 0) ct.ThrowIfCancellationRequested();
            if (_rowWeight[i] <= 0) { alpha[i] = 0; continue; }
            double sum = 0;
            for (var s = 0; s < t; s++)
            {
                var ws = _w[i * t + s];
                if (ws > 0) sum += ws * (y[i * t + s] - beta[s]);
            }
            alpha[i] = sum / _rowWeight[i];
        }
    }

    /// <summary>
    /// Solves the normal equations for a general right-hand side: the stationary point of
    /// ½ Σ_it w_it (α_i + β_t)² − Σ_i b_i α_i − Σ_t c_t β_t. With b_i = Σ_t w_it y_it and
    /// c_t = Σ_i w_it y_it it is <see cref="Fit"/>; with the treated cells' ATT weights summed by unit and
    /// by period it gives the adjoint of the imputation, whose α_i + β_t is each untreated cell's weight in
    /// the ATT. Within every component Σ b must equal Σ c (the right-hand side must be identified).
    /// </summary>
    public void Solve(ReadOnlySpan<double> unitRhs, ReadOnlySpan<double> periodRhs, Span<double> alpha, Span<double> beta)
    {
        int n = _n, t = _t;
        var rhs = periodRhs.ToArray();
        for (var i = 0; i < n; i++)
        {
            if (_rowWeight[i] <= 0) continue;
            var share = unitRhs[i] / _rowWeight[i];
            for (var s = 0; s < t; s++) rhs[s] -= _w[i * t + s] * share;
        }
        SolvePeriods(rhs, beta);
        for (var i = 0; i < n; i++)
        {
            if (_rowWeight[i] <= 0) { alpha[i] = 0; continue; }
            var sum = unitRhs[i];
            for (var s = 0; s < t; s++) sum -= _w[i * t + s] * beta[s];
            alpha[i] = sum / _rowWeight[i];
        }
    }

    /// <summary>The lower Cholesky factor of a symmetric positive definite t×t matrix (row-major, overwritten and returned).</summary>
    private static double[] Cholesky(double[] a, int t)
    {
        for (var j = 0; j < t; j++)
        {
            var rowJ = a.AsSpan(j * t, j);
            var pivot = a[j * t + j] - Blas.Dot(rowJ, rowJ);
            if (!(pivot > 0)) throw new InvalidOperationException("The two-way normal equations are not positive definite.");
            var diagonal = Math.Sqrt(pivot);
            a[j * t + j] = diagonal;
            for (var i = j + 1; i < t; i++)
                a[i * t + j] = (a[i * t + j] - Blas.Dot(a.AsSpan(i * t, j), rowJ)) / diagonal;
        }
        for (var i = 0; i < t; i++)
            for (var j = i + 1; j < t; j++) a[i * t + j] = 0;
        return a;
    }

    /// <summary>Solves L Lᵀ x = b in place (b becomes x), without allocating.</summary>
    private static void SolveInPlace(double[] factor, int t, Span<double> b)
    {
        for (var i = 0; i < t; i++)
            b[i] = (b[i] - Blas.Dot(factor.AsSpan(i * t, i), b[..i])) / factor[i * t + i];
        for (var i = t - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var k = i + 1; k < t; k++) sum -= factor[k * t + i] * b[k];
            b[i] = sum / factor[i * t + i];
        }
    }

    /// <summary>Connected components of the bipartite unit–period graph by union–find (the token checked every <see cref="RowsPerCheck"/> rows).</summary>
    public static void Components(ReadOnlySpan<double> w, int n, int t, Span<int> component, CancellationToken ct = default)
    {
        var parent = new int[n + t];
        for (var k = 0; k < parent.Length; k++) parent[k] = k;
        var hasEdge = new bool[n + t];
        for (var i = 0; i < n; i++)
        {
            if (i % RowsPerCheck == 0) ct.ThrowIfCancellationRequested();
            for (var s = 0; s < t; s++)
            {
                if (w[i * t + s] <= 0) continue;
                hasEdge[i] = hasEdge[n + s] = true;
                int a = Find(parent, i), b = Find(parent, n + s);
                if (a != b) parent[a] = b;
            }
        }
        for (var k = 0; k < parent.Length; k++) component[k] = hasEdge[k] ? Find(parent, k) : -1;
    }

    private static int Find(int[] parent, int k)
    {
        while (parent[k] != k) k = parent[k] = parent[parent[k]];
        return k;
    }
}
