using System.Xml.Linq;
using MathNet.Numerics.Distributions;

namespace CausalPanel.Tests.Simulation;

public class VarianceComparisonTests
{
    private static readonly FactorModel Cps = FactorModel.Fit(Datasets.Cps("log_wage", "min_wage"));

    /// <summary>σ² of a cell under <see cref="NoiseModel.Independent"/>: ‖Σ‖_F/√T.</summary>
    private static double NoiseVariance(FactorModel model)
    {
        int t = model.PeriodCount;
        return Math.Sqrt(Enumerable.Range(0, t).Sum(s => Enumerable.Range(0, t).Sum(q => Math.Pow(model.NoiseCovariance(s, q), 2)))) / Math.Sqrt(t);
    }

    /// <summary>
    /// The exact standard error of DiD on one treated cell (the last period) under independent noise of known variances
    /// σ²_it: weights 1 on the cell, −1/T0 on its unit's other cells, −1/N0 on the other units' last cell, 1/(N0T0) elsewhere.
    /// <paramref name="factor"/> scales it (below 1: an anti-conservative method).
    /// </summary>
    private sealed class OracleVariance(string name, Func<PanelData, int, int, double> cellVariance, double factor = 1) : IVarianceEstimator
    {
        public string Name => name;

        public VarianceTarget Target => VarianceTarget.ConditionalOnUnitsAndPeriods;

        public VarianceResult Estimate(IEstimator estimator, PanelData data, CancellationToken ct = default) => Estimate(estimator.Estimate(data, ct), ct);

        public VarianceResult Estimate(EstimationResult fit, CancellationToken ct = default)
        {
            var data = fit.Data;
            int n = data.UnitCount, t = data.PeriodCount, treated = data.Pattern.TreatedUnitIndices.Single();
            double n0 = n - 1, t0 = t - 1, variance = 0;
            for (var i = 0; i < n; i++)
                for (var s = 0; s < t; s++)
                {
                    var weight = (i == treated, s == t - 1) switch { (true, true) => 1, (true, false) => -1 / t0, (false, true) => -1 / n0, _ => 1 / (n0 * t0) };
                    variance += weight * weight * cellVariance(data, i, s);
                }
            return new VarianceResult { Method = Name, Target = Target, Estimate = fit.Att, StandardError = factor * Math.Sqrt(variance) };
        }
    }

    private static SimulationDesign OneCell(FactorModel model, Heteroskedasticity heteroskedasticity = Heteroskedasticity.None) => new()
    {
        Model = model, Name = "one cell", Additive = false, Interactive = false, Noise = NoiseModel.Independent,
        Assignment = AssignmentModel.Uniform, TreatedUnits = 1, TreatedPeriods = 1, Heteroskedasticity = heteroskedasticity,
    };

    [Fact]
    public void A_known_variance_z_test_has_the_normal_size_power_and_MDE()
    {
        // τ̂ ~ N(τ, se²) with se known: size α, power Φ(τ/se − z) + Φ(−τ/se − z), MDE (z + z_0.8)·se (the lower tail is negligible).
        var sigma2 = NoiseVariance(Cps);
        int n0 = Cps.UnitCount - 1, t0 = Cps.PeriodCount - 1;
        var se = Math.Sqrt(sigma2 * (1 + 1.0 / n0 + 1.0 / t0 + 1.0 / (n0 * t0)));
        var oracle = new OracleVariance("Known variance", (_, _, _) => sigma2);
        const int reps = 2000;
        var effects = new[] { 1.5 * se, 3 * se };
        var comparison = new VarianceComparison
        {
            Estimators = [new DifferenceInDifferences()], Methods = [oracle], Designs = [OneCell(Cps)],
            EffectSizes = effects, Replications = reps, Seed = 21,
        };
        var row = comparison.Run()["one cell", "DiD", "Known variance"];

        var z = Normal.InvCDF(0, 1, 0.975);
        row.Valid.Should().Be(reps);
        row.Size.Should().BeApproximately(0.05, 4 * Math.Sqrt(0.05 * 0.95 / reps));
        for (var k = 0; k < effects.Length; k++)
        {
            var expected = Normal.CDF(0, 1, effects[k] / se - z) + Normal.CDF(0, 1, -effects[k] / se - z);
            row.Power[k].Should().BeApproximately(expected, 4 * Math.Sqrt(expected * (1 - expected) / reps));
        }
        row.MdeIsExact.Should().BeTrue();
        row.MinimumDetectableEffect!.Value.Should().BeApproximately((z + Normal.InvCDF(0, 1, 0.8)) * se, 0.12 * se);
        row.MeanIntervalLength.Should().BeApproximately(2 * z * se, 1e-9);

        // Power from the shifted zero-effect draws is the power of the panels simulated with the effect.
        var shifted = (comparison with { PowerFromShift = true, Replications = 300 }).Run()["one cell", "DiD", "Known variance"];
        var simulated = (comparison with { Replications = 300 }).Run()["one cell", "DiD", "Known variance"];
        shifted.Power.Should().Equal(simulated.Power);
        shifted.Size.Should().Be(simulated.Size);
    }

