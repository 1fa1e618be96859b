namespace CausalPanel.Numerics;

/// <summary>
/// Matrix completion with fixed effects and a nuclear-norm penalty (Athey, Bayati, Doudchenko,
/// Imbens and Khosravi 2021, JASA, Eq. 4.2 and §4.3): minimise over (L, u, v)
/// F = (1/|O|) Σ_{(i,t)∈O} (M_it − L_it − u_i − v_t)² + λ‖L‖_*, by the block coordinate descent of
/// R <c>MCPanel</c> (u, then v, then one singular value thresholding step of L with threshold
/// λ|O|/2). Matrices are column-major n×t (rows = units); cells outside the mask never enter.
/// </summary>
internal sealed class NuclearNormRegression
{
    private readonly double[] _m;
    private readonly bool[] _mask;
    private readonly double[] _scratch;
    private readonly SingularValueThresholding _svt;
    private readonly double _negligibleObjective;

    /// <param name="m">Outcomes, column-major n×t (values outside the mask are ignored).</param>
    /// <param name="mask">Cells in the fit.</param>
    /// <param name="n">Rows (units).</param>
    /// <param name="t">Columns (periods).</param>
    /// <param name="estimateUnitEffects">Fit u (else u = 0).</param>
    /// <param name="estimatePeriodEffects">Fit v (else v = 0).</param>
    public NuclearNormRegression(double[] m, bool[] mask, int n, int t, bool estimateUnitEffects, bool estimatePeriodEffects)
    {
        (_m, _mask, Rows, Columns) = (m, mask, n, t);
        EstimateUnitEffects = estimateUnitEffects;
        EstimatePeriodEffects = estimatePeriodEffects;
        ObservedCount = mask.Count(x => x);
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
    }

    public int Rows { get; }
    public int Columns { get; }
    public int ObservedCount { get; }
    public bool EstimateUnitEffects { get; }
    public bool EstimatePeriodEffects { get; }

    /// <summary>A point (L, u, v) with the nuclear norm of L.</summary>
    public sealed class State(int n, int t)
    {
        public double[] L { get; } = new double[n * t];
        public double[] U { get; } = new double[n];
        public double[] V { get; } = new double[t];
        public double NuclearNorm { get; set; }
        public int Rank { get; set; }

        public State Copy()
        {
            var c = new State(U.Length, V.Length) { NuclearNorm = NuclearNorm, Rank = Rank };
            L.CopyTo(c.L, 0);
            U.CopyTo(c.U, 0);
            V.CopyTo(c.V, 0);
            return c;
        }
    }

    /// <summary>F at a state.</summary>
    public double Objective(State s, double lambda) => SquaredError(s, _mask) / ObservedCount + lambda * s.NuclearNorm;

    /// <summary>Σ over the cells of <paramref name="cells"/> of (M − L − u − v)².</summary>
    public double SquaredError(State s, bool[] cells)
    {
        int n = Rows, t = Columns;
        double sum = 0;
        for (var j = 0; j < t; j++)
            for (var i = 0; i < n; i++)
            {
                var k = j * n + i;
                if (!cells[k]) continue;
                var e = s.L[k] + s.U[i] + s.V[j] - _m[k];
                sum += e * e;
            }
        return sum;
    }

    /// <summary>u_i = mean over the unit's cells of M − L − v (0 for a unit without cells).</summary>
    public void UpdateU(State s)
    {
        int n = Rows, t = Columns;
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            var count = 0;
            if (EstimateUnitEffects)
                for (var j = 0; j < t; j++)
                {
                    var k = j * n + i;
                    if (!_mask[k]) continue;
                    sum += s.L[k] + s.V[j] - _m[k];
                    count++;
                }
            s.U[i] = count > 0 ? -sum / count : 0;
        }
    }

    /// <summary>v_t = mean over the period's cells of M − L − u (0 for a period without cells).</summary>
    public void UpdateV(State s)
    {
        int n = Rows, t = Columns;
        for (var j = 0; j < t; j++)
        {
            double sum = 0;
            var count = 0;
            if (EstimatePeriodEffects)
                for (var i = 0; i < n; i++)
                {
                    var k = j * n + i;
                    if (!_mask[k]) continue;
                    sum += s.L[k] + s.U[i] - _m[k];
                    count++;
                }
            s.V[j] = count > 0 ? -sum / count : 0;
        }
    }

    /// <summary>L ← SVT_{λ|O|/2}(P_O(M − L − u − v) + L).</summary>
    public void UpdateL(State s, double lambda)
    {
        int n = Rows, t = Columns;
        for (var j = 0; j < t; j++)
            for (var i = 0; i < n; i++)
            {
                var k = j * n + i;
                _scratch[k] = (_mask[k] ? _m[k] - (s.L[k] + s.U[i] + s.V[j]) : 0) + s.L[k];
            }
        (s.NuclearNorm, s.Rank) = _svt.Apply(_scratch, lambda * ObservedCount / 2);
        _scratch.CopyTo(s.L, 0);
    }

    /// <summary>
    /// MCPanel's <c>NNM_fit</c> from a warm start: up to <paramref name="maxIterations"/> rounds of
    /// (u, v, L); stops when F &lt; 1e-8 (relative to the outcomes' variance) or the relative decrease (F_old − F_new)/F_old lies in
    /// [0, tolerance). Returns the rounds taken and whether a stopping rule fired.
    /// </summary>
    public (int Iterations, bool Converged) Fit(State s, double lambda, int maxIterations, double tolerance)
    {
        var previous = Objective(s, lambda);
        for (var it = 1; it <= maxIterations; it++)
        {
            UpdateU(s);
            UpdateV(s);
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
    /// (F_new − F_old)/F_old ∈ [0, tolerance), so it runs to numerical convergence); returns
    /// λ_max = 2 σ_max(P_O(M − u − v)) / |O|, the smallest penalty at which the first L update is 0.
    /// </summary>
    public double InitialiseEffects(State s, int maxIterations, double tolerance)
    {
        Array.Clear(s.L);
        Array.Clear(s.U);
        Array.Clear(s.V);
        s.NuclearNorm = 0;
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
        for (var j = 0; j < t; j++)
            for (var i = 0; i < n; i++)
            {
                var k = j * n + i;
                _scratch[k] = _mask[k] ? _m[k] - s.U[i] - s.V[j] : 0;
            }
        return 2 * _svt.Largest(_scratch) / ObservedCount;
    }
}
