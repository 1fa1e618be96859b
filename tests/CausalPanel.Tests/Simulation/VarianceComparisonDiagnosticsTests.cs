using CausalPanel.Tests.Distributed;
using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Simulation;

/// <summary>
/// What <see cref="VarianceComparison"/> tells beyond size and power: the estimator's bias, RMSE and misfit share on the
/// zero-effect panels, and the warning that every simulated panel treated the same units.
/// </summary>
public class VarianceComparisonDiagnosticsTests
{
    private static readonly FactorModel California = FactorModel.Fit(Datasets.CaliforniaSmoking());

    /// <summary>
    /// A rank-1 model of 30 units × 20 periods whose signal is mostly interactive, u_i·v_t with u_i of sd 1 and v_t rising
    /// over time, against noise of sd 0.05: DiD does not remove u_i·v_t, so its error on one treated unit is mostly misfit.
    /// </summary>
    private static FactorModel Interactive()
    {
        const int n = 30, t = 20;
        var rng = new Random(8);
        var u = Enumerable.Range(0, n).Select(_ => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1)).ToArray();
        var y = new double[n, t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++) y[i, s] = 0.1 * i + 0.05 * s + u[i] * s / 5.0 + 0.05 * MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);
        var w = new bool[n, t];
        w[0, t - 1] = true;
        return FactorModel.Fit(PanelData.FromMatrices(y, w), rank: 1);
    }

    [Fact]
    public void Bias_RMSE_and_misfit_share_are_those_of_the_recorded_estimates_and_the_noise_free_fits()
    {
        SimulationDesign Design(FactorModel model, string name, bool interactive) => new()
        {
            Model = model, Name = name, Interactive = interactive, Noise = NoiseModel.Independent,
            Assignment = AssignmentModel.Random, TreatedUnits = 1, TreatedPeriods = 3,
        };
        var comparison = new VarianceComparison
        {
            Estimators = [new DifferenceInDifferences()],
            Methods = [new RegressionVariance(), new JackknifeVariance()],   // the jackknife is undefined with one treated unit
            Designs = [Design(California, "additive", interactive: false), Design(Interactive(), "interactive", interactive: true)],
            Replications = 30, Seed = 6, MaxDegreeOfParallelism = 1,
        };
        var cells = new RecordingExecutor();
        var result = (comparison with { Executor = cells }).Run();

        for (var d = 0; d < 2; d++)
        {
            var design = comparison.Designs[d];
            var tests = Enumerable.Range(d * 30, 30).Select(i => cells.Items[i].Tests![0]).ToArray();
            var estimates = tests.Select(t => t.Estimates[0]).ToArray();           // method 0 at effect 0
            var noiseFree = tests.Select(t => t.NoiseFreeEstimate).ToArray();
            estimates.Should().OnlyContain(x => double.IsFinite(x));
            tests.Select(t => t.Estimates[1]).Should().Equal(estimates, "the undefined jackknife still records the fit's estimate");
            tests.Should().OnlyContain(t => double.IsNaN(t.HalfWidths[1]));

            // The noise-free estimate is DiD on the replication's panel drawn without noise from its stream (design d's seed).
            for (var b = 0; b < 3; b++)
            {
                var quiet = (design with { Noise = NoiseModel.None }).Simulate(Replicates.Stream(unchecked(6 * 1_000_003 + d), b));
                noiseFree[b].Should().Be(new DifferenceInDifferences().Estimate(quiet).Att);
                cells.Items[d * 30 + b].TreatedUnits.Should().Equal(quiet.Pattern.TreatedUnitIndices.Select(i => quiet.Units[i]));
            }

            var bias = estimates.Sum() / 30;
            var rmse = Math.Sqrt(estimates.Sum(x => x * x) / 30);
            var share = noiseFree.Sum(x => x * x) / estimates.Sum(x => x * x);
            foreach (var method in new[] { "Regression (homoskedastic)", "Jackknife" })
            {
                var row = result[design.Name, "DiD", method];
                row.Bias.Should().BeApproximately(bias, 1e-12);
                row.RootMeanSquaredError.Should().BeApproximately(rmse, 1e-12);
                row.MisfitShare.Should().BeApproximately(share, 1e-9);
            }
        }
        // DiD removes the additive part exactly: no misfit. It does not remove u_i·v_t: most of its error is misfit.
        result["additive", "DiD", "Jackknife"].MisfitShare.Should().BeLessThan(1e-12);
        result["interactive", "DiD", "Jackknife"].MisfitShare.Should().BeGreaterThan(0.8);

        var text = result.ToString();
        var interactive = result["interactive", "DiD", "Jackknife"];
        text.Should().Contain($"  DiD on the zero-effect panels: bias {interactive.Bias:G3}, RMSE {interactive.RootMeanSquaredError:G3}, {100 * interactive.MisfitShare:F0}% of the mean square is misfit (its estimate on the noise-free panels)")
            .And.Contain("calibrated on this design; most of the estimator's error is misfit, fixed given the treated units, which a variance of the noise alone does not cover");
        text.Split('\n').Count(l => l.Contains("most of the estimator's error is misfit")).Should().Be(1, "the additive design's error is noise");

        var csv = result.ToCsv().Split('\n');
        csv[0].Should().StartWith("design,estimator,method,replications,valid,undefined,size,size_low,size_mid,size_high,mde80,mde_exact,ci_length,calibrated,recommended,bias,rmse,misfit_share");
        var fields = csv.Single(l => l.StartsWith("interactive,DiD,Jackknife,")).Split(',');
        double.Parse(fields[15], System.Globalization.CultureInfo.InvariantCulture).Should().Be(interactive.Bias);
        double.Parse(fields[17], System.Globalization.CultureInfo.InvariantCulture).Should().Be(interactive.MisfitShare);
    }

    [Fact]
    public void A_design_whose_panels_all_treat_the_same_units_is_warned_about_and_one_whose_units_vary_is_not()
    {
        // California alone is treated: the fitted logistic probabilities are 1 for it and about 0 for the others, so every
        // panel of the Fitted design treats California; the Random design draws a state uniformly.
        var fitted = new SimulationDesign { Model = California, Name = "fitted", TreatedUnits = 1, TreatedPeriods = 3, Noise = NoiseModel.Independent };
        var comparison = new VarianceComparison
        {
            Estimators = [new DifferenceInDifferences()], Methods = [new RegressionVariance()],
            Designs = [fitted, fitted with { Name = "random", Assignment = AssignmentModel.Random }],
            Replications = 12, Seed = 2, MaxDegreeOfParallelism = 1,
        };
        var cells = new RecordingExecutor();
        var result = (comparison with { Executor = cells }).Run();

        var treated = cells.Items.OrderBy(c => c.Key).Select(c => string.Join(",", c.Value.TreatedUnits!)).ToArray();
        treated[..12].Distinct().Should().Equal("California");
        treated[12..].Distinct().Count().Should().BeGreaterThan(1);
        result.Warnings.Should().ContainSingle().Which.Should().Contain("\"fitted\"").And.Contain("California")
            .And.Contain("set Assignment = AssignmentModel.Random with TreatedUnits = 1 to vary them");
        result.ToString().Should().StartWith("warning: " + result.Warnings[0] + Environment.NewLine);

        var random = (comparison with { Designs = [comparison.Designs[1]] }).Run();
        random.Warnings.Should().BeEmpty();
        random.ToString().Should().NotContain("warning");
        VarianceComparisonResult.Combine([random, (comparison with { Designs = [fitted] }).Run()]).Warnings.Should().Equal(result.Warnings);

        // Fixed by construction: the real treated unit over its own pre-periods, no warning.
        var own = SimulationDesign.ForTreatedUnit(Datasets.CaliforniaSmoking(), AssignmentModel.TreatedUnit) with { Name = "own", TreatedPeriods = 3 };
        (comparison with { Designs = [own] }).Run().Warnings.Should().BeEmpty();
    }

    [Fact]
    public void The_csv_reader_reads_the_committed_file_without_the_bias_columns_and_the_new_format_with_them()
    {
        // The committed page mixes rows run before the columns existed (NaN) with rows run since (all three known).
        var committed = VarianceComparisonCsv.Read(SimulationReport.PathOf("variance-power.csv"));
        committed.Should().NotBeEmpty();
        committed.Should().OnlyContain(r => double.IsNaN(r.Bias) == double.IsNaN(r.RootMeanSquaredError) && double.IsNaN(r.Bias) == double.IsNaN(r.MisfitShare));

        var result = new VarianceComparison
        {
            Estimators = [new DifferenceInDifferences()], Methods = [new RegressionVariance()],
            Designs = [new SimulationDesign { Model = California, Name = "d", TreatedUnits = 1, TreatedPeriods = 3, Assignment = AssignmentModel.Random }],
            EffectSizes = [0.5], Replications = 6, Seed = 1, MaxDegreeOfParallelism = 1,
        }.Run();
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, result.ToCsv());
            var row = VarianceComparisonCsv.Read(path).Single();
            var original = result.Rows.Single();
            (row.Bias, row.RootMeanSquaredError, row.MisfitShare).Should().Be((original.Bias, original.RootMeanSquaredError, original.MisfitShare));
            double.IsFinite(row.MisfitShare).Should().BeTrue();
            row.Power.Should().Equal(original.Power);

            // The format before the columns: the same file without bias, rmse and misfit_share.
            var lines = result.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToArray();
            var drop = new[] { "bias", "rmse", "misfit_share" }.Select(c => Array.IndexOf(lines[0], c)).ToHashSet();
            drop.Should().NotContain(-1);
            File.WriteAllText(path, string.Join("\n", lines.Select(l => string.Join(",", l.Where((_, k) => !drop.Contains(k))))) + "\n");
            var old = VarianceComparisonCsv.Read(path).Single();
            (double.IsNaN(old.Bias) && double.IsNaN(old.RootMeanSquaredError) && double.IsNaN(old.MisfitShare)).Should().BeTrue();
            old.Power.Should().Equal(original.Power);
            old.SizeByTercile.Should().Equal(original.SizeByTercile);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
