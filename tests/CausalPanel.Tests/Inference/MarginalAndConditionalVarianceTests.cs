namespace CausalPanel.Tests.Inference;

public class MarginalAndConditionalVarianceTests
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();

    [Fact]
    public void Unit_by_time_placebo_for_DiD_is_the_mean_square_of_two_by_two_differences()
    {
        // Injected draws: placebo unit b (among the 38 never-treated states), window starting at 2 + b mod 6.
        var controls = California.Pattern.NeverTreatedUnitIndices;
        var result = new DifferenceInDifferences().Estimate(California)
            .WithVariance(new MarginalVariance { Replications = 12, Draws = b => ([b], 2 + b % 6) });

        double Mean(IEnumerable<int> units, int from, int to) =>
            units.SelectMany(i => Enumerable.Range(from, to - from).Select(t => California.Outcomes[i, t])).Average();
        var expected = Enumerable.Range(0, 12).Select(b =>
        {
            int start = 2 + b % 6, end = start + 12, unit = controls[b];
            var others = controls.Where(i => i != unit).ToArray();
            return Mean([unit], start, end) - Mean([unit], 0, start) - (Mean(others, start, end) - Mean(others, 0, start));
        }).ToArray();

        result.Target.Should().Be(VarianceTarget.Marginal);
        result.Replicates.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-9);
        result.StandardError.Should().BeApproximately(Math.Sqrt(expected.Average(e => e * e)), 1e-9);
    }

    [Fact]
    public void Conditional_on_both_rescales_each_time_placebo_by_the_period_noise_of_the_treated_periods()
    {
        // Unit and period heteroskedasticity, σ_it = a_i b_t: V̂ = mean_k τ̂_k² · D_post / D_k, D = b² of the (placebo) treated
        // period + mean b² before it / their number; b̂ is estimated from the residuals, so agreement with the true b is approximate.
        int n = 60, t = 30;
        var rng = new Random(17);
        var b = Enumerable.Range(0, t).Select(_ => Math.Exp(0.5 * MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1))).ToArray();
        b[t - 1] = 2.5;   // a noisy treated period
        var y = new double[n, t];
        var w = new bool[n, t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                y[i, s] = i + 0.2 * s + (1 + i % 3) * b[s] * MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);
        w[n - 1, t - 1] = true;
        var fit = new DifferenceInDifferences().Estimate(PanelData.FromMatrices(y, w));

        var both = fit.WithVariance(new ConditionalVariance());
        var time = fit.WithVariance(new TimePlaceboVariance());
        // Window k is period 2 + k after 2 + k pre-periods; the real one is period T − 1 after T − 1.
        double Contrast(int start) => b[start] * b[start] + Enumerable.Range(0, start).Average(s => b[s] * b[s]) / start;
        var expected = time.Replicates.Select((tau, k) => tau * tau * Contrast(t - 1) / Contrast(2 + k)).Average();

        both.Target.Should().Be(VarianceTarget.ConditionalOnUnitsAndPeriods);
        both.Components.Select(c => c.Method).Should().Equal("Time placebo");
        both.DegreesOfFreedom.Should().Be(time.DegreesOfFreedom);
        time.Replicates.Should().HaveCount(t - 1 - 2);
        (both.Variance / expected).Should().BeInRange(1 / 1.3, 1.3);
        (both.Variance / time.Variance).Should().NotBeInRange(1 / 1.3, 1.3);   // the rescaling matters here

        fit.WithVariance(new ConditionalVariance { On = VarianceTarget.ConditionalOnUnits }).StandardError.Should().Be(time.StandardError);
        fit.WithVariance(new ConditionalVariance { On = VarianceTarget.ConditionalOnPeriods, Replications = 40, Seed = 5 }).StandardError
            .Should().Be(fit.WithVariance(new UnitPlaceboVariance { Replications = 40, Seed = 5 }).StandardError);
        FluentActions.Invoking(() => fit.WithVariance(new ConditionalVariance { On = VarianceTarget.Marginal }))
            .Should().Throw<ArgumentException>().WithMessage("*MarginalVariance*");
    }
}
