using CausalPanel.Numerics;
using FluentAssertions;
using MathNet.Numerics.Distributions;
using Xunit;

namespace CausalPanel.Tests.Numerics;

/// <summary>
/// The placebo effects' noise-plus-misfit model, τ̂_b ~ N(0, κV_b + M·S_b): its fit against the likelihood's optimality
/// conditions and a brute-force grid, and recovery of known (κ, M) from many simulated placebos.
/// </summary>
public class PlaceboErrorModelTests
{
    private static double LogLikelihood(double kappa, double misfit, double[] v, double[] s, double[] y) =>
        -0.5 * v.Select((_, b) => kappa * v[b] + misfit * s[b]).Select((mu, b) => y[b] / mu + Math.Log(mu)).Sum();

    private static (double[] V, double[] S, double[] Y) Placebos(int seed, int count, double kappa, double misfit)
    {
        var rng = new Random(seed);
        var v = Enumerable.Range(0, count).Select(_ => Math.Exp(Normal.Sample(rng, 0, 1))).ToArray();   // noise scales spread over units
        var s = Enumerable.Range(0, count).Select(_ => 0.5 + 0.1 * rng.NextDouble()).ToArray();
        var y = v.Select((_, b) => (kappa * v[b] + misfit * s[b]) * Math.Pow(Normal.Sample(rng, 0, 1), 2)).ToArray();
        return (v, s, y);
    }

    [Theory]
    [InlineData(1, 1.0, 0.0)]
    [InlineData(2, 1.0, 2.0)]
    [InlineData(3, 0.0, 1.0)]
    [InlineData(4, 0.3, 0.3)]
    public void The_fit_maximises_the_Gaussian_likelihood_of_the_placebo_effects(int seed, double kappa, double misfit)
    {
        var (v, s, y) = Placebos(seed, 60, kappa, misfit);
        var (k, m, _) = PlaceboErrorModel.Fit(v, s, y);
        k.Should().BeGreaterThanOrEqualTo(0);
        m.Should().BeGreaterThanOrEqualTo(0);

        // Optimality (Karush–Kuhn–Tucker): the score in κ and in M is 0 where the parameter is positive and ≤ 0 where it is 0.
        double Score(double[] x) => 0.5 * x.Select((xb, b) => (k * v[b] + m * s[b]) is var mu ? (y[b] / (mu * mu) - 1 / mu) * xb : 0).Sum();
        var size = y.Sum(x => x) / y.Length;
        foreach (var (value, x) in new[] { (k, v), (m, s) })
        {
            var score = Score(x) * size;   // scale-free
            if (value > 1e-9) score.Should().BeApproximately(0, 1e-5 * y.Length);
            else score.Should().BeLessThanOrEqualTo(1e-5 * y.Length);
        }

        // No point of a brute-force grid over (κ, M) is more likely.
        var best = LogLikelihood(k, m, v, s, y);
        var top = 4 * y.Average() / Math.Min(v.Average(), s.Average());
        for (var i = 0; i <= 200; i++)
            for (var j = 0; j <= 200; j++)
            {
                double gk = top * i / 200, gm = top * j / 200;
                if (gk + gm == 0) continue;
                LogLikelihood(gk, gm, v, s, y).Should().BeLessThanOrEqualTo(best + 1e-9);
            }
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(1.0, 1.0)]
    [InlineData(0.0, 1.0)]
    public void Many_placebos_recover_the_noise_scale_and_the_misfit(double kappa, double misfit)
    {
        var (v, s, y) = Placebos(7, 20_000, kappa, misfit);
        var (k, m, _) = PlaceboErrorModel.Fit(v, s, y);
        k.Should().BeApproximately(kappa, 0.06);
        m.Should().BeApproximately(misfit, 0.1);
    }

    [Fact]
    public void Placebo_effects_that_are_all_zero_leave_the_noise_model_as_it_is() =>
        PlaceboErrorModel.Fit([1, 2], [0.5, 0.5], [0, 0]).Should().Be((1.0, 0.0, 0.0));
}
