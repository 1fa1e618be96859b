using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CausalPanel.Numerics;

/// <summary>
/// Matrix completion with fixed effects and a nuclear-norm penalty (Athey, Bayati, Doudchenko,
/// Imbens and Khosravi 2021, JASA, Eq. 4.2 and §4.3): minimise over (L, u, v)
/// F = (1/|O|) Σ_{(i,t)∈O} (M_it − L_it − u_i − v_t)² + λ‖L‖_*, by the block coordinate descent of
/// R <c>MCPanel</c> (u, then v, then one singular value thresholding step of L with threshold
/// λ|O|/2). Matrices are column-major n×t (rows = units); cells outside the mask never enter.
/// With covariates, the model is their §8 one with cell covariates, M_it = L_it + u_i + v_t + Σ_k β_k X_kit
/// with β unpenalised, and β is one more block of the descent (after v): least squares on the current residual
/// over the mask. The covariates enter residualised on the effects over the mask (<see cref="UnpenalisedRegressors"/>),
/// which reparametrises u and v only (undone by <see cref="ExpressInCovariates"/>) and decouples β from them, so
/// the β step is one product with a C×C matrix factorised once.
/// <para>
/// A round costs two vectorised passes over the cells besides the thresholding: the v step finishes each column's sum
/// and builds that column of P = P_O(M − L − u − v) + L (the matrix the L step thresholds, in place; the result then
/// becomes L by a swap of arrays), and the objective's pass sums each row's residuals as well, which is all the next u
/// step needs (u_i ← u_i − Σ_t e_it / |O_i|). The mask is carried by the target itself (NaN off the mask), so a pass
/// reads two arrays. The sums round differently from MCPanel's loops (by ulps of the sums).
/// </para>
/// </summary>
internal sealed class NuclearNormRegression
{
    private readonly double[] _m;
    private readonly bool[] _mask;
    private readonly double[] _target;        // the outcome the blocks fit (M, or M − X̃β) on the mask, NaN elsewhere
    private readonly double[] _rowCounts, _columnCounts;
    private double[] _scratch;                // P, which becomes the state's L after thresholding (arrays swapped)
    private readonly SingularValueThresholding _svt;
    private readonly double _negligibleObjective;
    private readonly UnpenalisedRegressors? _covariates;
    private readonly double[][]? _x;          // covariates residualised on the effects, column-major
    private readonly double[]? _products;     // scratch of UpdateBeta

