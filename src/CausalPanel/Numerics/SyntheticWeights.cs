namespace CausalPanel.Numerics;

/// <summary>The regularisation and solver settings of one synthdid-style weight fit, fully resolved.</summary>
/// <param name="ZetaOmega">ζ_ω, unit-weight ridge.</param>
/// <param name="ZetaLambda">ζ_λ, time-weight ridge.</param>
/// <param name="OmegaIntercept">Profile out an intercept in the unit-weight problem.</param>
/// <param name="LambdaIntercept">Profile out an intercept in the time-weight problem.</param>
/// <param name="Omega">Initial (or, when not updated, fixed) unit weights; null = uniform.</param>
/// <param name="UpdateOmega">Optimise ω.</param>
/// <param name="Lambda">Initial (or fixed) time weights; null = uniform.</param>
/// <param name="UpdateLambda">Optimise λ.</param>
/// <param name="MinDecrease">Frank–Wolfe stops when f falls by no more than MinDecrease².</param>
/// <param name="MaxIterations">Frank–Wolfe steps per stage.</param>
/// <param name="Sparsify">Run synthdid's two-stage scheme (stage 1, zero weights ≤ max/4, stage 2).</param>
/// <param name="MaxIterationsBeforeSparsify">Steps of stage 1.</param>
/// <param name="Converged">Solve to optimality with <see cref="ProjectedGradient"/> instead of Frank–Wolfe.</param>
internal sealed record WeightingSpec(
    double ZetaOmega, double ZetaLambda, bool OmegaIntercept, bool LambdaIntercept,
    double[]? Omega, bool UpdateOmega, double[]? Lambda, bool UpdateLambda,
    double MinDecrease, int MaxIterations, bool Sparsify, int MaxIterationsBeforeSparsify, bool Converged);

/// <summary>How one weight vector's solve ended.</summary>
/// <param name="Iterations">Steps over all stages.</param>
/// <param name="Objective">Final objective f.</param>
/// <param name="Converged">False when the last stage stopped at its iteration cap.</param>
internal readonly record struct WeightRun(int Iterations, double Objective, bool Converged);

/// <summary>
/// Synthetic-DiD weights on a block panel, as R <c>synthdid::synthdid_estimate</c> without
/// covariates (Arkhangelsky et al. 2021, AER, Algorithm 1): the panel is reduced to its collapsed
/// form, the time weights λ (Eq. 2.3) and then the unit weights ω (Eq. 2.2) are fitted on it, and
/// the estimate is the doubly weighted DiD τ̂ = (−ω, 1/N1)ᵀ Y (−λ, 1/T1) (Eq. 1.1 / 2.4). The panel
/// is read as a <see cref="RowView"/> of N rows, the N0 controls first, over T periods, the T0 pre-periods first.
/// </summary>
internal static class SyntheticWeights
{
    /// <summary>σ̂: standard deviation (n − 1) of all first differences Y_i,t+1 − Y_it of controls over pre-periods (synthdid's noise.level).</summary>
    public static double NoiseLevel(RowView y, int n0, int t0)
    {
        var count = n0 * (t0 - 1);
        if (count < 2) return double.NaN;
        double sum = 0;
        for (var i = 0; i < n0; i++)
        {
            var row = y[i];
            for (var s = 0; s + 1 < t0; s++) sum += row[s + 1] - row[s];
        }
        var mean = sum / count;
        double ss = 0;
        for (var i = 0; i < n0; i++)
        {
            var row = y[i];
            for (var s = 0; s + 1 < t0; s++)
            {
                var d = row[s + 1] - row[s] - mean;
                ss += d * d;
            }
        }
        return Math.Sqrt(ss / (count - 1));
    }

