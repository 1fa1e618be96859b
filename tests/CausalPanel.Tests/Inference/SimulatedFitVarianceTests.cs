using MathNet.Numerics.Distributions;

namespace CausalPanel.Tests.Inference;

/// <summary>
/// <see cref="SimulatedFitVariance"/>, the rescaled placebo's per-fit variance by simulation: against DiD's closed form (its weights
/// do not follow the noise) and against SDID's brute-force E τ̂² over independent noise panels (the control-variate draws
/// τ̂² − T² + E T² must be unbiased for it).
/// </summary>
public class SimulatedFitVarianceTests
{
    private const int Units = 16, Periods = 10, Treated = 4, Post = 3;

    /// <summary>Unit variances spread over a factor of 20 and a period profile, as two-way heteroskedastic noise.</summary>
    private static readonly double[] UnitVariances = [.. Enumerable.Range(0, Units).Select(i => Math.Pow(20, (i * 7 % Units) / (Units - 1.0)))];
    private static readonly double[] PeriodVariances = [.. Enumerable.Range(0, Periods).Select(s => 0.5 + 0.1 * s)];

    private static PanelData Panel(Random random) =>
        PanelData.FromMatrices(
            Matrix(random),
            Treatment(),
            [.. Enumerable.Range(0, Units).Select(i => $"u{i}")], [.. Enumerable.Range(0, Periods).Select(s => $"{2000 + s}")]);

    private static bool[,] Treatment()
    {
        var w = new bool[Units, Periods];
        for (var i = Units - Treated; i < Units; i++)
            for (var s = Periods - Post; s < Periods; s++) w[i, s] = true;
        return w;
    }

    private static double[,] Matrix(Random random)
    {
        var y = new double[Units, Periods];
        for (var i = 0; i < Units; i++)
            for (var s = 0; s < Periods; s++) y[i, s] = Math.Sqrt(UnitVariances[i] * PeriodVariances[s]) * Normal.Sample(random, 0, 1);
        return y;
    }

    /// <summary>The real fit's layout: its controls first, then its treated units with their adoption column.</summary>
    private static (UnitPlaceboVariance.PlaceboLayout, int) RealLayout(int draws) => (new(
        [.. Enumerable.Range(0, Units)], Units - Treated,
        [.. Enumerable.Range(0, Units).Select(i => i >= Units - Treated ? (int?)(Periods - Post) : null)], "real fit"), draws);

    [Fact]
    public void DiD_variance_by_simulation_is_its_closed_form()
    {
        var estimator = new DifferenceInDifferences();
        var fit = estimator.Estimate(Panel(new Random(1))) with { Source = estimator };
        var variance = SimulatedFitVariance.Of(fit, [RealLayout(4000)], UnitVariances, PeriodVariances, 7, 1, null, default)[0].Mean;

        // τ̂ = mean over treated of (post mean − pre mean) − the same over controls: Σ_i w²_i v_i (Σ_post b²/T1² + Σ_pre b²/T0²).
        int pre = Periods - Post;
        var perUnit = PeriodVariances.Skip(pre).Sum() / (Post * Post) + PeriodVariances.Take(pre).Sum() / (pre * pre);
        var treatedPart = UnitVariances.Skip(Units - Treated).Sum() * perUnit / (Treated * Treated);
        var controlPart = UnitVariances.Take(Units - Treated).Sum() * perUnit / Math.Pow(Units - Treated, 2);
        // The treated part is exact (the control variate); the control part's relative MC s.e. is √(2/4000) = 2.2%.
        variance.Should().BeApproximately(treatedPart + controlPart, 4 * 0.023 * controlPart);
    }

