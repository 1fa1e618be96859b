namespace CausalPanel.Tests.Simulation;

public class StaggeredDesignTests
{
    private static readonly FactorModel Model = FactorModel.Fit(Datasets.CaliforniaSmoking());

    private static int[] TreatedPeriods(PanelData p) =>
        [.. p.Pattern.TreatedUnitIndices.Select(i => Enumerable.Range(0, p.PeriodCount).Count(t => p.Treatment[i, t])).Order()];

    [Fact]
    public void Each_replication_deals_the_given_treated_periods_to_the_drawn_units_at_the_end_of_the_panel()
    {
        var design = new SimulationDesign
        {
            Model = Model, Assignment = AssignmentModel.Random, TreatedUnits = 4, TreatedPeriodsByUnit = [9, 2, 5, 2], Noise = NoiseModel.None,
        };
        var dealt = new HashSet<(string Unit, int Periods)>();
        for (var seed = 0; seed < 40; seed++)
        {
            var panel = design.Simulate(new Random(seed));
            panel.Pattern.Design.Should().Be(TreatmentDesign.Staggered);
            TreatedPeriods(panel).Should().Equal(2, 2, 5, 9);
            // Treated from its adoption to the last period, untreated before.
            foreach (var i in panel.Pattern.TreatedUnitIndices)
            {
                var periods = Enumerable.Range(0, panel.PeriodCount).Count(t => panel.Treatment[i, t]);
                Enumerable.Range(panel.PeriodCount - periods, periods).Should().OnlyContain(t => panel.Treatment[i, t]);
                dealt.Add((panel.Units[i], periods));
            }
            panel.Pattern.Cohorts.Select(c => c.PeriodIndex).Should().Equal(31 - 9, 31 - 5, 31 - 2);
        }
        // Which unit gets which duration is random: more pairs than units drawn.
        dealt.Select(d => d.Unit).Distinct().Count().Should().BeGreaterThan(20);
        dealt.GroupBy(d => d.Unit).Should().Contain(g => g.Count() > 1);
    }

    [Fact]
    public void One_cohort_given_by_unit_treats_the_units_the_block_treats()
    {
        // The treated units are drawn before the durations are dealt, so a staggered design treats the units its block would.
        var block = new SimulationDesign { Model = Model, Assignment = AssignmentModel.Random, TreatedUnits = 3, TreatedPeriods = 4 };
        var oneCohort = block with { TreatedPeriodsByUnit = [4, 4, 4] };
        var a = block.Simulate(new Random(5));
        var b = oneCohort.Simulate(new Random(5));
        a.Pattern.TreatedUnitIndices.Should().Equal(b.Pattern.TreatedUnitIndices);
        TreatedPeriods(a).Should().Equal(4, 4, 4);
        TreatedPeriods(b).Should().Equal(4, 4, 4);
    }

    [Fact]
    public void For_adoption_repeats_a_panels_cohorts_and_refuses_a_switching_pattern()
    {
        var file = new SimulationDesign { Model = Model, Assignment = AssignmentModel.Random, TreatedUnits = 5, TreatedPeriodsByUnit = [3, 3, 7, 7, 12] }
            .Simulate(new Random(1));
        var design = SimulationDesign.ForAdoption(file);
        design.TreatedUnits.Should().Be(5);
        design.TreatedPeriodsByUnit!.Order().Should().Equal(3, 3, 7, 7, 12);
        design.Assignment.Should().Be(AssignmentModel.Random);
        design.Name.Should().Be("5 units in 3 cohorts");
        TreatedPeriods(design.Simulate(new Random(2))).Should().Equal(3, 3, 7, 7, 12);

        var california = SimulationDesign.ForAdoption(Datasets.CaliforniaSmoking());
        (california.TreatedUnits, california.TreatedPeriods, california.TreatedPeriodsByUnit).Should().Be((1, 12, (IReadOnlyList<int>?)null));

        var y = new double[4, 4];
        var w = new bool[4, 4];
        w[0, 1] = true;   // on in period 1, off after: a general pattern
        w[1, 3] = true;
        FluentActions.Invoking(() => SimulationDesign.ForAdoption(PanelData.FromMatrices(y, w)))
            .Should().Throw<ArgumentException>().WithMessage("*block or staggered adoption*General*TreatedUnits and TreatedPeriods*");
    }

    [Fact]
    public void Treated_periods_by_unit_are_refused_when_they_do_not_fit_the_design()
    {
        var design = new SimulationDesign { Model = Model, Assignment = AssignmentModel.Random, TreatedUnits = 3 };
        FluentActions.Invoking(() => (design with { TreatedPeriodsByUnit = [2, 3] }).Simulate(new Random(1)))
            .Should().Throw<ArgumentException>().WithMessage("*holds 2 treated units' periods but TreatedUnits is 3*");
        FluentActions.Invoking(() => (design with { TreatedPeriodsByUnit = [2, 3, 31] }).Simulate(new Random(1)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*between 1 and T − 1 = 30; 31 is not*");
        FluentActions.Invoking(() => (design with { TreatedPeriodsByUnit = [2, 0, 3] }).Simulate(new Random(1)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*0 is not*");
        var trop = SimulationDesign.ForTreatedUnit(Datasets.CaliforniaSmoking(), AssignmentModel.SyntheticControl);
        FluentActions.Invoking(() => (trop with { TreatedUnits = 1, TreatedPeriodsByUnit = [2] }).Simulate(new Random(1)))
            .Should().Throw<ArgumentException>().WithMessage("*does not combine with the SyntheticControl assignment*");
    }

    [Fact]
    public void A_variance_comparison_runs_on_staggered_panels_and_power_from_the_shift_equals_power_with_the_effect_added()
    {
        var design = new SimulationDesign
        {
            Model = Model, Assignment = AssignmentModel.Random, TreatedUnits = 6, TreatedPeriodsByUnit = [3, 3, 6, 6, 10, 10],
            Heteroskedasticity = Heteroskedasticity.TwoWay, Name = "staggered",
        };
        VarianceComparisonResult Run(bool shift) => new VarianceComparison
        {
            Estimators = [new DifferenceInDifferences()],
            Methods = [new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods }, new JackknifeVariance()],
            Designs = [design], EffectSizes = [0.05], Replications = 20, Seed = 3, PowerFromShift = shift,
        }.Run();
        var shifted = Run(true);
        shifted.Rows.Should().OnlyContain(r => r.Valid == 20);
        // DiD's ATT moves by exactly the effect added to every treated cell, so the shift gives the power of the panels drawn with it.
        shifted.Rows.Select(r => r.Power[0]).Should().Equal(Run(false).Rows.Select(r => r.Power[0]));
    }
}