    /// <summary>Fits (ω, λ) and returns them with how each solve ended (null when the weights were fixed).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public static (double[] Omega, double[] Lambda, WeightRun? OmegaRun, WeightRun? LambdaRun) Fit(
        RowView y, int n0, int t0, WeightingSpec spec, CancellationToken ct)
    {
        int n = y.Count, t = y.Columns, n1 = n - n0, t1 = t - t0;
        var lambda = spec.Lambda?.ToArray() ?? Uniform(t0);
        var omega = spec.Omega?.ToArray() ?? Uniform(n0);
        WeightRun? lambdaRun = null, omegaRun = null;

        // Each problem is filled from the panel with the entries of the collapsed form (Collapse, same sums in the same
        // order) in its own layout, in one buffer that the ω problem takes over once λ is solved: one N0×T0 copy in all.
        var data = new double[Math.Max(spec.UpdateLambda ? n0 * (t0 + 1) : 0, spec.UpdateOmega ? t0 * (n0 + 1) : 0)];
        if (spec.UpdateLambda)
        {
            // Rows = controls, columns = pre-periods, target = the controls' post-period means.
            for (var i = 0; i < n0; i++)
            {
                var row = y[i];
                for (var s = 0; s < t0; s++) data[s * n0 + i] = row[s];
                double post = 0;
                for (var s = t0; s < t; s++) post += row[s];
                data[t0 * n0 + i] = post / t1;
            }
            lambdaRun = Solve(SimplexProblem.Over(data, n0, t0, spec.ZetaLambda, spec.LambdaIntercept), lambda, spec, ct);
        }
        if (spec.UpdateOmega)
        {
            // Rows = pre-periods, columns = controls, target = the treated units' pre-period means.
            for (var i = 0; i < n0; i++) y[i][..t0].CopyTo(data.AsSpan(i * t0, t0));
            var means = data.AsSpan(n0 * t0, t0);   // Σ_i Y_is in unit order from 0, as Collapse sums them
            means.Clear();
            for (var i = n0; i < n; i++)
            {
                var row = y[i];
                for (var s = 0; s < t0; s++) means[s] += row[s];
            }
            for (var s = 0; s < t0; s++) means[s] /= n1;
            omegaRun = Solve(SimplexProblem.Over(data, t0, n0, spec.ZetaOmega, spec.OmegaIntercept), omega, spec, ct);
        }
        return (omega, lambda, omegaRun, lambdaRun);
    }

    /// <summary>
    /// Per-cell effects τ̂_it = (Y_it − Σ_j ω_j Y_jt) − Σ_s λ_s (Y_is − Σ_j ω_j Y_js) for treated unit i
    /// and post-period t, row-major N1×T1. Their mean is the synthdid estimate.
    /// </summary>
    public static double[] CellEffects(RowView y, int n0, int t0, ReadOnlySpan<double> omega, ReadOnlySpan<double> lambda)
    {
        var synthetic = SyntheticControl(y, n0, omega);
        int n1 = y.Count - n0, t1 = y.Columns - t0;
        var effects = new double[n1 * t1];
        for (var i = 0; i < n1; i++)
        {
            var row = y[n0 + i];
            double preGap = 0;
            for (var s = 0; s < t0; s++) preGap += lambda[s] * (row[s] - synthetic[s]);
            for (var s = 0; s < t1; s++) effects[i * t1 + s] = row[t0 + s] - synthetic[t0 + s] - preGap;
        }
        return effects;
    }

    /// <summary>Σ_j ω_j Y_jt for every period t.</summary>
    public static double[] SyntheticControl(RowView y, int n0, ReadOnlySpan<double> omega)
    {
        var synthetic = new double[y.Columns];
        for (var j = 0; j < n0; j++)
        {
            if (omega[j] == 0) continue;
            var row = y[j];
            for (var s = 0; s < row.Length; s++) synthetic[s] += omega[j] * row[s];
        }
        return synthetic;
    }

    private static WeightRun Solve(SimplexProblem problem, double[] x, WeightingSpec spec, CancellationToken ct)
    {
        if (spec.Converged)
        {
            var (iterations, objective, converged) = ProjectedGradient.Solve(problem, x, ct: ct);
            return new WeightRun(iterations, objective, converged);
        }
        var workspace = WorkerScratch.FrankWolfe(problem.Rows, problem.Columns);
        var first = 0;
        if (spec.Sparsify)
        {
            first = FrankWolfe.Solve(problem, x, spec.MinDecrease, spec.MaxIterationsBeforeSparsify, workspace, ct).Iterations;
            FrankWolfe.Sparsify(x);
        }
        var run = FrankWolfe.Solve(problem, x, spec.MinDecrease, spec.MaxIterations, workspace, ct);
        return new WeightRun(first + run.Iterations, run.Objective, !run.HitCap);
    }

    /// <summary>
    /// The (N0+1)×(T0+1) collapsed form (row-major): controls × pre-periods, the controls' post
    /// means in the last column, the treated means per pre-period in the last row, and the mean of
    /// the treated × post block in the corner.
    /// </summary>
    internal static double[] Collapse(ReadOnlySpan<double> y, int n, int t, int n0, int t0)
    {
        int n1 = n - n0, t1 = t - t0, cols = t0 + 1;
        var yc = new double[(n0 + 1) * cols];
        for (var i = 0; i < n0; i++)
        {
            double post = 0;
            for (var s = 0; s < t0; s++) yc[i * cols + s] = y[i * t + s];
            for (var s = t0; s < t; s++) post += y[i * t + s];
            yc[i * cols + t0] = post / t1;
        }
        for (var s = 0; s < t0; s++)
        {
            double treated = 0;
            for (var i = n0; i < n; i++) treated += y[i * t + s];
            yc[n0 * cols + s] = treated / n1;
        }
        double block = 0;
        for (var i = n0; i < n; i++)
            for (var s = t0; s < t; s++) block += y[i * t + s];
        yc[n0 * cols + t0] = block / (n1 * t1);
        return yc;
    }

    private static double[] Uniform(int k)
    {
        var x = new double[k];
        Array.Fill(x, 1.0 / k);
        return x;
    }
}