    [Fact]
    public void SDID_variance_by_simulation_is_the_brute_force_mean_square_over_independent_panels()
    {
        var estimator = new SyntheticDifferenceInDifferences();
        var fit = estimator.Estimate(Panel(new Random(2))) with { Source = estimator };
        var simulated = SimulatedFitVariance.Of(fit, [RealLayout(3000)], UnitVariances, PeriodVariances, 11, 1, null, default)[0].Mean;

        // Brute force: the estimator the simulation re-runs (the fit's regularisation, started from its weights) on 3000 panels
        // drawn independently of the simulation's streams.
        var replicate = fit.ForReplicate([.. Enumerable.Range(0, Units - Treated)], fixWeights: false);
        var random = new Random(3);
        var squares = Enumerable.Range(0, 3000).Select(_ => Math.Pow(replicate.Estimate(Panel(random)).Att, 2)).ToArray();
        var mean = squares.Average();
        var se = Math.Sqrt(squares.Average(q => (q - mean) * (q - mean)) / squares.Length);
        // As many draws each: the simulation's s.e. is at most the brute force's (the treated part is exact in it).
        Math.Abs(simulated - mean).Should().BeLessThan(4 * Math.Sqrt(2) * se, $"simulated {simulated:G4}, brute force {mean:G4} ± {se:G2}");
    }

    [Fact]
    public void The_draws_Monte_Carlo_variance_is_the_Gaussian_closed_form_for_DiD()
    {
        // Per draw τ̂² − T² + E T² = C² + 2TC + E T², with T and C DiD's independent Gaussian treated and control parts:
        // its variance is 2σ⁴_C + 4σ²_T σ²_C, and the mean's that over the draws.
        var estimator = new DifferenceInDifferences();
        var fit = estimator.Estimate(Panel(new Random(1))) with { Source = estimator };
        const int draws = 4000;
        var (_, monteCarlo) = SimulatedFitVariance.Of(fit, [RealLayout(draws)], UnitVariances, PeriodVariances, 7, 1, null, default)[0];

        int pre = Periods - Post;
        var perUnit = PeriodVariances.Skip(pre).Sum() / (Post * Post) + PeriodVariances.Take(pre).Sum() / (pre * pre);
        var treatedPart = UnitVariances.Skip(Units - Treated).Sum() * perUnit / (Treated * Treated);
        var controlPart = UnitVariances.Take(Units - Treated).Sum() * perUnit / Math.Pow(Units - Treated, 2);
        // A sample variance of 4000 draws of a variable with kurtosis below 15 is within 20% of the truth at 4 s.e.
        monteCarlo.Should().BeApproximately((2 * controlPart * controlPart + 4 * treatedPart * controlPart) / draws, 0.2 * monteCarlo);
    }

