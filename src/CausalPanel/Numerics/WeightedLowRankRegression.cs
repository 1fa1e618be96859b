namespace CausalPanel.Numerics;

/// <summary>
/// Weighted two-way fixed effects plus a nuclear-norm-penalised low-rank term:
/// minimise F(α, β, L) = Σ_it v_it (Y_it − α_i − β_t − L_it)² + λ‖L‖_* with per-cell weights v ≥ 0
/// (Athey, Imbens, Qu and Viviano 2025, Eq. 2; with v ∈ {0, 1} it is MC-NNM, Athey et al. 2021,
/// Eq. 4.2, with λ = λ_MC·|O|). Profiling out (α, β) exactly (<see cref="TwoWayFixedEffects"/>)
/// leaves g(L) + λ‖L‖_*, with g smooth and 2·max v-Lipschitz; it is minimised by accelerated
/// proximal gradient (FISTA, Beck and Teboulle 2009) with function and gradient restart (O'Donoghue
/// and Candès 2015): a step is L ← SVT(L̃ + (2/Lₖ) v ⊙ (Y − α − β − L̃), λ/Lₖ) from the extrapolated L̃, with Lₖ ≤ 2 max v
/// found by backtracking (a fit started from an earlier one begins at half its Lₖ); the thresholding may be inexact while
/// L still moves by much more than the tolerance, and convergence is declared only on an exact step from L itself.
/// Row-major n×t arrays. λ = +∞ (no low-rank term) is the exact weighted TWFE fit. Optional
/// unpenalised regressors X_1..X_C add Σ_c γ_c X_c,it to the fit (TROP's covariates, Athey et al. 2025, §6.2,
/// Eq. 14: L = Xb + R with only R penalised), profiled with the fixed effects by Frisch–Waugh–Lovell
/// (<see cref="UnpenalisedRegressors"/>): given L, γ is a weighted least-squares step on the residual. DWCP's block
/// mode puts W first, so that γ_0 is its scalar τ.
/// </summary>
internal sealed class WeightedLowRankRegression
{
    private readonly double[] _y;       // outcomes, 0 where v = 0 (so that every loop runs over finite numbers)
    private readonly double[] _v;
    private readonly double[] _share;   // v / max v
    private readonly int _n, _t;
    private readonly double _maxWeight;
    private readonly TwoWayFixedEffects _fixedEffects;
    private readonly double[] _residual;   // scratch of FitEffects, EffectsResidual and Loss
    private readonly Workspace _work;
    private readonly bool _sharedResult;   // a caller's workspace: cold fits return its Result
    private readonly SingularValueThresholding _svt;
    private readonly IReadOnlyList<double[]>? _x;
    private readonly UnpenalisedRegressors? _regressors;

    /// <param name="y">Outcomes, row-major n×t (ignored where v = 0; may be NaN there).</param>
    /// <param name="v">Weights ≥ 0.</param>
    /// <param name="n">Rows (units).</param>
    /// <param name="t">Columns (periods).</param>
    /// <param name="x">Optional unpenalised regressors (row-major n×t, finite everywhere: their fitted part enters every cell).</param>
    /// <param name="warm">What an earlier fit of a nearby problem of the same size left (see <see cref="WarmStart"/>), or null.</param>
    /// <param name="workspace">
    /// The n×t scratch of the calling worker, reused by its successive fits (see <see cref="Workspace"/>); null to allocate
    /// this fit's own.
    /// </param>
    public WeightedLowRankRegression(double[] y, double[] v, int n, int t, IReadOnlyList<double[]>? x = null, WarmStart? warm = null,
        Workspace? workspace = null)
    {
        (_v, _n, _t, _x) = (v, n, t, x is { Count: > 0 } ? x : null);
        _sharedResult = workspace is not null;
        _work = workspace ?? new Workspace(n, t, _x);
        if (_work.Size != n * t || _work.Covariates != (_x?.Count ?? 0)) throw new ArgumentException("The workspace is for another size.", nameof(workspace));
        _maxWeight = v.Max();
        (_y, _share) = (_work.Outcomes, _work.Shares);
        for (var k = 0; k < _y.Length; k++)
            (_y[k], _share[k]) = v[k] > 0 ? (y[k], v[k] / _maxWeight) : (0, 0);
        _fixedEffects = new TwoWayFixedEffects(v, n, t, _work.EffectWeights);
        _residual = _work.Residual;
        // Row-major n×t is column-major t×n. A warm thresholder keeps the singular vectors of its last call.
        _svt = warm is null ? new SingularValueThresholding(t, n) : warm.Thresholder ??= new SingularValueThresholding(t, n);
        if (_x is not null) _regressors = new UnpenalisedRegressors(_x, v, n, t, effects: _fixedEffects);
    }