    [Fact]
    public void Size_adjusted_power_is_the_normal_power_at_the_nominal_critical_value_whatever_the_interval_width()
    {
        // Null estimates at the n normal quantiles se·Φ⁻¹((b + ½)/n), shifted by τ for power; intervals of half-width f·z·se.
        // Whatever f, size adjustment puts the critical value at the (1 − α/2) quantile of |τ̂|, z·se up to 1/n, so its power
        // is the z-test's Φ(τ/se − z) + Φ(−τ/se − z); raw power is Φ(τ/se − f·z) + Φ(−τ/se − f·z) (larger for f < 1).
        const int n = 4000;
        const double se = 0.7;
        var z = Normal.InvCDF(0, 1, 0.975);
        double[] effects = [1.5 * se, 3 * se];
        var nulls = Enumerable.Range(0, n).Select(b => se * Normal.InvCDF(0, 1, (b + 0.5) / n)).ToArray();
        double Tail(double x) => Normal.CDF(0, 1, x);
        foreach (var f in new[] { 1.0, 0.6, 1.5 })
        {
            var draws = nulls.Select(e => (TestDraw[])[new TestDraw(e, f * z * se), .. effects.Select(t => new TestDraw(e + t, f * z * se))]).ToArray();
            var row = VarianceComparisonRow.From("d", "e", "m", effects, 0.05, draws, [.. nulls.Select((_, b) => (double)b)], null);
            row.Size.Should().BeApproximately(2 * Tail(-f * z), 1.0 / n);
            for (var k = 0; k < effects.Length; k++)
            {
                var tau = effects[k] / se;
                row.Power[k].Should().BeApproximately(Tail(tau - f * z) + Tail(-tau - f * z), 1.0 / n);
                row.SizeAdjustedPower[k].Should().BeApproximately(Tail(tau - z) + Tail(-tau - z), 2e-3, $"f = {f}");
            }
        }
    }

    [Fact]
    public void A_method_rejecting_at_least_80_percent_at_zero_effect_has_no_MDE_and_the_table_says_why()
    {
        // 10 null draws with half-width 1: "wild" has |τ̂| = 2 in 8 (size 0.8), "sound" in 1 (size 0.1); effects 1 and 3
        // shift the estimates, so the MDE is the shifted draws' own: the smallest τ (just above a jump) where power
        // #{b : |τ̂_b + τ| > 1}/10 reaches 0.8, counted here by brute force.
        double[] effects = [1, 3];
        TestDraw[][] Draws(double[] nulls) => [.. nulls.Select(e => (TestDraw[])[new TestDraw(e, 1), .. effects.Select(t => new TestDraw(e + t, 1))])];
        double[] scales = [.. Enumerable.Range(0, 10).Select(b => (double)b)];
        var wild = VarianceComparisonRow.From("d", "DiD", "wild", effects, 0.05, Draws([2, -2, 2, -2, 2, -2, 2, -2, 0, 0]), scales, null);
        var sound = VarianceComparisonRow.From("d", "DiD", "sound", effects, 0.05, Draws([2, 0, 0, 0, 0, 0, 0, 0, 0, 0]), scales, null);

        wild.Size.Should().Be(0.8);
        wild.MinimumDetectableEffect.Should().BeNull();
        wild.MdeWithheld.Should().BeTrue();
        sound.Size.Should().Be(0.1);
        sound.MdeWithheld.Should().BeFalse();
        var power = (double tau) => new double[] { 2, 0, 0, 0, 0, 0, 0, 0, 0, 0 }.Count(e => Math.Abs(e + tau) > 1) / 10.0;
        var mde = new[] { 0, 1 + 1e-9, 2 + 1e-9, 3 + 1e-9 }.First(tau => power(tau) >= 0.8);
        sound.MinimumDetectableEffect!.Value.Should().BeApproximately(mde, 1e-6);

        var text = new VarianceComparisonResult([wild, sound], 1, 0.05).ToString();
        text.Should().Contain("MDE —: rejects ≥ 80% of the time with no effect");
        new VarianceComparisonResult([sound], 1, 0.05).ToString().Should().NotContain("MDE —");
    }

