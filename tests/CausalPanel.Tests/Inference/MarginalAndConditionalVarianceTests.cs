using CausalPanel.Tests.Support;

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
        time.Replicates.Should().HaveCount(t - 1 - 2);
        // Satterthwaite df K²/Σρ²_kl of the windows' contrasts c_k (1 on period 2 + k, −1/(2 + k) on each period before it),
        // correlated through their shared pre-periods: from the true b, brute force over every period.
        var count = time.Replicates.Count;
        double Cross(int p, int q) => Enumerable.Range(0, t).Sum(s =>
            (s == p ? 1 : s < p ? -1.0 / p : 0) * (s == q ? 1 : s < q ? -1.0 / q : 0) * b[s] * b[s]);
        var squares = Enumerable.Range(2, count).Sum(p => Enumerable.Range(2, count).Sum(q => Cross(p, q) * Cross(p, q) / (Cross(p, p) * Cross(q, q))));
        // plus the noise of b̂²_t in the real contrast: Σ_t (c(t)² b²_t)² κ / n_t / D², κ = 2 (Gaussian), n_t the untreated cells.
        var post = Cross(t - 1, t - 1);
        var scales = Enumerable.Range(0, t).Sum(s => Math.Pow((s == t - 1 ? 1 : 1.0 / ((t - 1) * (t - 1))) * b[s] * b[s], 2) * 2 / (s == t - 1 ? n - 1 : n)) / (post * post);
        var expectedDf = 2 / (2 * squares / (count * count) + scales);
        both.DegreesOfFreedom!.Value.Should().BeInRange(0.85 * expectedDf, Math.Min(count - 1, 1.15 * expectedDf));
        (both.Variance / expected).Should().BeInRange(1 / 1.3, 1.3);
        (both.Variance / time.Variance).Should().NotBeInRange(1 / 1.3, 1.3);   // the rescaling matters here

        fit.WithVariance(new ConditionalVariance { On = VarianceTarget.ConditionalOnUnits }).StandardError.Should().Be(time.StandardError);
        fit.WithVariance(new ConditionalVariance { On = VarianceTarget.ConditionalOnPeriods, Replications = 40, Seed = 5 }).StandardError
            .Should().Be(fit.WithVariance(new UnitPlaceboVariance { Replications = 40, Seed = 5 }).StandardError);
        // A 5-period block: its windows overlap in 4 of 5 periods, so its placebo effects carry far fewer than K − 1 df.
        var block = new bool[n, t];
        for (var i = n - 10; i < n; i++)
            for (var s = t - 5; s < t; s++) block[i, s] = true;
        var blockFit = new DifferenceInDifferences().Estimate(PanelData.FromMatrices(y, block));
        var blockTime = blockFit.WithVariance(new TimePlaceboVariance());
        blockFit.WithVariance(new ConditionalVariance()).DegreesOfFreedom.Should().BeLessThan(blockTime.DegreesOfFreedom!.Value / 2);
        FluentActions.Invoking(() => fit.WithVariance(new ConditionalVariance { On = VarianceTarget.Marginal }))
            .Should().Throw<ArgumentException>().WithMessage("*MarginalVariance*");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 5)]
    public void Conditional_on_both_degrees_of_freedom_match_the_spread_of_its_variance_over_simulated_panels(int treatedUnits, int treatedPeriods)
    {
        // Brute force: over 2,000 panels with σ_it = a_i·b_t (strong unit, mild period heteroskedasticity) and fixed treated cells
        // (the last periods of the last units), 2 (mean V̂)² / var V̂ — the df of the scaled χ² that matches V̂'s first two
        // moments — against the mean of the Satterthwaite df each panel reports (capped at K − 1). One cell: 27 disjoint windows;
        // a 5 × 5 block: 22 windows overlapping in up to 4 of 5 periods, so far fewer df than K − 1 = 21. The Monte-Carlo s.e.
        // of a brute-force df is about √(2/2000)·√(1 + 6/df)·df, 4-5% here.
        const int n = 40, t = 30, panels = 2000;
        var rng = new Random(5);
        var (a, b) = TwoWayNoiseDf.Scales(rng, n, t);
        var w = new bool[n, t];
        for (var i = n - treatedUnits; i < n; i++)
            for (var s = t - treatedPeriods; s < t; s++) w[i, s] = true;
        var (empirical, reported) = TwoWayNoiseDf.Compare(rng, a, b, w, panels, new ConditionalVariance { MaxDegreeOfParallelism = 1 });
        // Measured: 14.5 against 15.5 (one cell), 6.4 against 6.2 (block) with the weighted noise model and the df matched to the
        // t ratio's 97.5% quantile (Imhof), which here is close to matching V̂'s spread; the size is checked in BothVarianceCalibrationTests.
        (reported / empirical).Should().BeInRange(0.85, 1.15, $"the reported df average {reported:F1} and the brute-force df is {empirical:F1}");
    }
}