    /// <summary>Components of units then periods, as <see cref="TwoWayFixedEffects.Component"/>.</summary>
    public ReadOnlySpan<int> Component => _fixedEffects.Component;

    /// <summary>A solution (α, β, L, γ) with ‖L‖_*, its rank and how the solve ended.</summary>
    /// <param name="n">Rows.</param>
    /// <param name="t">Columns.</param>
    /// <param name="x">The regressors, if any.</param>
    /// <param name="l">The array to hold L (row-major n×t, kept as it is), or null for a new one of zeros.</param>
    public sealed class Solution(int n, int t, IReadOnlyList<double[]>? x = null, double[]? l = null)
    {
        public double[] Alpha { get; } = new double[n];
        /// <summary>γ, the coefficients of the optional regressors (empty without).</summary>
        public double[] Gamma { get; } = new double[x?.Count ?? 0];
        public double[] Beta { get; } = new double[t];
        public double[] L { get; } = l ?? new double[n * t];
        public double NuclearNorm { get; set; }
        public int Rank { get; set; }
        public double Objective { get; set; }
        public int Iterations { get; set; }
        public bool Converged { get; set; }
        /// <summary>
        /// Lₖ / (2 max v) of the solver's step 1/Lₖ: where the next fit started from this one begins its backtracking (it
        /// starts at half of it, so that it can also shrink).
        /// </summary>
        public double StepShare { get; set; } = 1;
        /// <summary>False when the weights leave a regressor's coefficient unidentified (<see cref="UnpenalisedRegressors.Identified"/>; it then gets γ = 0).</summary>
        public bool RegressorsIdentified { get; set; } = true;
        /// <summary>Components of the positive-weight graph (units then periods), set by callers that need them.</summary>
        public int[]? Component { get; set; }

        /// <summary>α_i + β_t + L_it (+ Σ_c γ_c X_c,it).</summary>
        public double Fitted(int i, int s)
        {
            var k = i * Beta.Length + s;
            var fitted = Alpha[i] + Beta[s] + L[k];
            for (var c = 0; c < Gamma.Length; c++) fitted += Gamma[c] * x![c][k];
            return fitted;
        }
    }

    /// <summary>
    /// The n×t arrays one worker's successive fits of one size reuse, so that a sequence of fits allocates no panel-sized
    /// array after the first (peak memory ≈ workers × one fit's scratch): the caller's weight buffer <see cref="Weights"/>,
    /// the solver's copies of the outcomes, weight shares and effect weights, its residual and step scratch, and
    /// <see cref="Result"/>, the solution of fits without a start (valid until the worker's next fit). One thread at a time.
    /// </summary>
    /// <param name="n">Rows.</param>
    /// <param name="t">Columns.</param>
    /// <param name="x">The regressors the fits will use, if any (only their count matters here).</param>
    public sealed class Workspace(int n, int t, IReadOnlyList<double[]>? x = null)
    {
        private double[]? _previous, _extrapolated, _step, _gradient, _coldL;
        private Solution? _probe, _result;

        internal int Size => n * t;
        internal int Covariates => x?.Count ?? 0;
        /// <summary>A buffer for the caller to build a fit's weights v in (row-major n×t, every entry written).</summary>
        public double[] Weights { get; } = new double[n * t];
        internal double[] Outcomes { get; } = new double[n * t];
        internal double[] Shares { get; } = new double[n * t];
        internal double[] EffectWeights { get; } = new double[n * t];
        internal double[] Residual { get; } = new double[n * t];
        internal double[] Previous => _previous ??= new double[n * t];
        internal double[] Extrapolated => _extrapolated ??= new double[n * t];
        internal double[] Step => _step ??= new double[n * t];
        internal double[] Gradient => _gradient ??= new double[n * t];
        internal Solution Probe => _probe ??= new Solution(n, t, x);

