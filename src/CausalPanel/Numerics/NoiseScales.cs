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
/// Residuals of two-way fixed effects are e = (I − J/N) ⊗ (I − J/T) ε, so on a balanced panel
/// E e²_it = (a²_i (1 − 2/N) + ā²/N)(b²_t (1 − 2/T) + b̄²/T): still a product, but every unit's scale is pulled toward
/// the mean (a quiet unit's residuals carry the period means of the noisy ones). <see cref="Unbias"/> inverts that map,
/// a²_i = (ã²_i − mean ã² / (N − 1)) / (1 − 2/N), floored at ã²_i / 4 (and likewise b²_t); with no heteroskedasticity it is the
/// usual n/(n − p) degrees-of-freedom correction. With some cells left out (treated cells) it is an approximation.
/// </para>
/// </summary>
internal static class NoiseScales
{
    private const int Sweeps = 25;

    /// <summary>
    /// Fits a² (length n) and b² (length t) to the row-major n×t squared residuals where <paramref name="observed"/> is
    /// positive; <paramref name="units"/> / <paramref name="periods"/> switch the unit and period factors on.
    /// </summary>
    public static (double[] UnitSquares, double[] PeriodSquares) Fit(ReadOnlySpan<double> squares, ReadOnlySpan<double> observed, int n, int t, bool units, bool periods)
    {
        var a = new double[n];
        var b = new double[t];
        Array.Fill(a, 1.0);
        Array.Fill(b, 1.0);
        var sweeps = units && periods ? Sweeps : 1;
        for (var sweep = 0; sweep < sweeps; sweep++)
        {
            if (periods) Step(squares, observed, n, t, a, b, byUnit: false);
            if (units) Step(squares, observed, n, t, a, b, byUnit: true);
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

    /// <summary>The two-way noise model of squared residuals: its scales as fitted (ã²_i, b̃²_t) and <see cref="Unbias"/>ed (â²_i, b̂²_t), and κ̂ (<see cref="Kappa"/>).</summary>
    public sealed record TwoWayModel(double[] FittedUnits, double[] Units, double[] FittedPeriods, double[] Periods, double Kappa);

    /// <summary>
    /// <see cref="Fit"/> on units and periods, κ̂ of the residuals around that fit, and the scales <see cref="Unbias"/>ed:
    /// what a variance built from â²_i b̂²_t and its <see cref="SatterthwaiteDegreesOfFreedom"/> need.
    /// </summary>
    public static TwoWayModel FitTwoWay(ReadOnlySpan<double> squares, ReadOnlySpan<double> observed, int n, int t)
    {
        var (units, periods) = Fit(squares, observed, n, t, units: true, periods: true);
        var kappa = Kappa(squares, observed, units, periods);
        var (fittedUnits, fittedPeriods) = ((double[])units.Clone(), (double[])periods.Clone());
        Unbias(units, periods);
        return new(fittedUnits, units, fittedPeriods, periods, kappa);
    }

    /// <summary>
    /// The scales of the noise behind two-way fixed-effects residuals, from the scales <paramref name="unitSquares"/> and
    /// <paramref name="periodSquares"/> fitted to those residuals (in place): ã² ↦ (ã² − mean ã² / (N − 1)) / (1 − 2/N), floored at ã²/4.
    /// </summary>
    public static void Unbias(double[] unitSquares, double[] periodSquares)
    {
        Invert(unitSquares);
        Invert(periodSquares);

        static void Invert(double[] squares)
        {
            var count = squares.Length;
            if (count < 3) return;
            var pulled = squares.Average() / (count - 1);
            for (var j = 0; j < count; j++)
                squares[j] = Math.Max((squares[j] - pulled) / (1 - 2.0 / count), squares[j] / 4);
        }
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
    /// order, our construction (issue 20): Var V̂ ≈ Σ_i (∂V̂/∂a²_i)² Var â²_i + Σ_t (∂V̂/∂b²_t)² Var b̂²_t, the scales' covariances
    /// (O(1/(NT))) left out. The scales are fitted to two-way residuals e = (I − J/N) ⊗ (I − J/T) ε and then
    /// <see cref="Unbias"/>ed; on a balanced panel with Gaussian noise (κ = 2; κ̂ scales every term):
    /// <list type="bullet">
    /// <item>the fitted b̃²_t = (1/n_t) Σ_i e²_it / ã²_i averages residuals that share the period's noise mean:
    /// Cov(e_it, e_jt) ≈ b²_t (ā² − a²_i − a²_j) / N for i ≠ j, so
    /// Var b̃²_t ≈ κ b̃⁴_t / n_t + κ b⁴_t P_N / (N² n²_t) with P_N = Σ_{i≠j} (ā² − a²_i − a²_j)² / (ã²_i ã²_j) (separable, O(N));
    /// the ML weights 1/ã²_i put the quiet units first, whose residuals are mostly the noisy units' period mean, so the
    /// second term is not small under strong unit heteroskedasticity; likewise Var ã²_i with the unit's mean over periods, P_T;</item>
    /// <item>the map â² = (ã² − mean ã² / (N − 1)) / (1 − 2/N) multiplies the standard deviation by 1/(1 − 2/N) (by 1/4 where the
    /// floor ã²/4 binds; the mean's share, O(1/N²), left out): a quiet unit's ã²_i ≫ â²_i, so its relative error is larger than
    /// κ/n_i.</item>
    /// </list>
    /// Treated (left-out) cells are ignored in P_N and P_T, and the shrinkage, which lowers the variance, is ignored
    /// (conservative). The independent-cell count κ â⁴_i / n_i alone overstated the df about twofold for one treated cell
    /// under strong unit heteroskedasticity (RegressionVarianceTests, against the spread of V̂ over simulated panels).
    /// At least 1; null when V̂ does not depend on the scales.
    /// </summary>
    /// <param name="variance">V̂.</param>
    /// <param name="model">The scales as fitted (ã²_i, b̃²_t) and unbiased (â²_i, b̂²_t), and κ̂ (<see cref="FitTwoWay"/>).</param>
    /// <param name="unitSlope">∂V̂/∂a²_i.</param>
    /// <param name="unitCells">n_i.</param>
    /// <param name="periodSlope">∂V̂/∂b²_t.</param>
    /// <param name="periodCells">n_t.</param>
    public static double? SatterthwaiteDegreesOfFreedom(double variance, TwoWayModel model, double[] unitSlope, int[] unitCells, double[] periodSlope, int[] periodCells)
    {
        var (fittedUnits, unitSquares, fittedPeriods, periodSquares, kappa) = model;
        // A unit's scale shares its mean over periods (P_T, from the period scales); a period's, its mean over units (P_N).
        var spread = Spread(unitSlope, fittedUnits, unitSquares, unitCells, SharedMean(fittedPeriods, periodSquares))
            + Spread(periodSlope, fittedPeriods, periodSquares, periodCells, SharedMean(fittedUnits, unitSquares));
        return spread > 0 ? Math.Max(1, 2 * variance * variance / spread) : null;

        double Spread(double[] slope, double[] fitted, double[] unbiased, int[] cells, double shared)
        {
            var count = slope.Length;
            double sum = 0;
            for (var j = 0; j < count; j++)
            {
                if (slope[j] == 0) continue;
                var derivative = count < 3 ? 1 : unbiased[j] == fitted[j] / 4 ? 0.25 : 1 / (1 - 2.0 / count);
                var n = (double)cells[j];
                var fittedVariance = kappa * (fitted[j] * fitted[j] / n + unbiased[j] * unbiased[j] * shared / (n * n));
                sum += Math.Pow(slope[j] * derivative, 2) * fittedVariance;
            }
            return sum;
        }
    }

    /// <summary>
    /// P / M² with P = Σ_{i≠j} (x̄ − x_i − x_j)² u_i u_j over the M scales of the other dimension (x = unbiased, u = 1/fitted),
    /// expanded so that it is O(M): Σ_{i,j} = U²x̄² + 2U Σux² − 4x̄U Σux + 2(Σux)², less the diagonal Σ u²(x̄ − 2x)².
    /// </summary>
    private static double SharedMean(double[] fitted, double[] unbiased)
    {
        var m = fitted.Length;
        if (m < 2) return 0;
        var mean = unbiased.Average();
        double u = 0, ux = 0, uxx = 0, diagonal = 0;
        for (var j = 0; j < m; j++)
        {
            if (!(fitted[j] > 0)) continue;
            var w = 1 / fitted[j];
            u += w; ux += w * unbiased[j]; uxx += w * unbiased[j] * unbiased[j];
            diagonal += w * w * Math.Pow(mean - 2 * unbiased[j], 2);
        }
        var all = u * u * mean * mean + 2 * u * uxx - 4 * mean * u * ux + 2 * ux * ux;
        return Math.Max(0, all - diagonal) / ((double)m * m);
    }

    /// <summary>One maximum-likelihood step for a (byUnit) or b, then empirical-Bayes shrinkage of its logs.</summary>
    private static void Step(ReadOnlySpan<double> squares, ReadOnlySpan<double> observed, int n, int t, double[] a, double[] b, bool byUnit)
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
            var keep = tau2 + v > 0 ? tau2 / (tau2 + v) : 0;
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
