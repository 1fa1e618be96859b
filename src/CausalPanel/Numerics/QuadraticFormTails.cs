using MathNet.Numerics.Distributions;

namespace CausalPanel.Numerics;

/// <summary>
/// Tail probabilities of quadratic forms in independent normal variables, Q = Σ_j λ_j χ²_{h_j} (Imhof 1961, Biometrika 48,
/// eq. 3.2): P(Q &gt; x) = ½ + (1/π) ∫_0^∞ sin θ(u) / (u ρ(u)) du with θ(u) = ½ Σ h_j arctan(λ_j u) − ½ x u and
/// ρ(u) = Π (1 + λ_j² u²)^{h_j/4}; and from them the Student t that matches a studentised ratio's critical value.
/// </summary>
internal static class QuadraticFormTails
{
    /// <summary>
    /// P(Σ_j λ_j χ²_{h_j} &gt; x) by Simpson's rule on [0, U], U where ρ(U) ≥ 10⁶ (the tail left out is below 10⁻⁶/π); for forms
    /// with Σ h ≥ 3 (ρ then grows at least like u^1.5, so U stays small enough for the grid to follow θ's oscillation).
    /// </summary>
    public static double Exceeds(ReadOnlySpan<double> lambda, ReadOnlySpan<double> h, double x)
    {
        double sumAbs = Math.Abs(x) / 2, total = 0;
        for (var j = 0; j < lambda.Length; j++) { sumAbs += h[j] * Math.Abs(lambda[j]) / 2; total += h[j]; }
        if (sumAbs == 0) return x < 0 ? 1 : 0;
        var upper = 1.0 / sumAbs;
        while (LogRho(lambda, h, upper) < Math.Log(1e6) && upper < 1e9) upper *= 2;
        // θ'(u) ≤ Σ h|λ|/2 + |x|/2: at least 16 steps per radian of θ, at least 2,000 in all.
        var steps = (int)Math.Min(400_000, Math.Max(2000, 16 * sumAbs * upper));
        steps += steps % 2;
        var step = upper / steps;
        double sum = Integrand(lambda, h, x, 0, sumAbs) + Integrand(lambda, h, x, upper, sumAbs);
        for (var k = 1; k < steps; k++) sum += (k % 2 == 1 ? 4 : 2) * Integrand(lambda, h, x, k * step, sumAbs);
        return Math.Clamp(0.5 + sum * step / 3 / Math.PI, 0, 1);
    }

    /// <summary>
    /// The degrees of freedom ν of the Student t whose (1 − α/2) quantile is the critical value c of Z / √V with V = Σ_j w_j χ²_1
    /// (Σ w = 1; Z standard normal, independent) plus, when <paramref name="extraDf"/> is given, χ²_m/m − 1 with m that df
    /// (an independent estimated factor, to first order): P(Z² &gt; c² V) = α. At least 1; null when c is at most the normal's.
    /// </summary>
    public static double? StudentDegreesOfFreedom(IReadOnlyList<double> weights, double? extraDf, double alpha)
    {
        double Tail(double c)
        {
            var count = weights.Count + 1 + (extraDf is null ? 0 : 1);
            var lambda = new double[count];
            var h = new double[count];
            (lambda[0], h[0]) = (1, 1);
            for (var j = 0; j < weights.Count; j++) (lambda[j + 1], h[j + 1]) = (-c * c * weights[j], 1);
            if (extraDf is { } m) (lambda[^1], h[^1]) = (-c * c / m, m);
            return Exceeds(lambda, h, extraDf is null ? 0 : -c * c);
        }
        var normal = Normal.InvCDF(0, 1, 1 - alpha / 2);
        if (Tail(normal) <= alpha) return null;
        var one = StudentT.InvCDF(0, 1, 1, 1 - alpha / 2);
        if (Tail(one) >= alpha) return 1;
        double low = normal, high = one;
        for (var k = 0; k < 40 && high - low > 1e-6 * low; k++)
        {
            var mid = Math.Sqrt(low * high);
            if (Tail(mid) > alpha) low = mid; else high = mid;
        }
        var critical = Math.Sqrt(low * high);
        double few = 1, many = 1e6;   // t quantiles fall as ν grows
        for (var k = 0; k < 60 && many / few > 1 + 1e-6; k++)
        {
            var mid = Math.Sqrt(few * many);
            if (StudentT.InvCDF(0, 1, mid, 1 - alpha / 2) > critical) few = mid; else many = mid;
        }
        return Math.Sqrt(few * many);
    }

    private static double LogRho(ReadOnlySpan<double> lambda, ReadOnlySpan<double> h, double u)
    {
        double sum = 0;
        for (var j = 0; j < lambda.Length; j++) sum += h[j] / 4 * Math.Log(1 + lambda[j] * lambda[j] * u * u);
        return sum;
    }

    private static double Integrand(ReadOnlySpan<double> lambda, ReadOnlySpan<double> h, double x, double u, double slope)
    {
        if (u == 0)
        {
            // lim sin θ(u) / u = θ'(0) = ½ Σ h λ − ½ x.
            double derivative = -x / 2;
            for (var j = 0; j < lambda.Length; j++) derivative += h[j] * lambda[j] / 2;
            return derivative;
        }
        double theta = -x * u / 2;
        for (var j = 0; j < lambda.Length; j++) theta += h[j] / 2 * Math.Atan(lambda[j] * u);
        return Math.Sin(theta) / (u * Math.Exp(LogRho(lambda, h, u)));
    }
}
