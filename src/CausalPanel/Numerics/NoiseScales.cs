namespace CausalPanel.Numerics;

/// <summary>
/// The noise-scale model σ²_it = a²_i · b²_t fitted to squared residuals e²_it (cells with weight 0 left out), our
/// construction for the heteroskedastic designs and the two-way conditional variance (issue 20). The fit alternates the
/// Gaussian maximum-likelihood steps a²_i = mean_t e²_it / b²_t and b²_t = mean_i e²_it / a²_i (each the weighted
/// mean over the unit's or period's observed cells), and after each step shrinks the log-scales toward their mean
/// by the empirical-Bayes factor τ² / (τ² + v_i): v_i = κ / n_i is the sampling variance of log a²_i (delta method,
/// κ the pooled squared coefficient of variation of e²_it / (a²_i b²_t), 2 for Gaussian noise; n_i the unit's
/// cells) and τ² = max(0, var(log a²) − mean v) the spread that is left once the sampling noise is taken out. With
/// no real heteroskedasticity τ² ≈ 0 and every scale shrinks to the common one (a_i → 1 after normalisation);
/// with strong heteroskedasticity little is shrunk. Unit-only (b ≡ 1) and period-only (a ≡ 1) fits are one step.
/// The scales are normalised so that the mean of b²_t over the periods is 1 (a²_i then carries the overall level).
/// <para>
/// <see cref="FitTwoWay"/>, behind the variances conditional on units and periods, fits the scales without shrinkage (each
/// unit's and period's own maximum-likelihood scale: shrinking toward the others pulled the noisiest units' scales down by about
/// 10% and made the quietest look noisier, which a variance conditional on the units must not do; the Satterthwaite df then
/// counts the scales' own noise) to the residuals of a <em>weighted</em> two-way fit (feasible GLS, weights
/// 1/(â²_i b̂²_t), re-fitted <see cref="Reweightings"/> times), each squared residual divided by 1 − h_it, its leverage.
/// Residuals of the unweighted fit carry the period means of the noisy units, e_it ≈ ε_it − ε̄_·t, so a quiet unit's
/// residuals are mostly the same shared mean: its scale came out several times too large, and the period scale b̂²_t (whose
/// maximum-likelihood weights 1/ã²_i put the quiet units first) was close to (ε̄_·t)², the very noise of a one-cell DiD in a
/// quiet unit — the interval then moved with the estimate (size 0.000–0.005 for the quietest units; BothVarianceCalibrationTests).
/// With weights 1/σ²_it the fitted effects are precision-weighted means and Var e_it = σ²_it (1 − h_it) exactly
/// ((I − H)Σ(I − H)ᵀ = (I − H)Σ when the weights are Σ⁻¹); for product weights ω_it = u_i v_t on a balanced panel
/// h_it = ω_it/Σ_s ω_is + ω_it/Σ_j ω_jt − ω_it/Σ ω, which is used with treated (left-out) cells too, an approximation there.
/// </para>
/// </summary>
internal static class NoiseScales
{
    private const int Sweeps = 25;

    /// <summary>
    /// Fits a² (length n) and b² (length t) to the row-major n×t squared residuals where <paramref name="observed"/> is
    /// positive; <paramref name="units"/> / <paramref name="periods"/> switch the unit and period factors on. The token is
    /// checked at every sweep.
    /// </summary>
    public static (double[] UnitSquares, double[] PeriodSquares) Fit(ReadOnlySpan<double> squares, ReadOnlySpan<double> observed, int n, int t, bool units, bool periods, bool shrink = true,
        CancellationToken ct = default)
    {
        var a = new double[n];
        var b = new double[t];
        Array.Fill(a, 1.0);
        Array.Fill(b, 1.0);
        var sweeps = units && periods ? Sweeps : 1;
        for (var sweep = 0; sweep < sweeps; sweep++)
        {
            ct.ThrowIfCancellationRequested();
            if (periods) Step(squares, observed, n, t, a, b, byUnit: false, shrink);
            if (units) Step(squares, observed, n, t, a, b, byUnit: true, shrink);
        }
        if (!units)
        {
            // Period-only: put the overall level into a (a constant) and keep mean b² = 1.
            var mean = b.Average();
            if (mean > 0)
            {
                for (var s = 0; s < t; s++) b[s] /= mean;
                Array.Fill(a, mean);
            }
        }
        else if (periods)
        {
            var mean = b.Average();
            if (mean > 0)
            {
                for (var s = 0; s < t; s++) b[s] /= mean;
                for (var i = 0; i < n; i++) a[i] *= mean;
            }
        }
        return (a, b);
    }

    /// <summary>Weighted fits behind <see cref="FitTwoWay"/> after the first, unweighted one.</summary>
    private const int Reweightings = 3;

