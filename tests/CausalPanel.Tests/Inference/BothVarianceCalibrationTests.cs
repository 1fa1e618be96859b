using CausalPanel.Tests.Support;
using MathNet.Numerics.Distributions;

namespace CausalPanel.Tests.Inference;

/// <summary>
/// "Conditional on units and periods" (the rescaled unit placebo and the regression plug-in) against the truth under noise
/// σ_it·z_it with σ_it = a_i·b_t and known scales (strong unit, mild period heteroskedasticity, <see cref="TwoWayNoiseDf.Scales"/>),
/// z_it independent or a stationary AR(2) in t (φ = 0.5, 0.2, unit variance): the mean reported variance against DiD's closed-form
/// variance Σ_i a²_i Σ_s Σ_q w_is w_iq b_s b_q ρ_|s−q| (DiD is linear, τ̂ = Σ w_it Y_it, its weights fixed by the design; ρ_h the AR(2)
/// autocorrelations, ρ_0 = 1) and the rejection rate of the 95% t interval against 0.05. The time-placebo ratio that "both" was
/// before (each time-placebo window rescaled by the period scales) had, on these 39 × 31 panels at 300 panels each, mean V̂/Var
/// 1.03–1.14 and size 0.027–0.077 on one treated cell, but 0.12 (V̂/Var 0.70) on the 10 × 10 block under AR(2) noise: its nine
/// windows overlap and the serial correlation is not in its df; the rescaled unit placebo had 0.99–1.08 and 0.033–0.073.
/// </summary>
public class BothVarianceCalibrationTests
{
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("quietest unit", 1, false)]
    [InlineData("median unit", 1, false)]
    [InlineData("noisiest unit", 1, false)]
    [InlineData("block", 10, false)]
    [InlineData("quietest unit", 1, true)]
    [InlineData("median unit", 1, true)]
    [InlineData("noisiest unit", 1, true)]
    [InlineData("block", 10, true)]
    public void Mean_variance_is_the_closed_form_and_the_interval_holds_its_size(string treated, int size, bool serial)
    {
        // Slow: 1,000 panels each (MC s.e. of a size of 0.05: 0.007); all 8 cases passed in 21 min on 2 loaded cores (the blocks, 200 draws each, 3–8 min).
        var (truth, squares, variances, rejections) = Simulate(39, 31, treated, size, serial, 1000, 8, new ConditionalVariance { MaxDegreeOfParallelism = 1 },
            new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods });
        (squares / truth).Should().BeInRange(0.88, 1.12);   // the brute-force variance of τ̂ against the closed form (MC s.e. about 5%)
        // The regression plug-in assumes independent noise: under AR(2) it is only checked on its own ground.
        for (var m = 0; m < (serial ? 1 : 2); m++)
        {
            var (mean, se) = variances[m];
            // Unbiased within 3 MC s.e. plus 8% (the placebo units' control sets are the controls less the placebo units).
            Math.Abs(mean - truth).Should().BeLessThan(3 * se + 0.08 * truth, $"method {m}, {treated}: mean variance {mean:G4}, closed form {truth:G4}");
            rejections[m].Should().BeInRange(0.03, 0.07, $"method {m}, {treated}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void On_a_small_panel_the_mean_rescaled_placebo_variance_is_the_closed_form(bool serial)
    {
        // The fast version: a 20 × 12 panel, its median unit treated in the last period, 300 panels (MC s.e. of the mean V̂ about 5%).
        var (truth, _, variances, rejections) = Simulate(20, 12, "median unit", 1, serial, 300, 3, new ConditionalVariance { MaxDegreeOfParallelism = 1 });
        var (mean, se) = variances[0];
        Math.Abs(mean - truth).Should().BeLessThan(3 * se + 0.05 * truth, $"mean variance {mean:G4}, closed form {truth:G4}");
        rejections[0].Should().BeInRange(0.01, 0.10);   // 3 MC s.e. of 0.05 at 300 panels is 0.038
    }

    /// <summary>
    /// Over <paramref name="panels"/> panels: DiD's closed-form variance, the mean squared estimate (its brute-force variance, the mean
    /// being 0), each method's mean variance with its MC s.e., and its rejection rate at 0.05.
    /// </summary>
    private static (double Truth, double Squares, (double Mean, double Se)[] Variances, double[] Rejections) Simulate(
        int n, int t, string treated, int size, bool serial, int panels, int seed, params IVarianceEstimator[] methods)
    {
        var rng = new Random(seed);
        var (a, b) = TwoWayNoiseDf.Scales(rng, n, t);
        var order = Enumerable.Range(0, n).OrderBy(i => a[i]).ToArray();
        int[] rows = treated switch
        {
            "quietest unit" => [order[0]], "median unit" => [order[n / 2]], "noisiest unit" => [order[^1]],
            _ => [.. Enumerable.Range(0, size).Select(k => order[1 + 3 * k + k / 3])],   // spread over the scales
        };
        var w = new bool[n, t];
        foreach (var i in rows)
            for (var s = t - size; s < t; s++) w[i, s] = true;
        var (phi1, phi2) = serial ? (0.5, 0.2) : (0.0, 0.0);
        var rho = new double[t];
        rho[0] = 1;
        if (t > 1) rho[1] = phi1 / (1 - phi2);
        for (var h = 2; h < t; h++) rho[h] = phi1 * rho[h - 1] + phi2 * rho[h - 2];
        var sd = Math.Sqrt((1 - phi2) / ((1 + phi2) * ((1 - phi2) * (1 - phi2) - phi1 * phi1)));   // the stationary AR(2)'s sd
        const int burn = 100;
        var z = new double[burn + t];
        var variances = methods.Select(_ => new double[panels]).ToArray();
        var rejections = new double[methods.Length];
        double truth = 0, squares = 0;
        for (var r = 0; r < panels; r++)
        {
            var y = new double[n, t];
            for (var i = 0; i < n; i++)
            {
                for (var s = 0; s < z.Length; s++) z[s] = Normal.Sample(rng, 0, 1) + (s > 0 ? phi1 * z[s - 1] : 0) + (s > 1 ? phi2 * z[s - 2] : 0);
                for (var s = 0; s < t; s++) y[i, s] = a[i] * b[s] * z[burn + s] / sd;
            }
            var fit = new DifferenceInDifferences().Estimate(PanelData.FromMatrices(y, w));
            if (r == 0)
            {
                var weights = fit.LinearWeights()!;
                for (var i = 0; i < n; i++)
                    for (var s = 0; s < t; s++)
                        for (var q = 0; q < t; q++) truth += weights[i * t + s] * weights[i * t + q] * a[i] * a[i] * b[s] * b[q] * rho[Math.Abs(s - q)];
            }
            squares += fit.Att * fit.Att;
            for (var m = 0; m < methods.Length; m++)
            {
                var result = fit.WithVariance(methods[m]);
                variances[m][r] = result.Variance;
                if (result.PValue < 0.05) rejections[m]++;
            }
        }
        return (truth, squares / panels, [.. variances.Select(v =>
        {
            var mean = v.Average();
            return (mean, Math.Sqrt(v.Average(x => (x - mean) * (x - mean)) / panels));
        })], [.. rejections.Select(k => k / panels)]);
    }
}
