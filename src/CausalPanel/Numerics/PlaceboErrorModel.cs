namespace CausalPanel.Numerics;

/// <summary>
/// Each unit's error as noise plus misfit (our construction, issue 20): unit i's part of a fit's error has variance
/// κ·a²_i + M, so a placebo effect τ̂_b = Σ_i s_bi u_i has variance κ·V_b + M·S_b, with V_b = Σ_i s²_bi a²_i (its variance under
/// the two-way noise model) and S_b = Σ_i s²_bi. κ ≥ 0 scales the model's noise (its level, and the serial correlation it
/// leaves out); M ≥ 0 is the part of every unit's error that does not grow with its noise — structural misfit, such as
/// interactive factors the estimator does not remove, which is fixed given the units and so noise only over the assignment.
/// (κ, M) maximise the Gaussian likelihood of the placebo effects, τ̂_b ~ N(0, κV_b + M·S_b), a working likelihood (placebos
/// that share units are not independent): profiled over θ = the misfit's share of the mean placebo's variance, μ_b = λ·d_b with
/// d_b = (1 − θ)V_b / mean V + θ·S_b / mean S and λ̂(θ) = mean τ̂²_b / d_b, so that −2 log L = B log λ̂(θ) + Σ_b log d_b + B,
/// minimised over a grid of θ in [0, 1] and then by golden section.
/// </summary>
internal static class PlaceboErrorModel
{
    private const int Grid = 40;

    /// <summary>
    /// (κ, M) from the placebo fits' V_b, S_b and squared effects τ̂²_b, and the likelihood-ratio statistic of M = 0,
    /// 2 log L(κ̂, M̂) − 2 log L(κ̂₀, 0) ≥ 0; (1, 0, 0), the noise model as it is, when every effect is 0.
    /// </summary>
    public static (double Kappa, double Misfit, double LikelihoodRatio) Fit(double[] variances, double[] sums, double[] squares)
    {
        if (squares.All(y => y == 0)) return (1, 0, 0);
        double meanV = variances.Average(), meanS = sums.Average();
        var best = 0;
        var values = new double[Grid + 1];
        for (var k = 0; k <= Grid; k++)
        {
            values[k] = Deviance((double)k / Grid);
            if (values[k] < values[best]) best = k;
        }
        var (theta, deviance) = ((double)best / Grid, values[best]);
        if (best > 0 && best < Grid)
            (theta, deviance) = GoldenSection.Minimise(Deviance, (best - 1.0) / Grid, theta, values[best], (best + 1.0) / Grid, 1e-9);
        var scale = Scale(theta);
        return (scale * (1 - theta) / meanV, scale * theta / meanS, Math.Max(0, values[0] - deviance));

        double Spread(double t, int b) => (1 - t) * variances[b] / meanV + t * sums[b] / meanS;

        double Scale(double t)
        {
            double sum = 0;
            for (var b = 0; b < squares.Length; b++) sum += squares[b] / Spread(t, b);
            return sum / squares.Length;
        }

        double Deviance(double t)
        {
            double logs = 0;
            for (var b = 0; b < squares.Length; b++) logs += Math.Log(Spread(t, b));
            return squares.Length * Math.Log(Scale(t)) + logs;
        }
    }
}