    [Fact]
    public void The_rule_recommends_the_only_calibrated_method_over_a_more_powerful_miscalibrated_one()
    {
        // Strong unit heteroskedasticity (log a ~ N(0, 0.8²)) and one treated cell: the exact conditional standard error is
        // calibrated in every tercile of the treated unit's noise; the homoskedastic plug-in never rejects for quiet units and
        // over-rejects for noisy ones; 0.6 × the exact one rejects too often everywhere, and so has the most power.
        int n = 40, t = 30;
        var rng = new Random(13);
        var a = Enumerable.Range(0, n).Select(_ => Math.Exp(0.8 * Normal.Sample(rng, 0, 1))).ToArray();
        var y = new double[n, t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++) y[i, s] = i + 0.1 * s + a[i] * Normal.Sample(rng, 0, 1);
        var w = new bool[n, t];
        w[0, t - 1] = true;
        var model = FactorModel.Fit(PanelData.FromMatrices(y, w), rank: 1);
        var design = OneCell(model, Heteroskedasticity.Units) with { Name = "unit-heteroskedastic" };
        var sigma2 = NoiseVariance(model);
        var level = Enumerable.Range(0, n).Average(i => Math.Pow(model.NoiseScale(Heteroskedasticity.Units, i, 0), 2));   // 1 by construction
        double CellVariance(PanelData _, int i, int s) => sigma2 * Math.Pow(model.NoiseScale(Heteroskedasticity.Units, i, s), 2) / level;

        var result = new VarianceComparison
        {
            Estimators = [new DifferenceInDifferences()],
            Methods = [new RegressionVariance(), new OracleVariance("Exact", CellVariance), new OracleVariance("0.6 × exact", CellVariance, 0.6)],
            Designs = [design], EffectSizes = [Math.Sqrt(sigma2)], Replications = 900, Seed = 4, PowerFromShift = true,
        }.Run();

        var exact = result["unit-heteroskedastic", "DiD", "Exact"];
        var marginal = result["unit-heteroskedastic", "DiD", "Regression (homoskedastic)"];
        var small = result["unit-heteroskedastic", "DiD", "0.6 × exact"];
        result.IsCalibrated(exact).Should().BeTrue(exact.ToString());
        result.IsCalibrated(marginal).Should().BeFalse();
        marginal.SizeByTercile[0].Should().BeLessThan(0.02);
        marginal.SizeByTercile[2].Should().BeGreaterThan(0.08);
        result.IsCalibrated(small).Should().BeFalse();
        small.Power[0].Should().BeGreaterThan(exact.Power[0]);
        result.Recommend("unit-heteroskedastic", "DiD").Should().Be(exact);
        result.ToString().Should().Contain("recommended: Exact");

        // Too few replications: at 60 a tercile's band is 0.05 ± 2.5·√(0.05·0.95/20) = ± 0.12, which a size of 0.10 passes, so no
        // method is eligible, however it looks. The bound: the smallest m with 2.5·√(0.05·0.95/m) < 0.05 is 2.5²·0.95/0.05 = 118.75 → 119.
        var thin = new VarianceComparison
        {
            Estimators = [new DifferenceInDifferences()], Methods = [new OracleVariance("Exact", CellVariance), new OracleVariance("0.6 × exact", CellVariance, 0.6)],
            Designs = [design], EffectSizes = [Math.Sqrt(sigma2)], Replications = 60, Seed = 4, PowerFromShift = true,
        }.Run();
        thin.MinimumTercileReplications.Should().Be(119);
        result.HasEnoughReplications(exact).Should().BeTrue();
        thin.HasEnoughReplications(thin["unit-heteroskedastic", "DiD", "Exact"]).Should().BeFalse();
        thin.Recommend("unit-heteroskedastic", "DiD").Should().BeNull();
        thin.ToString().Should().Contain("not eligible, too few replications (< 119 per noise tercile): Exact, 0.6 × exact")
            .And.Contain("no eligible method is calibrated on this design");
    }