    /// <summary>The two-way noise model σ²_it = â²_i b̂²_t (<see cref="FitTwoWay"/>) and κ̂ (<see cref="Kappa"/>).</summary>
    public sealed record TwoWayModel(double[] Units, double[] Periods, double Kappa);

    /// <summary>
    /// The two-way noise model of the row-major n×t outcomes <paramref name="y"/> over the cells where <paramref name="observed"/>
    /// is positive: two-way fixed effects, then <see cref="Fit"/> on units and periods, unshrunk, to the squared residuals over 1 − h_it,
    /// re-fitted <see cref="Reweightings"/> times with weights 1/(â²_i b̂²_t) (feasible GLS; see the class remarks), and κ̂ of the
    /// last residuals: what a variance built from â²_i b̂²_t and its <see cref="SatterthwaiteDegreesOfFreedom"/> need. The token is
    /// checked in every fit and sweep (the four passes took about 1 s on 2,000 × 100 without a check).
    /// </summary>
    public static TwoWayModel FitTwoWay(ReadOnlySpan<double> y, ReadOnlySpan<double> observed, int n, int t, CancellationToken ct = default)
    {
        var weights = new double[observed.Length];
        var usable = new double[observed.Length];
        var squares = new double[observed.Length];
        var alpha = new double[n];
        var beta = new double[t];
        var rows = new double[n];
        var columns = new double[t];
        double[] units = [], periods = [];
        for (var pass = 0; pass <= Reweightings; pass++)
        {
            ct.ThrowIfCancellationRequested();
            for (var k = 0; k < observed.Length; k++)
                weights[k] = observed[k] <= 0 ? 0 : pass == 0 ? 1 : 1 / (units[k / t] * periods[k % t]);
            new TwoWayFixedEffects(weights, n, t, storage: weights, ct: ct).Fit(y, alpha, beta, ct);   // read in place: weights stay unchanged until the fit is done
            Array.Clear(rows);
            Array.Clear(columns);
            double total = 0;
            for (var k = 0; k < weights.Length; k++)
            {
                rows[k / t] += weights[k];
                columns[k % t] += weights[k];
                total += weights[k];
            }
            for (var k = 0; k < weights.Length; k++)
            {
                usable[k] = squares[k] = 0;
                if (weights[k] <= 0) continue;
                var keep = 1 - weights[k] * (1 / rows[k / t] + 1 / columns[k % t] - 1 / total);   // 1 − h_it
                if (keep < 1e-6) continue;   // a cell its own effects fit exactly carries no noise information
                squares[k] = Math.Pow(y[k] - alpha[k / t] - beta[k % t], 2) / keep;
                usable[k] = 1;
            }
            (units, periods) = Fit(squares, usable, n, t, units: true, periods: true, shrink: false, ct);
            if (!units.All(v => v > 0 && double.IsFinite(v)) || !periods.All(v => v > 0 && double.IsFinite(v))) break;   // no noise left to weight by
        }
        // κ̂ around scales fitted to the same squares is low by about the n + t fitted scales' share (1.72 against 2 for Gaussian
        // noise on a 39 × 31 panel): scaled by cells/(cells − n − t).
        var cells = 0;
        foreach (var u in usable) if (u > 0) cells++;
        return new(units, periods, Kappa(squares, usable, units, periods) * cells / Math.Max(1, cells - n - t));
    }

    /// <summary>
    /// κ̂ = mean over the observed cells of (e²_it / (a²_i b²_t) − 1)², the squared coefficient of variation of the squared
    /// residuals around the fitted scales (2 for Gaussian noise): Var â²_i ≈ κ̂ a⁴_i / n_i for a scale fitted to n_i cells.
    /// </summary>
    public static double Kappa(ReadOnlySpan<double> squares, ReadOnlySpan<double> observed, double[] unitSquares, double[] periodSquares)
    {
        int t = periodSquares.Length;
        double sum = 0;
        var cells = 0;
        for (var k = 0; k < squares.Length; k++)
        {
            if (observed[k] <= 0) continue;
            var fitted = unitSquares[k / t] * periodSquares[k % t];
            if (!(fitted > 0)) continue;
            sum += Math.Pow(squares[k] / fitted - 1, 2);
            cells++;
        }
        return cells == 0 ? 2 : sum / cells;
    }

