namespace CausalPanel.Tests.Inference;

public class PlaceboInferenceTests
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();

    [Fact]
    public void With_one_treated_unit_every_control_is_the_placebo_once_and_DiD_placebos_are_two_by_two_differences()
    {
        var controls = California.Pattern.NeverTreatedUnitIndices;
        double Mean(IEnumerable<int> units, int from, int to) =>
            units.SelectMany(i => Enumerable.Range(from, to - from).Select(t => California.Outcomes[i, t])).Average();
        var expected = controls.Select(j =>
        {
            var others = controls.Where(i => i != j).ToArray();
            return Mean([j], 19, 31) - Mean([j], 0, 19) - (Mean(others, 19, 31) - Mean(others, 0, 19));
        }).ToArray();

        var result = new DifferenceInDifferences().Estimate(California).WithVariance(new UnitPlaceboVariance());

        result.Replicates.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-9);
        result.ReplicateLabels.Should().Equal(California.Pattern.NeverTreatedUnits);
        var mean = expected.Average();
        result.StandardError.Should().BeApproximately(Math.Sqrt(expected.Average(e => (e - mean) * (e - mean))), 1e-9);
        result.Seed.Should().BeNull();
        new UnitPlaceboVariance { Exhaustive = false, Replications = 50, Seed = 3 }.Estimate(new DifferenceInDifferences(), California)
            .ValidReplications.Should().Be(50);
    }

    [Fact]
    public void Event_time_standard_errors_are_the_spread_of_the_per_period_placebo_effects()
    {
        // DiD placebo for state j in post year t: (Y_jt − Ȳ_j,pre) − (Ȳ_others,t − Ȳ_others,pre).
        var controls = California.Pattern.NeverTreatedUnitIndices;
        double Mean(IEnumerable<int> units, int from, int to) =>
            units.SelectMany(i => Enumerable.Range(from, to - from).Select(t => California.Outcomes[i, t])).Average();
        var result = new DifferenceInDifferences().Estimate(California).WithVariance(new UnitPlaceboVariance());

        result.EventTimeStandardErrors.Keys.Should().Equal(Enumerable.Range(0, 12));
        for (var e = 0; e < 12; e++)
        {
            var effects = controls.Select(j =>
            {
                var others = controls.Where(i => i != j).ToArray();
                return California.Outcomes[j, 19 + e] - Mean([j], 0, 19) - (Mean(others, 19 + e, 20 + e) - Mean(others, 0, 19));
            }).ToArray();
            var mean = effects.Average();
            result.EventTimeStandardErrors[e].Should().BeApproximately(Math.Sqrt(effects.Average(x => (x - mean) * (x - mean))), 1e-9);
        }
    }

    [Fact]
    public void Placebo_quantile_interval_and_rank_p_value_follow_their_definitions()
    {
        // Placebo effects −49..49; R: quantile(-49:49, c(.025, .975)) = −46.55, 46.55.
        var result = new VarianceResult
        {
            Method = "test", Target = VarianceTarget.ConditionalOnPeriods, Estimate = 10, StandardError = 1,
            Replicates = Enumerable.Range(-49, 99).Select(v => (double)v).ToArray(), ReplicatesArePlaceboEffects = true,
        };
        var interval = result.PlaceboInterval!.Value;
        interval.Lower.Should().BeApproximately(10 - 46.55, 1e-12);
        interval.Upper.Should().BeApproximately(10 + 46.55, 1e-12);
        interval.Method.Should().Be("placebo quantiles");
        result.PlaceboPValue.Should().BeApproximately(81.0 / 100, 1e-15);   // 80 placebos with |τ̂_b| ≥ 10

        (result with { ReplicatesArePlaceboEffects = false }).PlaceboInterval.Should().BeNull();
        new JackknifeVariance().Estimate(new DifferenceInDifferences(), Support.Reference.CpsMinWageBlock()).PlaceboPValue.Should().BeNull();
    }
}
