namespace CausalPanel.Tests.Simulation;

/// <summary>The single-treated-unit designs of TROP's Table 1 rows 10–21 (<see cref="SimulationDesign.ForTreatedUnit"/>).</summary>
public class TropDesignTests
{
    private static readonly PanelData Germany = Datasets.Germany();

    [Fact]
    public void Simulated_assignment_probabilities_are_the_penalised_synthetic_control_weights()
    {
        // Optimality (KKT) of min ‖ȳ − Xω‖² + 0.1‖ω‖² over the simplex, on the standardised outcomes and all periods
        // but the last: every weight in the support has the smallest gradient, every zero weight a gradient no smaller.
        var design = SimulationDesign.ForTreatedUnit(Germany, AssignmentModel.SyntheticControl);
        var pi = design.TreatmentProbabilities!;
        int n = Germany.UnitCount, t = Germany.PeriodCount - 1, treated = Germany.UnitIndex("West Germany");
        var all = Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(0, Germany.PeriodCount).Select(s => Germany.Outcomes[i, s])).ToArray();
        var mean = all.Average();
        var sd = Math.Sqrt(all.Average(v => (v - mean) * (v - mean)));
        pi[treated].Should().Be(0);
        pi.Sum().Should().BeApproximately(1, 1e-12);
        pi.Should().OnlyContain(p => p >= 0);
        var residual = new double[t];
        for (var s = 0; s < t; s++)
            residual[s] = Enumerable.Range(0, n).Sum(j => pi[j] * Germany.Outcomes[j, s]) / sd - Germany.Outcomes[treated, s] / sd;
        var gradient = Enumerable.Range(0, n).Where(j => j != treated)
            .Select(j => (j, g: 2 * Enumerable.Range(0, t).Sum(s => Germany.Outcomes[j, s] / sd * residual[s]) + 2 * 0.1 * pi[j])).ToArray();
        var min = gradient.Min(x => x.g);
        foreach (var (j, g) in gradient)
            if (pi[j] > 1e-9) g.Should().BeApproximately(min, 1e-7, Germany.Units[j]);
            else g.Should().BeGreaterThanOrEqualTo(min - 1e-7, Germany.Units[j]);
        pi.Count(p => p > 1e-9).Should().BeGreaterThan(1);   // the ridge spreads the weight
    }

    [Fact]
    public void Simulated_assignment_treats_each_unit_with_its_weight_or_one_unit_uniformly_when_none_is_drawn()
    {
        // P(j treated) = π_j + Π_i(1 − π_i)/N (at most one draw exceeds N_tr = 10 only with negligible probability).
        var design = SimulationDesign.ForTreatedUnit(Germany, AssignmentModel.SyntheticControl) with { Noise = NoiseModel.None };
        var pi = design.TreatmentProbabilities!;
        var none = pi.Aggregate(1.0, (p, q) => p * (1 - q));
        const int draws = 20_000;
        var counts = new int[Germany.UnitCount];
        var random = new Random(7);
        for (var d = 0; d < draws; d++)
        {
            var panel = design.Simulate(random);
            foreach (var i in panel.Pattern.TreatedUnitIndices) counts[i]++;
            panel.Pattern.Cohorts[0].PeriodIndex.Should().Be(34);
        }
        for (var j = 0; j < Germany.UnitCount; j++)
        {
            var expected = pi[j] + none / Germany.UnitCount;
            ((double)counts[j] / draws).Should().BeApproximately(expected, 4 * Math.Sqrt(expected * (1 - expected) / draws) + 1e-3, Germany.Units[j]);
        }
    }

    [Fact]
    public void Random_assignment_treats_exactly_the_requested_number_of_units()
    {
        var design = SimulationDesign.ForTreatedUnit(Germany, AssignmentModel.Random);
        for (var seed = 0; seed < 20; seed++)
            design.Simulate(new Random(seed)).Pattern.TreatedUnitCount.Should().Be(10);
        (design with { TreatedUnits = 1, TreatedPeriods = 1 }).Simulate(new Random(1)).Treatment.TreatedCount.Should().Be(1);
    }

    [Fact]
    public void Treated_unit_design_predicts_the_real_treated_unit_over_its_own_pre_treatment_periods()
    {
        // West Germany is treated from 1990 (T0 = 30): the panel is 1960–1989, placebo-treated 1980–1989.
        var design = SimulationDesign.ForTreatedUnit(Germany, AssignmentModel.TreatedUnit) with { Noise = NoiseModel.None };
        var panel = design.Simulate(new Random(3));
        (panel.UnitCount, panel.PeriodCount).Should().Be((17, 30));
        (panel.Periods[0], panel.Periods[^1]).Should().Be(("1960", "1989"));
        panel.Pattern.TreatedUnits.Should().Equal("West Germany");
        panel.Pattern.Cohorts.Single().Period.Should().Be("1980");
        panel.Outcomes[4, 7].Should().BeApproximately(design.Model.Additive(4, 7) + design.Model.Interactive(4, 7), 1e-12);
        var tooLong = () => (design with { TreatedPeriods = 30 }).Simulate(new Random(1));
        tooLong.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*30 pre-treatment periods*");
    }

    [Fact]
    public void Single_unit_designs_need_their_inputs()
    {
        var model = FactorModel.Fit(Germany);
        var noProbabilities = () => new SimulationDesign { Model = model, Assignment = AssignmentModel.SyntheticControl }.Simulate(new Random(1));
        noProbabilities.Should().Throw<ArgumentException>().WithMessage("*TreatmentProbabilities*ForTreatedUnit*");
        var noTarget = () => new SimulationDesign { Model = model, Assignment = AssignmentModel.TreatedUnit }.Simulate(new Random(1));
        noTarget.Should().Throw<ArgumentException>().WithMessage("*TargetUnits*ForTreatedUnit*");
        var fitted = () => SimulationDesign.ForTreatedUnit(Germany, AssignmentModel.Fitted);
        fitted.Should().Throw<ArgumentException>().WithMessage("*Fitted*FactorModel.Fit*");
        var resampled = () => (SimulationDesign.ForTreatedUnit(Germany, AssignmentModel.Random) with { ResampleUnits = 30 }).Simulate(new Random(1));
        resampled.Should().Throw<ArgumentException>().WithMessage("*ResampleUnits*");
    }

    [Fact]
    public void Block_DWCP_at_given_lambdas_needs_no_more_controls_than_treated_units()
    {
        // Germany's random design treats 10 of 17 units; with all three λ's given, nothing is tuned, so the placebo
        // criterion's "more never-treated than treated units" requirement does not apply. At λ_unit = λ_time = 0 and
        // λ_nn = ∞ the block estimator is two-way fixed effects, so τ̂ equals DiD's.
        var panel = SimulationDesign.ForTreatedUnit(Germany, AssignmentModel.Random).Simulate(new Random(5));
        var dwcp = new DoublyWeightedCausalPanel(new DwcpOptions
        {
            Mode = DwcpMode.Block, Standardise = false, LambdaUnit = 0, LambdaTime = 0, LambdaNuclear = double.PositiveInfinity,
        }).Estimate(panel);
        dwcp.Att.Should().BeApproximately(new DifferenceInDifferences().Estimate(panel).Att, 1e-9);
    }
}