    [Fact]
    public void The_two_way_plug_in_by_simulation_is_DiDs_closed_form_and_refused_for_SC()
    {
        var data = Panel(new Random(4));
        var did = new DifferenceInDifferences().Estimate(data);
        var formula = did.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods });
        var simulated = did.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods, SimulationDraws = 4000 });

        // DiD's weights do not follow the noise: the simulation under the plug-in's fitted scales reproduces its formula, DiD's
        // closed form with those scales, within the draws' Monte-Carlo error (2σ⁴_C + 4σ²_T σ²_C per draw).
        var untreated = new double[Units * Periods];
        for (var k = 0; k < untreated.Length; k++) untreated[k] = data.Treatment.Values[k] ? 0 : 1;
        var model = CausalPanel.Numerics.NoiseScales.FitTwoWay(data.Outcomes.Values, untreated, Units, Periods);
        int pre = Periods - Post;
        double Part(IEnumerable<int> units, int count) => units.Sum(i => model.Units[i]) / (count * count)
            * (model.Periods.Skip(pre).Sum() / (Post * Post) + model.Periods.Take(pre).Sum() / (pre * pre));
        var (treatedPart, controlPart) = (Part(Enumerable.Range(Units - Treated, Treated), Treated), Part(Enumerable.Range(0, Units - Treated), Units - Treated));
        formula.Variance.Should().BeApproximately(treatedPart + controlPart, 1e-12 * formula.Variance);
        simulated.Variance.Should().BeApproximately(formula.Variance, 4 * Math.Sqrt((2 * controlPart * controlPart + 4 * treatedPart * controlPart) / 4000));
        simulated.Method.Should().Be("Regression (two-way, 4000 draws)");
        simulated.DegreesOfFreedom.Should().BePositive();

        // SC follows additive unit effects, so noise-only panels do not stand for its panel; another noise model has no simulation.
        var sc = new SyntheticControl().Estimate(data).WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods, SimulationDraws = 50 });
        sc.IsDefined.Should().BeFalse();
        sc.UndefinedReason.Should().Contain("additive unit or period effects").And.Contain("SimulationDraws = 0");
        var sdid = new SyntheticDifferenceInDifferences().Estimate(data);
        sdid.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods, SimulationDraws = 50 }).IsDefined.Should().BeTrue();
        FluentActions.Invoking(() => sdid.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnits, SimulationDraws = 50 }))
            .Should().Throw<ArgumentException>().WithMessage("*SimulationDraws simulates the two-way noise model*On = ConditionalOnUnits*");
        // The simulated rescaling keeps the formula's degrees of freedom for the treated units' scales (taken against the smaller
        // simulated variance they fell to 1 on R fect's turnout panel): with the same placebo draws its df are the formula's order.
        var byFormula = sdid.WithVariance(new ConditionalVariance { Replications = 10, RescalingDraws = 0 });
        var bySimulation = sdid.WithVariance(new ConditionalVariance { Replications = 10, RescalingDraws = 5 });
        bySimulation.DegreesOfFreedom!.Value.Should().BeInRange(byFormula.DegreesOfFreedom!.Value / 2, byFormula.DegreesOfFreedom.Value * 2);
        var scPlacebo = new SyntheticControl().Estimate(data).WithVariance(new ConditionalVariance { Replications = 10, RescalingDraws = 5 });
        scPlacebo.IsDefined.Should().BeFalse();
        scPlacebo.UndefinedReason.Should().Contain("RescalingDraws = 0");
    }

    [Fact]
    public void The_rescaling_is_simulated_by_default_only_for_SDID_with_more_than_one_treated_unit()
    {
        // SDID fits its time weights, which absorb the controls' noise in sample (variance-power.md's block: the formula's size
        // 0.061 / 0.071 / 0.062 by noise tercile); with one treated unit a placebo fit's controls are the real fit's but one.
        var data = Panel(new Random(11));
        var sdid = new SyntheticDifferenceInDifferences().Estimate(data);
        var byDefault = sdid.WithVariance(new ConditionalVariance { Replications = 10, Seed = 3 });
        byDefault.StandardError.Should().Be(sdid.WithVariance(new ConditionalVariance { Replications = 10, Seed = 3, RescalingDraws = 10 }).StandardError);
        byDefault.StandardError.Should().NotBe(sdid.WithVariance(new ConditionalVariance { Replications = 10, Seed = 3, RescalingDraws = 0 }).StandardError);
        byDefault.Method.Should().Be("Conditional on units and periods");
        // Progress counts on through the simulated fits (the 10 placebos, then the real fit and each placebo fit once or twice).
        var counts = new System.Collections.Concurrent.ConcurrentBag<int>();
        sdid.WithVariance(new ConditionalVariance { Replications = 10, Seed = 3, Progress = new Counts(counts) });
        counts.Max().Should().BeOneOf(10 + 11, 10 + 22);
        counts.Should().OnlyHaveUniqueItems();

        // DIFP's time weights are uniform, SC is not invariant to additive effects: the formula by default, not undefined.
        foreach (IEstimator other in new IEstimator[] { new SyntheticControlWithIntercept(), new SyntheticControl(), new DifferenceInDifferences() })
        {
            var fit = other.Estimate(data);
            fit.WithVariance(new ConditionalVariance { Replications = 10, Seed = 3 }).StandardError
                .Should().Be(fit.WithVariance(new ConditionalVariance { Replications = 10, Seed = 3, RescalingDraws = 0 }).StandardError, other.Name);
        }

        // One treated unit: the formula.
        var w = new bool[Units, Periods];
        for (var s = Periods - Post; s < Periods; s++) w[Units - 1, s] = true;
        var one = PanelData.FromMatrices(Matrix(new Random(12)), w,
            [.. Enumerable.Range(0, Units).Select(i => $"u{i}")], [.. Enumerable.Range(0, Periods).Select(s => $"{2000 + s}")]);
        var sdidOne = new SyntheticDifferenceInDifferences().Estimate(one);
        sdidOne.WithVariance(new ConditionalVariance { Seed = 3 }).StandardError
            .Should().Be(sdidOne.WithVariance(new ConditionalVariance { Seed = 3, RescalingDraws = 0 }).StandardError);
    }

    private sealed class Counts(System.Collections.Concurrent.ConcurrentBag<int> bag) : IProgress<int>
    {
        public void Report(int value) => bag.Add(value);
    }
}
