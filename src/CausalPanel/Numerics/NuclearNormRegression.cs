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
/// </summary>
internal sealed class NuclearNormRegression
{
    private readonly double[] _m;
    private readonly bool[] _mask;
    private readonly double[] _scratch;
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

    /// <summary>A fresh state of this problem's size.</summary>
    public State NewState() => new(Rows, Columns, CovariateCount);

    public int Rows { get; }
    public int Columns { get; }
    public int ObservedCount { get; }
    public bool EstimateUnitEffects { get; }
    public bool EstimatePeriodEffects { get; }

    /// <summary>A point (L, u, v, β) with the nuclear norm of L.</summary>
    public sealed class State(int n, int t, int covariates = 0)
    {
        public double[] L { get; } = new double[n * t];
        public double[] U { get; } = new double[n];
        public double[] V { get; } = new double[t];
        /// <summary>Covariate coefficients β (empty without covariates).</summary>
        public double[] Beta { get; } = new double[covariates];
        /// <summary>M − Σ_k β_k X̃_k on every cell, the outcome the other blocks fit (null without covariates: M itself).</summary>
        public double[]? Adjusted { get; } = covariates > 0 ? new double[n * t] : null;
        public double NuclearNorm { get; set; }
        public int Rank { get; set; }
    }

    /// <summary>F at a state.</summary>
    public double Objective(State s, double lambda) => SquaredError(s, _mask) / ObservedCount + lambda * s.NuclearNorm;

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

    /// <summary>u_i = mean over the unit's cells of M − L − v (− Xβ) (0 for a unit without cells).</summary>
    public void UpdateU(State s)
    {
        int n = Rows, t = Columns;
        var m = s.Adjusted ?? _m;
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            var count = 0;
            if (EstimateUnitEffects)
                for (var j = 0; j < t; j++)
                {
                    var k = j * n + i;
                    if (!_mask[k]) continue;
                    sum += s.L[k] + s.V[j] - m[k];
                    count++;
                }
            s.U[i] = count > 0 ? -sum / count : 0;
        }
    }

    /// <summary>v_t = mean over the period's cells of M − L − u (− Xβ) (0 for a period without cells).</summary>
    public void UpdateV(State s)
    {
        int n = Rows, t = Columns;
        var m = s.Adjusted ?? _m;
        for (var j = 0; j < t; j++)
        {
            double sum = 0;
            var count = 0;
            if (EstimatePeriodEffects)
                for (var i = 0; i < n; i++)
                {
                    var k = j * n + i;
                    if (!_mask[k]) continue;
                    sum += s.L[k] + s.U[i] - m[k];
                    count++;
                }
            s.V[j] = count > 0 ? -sum / count : 0;
        }
    }

    /// <summary>
    /// β ← G⁺ X̃ᵀ P_O(M − L): least squares of the current residual on the covariates over the mask (X̃ is orthogonal to
    /// u and v there, so they drop out); then the adjusted outcome M − X̃β. Nothing without covariates.
    /// </summary>
    public void UpdateBeta(State s)
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
    }

    /// <summary>L ← SVT_{λ|O|/2}(P_O(M − L − u − v (− Xβ)) + L).</summary>
    public void UpdateL(State s, double lambda)
    {
        int n = Rows, t = Columns;
        var m = s.Adjusted ?? _m;
        for (var j = 0; j < t; j++)
            for (var i = 0; i < n; i++)
            {
                var k = j * n + i;
                _scratch[k] = (_mask[k] ? m[k] - (s.L[k] + s.U[i] + s.V[j]) : 0) + s.L[k];
            }
        (s.NuclearNorm, s.Rank) = _svt.Apply(_scratch, lambda * ObservedCount / 2);
        _scratch.CopyTo(s.L, 0);
    }

    /// <summary>
    /// MCPanel's <c>NNM_fit</c> from a warm start: up to <paramref name="maxIterations"/> rounds of
    /// (u, v, β, L); stops when F &lt; 1e-8 (relative to the outcomes' variance) or the relative decrease (F_old − F_new)/F_old lies in
    /// [0, tolerance). Returns the rounds taken and whether a stopping rule fired.
    /// </summary>
    public (int Iterations, bool Converged) Fit(State s, double lambda, int maxIterations, double tolerance)
    {
        var previous = Objective(s, lambda);
        for (var it = 1; it <= maxIterations; it++)
        {
            UpdateU(s);
            UpdateV(s);
            UpdateBeta(s);
            UpdateL(s, lambda);
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
    /// which the first L update is 0.
    /// </summary>
    public double InitialiseEffects(State s, int maxIterations, double tolerance)
    {
        Array.Clear(s.L);
        Array.Clear(s.U);
        Array.Clear(s.V);
        s.NuclearNorm = 0;
        UpdateBeta(s);   // at L = 0 β does not depend on u, v
        var previous = Objective(s, 0);
        for (var it = 0; it < maxIterations; it++)
        {
            UpdateU(s);
            UpdateV(s);
            var current = Objective(s, 0);
            var relative = (current - previous) / previous;
            if (relative < tolerance && relative >= 0) break;
            previous = current;
        }
        int n = Rows, t = Columns;
        var m = s.Adjusted ?? _m;
        for (var j = 0; j < t; j++)
            for (var i = 0; i < n; i++)
            {
                var k = j * n + i;
                _scratch[k] = _mask[k] ? m[k] - s.U[i] - s.V[j] : 0;
            }
        return 2 * _svt.Largest(_scratch) / ObservedCount;
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
    }
}