    /// <summary>
    /// The Satterthwaite degrees of freedom 2V̂² / Var V̂ of a variance V̂ = Σ_it c_it a²_i b²_t built from estimated scales, to first
    /// order, our construction (issue 20): Var V̂ ≈ Σ_i (∂V̂/∂a²_i)² Var â²_i + Σ_t (∂V̂/∂b²_t)² Var b̂²_t with Var â²_i = κ̂ â⁴_i / n_i
    /// (n_i the unit's cells; κ̂ the squared coefficient of variation of the squared residuals, 2 for Gaussian noise) and likewise
    /// Var b̂²_t: the residuals of the weighted fit (<see cref="FitTwoWay"/>) are close to independent, each with mean σ²_it once
    /// divided by 1 − h_it. The scales' covariances (O(1/(NT))) and the feedback of the estimated weights are left out: against the
    /// spread of V̂ over simulated panels the df is 1.4–1.55 times too large (RegressionVarianceTests), 2.7% on a 95% t quantile
    /// at 14 df. At least 1; null when V̂ does not depend on the scales.
    /// </summary>
    /// <param name="variance">V̂.</param>
    /// <param name="model">The scales â²_i, b̂²_t and κ̂ (<see cref="FitTwoWay"/>).</param>
    /// <param name="unitSlope">∂V̂/∂a²_i.</param>
    /// <param name="unitCells">n_i.</param>
    /// <param name="periodSlope">∂V̂/∂b²_t.</param>
    /// <param name="periodCells">n_t.</param>
    /// <param name="otherSpread">Any further variance of V̂ (a simulated V̂'s Monte-Carlo variance).</param>
    public static double? SatterthwaiteDegreesOfFreedom(double variance, TwoWayModel model, double[] unitSlope, int[] unitCells, double[] periodSlope, int[] periodCells, double otherSpread = 0)
    {
        var spread = Spread(unitSlope, model.Units, unitCells) + Spread(periodSlope, model.Periods, periodCells) + otherSpread;
        return spread > 0 ? Math.Max(1, 2 * variance * variance / spread) : null;

        double Spread(double[] slope, double[] scales, int[] cells)
        {
            double sum = 0;
            for (var j = 0; j < slope.Length; j++)
                if (slope[j] != 0 && cells[j] > 0)
                    sum += Math.Pow(slope[j] * scales[j], 2) * model.Kappa / cells[j];
            return sum;
        }
    }

    /// <summary>One maximum-likelihood step for a (byUnit) or b, then (with <paramref name="shrink"/>) empirical-Bayes shrinkage of its logs.</summary>
    private static void Step(ReadOnlySpan<double> squares, ReadOnlySpan<double> observed, int n, int t, double[] a, double[] b, bool byUnit, bool shrink)
    {
        var target = byUnit ? a : b;
        var other = byUnit ? b : a;
        var count = target.Length;
        Span<double> cells = count <= 1024 ? stackalloc double[count] : new double[count];
        cells.Clear();
        Array.Clear(target);
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                var k = i * t + s;
                if (observed[k] <= 0) continue;
                var (own, cross) = byUnit ? (i, s) : (s, i);
                target[own] += squares[k] / other[cross];
                cells[own]++;
            }
        double totalCells = 0, level = 0;
        for (var j = 0; j < count; j++)
        {
            totalCells += cells[j];
            level += target[j];
            target[j] = cells[j] > 0 ? target[j] / cells[j] : double.NaN;
        }
        level /= Math.Max(totalCells, 1);

        // κ: pooled squared coefficient of variation of the standardised squares.
        double kappa = 0;
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                var k = i * t + s;
                if (observed[k] <= 0) continue;
                var (own, cross) = byUnit ? (i, s) : (s, i);
                var fitted = target[own] * other[cross];
                if (fitted > 0) kappa += Math.Pow(squares[k] / fitted - 1, 2);
            }
        kappa /= Math.Max(totalCells, 1);

        // Shrink the logs of the defined, positive scales toward their mean; the others take the pooled level.
        double sum = 0, sumSquares = 0, noise = 0;
        var defined = 0;
        for (var j = 0; j < count; j++)
        {
            if (!(target[j] > 0)) continue;
            var log = Math.Log(target[j]);
            sum += log; sumSquares += log * log; noise += kappa / cells[j];
            defined++;
        }
        if (defined == 0)
        {
            Array.Fill(target, level > 0 ? level : 1.0);
            return;
        }
        var mean = sum / defined;
        var spread = defined > 1 ? (sumSquares - defined * mean * mean) / (defined - 1) : 0;
        var tau2 = Math.Max(0, spread - noise / defined);
        for (var j = 0; j < count; j++)
        {
            if (!(target[j] > 0)) { target[j] = Math.Exp(mean); continue; }
            var v = kappa / cells[j];
            var keep = !shrink ? 1 : tau2 + v > 0 ? tau2 / (tau2 + v) : 0;
            target[j] = Math.Exp(mean + keep * (Math.Log(target[j]) - mean));
        }

        // Shrinking logs toward their mean lowers the level (E log χ² < log E χ²): restore Σ e²/(a²b²) = cells, the likelihood's level equation.
        double ratio = 0;
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                var k = i * t + s;
                if (observed[k] <= 0) continue;
                var (own, cross) = byUnit ? (i, s) : (s, i);
                ratio += squares[k] / (target[own] * other[cross]);
            }
        ratio /= Math.Max(totalCells, 1);
        if (ratio > 0)
            for (var j = 0; j < count; j++) target[j] *= ratio;
    }
}
