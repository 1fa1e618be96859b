using CausalPanel.Tests.Support;
using MathNet.Numerics.Distributions;

namespace CausalPanel.Tests.Inference;

/// <summary>
/// "Conditional on units and periods" (placebo ratio and regression plug-in) against the truth under two-way noise
/// σ_it = a_i·b_t with known scales (strong unit, mild period heteroskedasticity, <see cref="TwoWayNoiseDf.Scales"/>): over
/// 2,000 simulated panels, the mean reported variance against DiD's closed-form variance Σ_it w²_it σ²_it (DiD is linear,
/// τ̂ = Σ w_it Y_it, its weights fixed by the design) and the rejection rate of the 95% t interval against 0.05. Before the
/// weighted (feasible-GLS) noise model the scales came from the residuals of an unweighted two-way fit, whose period means
/// are the noisy units' noise: in the quietest unit the plug-in's variance was 1.2 times the truth and its size 0.000, the placebo
/// ratio's size 0.005 (its Satterthwaite df 7 where its windows carry 26), on a 39 × 31 panel with log a_i, log b_t of sd 0.95
/// and 0.35 as on the variance-power page. Slow (about 2 minutes on a quiet machine, 8 loaded).
/// </summary>
public class BothVarianceCalibrationTests
{
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("quietest unit", 1)]
    [InlineData("noisiest unit", 1)]
    [InlineData("block", 4)]
    public void Mean_variance_is_the_closed_form_and_the_interval_holds_its_size(string treated, int periods)
    {
        const int n = 30, t = 24, panels = 2000;
        var rng = new Random(8);
        var (a, b) = TwoWayNoiseDf.Scales(rng, n, t);
        var order = Enumerable.Range(0, n).OrderBy(i => a[i]).ToArray();
        int[] rows = treated switch { "quietest unit" => [order[0]], "noisiest unit" => [order[^1]], _ => [.. Enumerable.Range(0, periods).Select(k => order[3 + 7 * k])] };   // a block: periods × periods
        var w = new bool[n, t];
        foreach (var i in rows)
            for (var s = t - periods; s < t; s++) w[i, s] = true;
        IVarianceEstimator[] methods = [new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods }, new ConditionalVariance { MaxDegreeOfParallelism = 1 }];
        var variances = methods.Select(_ => new double[panels]).ToArray();
        var rejections = new int[methods.Length];
        double truth = 0, squares = 0;
        for (var r = 0; r < panels; r++)
        {
            var y = new double[n, t];
            for (var i = 0; i < n; i++)
                for (var s = 0; s < t; s++) y[i, s] = a[i] * b[s] * Normal.Sample(rng, 0, 1);
            var fit = new DifferenceInDifferences().Estimate(PanelData.FromMatrices(y, w));
            if (r == 0)
            {
                var weights = fit.LinearWeights()!;
                for (var k = 0; k < weights.Length; k++) truth += weights[k] * weights[k] * Math.Pow(a[k / t] * b[k % t], 2);
            }
            squares += fit.Att * fit.Att;
            for (var m = 0; m < methods.Length; m++)
            {
                var result = fit.WithVariance(methods[m]);
                variances[m][r] = result.Variance;
                if (result.PValue < 0.05) rejections[m]++;
            }
        }
        // The brute-force variance of τ̂ (its mean is 0) agrees with the closed form (its MC s.e. is about √(2/2000) = 3%, more with heavy-tailed a_i).
        (squares / panels / truth).Should().BeInRange(0.88, 1.12);
        for (var m = 0; m < methods.Length; m++)
        {
            var mean = variances[m].Average();
            var se = Math.Sqrt(variances[m].Average(v => (v - mean) * (v - mean)) / panels);
            // Unbiased within 3 MC s.e. (plus 3% for the treated cells' leverage, approximated as if the panel were complete).
            Math.Abs(mean - truth).Should().BeLessThan(3 * se + 0.03 * truth, $"{methods[m].Name}, {treated}: mean variance {mean:G4}, closed form {truth:G4}");
            // Size in the band [0.03, 0.07] (3 MC s.e. of 0.05 is 0.015; the placebo ratio on a block is somewhat conservative).
            ((double)rejections[m] / panels).Should().BeInRange(0.03, 0.07, $"{methods[m].Name}, {treated}");
        }
    }
}