    [Fact]
    public void The_rule_ranks_calibrated_methods_by_their_raw_power_counted_no_higher_than_at_equal_size()
    {
        // Calibrated: "liberal" at the top of the band (size 0.064, a tercile at 0.075: within 2.5 MC s.e. at 333) with more raw
        // power but less at equal size; "conservative" (0.036, a tercile at 0.030) with more power at equal size but less raw;
        // "exact" between them, best on min(raw, size-adjusted). "wrong" (0.12) is not calibrated and has the most of both.
        VarianceComparisonRow Row(string method, double size, double tercile, double[] power, double[] adjusted) => new()
        {
            Design = "d", Estimator = "DiD", Method = method, Size = size, SizeByTercile = [size, tercile, size], TercileCounts = [333, 333, 334],
            EffectSizes = [1, 2], Power = power, SizeAdjustedPower = adjusted, MeanIntervalLength = 1, Replications = 1000, Valid = 1000, Undefined = 0,
        };
        var exact = Row("exact", 0.05, 0.05, [0.55, 0.85], [0.56, 0.86]);
        var liberal = Row("liberal", 0.064, 0.075, [0.60, 0.88], [0.52, 0.83]);
        var conservative = Row("conservative", 0.036, 0.030, [0.50, 0.80], [0.60, 0.90]);
        var wrong = Row("wrong", 0.12, 0.12, [0.70, 0.95], [0.60, 0.90]);
        var result = new VarianceComparisonResult([liberal, conservative, exact, wrong], 1, 0.05);
        new[] { liberal, conservative, exact }.Should().OnlyContain(r => result.IsCalibrated(r));
        result.IsCalibrated(wrong).Should().BeFalse();
        result.Recommend("d", "DiD").Should().Be(exact);
        // The same min(raw, size-adjusted): the raw power decides.
        var twin = exact with { Method = "twin", Power = [0.56, 0.87], SizeAdjustedPower = [0.55, 0.85] };
        new VarianceComparisonResult([exact, twin], 1, 0.05).Recommend("d", "DiD").Should().Be(twin);
    }

    [Fact]
    public void The_table_keeps_its_power_columns_apart_for_effect_sizes_of_many_digits()
    {
        var row = new VarianceComparisonRow
        {
            Design = "d", Estimator = "DIFP", Method = "m", Size = 0.05, SizeByTercile = [0.05, 0.05, 0.05], TercileCounts = [333, 333, 334],
            EffectSizes = [0.0461, 0.0738], Power = [0.426, 0.738], SizeAdjustedPower = [0.463, 0.77], MeanIntervalLength = 0.1, Replications = 1000, Valid = 1000, Undefined = 0,
        };
        var lines = new VarianceComparisonResult([row], 1, 0.05).ToString().Split('\n');
        lines.Should().Contain(l => l.Contains(" pow@0.0461 pow@0.0738 adj@0.0461 adj@0.0738 "));
        lines.Should().Contain(l => l.Contains("      0.426      0.738      0.463      0.770 "));
    }

    [Fact]
    public void On_the_CPS_panel_the_comparison_recommends_a_calibrated_method()
    {
        var design = new SimulationDesign { Model = Cps, Name = "CPS two-way", TreatedUnits = 1, TreatedPeriods = 1, Heteroskedasticity = Heteroskedasticity.TwoWay, HeteroskedasticityStrength = 5 };
        var result = new VarianceComparison
        {
            Estimators = [new DifferenceInDifferences()],
            Methods = [new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods }, new TimePlaceboVariance(), new ConditionalVariance { MaxDegreeOfParallelism = 1 }],
            Designs = [design], EffectSizes = [0.2], Replications = 400, Seed = 1, PowerFromShift = true,
        }.Run();

