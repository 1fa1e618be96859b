namespace CausalPanel.Numerics;

/// <summary>
/// synthdid's joint fit of unit weights ω, time weights λ and covariate coefficients β
/// (R <c>sc.weight.fw.covariates</c>, synthdid 0.0.9; Arkhangelsky et al. 2021, AER, §2 footnote on
/// covariates): on the collapsed forms of Y and of each covariate X_k, alternate a gradient step
/// β ← β − ∇β/t on the sum of the two weight objectives with one Frank–Wolfe step for λ and one for ω
/// on Y − Σ β_k X_k. It starts with a weight update at β = 0 and stops after
/// <see cref="WeightingSpec.MaxIterations"/> rounds or when |f_{t−1} − f_t| ≤ minDecrease² (t ≥ 2).
/// No sparsification. The estimate then uses Y − Σ β_k X_k on the whole panel.
/// </summary>
internal static class SyntheticWeightsWithCovariates
{
    /// <summary>Fits (ω, λ, β) for a row-major N×T panel and covariates of the same layout; checks <paramref name="ct"/> every round.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public static (double[] Omega, double[] Lambda, double[] Beta, WeightRun Run) Fit(
        ReadOnlySpan<double> y, IReadOnlyList<double[]> x, int n, int t, int n0, int t0, WeightingSpec spec, CancellationToken ct)
    {
        int cols = t0 + 1, c = x.Count;
        var yc = SyntheticWeights.Collapse(y, n, t, n0, t0);
        var xc = x.Select(xk => SyntheticWeights.Collapse(xk, n, t, n0, t0)).ToArray();
        var lambda = spec.Lambda?.ToArray() ?? Enumerable.Repeat(1.0 / t0, t0).ToArray();
        var omega = spec.Omega?.ToArray() ?? Enumerable.Repeat(1.0 / n0, n0).ToArray();
        var beta = new double[c];

        var lambdaData = new double[n0 * cols];
        var omegaData = new double[t0 * (n0 + 1)];
        var lambdaProblem = new SimplexProblem(lambdaData, n0, t0, spec.ZetaLambda, false);
        var omegaProblem = new SimplexProblem(omegaData, t0, n0, spec.ZetaOmega, false);
        var lambdaWork = new FrankWolfe.Workspace(n0, t0);
        var omegaWork = new FrankWolfe.Workspace(t0, n0);
        var yb = new double[yc.Length];
        var errLambda = new double[n0];
        var errOmega = new double[t0];
        var gradient = new double[c];

        double Update()
        {
            for (var k = 0; k < yb.Length; k++)
            {
                double v = yc[k];
                for (var j = 0; j < c; j++) v -= beta[j] * xc[j][k];
                yb[k] = v;
            }
            // λ problem: rows = controls, columns = pre-periods + post mean; ω problem: rows = pre-periods, columns = controls + treated mean.
            for (var s = 0; s < cols; s++)
                for (var i = 0; i < n0; i++) lambdaData[s * n0 + i] = yb[i * cols + s];
            for (var i = 0; i <= n0; i++)
                for (var s = 0; s < t0; s++) omegaData[i * t0 + s] = yb[i * cols + s];
            lambdaProblem.Load(lambdaData, spec.LambdaIntercept);
            omegaProblem.Load(omegaData, spec.OmegaIntercept);
            var fl = Residual(lambdaProblem, lambda, lambdaWork, spec.UpdateLambda, errLambda);
            var fo = Residual(omegaProblem, omega, omegaWork, spec.UpdateOmega, errOmega);
            return fo + fl;
        }

        var current = Update();
        double previous = double.NaN;
        var round = 0;
        while (round < spec.MaxIterations && (round < 2 || Math.Abs(previous - current) > spec.MinDecrease * spec.MinDecrease))
        {
            round++;
            ct.ThrowIfCancellationRequested();
            for (var j = 0; j < c; j++)
                gradient[j] = -(Contract(errLambda, xc[j], cols, n0, t0, lambda, byUnit: false) / n0
                                + Contract(errOmega, xc[j], cols, n0, t0, omega, byUnit: true) / t0);
            for (var j = 0; j < c; j++) beta[j] -= gradient[j] / round;
            previous = current;
            current = Update();
        }
        var converged = round < spec.MaxIterations || Math.Abs(previous - current) <= spec.MinDecrease * spec.MinDecrease;
        return (omega, lambda, beta, new WeightRun(round, current, converged));
    }

    /// <summary>Optionally one Frank–Wolfe step, then err = A x − b; returns ζ²‖x‖² + ‖err‖²/n.</summary>
    private static double Residual(SimplexProblem p, double[] x, FrankWolfe.Workspace work, bool update, double[] err)
    {
        var ax = work.Product.AsSpan(0, p.Rows);
        if (update) FrankWolfe.StepOnce(p, x, work);
        else p.Product(x, ax);
        var b = p.Column(p.Columns);
        for (var i = 0; i < p.Rows; i++) err[i] = ax[i] - b[i];
        return p.Zeta * p.Zeta * SimplexProblem.SumOfSquares(x) + SimplexProblem.SumOfSquares(err) / p.Rows;
    }

    /// <summary>
    /// errᵀ X̃ (w, −1): for the λ problem X̃ = the controls' rows of the collapsed covariate
    /// (N0 × (T0+1)); for the ω problem X̃ = its pre-period columns transposed (T0 × (N0+1)).
    /// </summary>
    private static double Contract(double[] err, double[] xc, int cols, int n0, int t0, double[] w, bool byUnit)
    {
        double total = 0;
        if (!byUnit)
            for (var i = 0; i < n0; i++)
            {
                double row = -xc[i * cols + t0];
                for (var s = 0; s < t0; s++) row += w[s] * xc[i * cols + s];
                total += err[i] * row;
            }
        else
            for (var s = 0; s < t0; s++)
            {
                double row = -xc[n0 * cols + s];
                for (var i = 0; i < n0; i++) row += w[i] * xc[i * cols + s];
                total += err[s] * row;
            }
        return total;
    }
}