        /// <summary>
        /// A warm start without history (L = 0, no thresholder yet), as a new <see cref="WarmStart"/> would be, but whose L
        /// lives in this workspace: the fits it starts allocate no n×t array. One at a time per workspace.
        /// </summary>
        public WarmStart ColdStart()
        {
            Array.Clear(_coldL ??= new double[n * t]);
            return new WarmStart { L = _coldL };
        }

        /// <summary>The solution of a fit without a start, reset to L = 0.</summary>
        internal Solution Result()
        {
            if (_result is null) return _result = new Solution(n, t, x);
            Array.Clear(_result.L);
            (_result.NuclearNorm, _result.Rank, _result.Objective, _result.Iterations, _result.Converged) = (0, 0, 0, 0, false);
            (_result.RegressorsIdentified, _result.Component, _result.StepShare) = (true, null, 1);
            return _result;
        }
    }

    /// <summary>
    /// What successive fits of nearby problems of one size hand on (e.g. one target at neighbouring λ's): the
    /// last low-rank part (the next fit starts from it and overwrites it in place), its nuclear norm, and the thresholder
    /// holding its singular vectors. One thread at a time.
    /// </summary>
    public sealed class WarmStart
    {
        public double[]? L { get; set; }
        public double NuclearNorm { get; set; }
        public SingularValueThresholding? Thresholder { get; set; }
        /// <summary>The last fit's <see cref="Solution.StepShare"/>.</summary>
        public double StepShare { get; set; } = 1;
    }

    /// <summary>
    /// <see cref="Solve(double, Solution?, int, double, CancellationToken)"/> from <paramref name="warm"/>'s low-rank part (L = 0 if it has
    /// none, or without <paramref name="warm"/>), recording this fit's in it. λ = ∞ leaves it unchanged.
    /// </summary>
    public Solution Solve(double lambda, WarmStart? warm, int maxIterations, double tolerance, CancellationToken ct = default)
    {
        if (warm is null || double.IsPositiveInfinity(lambda)) return Solve(lambda, (Solution?)null, maxIterations, tolerance, ct);
        // No L yet: a cold start, L = 0, in the array that will hold this fit's L for the next.
        var start = new Solution(_n, _t, _x, warm.L ??= new double[_n * _t]) { NuclearNorm = warm.NuclearNorm, StepShare = warm.StepShare / 2 };
        var fit = Solve(lambda, start, maxIterations, tolerance, ct);
        (warm.L, warm.NuclearNorm, warm.StepShare) = (fit.L, fit.NuclearNorm, fit.StepShare);
        return fit;
    }

    /// <summary>λ_max = 2 σ_max(v ⊙ R⁰), R⁰ the weighted-TWFE residual at L = 0: for λ ≥ λ_max, L̂ = 0.</summary>
    public double LambdaMax()
    {
        var start = _work.Result();
        FitEffects(start);
        EffectsResidual(start);
        for (var k = 0; k < _residual.Length; k++) _residual[k] *= _v[k];
        return 2 * _svt.Largest(_residual);
    }

