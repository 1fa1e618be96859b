using System.Diagnostics;
using System.Globalization;
using System.Text;
using CausalPanel.Tests.Support;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Simulation;

/// <summary>
/// The papers' placebo studies, reproduced in distribution (R's random streams are not replayed).
/// Slow: <c>dotnet test tests/CausalPanel.Tests -c Release --filter "FullyQualifiedName~PlaceboStudyReproduction"</c>
/// (panels per design from CAUSALPANEL_SIMULATION_REPS, default 1000); writes docs/simulations/.
/// </summary>
public class PlaceboStudyReproductionTests(ITestOutputHelper output)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static IEstimator[] SdidPaperEstimators() =>
    [
        new DifferenceInDifferences().Named("DID"),
        new SyntheticControl().Named("SC"),
        new SyntheticDifferenceInDifferences().Named("SDID"),
        new SyntheticControlWithIntercept().Named("DIFP"),
        new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 20 }).Named("MC"),
    ];

    [Fact]
    [Trait("Category", "Slow")]
    public void Cps_baseline_RMSEs_match_the_SDID_paper()
    {
        // R synthdid vignettes/all-simulations.rds, summarised in shared/data/synthdid_placebo_simulation_summary.csv
        // (1000 replications): baseline = CPS log wage, min-wage assignment, N1 = T1 = 10.
        var expected = new Dictionary<string, double>
        {
            ["DID"] = 0.04874171414715503, ["SC"] = 0.03734769431942011, ["SDID"] = 0.027676539951590792,
            ["DIFP"] = 0.031749629540431264, ["MC"] = 0.03455885601768062,
        };
        var reps = SimulationReport.Replications("CAUSALPANEL_SIMULATION_REPS", 1000);
        var design = new SimulationDesign { Model = FactorModel.Fit(Datasets.Cps("log_wage", "min_wage")), Name = "baseline" };
        var clock = Stopwatch.StartNew();
        var result = new EstimatorComparison { Estimators = SdidPaperEstimators(), Designs = [design], Replications = reps, Seed = 2021 }.Run();

        var report = new StringBuilder();
        report.AppendLine("# SDID paper, Table 2 baseline: CPS log wage, minimum-wage assignment, 10 × 10 block");
        report.AppendLine();
        report.AppendLine(Inv, $"{reps} simulated panels (seed 2021); R: the paper's 1000 (synthdid `vignettes/all-simulations.rds`). MC uses 20 λ's, as the paper.");
        report.AppendLine(Inv, $"Command: `CAUSALPANEL_SIMULATION_REPS={reps} dotnet test tests/CausalPanel.Tests -c Release --filter \"FullyQualifiedName~Cps_baseline\"` ({clock.Elapsed.TotalMinutes:F1} min on {Environment.ProcessorCount} cores).");
        report.AppendLine();
        report.AppendLine("| estimator | RMSE | MC s.e. | bias | R RMSE | (ours − R) / (√2·s.e.) |");
        report.AppendLine("|---|---|---|---|---|---|");
        foreach (var (name, r) in expected)
        {
            var row = result["baseline", name];
            report.AppendLine(Inv, $"| {name} | {row.Rmse:F4} | {row.RmseStandardError:F4} | {row.Bias:F4} | {r:F4} | {(row.Rmse - r) / (Math.Sqrt(2) * row.RmseStandardError):F2} |");
        }
        output.WriteLine(report.ToString());
        SimulationReport.Write("sdid-cps-baseline.md", report.ToString());

        foreach (var (name, r) in expected)
        {
            var row = result["baseline", name];
            row.Failed.Should().Be(0, name);
            // Both sides carry Monte-Carlo error of about the same size.
            row.Rmse.Should().BeApproximately(r, 3 * Math.Sqrt(2) * row.RmseStandardError, name);
        }
    }
}