        var recommended = result.Recommend("CPS two-way", "DiD");
        recommended.Should().NotBeNull(result.ToString());
        Math.Abs(recommended!.Size - 0.05).Should().BeLessThanOrEqualTo(2.5 * Math.Sqrt(0.05 * 0.95 / 400));
        result.ToString().Should().Contain($"recommended: {recommended.Method}");
    }

    [Fact]
    public void Each_panel_runs_the_drawing_methods_with_its_own_seed_unless_told_to_reuse_theirs()
    {
        // Brute force: design 0's panel b is SimulationDesign.Simulate on stream (Seed·1,000,003, b); with a seed per panel the unit
        // placebo's draws come from the seed Replicates.Stream(design seed ^ 0x5EED5EED, b).Next(), otherwise from its own Seed = 5
        // in every panel. Three treated units, so the placebo draws 3 of the controls at random.
        var design = new SimulationDesign { Model = Cps, Name = "block", TreatedUnits = 3, TreatedPeriods = 2 };
        var placebo = new UnitPlaceboVariance { Replications = 6, Seed = 5, MaxDegreeOfParallelism = 1 };
        var comparison = new VarianceComparison { Estimators = [new DifferenceInDifferences()], Methods = [placebo], Designs = [design], Replications = 5, Seed = 4 };
        var designSeed = unchecked(4 * 1_000_003);
        double MeanLength(Func<int, int> seed) => Enumerable.Range(0, 5).Average(b =>
        {
            var fit = new DifferenceInDifferences().Estimate(design.Simulate(Replicates.Stream(designSeed, b)));
            var interval = fit.WithVariance(placebo with { Seed = seed(b) }).ConfidenceInterval;
            return interval.Upper - interval.Lower;
        });

        var perPanel = comparison.Run().Rows.Single().MeanIntervalLength;
        var reused = (comparison with { SeedMethodsPerReplication = false }).Run().Rows.Single().MeanIntervalLength;

        perPanel.Should().BeApproximately(MeanLength(b => Replicates.Stream(unchecked(designSeed ^ 0x5EED5EED), b).Next()), 1e-12);
        reused.Should().BeApproximately(MeanLength(_ => 5), 1e-12);
        perPanel.Should().NotBe(reused);
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count_and_render_as_text_csv_and_svg()
    {
        var designs = new[] { OneCell(Cps) with { Name = "cell" }, new SimulationDesign { Model = Cps, Name = "block", Heteroskedasticity = Heteroskedasticity.TwoWay } };
        var comparison = new VarianceComparison
        {
            Estimators = [new DifferenceInDifferences(), new SyntheticControl()],
            Methods = [new RegressionVariance(), new TimePlaceboVariance { MaxDegreeOfParallelism = 1 }],
            Designs = designs, EffectSizes = [0.05, 0.1], Replications = 9, Seed = 3, MaxDegreeOfParallelism = 1,
        };
        var serial = comparison.Run();
        var parallel = (comparison with { MaxDegreeOfParallelism = 2 }).Run();
        parallel.ToCsv().Should().Be(serial.ToCsv());

        serial.Rows.Should().HaveCount(8);
        serial.ToString().Should().Contain("SC on block").And.Contain("Time placebo").And.Contain("pow@0.1");
        var csv = serial.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        csv[0].Should().Be("design,estimator,method,replications,valid,undefined,size,size_low,size_mid,size_high,mde80,mde_exact,ci_length,calibrated,recommended,bias,rmse,misfit_share,effect_1,power_1,sa_power_1,effect_2,power_2,sa_power_2");
        csv.Should().HaveCount(9);

        var svg = XDocument.Parse(Charts.VariancePower(serial, "test chart"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        svg.Root!.Name.Should().Be(ns + "svg");
        svg.Descendants(ns + "circle").Count(c => c.Element(ns + "title") is not null).Should().Be(8);
        svg.Descendants(ns + "text").Select(x => x.Value).Should().Contain(["test chart", "cell", "block", "DiD", "SC", "Time placebo"]);

        var combined = VarianceComparisonResult.Combine([serial, (comparison with { Designs = [designs[0] with { Name = "other" }] }).Run()]);
        combined.Designs.Should().Equal("cell", "block", "other");
        FluentActions.Invoking(() => VarianceComparisonResult.Combine([serial, serial])).Should().Throw<ArgumentException>().WithMessage("*more than one*");
    }

    [Fact]
    public void Invalid_setups_are_refused()
    {
        var design = OneCell(Cps);
        var valid = new VarianceComparison { Estimators = [new DifferenceInDifferences()], Methods = [new RegressionVariance()], Designs = [design], Replications = 6 };
        FluentActions.Invoking(() => (valid with { Methods = [new RegressionVariance(), new MarginalVariance { Approach = VarianceApproach.Regression }] }).Run())
            .Should().Throw<ArgumentException>().WithMessage("*\"Regression (homoskedastic)\"*");
        FluentActions.Invoking(() => (valid with { EffectSizes = [0] }).Run()).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*positive*");
        FluentActions.Invoking(() => (valid with { NominalSize = 1 }).Run()).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => (valid with { Replications = 2 }).Run()).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Charts.VariancePower(valid.Run())).Should().Throw<InvalidOperationException>().WithMessage("*EffectSizes*");

        // A method whose interval moves with the effect cannot give power from shifted draws.
        var moving = new OracleVariance("Reads the effect", (data, _, _) => 1e-4 * (1 + Math.Abs(data.Outcomes[data.Pattern.TreatedUnitIndices.Single(), data.PeriodCount - 1])));
        FluentActions.Invoking(() => (valid with { Methods = [moving], EffectSizes = [0.5], PowerFromShift = true }).Run())
            .Should().Throw<ArgumentException>().WithMessage("*Reads the effect*PowerFromShift = false*");
    }
}