    /// <param name="m">Outcomes, column-major n×t (values outside the mask are ignored).</param>
    /// <param name="mask">Cells in the fit.</param>
    /// <param name="n">Rows (units).</param>
    /// <param name="t">Columns (periods).</param>
    /// <param name="estimateUnitEffects">Fit u (else u = 0).</param>
    /// <param name="estimatePeriodEffects">Fit v (else v = 0).</param>
    /// <param name="x">Covariates, row-major n×t in the same row order (finite wherever the mask is set), or null.</param>
    public NuclearNormRegression(double[] m, bool[] mask, int n, int t, bool estimateUnitEffects, bool estimatePeriodEffects, IReadOnlyList<double[]>? x = null)
    {
        (_m, _mask, Rows, Columns) = (m, mask, n, t);
        EstimateUnitEffects = estimateUnitEffects;
        EstimatePeriodEffects = estimatePeriodEffects;
        ObservedCount = mask.Count(observed => observed);
        // MCPanel stops when F < 1e-8; measured against the outcomes' variance here, so that rescaling the outcomes
        // rescales the fit instead of changing where it stops (outcomes near unit variance stop as MCPanel does).
        double sum = 0, squares = 0;
        for (var k = 0; k < m.Length; k++)
            if (mask[k]) sum += m[k];
        var mean = ObservedCount > 0 ? sum / ObservedCount : 0;
        for (var k = 0; k < m.Length; k++)
            if (mask[k]) squares += (m[k] - mean) * (m[k] - mean);
        _negligibleObjective = ObservedCount > 0 ? 1e-8 * squares / ObservedCount : 0;   // two passes: no cancellation for shifted outcomes
        _target = new double[n * t];
        (_rowCounts, _columnCounts) = (new double[n], new double[t]);
        for (var j = 0; j < t; j++)
            for (var i = 0; i < n; i++)
            {
                var k = j * n + i;
                _target[k] = mask[k] ? m[k] : double.NaN;
                if (!mask[k]) continue;
                _rowCounts[i]++;
                _columnCounts[j]++;
            }
        _scratch = new double[n * t];
        _svt = new SingularValueThresholding(n, t);
        if (x is null || x.Count == 0) return;

        // Residualise the covariates on the effects over the mask (row-major, as the kernel works), then keep them column-major.
        var weights = new double[n * t];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < t; j++) weights[i * t + j] = mask[j * n + i] ? 1 : 0;
        _covariates = new UnpenalisedRegressors(x, weights, n, t, estimateUnitEffects, estimatePeriodEffects);
        _x = new double[x.Count][];
        for (var c = 0; c < x.Count; c++)
        {
            var (rowMajor, columnMajor) = (_covariates.Residuals[c], _x[c] = new double[n * t]);
            for (var i = 0; i < n; i++)
                for (var j = 0; j < t; j++) columnMajor[j * n + i] = rowMajor[i * t + j];
        }
        _products = new double[x.Count];
    }

    /// <summary>Number of covariates (0 without).</summary>
    public int CovariateCount => _x?.Length ?? 0;

    /// <summary>A fresh state of this problem's size (L = <paramref name="l"/>, taken over, or 0).</summary>
    public State NewState(double[]? l = null) => new(Rows, Columns, CovariateCount, l);

    public int Rows { get; }
    public int Columns { get; }
    public int ObservedCount { get; }
    public bool EstimateUnitEffects { get; }
    public bool EstimatePeriodEffects { get; }

    /// <summary>A point (L, u, v, β) with the nuclear norm of L.</summary>
    public sealed class State(int n, int t, int covariates = 0, double[]? l = null)
    {
        /// <summary>The low-rank part (the array is replaced by each thresholding step; read it after fitting).</summary>
        public double[] L { get; internal set; } = l ?? new double[n * t];
        public double[] U { get; } = new double[n];
        public double[] V { get; } = new double[t];
        /// <summary>Covariate coefficients β (empty without covariates).</summary>
        public double[] Beta { get; } = new double[covariates];
        /// <summary>M − Σ_k β_k X̃_k on every cell, the outcome the other blocks fit (null without covariates: M itself).</summary>
        public double[]? Adjusted { get; } = covariates > 0 ? new double[n * t] : null;
        public double NuclearNorm { get; set; }
        public int Rank { get; set; }

        /// <summary>Σ over the mask of the squared residuals at (L, u, v), NaN when (L, u, v) changed since.</summary>
        internal double Squares { get; set; } = double.NaN;

        /// <summary>Each row's sum of residuals over the mask, valid with <see cref="Squares"/>.</summary>
        internal double[] RowResiduals { get; } = new double[n];

        /// <summary>Marks the cached residual sums stale.</summary>
        internal void Invalidate() => Squares = double.NaN;
    }

    /// <summary>F at a state.</summary>
    public double Objective(State s, double lambda)
    {
        if (double.IsNaN(s.Squares)) SumResiduals(s);
        return s.Squares / ObservedCount + lambda * s.NuclearNorm;
    }

    /// <summary>Σ over the cells of <paramref name="cells"/> of (M − L − u − v − Xβ)².</summary>
    public double SquaredError(State s, bool[] cells)
    {
        int n = Rows, t = Columns;
        var m = s.Adjusted ?? _m;
        double sum = 0;
        for (var j = 0; j < t; j++)
            for (var i = 0; i < n; i++)
            {
                var k = j * n + i;
                if (!cells[k]) continue;
                var e = s.L[k] + s.U[i] + s.V[j] - m[k];
                sum += e * e;
            }
        return sum;
    }

    /// <summary>The squared residuals and each row's residuals summed over the mask, in one pass.</summary>
    private void SumResiduals(State s)
    {
        var rows = s.RowResiduals;
        Array.Clear(rows);
        double squares = 0;
        for (var j = 0; j < Columns; j++) squares += ResidualColumn(Column(_target, j), Column(s.L, j), s.U, s.V[j], rows);
        s.Squares = squares;
    }

    /// <summary>u_i = mean over the unit's cells of M − L − v (− Xβ) (0 for a unit without cells), from the row sums of the residuals.</summary>
    private void UpdateU(State s)
    {
        if (!EstimateUnitEffects) return;   // u stays 0
        if (double.IsNaN(s.Squares)) SumResiduals(s);
        for (var i = 0; i < Rows; i++) s.U[i] = _rowCounts[i] > 0 ? s.U[i] - s.RowResiduals[i] / _rowCounts[i] : 0;
        s.Invalidate();
    }

    /// <summary>
    /// v_t = mean over the period's cells of M − L − u (− Xβ) (0 for a period without cells); with
    /// <paramref name="project"/>, then that column of P_O(M − L − u − v (− Xβ)) + L into the scratch matrix.
    /// </summary>
    private void UpdateV(State s, bool project)
    {
        var n = Rows;
        for (var j = 0; j < Columns; j++)
        {
            var target = Column(_target, j);
            var l = Column(s.L, j);
            if (EstimatePeriodEffects) s.V[j] = _columnCounts[j] > 0 ? -ColumnResidualSum(target, l, s.U) / _columnCounts[j] : 0;
            if (project) Project(_scratch.AsSpan(j * n, n), target, l, s.U, s.V[j]);
        }
        s.Invalidate();
    }

    /// <summary>
    /// β ← G⁺ X̃ᵀ P_O(M − L): least squares of the current residual on the covariates over the mask (X̃ is orthogonal to
    /// u and v there, so they drop out); then the adjusted outcome M − X̃β, on every cell and as the target on the mask.
    /// Nothing without covariates.
    /// </summary>
    private void UpdateBeta(State s)
    {
        if (_x is null) return;
        int n = Rows, t = Columns;
        for (var c = 0; c < _x.Length; c++)
        {
            var xc = _x[c];
            double sum = 0;
            for (var k = 0; k < _m.Length; k++)
                if (_mask[k]) sum += xc[k] * (_m[k] - s.L[k]);
            _products![c] = sum;
        }
        _covariates!.Coefficients(_products, s.Beta);
        var adjusted = s.Adjusted!;
        _m.CopyTo(adjusted, 0);
        for (var c = 0; c < _x.Length; c++)
        {
            var (xc, beta) = (_x[c], s.Beta[c]);
            for (var k = 0; k < n * t; k++) adjusted[k] -= beta * xc[k];
        }
        for (var k = 0; k < n * t; k++) _target[k] = _mask[k] ? adjusted[k] : double.NaN;
        s.Invalidate();
    }

    /// <summary>P_O(M − L − u − v (− Xβ)) + L into the scratch matrix (when the v step did not build it).</summary>
    private void ProjectAll(State s)
    {
        var n = Rows;
        for (var j = 0; j < Columns; j++) Project(_scratch.AsSpan(j * n, n), Column(_target, j), Column(s.L, j), s.U, s.V[j]);
    }

    /// <summary>L ← SVT_{λ|O|/2}(P), P the scratch matrix built by the v step or <see cref="ProjectAll"/>.</summary>
    private void ThresholdL(State s, double lambda, CancellationToken ct)
    {
        (s.NuclearNorm, s.Rank) = _svt.Apply(_scratch, lambda * ObservedCount / 2, ct);
        (s.L, _scratch) = (_scratch, s.L);
        s.Invalidate();
    }

    /// <summary>
    /// MCPanel's <c>NNM_fit</c> from a warm start: up to <paramref name="maxIterations"/> rounds of
    /// (u, v, β, L); stops when F &lt; 1e-8 (relative to the outcomes' variance) or the relative decrease (F_old − F_new)/F_old lies in
    /// [0, tolerance). Returns the rounds taken and whether a stopping rule fired. The token is checked every round.
    /// </summary>
    public (int Iterations, bool Converged) Fit(State s, double lambda, int maxIterations, double tolerance, CancellationToken ct = default)
    {
        var previous = Objective(s, lambda);
        for (var it = 1; it <= maxIterations; it++)
        {
            ct.ThrowIfCancellationRequested();
            UpdateU(s);
            UpdateV(s, project: _x is null);
            if (_x is not null)
            {
                UpdateBeta(s);
                ProjectAll(s);
            }
            ThresholdL(s, lambda, ct);
            var current = Objective(s, lambda);
            var relative = (previous - current) / previous;
            if (current < _negligibleObjective || (relative < tolerance && relative >= 0)) return (it, true);
            previous = current;
        }
        return (maxIterations, false);
    }

    /// <summary>
    /// MCPanel's <c>initialize_uv</c>: with L = 0, alternate u and v updates (its stopping test uses
    /// (F_new − F_old)/F_old ∈ [0, tolerance), so it runs to numerical convergence), after fitting β at L = 0
    /// when there are covariates; returns λ_max = 2 σ_max(P_O(M − u − v (− Xβ))) / |O|, the smallest penalty at
    /// which the first L update is 0. The token is checked every round.
    /// </summary>
    public double InitialiseEffects(State s, int maxIterations, double tolerance, CancellationToken ct = default)
    {
        Array.Clear(s.L);
        Array.Clear(s.U);
        Array.Clear(s.V);
        s.NuclearNorm = 0;
        s.Invalidate();
        UpdateBeta(s);   // at L = 0 β does not depend on u, v
        var previous = Objective(s, 0);
        for (var it = 0; it < maxIterations; it++)
        {
            ct.ThrowIfCancellationRequested();
            UpdateU(s);
            UpdateV(s, project: false);
            var current = Objective(s, 0);
            var relative = (current - previous) / previous;
            if (relative < tolerance && relative >= 0) break;
            previous = current;
        }
        ProjectAll(s);   // L = 0: P = P_O(M − u − v (− Xβ))
        return 2 * _svt.Largest(_scratch, ct) / ObservedCount;
    }

    /// <summary>
    /// Rewrites u and v of a state fitted with the residualised covariates so that the state describes
    /// L + u + v + Σ_k β_k X_k with the covariates as given: X̃_k = X_k − a_k,i − b_k,t, so u_i −= Σ β_k a_k,i and
    /// v_t −= Σ β_k b_k,t. Nothing without covariates.
    /// </summary>
    public void ExpressInCovariates(State s)
    {
        if (_covariates is null) return;
        for (var c = 0; c < _covariates.Count; c++)
        {
            var (a, b, beta) = (_covariates.UnitParts[c], _covariates.PeriodParts[c], s.Beta[c]);
            for (var i = 0; i < Rows; i++) s.U[i] -= beta * a[i];
            for (var j = 0; j < Columns; j++) s.V[j] -= beta * b[j];
        }
        s.Invalidate();
    }

    private ReadOnlySpan<double> Column(double[] a, int j) => a.AsSpan(j * Rows, Rows);

    /// <summary>
    /// One column's residuals e_i = L_i + u_i + c − M_i on the mask (M_i not NaN): adds each to its row's sum and
    /// returns Σ e_i².
    /// </summary>
    private static double ResidualColumn(ReadOnlySpan<double> target, ReadOnlySpan<double> l, ReadOnlySpan<double> u, double c, Span<double> rows)
    {
        var i = 0;
        double squares = 0;
        var n = l.Length;
        if (Vector256.IsHardwareAccelerated && target.Length == n && u.Length == n && rows.Length == n)
        {
            ref var rt = ref MemoryMarshal.GetReference(target);
            ref var rl = ref MemoryMarshal.GetReference(l);
            ref var ru = ref MemoryMarshal.GetReference(u);
            ref var rr = ref MemoryMarshal.GetReference(rows);
            var (acc0, acc1, vc) = (Vector256<double>.Zero, Vector256<double>.Zero, Vector256.Create(c));
            for (; i + 8 <= n; i += 8)
            {
                nuint a = (nuint)i, b = a + 4;
                var m0 = Vector256.LoadUnsafe(ref rt, a);
                var m1 = Vector256.LoadUnsafe(ref rt, b);
                var e0 = Vector256.ConditionalSelect(Vector256.Equals(m0, m0), Vector256.LoadUnsafe(ref rl, a) + Vector256.LoadUnsafe(ref ru, a) + vc - m0, default);
                var e1 = Vector256.ConditionalSelect(Vector256.Equals(m1, m1), Vector256.LoadUnsafe(ref rl, b) + Vector256.LoadUnsafe(ref ru, b) + vc - m1, default);
                acc0 = Vector256.FusedMultiplyAdd(e0, e0, acc0);
                acc1 = Vector256.FusedMultiplyAdd(e1, e1, acc1);
                (Vector256.LoadUnsafe(ref rr, a) + e0).StoreUnsafe(ref rr, a);
                (Vector256.LoadUnsafe(ref rr, b) + e1).StoreUnsafe(ref rr, b);
            }
            squares = Vector256.Sum(acc0 + acc1);
        }
        for (; i < n; i++)
        {
            if (double.IsNaN(target[i])) continue;
            var e = l[i] + u[i] + c - target[i];
            rows[i] += e;
            squares += e * e;
        }
        return squares;
    }

    /// <summary>Σ_i (L_i + u_i − M_i) over the mask of a column.</summary>
    private static double ColumnResidualSum(ReadOnlySpan<double> target, ReadOnlySpan<double> l, ReadOnlySpan<double> u)
    {
        var i = 0;
        double sum = 0;
        var n = l.Length;
        if (Vector256.IsHardwareAccelerated && target.Length == n && u.Length == n)
        {
            ref var rt = ref MemoryMarshal.GetReference(target);
            ref var rl = ref MemoryMarshal.GetReference(l);
            ref var ru = ref MemoryMarshal.GetReference(u);
            var (acc0, acc1) = (Vector256<double>.Zero, Vector256<double>.Zero);
            for (; i + 8 <= n; i += 8)
            {
                nuint a = (nuint)i, b = a + 4;
                var m0 = Vector256.LoadUnsafe(ref rt, a);
                var m1 = Vector256.LoadUnsafe(ref rt, b);
                acc0 += Vector256.ConditionalSelect(Vector256.Equals(m0, m0), Vector256.LoadUnsafe(ref rl, a) + Vector256.LoadUnsafe(ref ru, a) - m0, default);
                acc1 += Vector256.ConditionalSelect(Vector256.Equals(m1, m1), Vector256.LoadUnsafe(ref rl, b) + Vector256.LoadUnsafe(ref ru, b) - m1, default);
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; i < n; i++)
            if (!double.IsNaN(target[i])) sum += l[i] + u[i] - target[i];
        return sum;
    }

    /// <summary>p_i = (M_i − L_i − u_i − c) on the mask, 0 elsewhere, plus L_i: a column of P_O(M − L − u − v) + L.</summary>
    private static void Project(Span<double> p, ReadOnlySpan<double> target, ReadOnlySpan<double> l, ReadOnlySpan<double> u, double c)
    {
        var i = 0;
        var n = p.Length;
        if (Vector256.IsHardwareAccelerated && target.Length == n && l.Length == n && u.Length == n)
        {
            ref var rp = ref MemoryMarshal.GetReference(p);
            ref var rt = ref MemoryMarshal.GetReference(target);
            ref var rl = ref MemoryMarshal.GetReference(l);
            ref var ru = ref MemoryMarshal.GetReference(u);
            var vc = Vector256.Create(c);
            for (; i + 4 <= n; i += 4)
            {
                var a = (nuint)i;
                var m = Vector256.LoadUnsafe(ref rt, a);
                var li = Vector256.LoadUnsafe(ref rl, a);
                var e = m - (li + Vector256.LoadUnsafe(ref ru, a) + vc);
                (Vector256.ConditionalSelect(Vector256.Equals(m, m), e, default) + li).StoreUnsafe(ref rp, a);
            }
        }
        for (; i < n; i++) p[i] = (double.IsNaN(target[i]) ? 0 : target[i] - (l[i] + u[i] + c)) + l[i];
    }
}