    /// <summary>
    /// Minimises F for penalty <paramref name="lambda"/> from <paramref name="start"/> (warm start;
    /// overwritten with the solution; its <see cref="Solution.StepShare"/> is where the backtracking starts, 1 = the
    /// fixed step 1/(2 max v)). Stops when, on an exactly thresholded step from L itself (no extrapolation), the relative
    /// decrease of F is below <paramref name="tolerance"/> and L moved by less than tolerance·(1 + ‖L‖_max),
    /// or after <paramref name="maxIterations"/> steps. The token is checked every step and inside the thresholding
    /// (between its sweeps and blocks of rows), so a cancelled fit stops within one step's work. Without a start, the
    /// solution is a new one, or the workspace's <see cref="Workspace.Result"/> when the solver was given a workspace.
    /// </summary>
    public Solution Solve(double lambda, Solution? start = null, int maxIterations = 5000, double tolerance = 1e-10, CancellationToken ct = default)
    {
        var x = start ?? (_sharedResult ? _work.Result() : new Solution(_n, _t, _x));
        x.RegressorsIdentified = _regressors?.Identified ?? true;
        if (double.IsPositiveInfinity(lambda) || _maxWeight <= 0)
        {
            Array.Clear(x.L);
            x.NuclearNorm = 0;
            x.Rank = 0;
            FitEffects(x);
            x.Objective = Loss(x);
            (x.Iterations, x.Converged) = (0, true);
            return x;
        }

        int size = _n * _t;
        var (previousL, extrapolated, probe, step) = (_work.Previous, _work.Extrapolated, _work.Probe, _work.Step);
        x.L.CopyTo(previousL, 0);
        x.L.CopyTo(extrapolated, 0);
        FitEffects(x);
        if (x.NuclearNorm == 0 && x.L.Any(e => e != 0)) x.NuclearNorm = NuclearNorm(x.L);
        x.Objective = Loss(x) + lambda * x.NuclearNorm;
        double momentum = 1;
        var plain = true;   // the next step starts from L (no extrapolation)
        // Step 1/Lₖ with Lₖ ≤ 2 max v, the Lipschitz constant of ∇g (see below).
        var cap = 2 * _maxWeight;
        var lipschitz = cap * Math.Clamp(x.StepShare, double.Epsilon, 1);
        double accuracy = 0;   // of this step's thresholding: 0 = exact (see below)
        var gradient = _work.Gradient;
        for (var it = 1; it <= maxIterations; it++)
        {
            ct.ThrowIfCancellationRequested();
            // Gradient step at the extrapolated point L̃, with (α, β) profiled out there: ∇g(L̃) = −2 v ⊙ e,
            // e = y − α − β − L̃ (0 where v = 0); the step is L̃ + (2/Lₖ) v ⊙ e, which is L̃ where v = 0.
            extrapolated.CopyTo(probe.L, 0);
            FitEffects(probe);
            EffectsResidual(probe);
            double loss = 0;   // g(L̃), then g at the accepted step
            for (var k = 0; k < size; k++)
            {
                var e = _share[k] > 0 ? _residual[k] - extrapolated[k] : 0;
                gradient[k] = e;
                loss += _v[k] * e * e;
            }
            double norm;
            int rank;
            while (true)
            {
                // Backtracking (Beck and Teboulle 2009, §4): g's Lipschitz constant is at most 2 max v, but with the
                // effects profiled out and weights that decay fast it is often far smaller, and FISTA's rate improves
                // with the square root of the step. Lₖ starts below the bound and doubles until the quadratic upper
                // bound g(L⁺) ≤ g(L̃) + ⟨∇g(L̃), L⁺ − L̃⟩ + Lₖ/2 ‖L⁺ − L̃‖² holds (always at Lₖ = 2 max v). Every
                // accepted step is a proximal gradient step, so the fixed point is the same minimiser.
                var gain = cap / lipschitz;
                for (var k = 0; k < size; k++) step[k] = extrapolated[k] + gain * _share[k] * gradient[k];
                (norm, rank) = _svt.Apply(step, lambda / lipschitz, ct, accuracy);
                step.CopyTo(probe.L, 0);
                FitEffects(probe);
                var trialLoss = Loss(probe);
                if (lipschitz >= cap) { loss = trialLoss; break; }
                double linear = 0, quadratic = 0;
                for (var k = 0; k < size; k++)
                {
                    var d = step[k] - extrapolated[k];
                    linear -= 2 * _v[k] * gradient[k] * d;
                    quadratic += d * d;
                }
                var bound = loss + linear + lipschitz / 2 * quadratic;
                if (trialLoss <= bound + 1e-12 * Math.Abs(loss)) { loss = trialLoss; break; }
                lipschitz = Math.Min(cap, 2 * lipschitz);
                ct.ThrowIfCancellationRequested();
            }

            x.L.CopyTo(previousL, 0);
            var oldObjective = x.Objective;
            step.CopyTo(x.L, 0);
            probe.Alpha.CopyTo(x.Alpha, 0);
            probe.Beta.CopyTo(x.Beta, 0);
            probe.Gamma.CopyTo(x.Gamma, 0);
            (x.NuclearNorm, x.Rank) = (norm, rank);
            x.Objective = loss + lambda * norm;

            double moved = 0, largest = 0;
            var l = x.L;
            for (var k = 0; k < size; k++)
            {
                moved = Math.Max(moved, Math.Abs(l[k] - previousL[k]));
                largest = Math.Max(largest, Math.Abs(l[k]));
            }
            var decrease = (oldObjective - x.Objective) / Math.Max(Math.Abs(oldObjective), double.Epsilon);
            // A stall only proves a fixed point when the step started from L itself: from an extrapolated
            // point, prox(L̃) = L can hold while a plain step from L still moves, so restart and confirm.
            var stalled = decrease >= 0 && decrease < tolerance && moved <= tolerance * (1 + largest);
            if (stalled && plain && accuracy == 0)
            {
                (x.Iterations, x.Converged, x.StepShare) = (it, true, lipschitz / cap);
                return x;
            }

            // FISTA extrapolation, restarted when the objective went up or the step turned against the
            // momentum, ⟨L̃ − L⁺, L⁺ − L⟩ > 0 (O'Donoghue and Candès 2015, function and gradient restart).
            double against = 0;
            for (var k = 0; k < size; k++) against += (extrapolated[k] - l[k]) * (l[k] - previousL[k]);
            var restart = stalled || x.Objective > oldObjective || against > 0;
            var next = restart ? 1 : (1 + Math.Sqrt(1 + 4 * momentum * momentum)) / 2;
            var weight = restart ? 0 : (momentum - 1) / next;
            momentum = next;
            plain = weight == 0;
            // While L still moves by more than 100 × tolerance (relative), the next thresholding need only be accurate to
            // a thousandth of that move: a proximal gradient method with errors that shrink geometrically converges as
            // the exact one (Schmidt, Le Roux and Bach 2011), and a Jacobi SVD stopped early saves sweeps. The steps that
            // can end the fit (L moving by less) threshold exactly, so the fixed point is the exact method's.
            var relativeMove = moved / (1 + largest);
            accuracy = relativeMove > 100 * tolerance ? Math.Min(1e-6, 1e-3 * relativeMove) : 0;
            for (var k = 0; k < size; k++) extrapolated[k] = l[k] + weight * (l[k] - previousL[k]);
        }
        (x.Iterations, x.Converged, x.StepShare) = (maxIterations, false, lipschitz / cap);
        return x;
    }

