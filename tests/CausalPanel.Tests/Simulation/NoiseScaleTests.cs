using CausalPanel.Numerics;
using MathNet.Numerics.Distributions;

namespace CausalPanel.Tests.Simulation;

/// <summary>The two-way noise-scale model σ²_it = a²_i b²_t (issue 20): its fit, shrinkage, unbiasing, and the designs drawn with it.</summary>
public class NoiseScaleTests
{
    private static double[] Ones(int count) => Enumerable.Repeat(1.0, count).ToArray();

    [Fact]
    public void Exactly_separable_squares_are_recovered_without_shrinkage()
    {
        // e²_it = a²_i b²_t exactly: every standardised square is 1, so κ = 0, nothing is shrunk, and the fit is the product.
        int n = 7, t = 5;
        var a2 = new[] { 0.2, 1, 3, 0.5, 8, 1.5, 0.9 };
        var b2 = new[] { 1, 4, 0.25, 2, 0.5 };
        var squares = new double[n * t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++) squares[i * t + s] = a2[i] * b2[s];

        var (units, periods) = NoiseScales.Fit(squares, Ones(n * t), n, t, units: true, periods: true);

        periods.Average().Should().BeApproximately(1, 1e-12);
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++) (units[i] * periods[s]).Should().BeApproximately(a2[i] * b2[s], 1e-9 * a2[i] * b2[s]);
    }

    [Fact]
    public void Scales_the_residuals_cannot_tell_apart_shrink_to_the_common_one()
    {
        // Homoskedastic Gaussian noise: the raw unit variances over T = 40 cells scatter by √(2/40) ≈ 22% in logs;
        // the empirical-Bayes factor τ²/(τ² + v) is ≈ 0, so the fitted scales are (nearly) all equal.
        int n = 50, t = 40;
        var rng = new Random(3);
        var squares = Enumerable.Range(0, n * t).Select(_ => Math.Pow(Normal.Sample(rng, 0, 2), 2)).ToArray();
        var raw = Enumerable.Range(0, n).Select(i => Math.Log(squares.Skip(i * t).Take(t).Average())).ToArray();
        var (units, _) = NoiseScales.Fit(squares, Ones(n * t), n, t, units: true, periods: false);
        var fitted = units.Select(v => Math.Log(v)).ToArray();

        Sd(raw).Should().BeGreaterThan(0.15);
        Sd(fitted).Should().BeLessThan(0.3 * Sd(raw));
        units.Average().Should().BeApproximately(squares.Average(), 0.02 * squares.Average());   // the level is kept (here σ² = 4)
    }

    [Fact]
    public void A_factor_model_recovers_known_unit_and_period_noise_scales()
    {
        int n = 60, t = 50;
        var rng = new Random(5);
        var a = Enumerable.Range(0, n).Select(_ => Math.Exp(0.6 * Normal.Sample(rng, 0, 1))).ToArray();
        var b = Enumerable.Range(0, t).Select(_ => Math.Exp(0.4 * Normal.Sample(rng, 0, 1))).ToArray();
        var y = new double[n, t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++) y[i, s] = 3 * i + 2 * Math.Sin(s) + a[i] * b[s] * Normal.Sample(rng, 0, 1);
        var w = new bool[n, t];
        w[0, t - 1] = true;
        var model = FactorModel.Fit(PanelData.FromMatrices(y, w), rank: 2);

        double MeanSquare(Heteroskedasticity h) => Enumerable.Range(0, n).Sum(i => Enumerable.Range(0, t).Sum(s => Math.Pow(model.NoiseScale(h, i, s), 2))) / (n * t);
        foreach (var h in Enum.GetValues<Heteroskedasticity>()) MeanSquare(h).Should().BeApproximately(1, 1e-12, h.ToString());
        model.NoiseScale(Heteroskedasticity.None, 3, 4).Should().Be(1);
        model.NoiseScale(Heteroskedasticity.Units, 3, 4).Should().BeApproximately(model.NoiseScale(Heteroskedasticity.Units, 3, 9), 1e-12);
        model.NoiseScale(Heteroskedasticity.Periods, 3, 4).Should().BeApproximately(model.NoiseScale(Heteroskedasticity.Periods, 8, 4), 1e-12);

        var logA = a.Select(v => Math.Log(v)).ToArray();
        var logB = b.Select(v => Math.Log(v)).ToArray();
        Correlation(logA, Enumerable.Range(0, n).Select(i => Math.Log(model.NoiseScale(Heteroskedasticity.TwoWay, i, 0))).ToArray()).Should().BeGreaterThan(0.9);
        Correlation(logB, Enumerable.Range(0, t).Select(s => Math.Log(model.NoiseScale(Heteroskedasticity.TwoWay, 0, s))).ToArray()).Should().BeGreaterThan(0.9);
        Correlation(logA, Enumerable.Range(0, n).Select(i => Math.Log(model.NoiseScale(Heteroskedasticity.Units, i, 0))).ToArray()).Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void A_heteroskedastic_design_draws_noise_with_the_fitted_scales_and_adds_the_effect()
    {
        var model = FactorModel.Fit(Datasets.Cps("log_wage", "min_wage"));
        int n = model.UnitCount, t = model.PeriodCount;
        // Independent noise of variance σ² = ‖Σ‖_F/√T scaled by σ_it^λ / √mean(σ^2λ): over many draws each unit's noise
        // variance is σ² mean_t σ²_it.
        var sigma2 = Math.Sqrt(Enumerable.Range(0, t).Sum(s => Enumerable.Range(0, t).Sum(q => Math.Pow(model.NoiseCovariance(s, q), 2)))) / Math.Sqrt(t);
        const double strength = 4;
        var norm = Enumerable.Range(0, n).Sum(i => Enumerable.Range(0, t).Sum(s => Math.Pow(model.NoiseScale(Heteroskedasticity.Units, i, s), 2 * strength))) / (n * t);
        var design = new SimulationDesign
        {
            Model = model, Additive = false, Interactive = false, Noise = NoiseModel.Independent,
            Heteroskedasticity = Heteroskedasticity.Units, HeteroskedasticityStrength = strength, Effect = 0.7, TreatedUnits = 1, TreatedPeriods = 1,
        };
        var sums = new double[n];
        const int draws = 100;
        var rng = new Random(9);
        for (var d = 0; d < draws; d++)
        {
            var (panel, scale) = design.Draw(rng);
            var treated = panel.Pattern.TreatedUnitIndices.Single();
            scale.Should().BeApproximately(Math.Pow(model.NoiseScale(Heteroskedasticity.Units, treated, t - 1), strength) / Math.Sqrt(norm), 1e-12);
            for (var i = 0; i < n; i++)
                for (var s = 0; s < t; s++)
                    sums[i] += Math.Pow(panel.Outcomes[i, s] - (panel.Treatment[i, s] ? 0.7 : 0), 2);
        }
        for (var i = 0; i < n; i++)
        {
            var expected = sigma2 * Math.Pow(model.NoiseScale(Heteroskedasticity.Units, i, 0), 2 * strength) / norm;
            (sums[i] / (draws * t)).Should().BeApproximately(expected, 5 * expected * Math.Sqrt(2.0 / (draws * t)), $"unit {i}");
        }
        FluentActions.Invoking(() => (design with { HeteroskedasticityStrength = -1 }).Simulate(rng)).Should().Throw<ArgumentOutOfRangeException>();
    }

    private static double Sd(double[] x)
    {
        var mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        return x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }
}
