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
    public void Conditional_on_both_is_the_two_way_ratio_of_its_components()
    {
        var fit = new DifferenceInDifferences().Estimate(California);
        var both = fit.WithVariance(new ConditionalVariance { Replications = 40, Seed = 5 });
        var time = fit.WithVariance(new TimePlaceboVariance());
        var unit = fit.WithVariance(new UnitPlaceboVariance { Replications = 40, Seed = 5 });
        var marginal = fit.WithVariance(new MarginalVariance { Replications = 40, Seed = 5 });

        both.Target.Should().Be(VarianceTarget.ConditionalOnUnitsAndPeriods);
        both.Variance.Should().BeApproximately(time.Variance * unit.Variance / marginal.Variance, 1e-9 * both.Variance);
        both.DegreesOfFreedom.Should().Be(5);   // min(N0 = 38, K = 6 windows) − 1
        both.Components.Select(c => c.Method).Should().Equal("Time placebo", "Unit placebo", "Unit×time placebo");

        fit.WithVariance(new ConditionalVariance { On = VarianceTarget.ConditionalOnUnits }).StandardError.Should().Be(time.StandardError);
        fit.WithVariance(new ConditionalVariance { On = VarianceTarget.ConditionalOnPeriods, Replications = 40, Seed = 5 }).StandardError.Should().Be(unit.StandardError);
        FluentActions.Invoking(() => fit.WithVariance(new ConditionalVariance { On = VarianceTarget.Marginal }))
            .Should().Throw<ArgumentException>().WithMessage("*MarginalVariance*");
    }
}