    /// <summary>(α, β, γ) minimising the weighted loss for the current L.</summary>
    private void FitEffects(Solution x)
    {
        var l = x.L;
        for (var k = 0; k < _residual.Length; k++) _residual[k] = _y[k] - l[k];
        _fixedEffects.Fit(_residual, x.Alpha, x.Beta);
        if (_regressors is null) return;
        // γ = G⁺ X̃ᵀV R with X̃ the regressors' two-way residuals: X̃ is orthogonal to the effects, so R needs no fit
        // first. The effects of R − Σ γ_c X_c are, by linearity, those of R minus Σ γ_c times those of X_c.
        _regressors.Solve(_residual, x.Gamma);
        for (var c = 0; c < x.Gamma.Length; c++)
        {
            var (unit, period, gamma) = (_regressors.UnitParts[c], _regressors.PeriodParts[c], x.Gamma[c]);
            for (var i = 0; i < _n; i++) x.Alpha[i] -= gamma * unit[i];
            for (var s = 0; s < _t; s++) x.Beta[s] -= gamma * period[s];
        }
    }

    /// <summary>_residual ← y − α − β (− Σ γ_c X_c), the outcome net of the unpenalised part (0 − … where v = 0).</summary>
    private void EffectsResidual(Solution x)
    {
        var (r, beta) = (_residual, x.Beta);
        for (var i = 0; i < _n; i++)
        {
            var alpha = x.Alpha[i];
            var row = i * _t;
            for (var s = 0; s < _t; s++) r[row + s] = _y[row + s] - alpha - beta[s];
        }
        if (_x is null) return;
        for (var c = 0; c < x.Gamma.Length; c++)
        {
            var (xc, gamma) = (_x[c], x.Gamma[c]);
            for (var k = 0; k < r.Length; k++) r[k] -= gamma * xc[k];
        }
    }

    /// <summary>Σ v (y − α − β − L (− Σ γ_c X_c))² (overwrites _residual).</summary>
    private double Loss(Solution x)
    {
        EffectsResidual(x);
        var l = x.L;
        double loss = 0;
        for (var k = 0; k < _residual.Length; k++)
        {
            var e = _residual[k] - l[k];
            loss += _v[k] * e * e;
        }
        return loss;
    }

    private double NuclearNorm(double[] l) => _svt.NuclearNorm(l);
}

