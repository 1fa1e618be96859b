using MathNet.Numerics.Distributions;

namespace CausalPanel.Tests.Support;

/// <summary>
/// The brute force behind the "conditional on units and periods" degrees-of-freedom tests: panels of pure noise
/// σ_it·ε_it with σ_it = a_i·b_t (log a_i ~ N(0, 0.8²), strong unit heteroskedasticity; log b_t ~ N(0, 0.3²), mild period
/// heteroskedasticity) and fixed treated cells, DiD fitted on each, and from the variance estimates V̂ over the panels
/// 2 (mean V̂)² / var V̂ — the df of the scaled χ² matching V̂'s first two moments — beside the mean df the method reports.
/// </summary>
internal static class TwoWayNoiseDf
{
    /// <summary>The unit scales a_i and period scales b_t drawn from <paramref name="rng"/> (units first).</summary>
    public static (double[] A, double[] B) Scales(Random rng, int n, int t) =>
        ([.. Enumerable.Range(0, n).Select(_ => Math.Exp(0.8 * Normal.Sample(rng, 0, 1)))],
         [.. Enumerable.Range(0, t).Select(_ => Math.Exp(0.3 * Normal.Sample(rng, 0, 1)))]);

    /// <summary>(brute-force df, mean reported df) of <paramref name="variance"/> over <paramref name="panels"/> panels.</summary>
    public static (double Empirical, double Reported) Compare(Random rng, double[] a, double[] b, bool[,] treated, int panels, IVarianceEstimator variance)
    {
        int n = a.Length, t = b.Length;
        var variances = new double[panels];
        var reported = new double[panels];
        for (var r = 0; r < panels; r++)
        {
            var y = new double[n, t];
            for (var i = 0; i < n; i++)
                for (var s = 0; s < t; s++) y[i, s] = a[i] * b[s] * Normal.Sample(rng, 0, 1);
            var result = new DifferenceInDifferences().Estimate(PanelData.FromMatrices(y, treated)).WithVariance(variance);
            (variances[r], reported[r]) = (result.Variance, result.DegreesOfFreedom!.Value);
        }
        var mean = variances.Average();
        return (2 * mean * mean / variances.Average(v => (v - mean) * (v - mean)), reported.Average());
    }
}
