namespace CausalPanel.Tests.Simulation;

public class SimulationDesignTests
{
    private static readonly FactorModel Model = FactorModel.Fit(Datasets.Cps("log_wage", "min_wage"));

    [Fact]
    public void Without_noise_a_panel_is_the_signal_and_the_last_periods_of_at_most_N1_units_are_treated()
    {
        var design = new SimulationDesign { Model = Model, Noise = NoiseModel.None, Interactive = false };
        for (var seed = 0; seed < 20; seed++)
        {
            var panel = design.Simulate(new Random(seed));
            panel.Outcomes[7, 3].Should().Be(Model.Additive(7, 3));
            panel.Pattern.Design.Should().Be(TreatmentDesign.Block);
            panel.Pattern.TreatedUnitCount.Should().BeInRange(1, 10);
            panel.Pattern.Cohorts[0].PeriodIndex.Should().Be(30);
        }
    }

    [Fact]
    public void A_stream_draws_the_same_treated_units_with_and_without_noise()
    {
        // VarianceComparison's misfit share fits each estimator to replication b's panel drawn with Noise = None from the same
        // stream: the treated units are drawn before the noise, so they must be the same units, for every assignment model
        // and with resampled rows.
        var designs = new[]
        {
            new SimulationDesign { Model = Model, TreatedUnits = 5 },
            new SimulationDesign { Model = Model, TreatedUnits = 5, Assignment = AssignmentModel.Uniform, Noise = NoiseModel.Independent },
            new SimulationDesign { Model = Model, TreatedUnits = 3, Assignment = AssignmentModel.Random, Heteroskedasticity = Heteroskedasticity.TwoWay },
            new SimulationDesign { Model = Model, TreatedUnits = 3, Assignment = AssignmentModel.Uniform, ResampleUnits = 60 },
            new SimulationDesign { Model = Model, TreatedUnits = 3, Assignment = AssignmentModel.Random, TreatedPeriodsByUnit = [2, 4, 4] },
        };
        foreach (var design in designs)
        {
            var sets = new HashSet<string>();
            for (var b = 0; b < 10; b++)
            {
                var noisy = design.Simulate(Replicates.Stream(17, b));
                var quiet = (design with { Noise = NoiseModel.None }).Simulate(Replicates.Stream(17, b));
                string Treated(PanelData p) => string.Join(",", p.Pattern.TreatedUnitIndices.Select(i => $"{p.Units[i]}:{Enumerable.Range(0, p.PeriodCount).Count(t => p.Treatment[i, t])}"));
                Treated(quiet).Should().Be(Treated(noisy), $"replication {b} of {design.Assignment}");
                quiet.Units.Should().Equal(noisy.Units);
                sets.Add(Treated(noisy));
            }
            sets.Count.Should().BeGreaterThan(1, "the check compares varying treated sets");
        }
    }

    [Fact]
    public void Simulated_noise_has_the_fitted_covariance()
    {
        // 20,000 unit paths: sampling error of a covariance ≈ √(2/20000) ≈ 1% of the variance.
        var design = new SimulationDesign { Model = Model, Additive = false, Interactive = false };
        int t = Model.PeriodCount;
        double lag0 = 0, lag1 = 0, lag5 = 0, mean = 0;
        var paths = 0;
        for (var seed = 0; seed < 400; seed++)
        {
            var y = design.Simulate(new Random(seed)).Outcomes;
            for (var i = 0; i < Model.UnitCount; i++, paths++)
            {
                lag0 += y[i, 10] * y[i, 10];
                lag1 += y[i, 10] * y[i, 11];
                lag5 += y[i, 10] * y[i, 15];
                mean += y[i, 20];
            }
        }
        (lag0 / paths).Should().BeApproximately(Model.NoiseCovariance(10, 10), 0.05 * Model.NoiseCovariance(10, 10));
        (lag1 / paths).Should().BeApproximately(Model.NoiseCovariance(10, 11), 0.05 * Model.NoiseCovariance(10, 10));
        (lag5 / paths).Should().BeApproximately(Model.NoiseCovariance(10, 15), 0.05 * Model.NoiseCovariance(10, 10));
        (mean / paths).Should().BeApproximately(0, 4 * Math.Sqrt(Model.NoiseCovariance(20, 20) / paths));

        var independent = design with { Noise = NoiseModel.Independent };
        var z = independent.Simulate(new Random(1)).Outcomes;
        var cross = Enumerable.Range(0, Model.UnitCount).Average(i => z[i, 10] * z[i, 11]);
        cross.Should().BeApproximately(0, 4 * Math.Sqrt(Model.NoiseCovariance(10, 10)) * Math.Sqrt(Model.NoiseCovariance(10, 10)) / Math.Sqrt(Model.UnitCount));
    }

    [Fact]
    public void Resampling_draws_signal_rows_with_replacement()
    {
        var design = new SimulationDesign { Model = Model, ResampleUnits = 200, TreatedUnits = 20, Noise = NoiseModel.None };
        var panel = design.Simulate(new Random(3));
        panel.UnitCount.Should().Be(200);
        panel.Pattern.TreatedUnitCount.Should().Be(20);
        var source = Model.Units.ToList().IndexOf(panel.Units[0].Split('#')[0]);
        panel.Outcomes[0, 5].Should().BeApproximately(Model.Additive(source, 5) + Model.Interactive(source, 5), 1e-12);
    }

    [Fact]
    public void Impossible_block_sizes_are_refused()
    {
        FluentActions.Invoking(() => new SimulationDesign { Model = Model, TreatedUnits = 50 }.Simulate(new Random(1)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*TreatedUnits*49*");
        FluentActions.Invoking(() => new SimulationDesign { Model = Model, TreatedPeriods = 0 }.Simulate(new Random(1)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*TreatedPeriods*");
    }
}
