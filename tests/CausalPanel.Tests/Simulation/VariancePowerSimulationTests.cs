using System.Diagnostics;
using System.Globalization;
using System.Text;
using CausalPanel.Tests.Support;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Simulation;

/// <summary>
/// Issue 20's power table: size, size by tercile of the treated cells' noise, power, MDE and CI length of eight variance
/// methods for the six estimators on CPS-fitted designs (50 states × 40 years of log wages, rank-4 factor model) with
/// homoskedastic, unit-, period- and two-way heteroskedastic noise, one treated cell and a 10 × 10 block. Slow:
/// <c>dotnet test tests/CausalPanel.Tests -c Release --filter "FullyQualifiedName~VariancePowerSimulation"</c>; replications from
/// CAUSALPANEL_VARIANCE_POWER_REPS (DiD with the regression plug-ins, default 1000), _LINEAR_REPS (SC, DIFP, SDID with them, default
/// the same), _DID_PLACEBO_REPS (DiD's placebo methods on the two-way designs, default 200), _PLACEBO_REPS (the placebo methods of
/// the five costlier estimators on the two-way designs, default 50; 0 skips them), _THREADS; writes
/// docs/simulations/variance-power.{md,csv,svg}.
/// </summary>
public class VariancePowerSimulationTests(ITestOutputHelper output)
{
    /// <summary>λ: the CPS residuals' noise scales are mild (sd of log a_i 0.14, of log b_t 0.07), so they are raised to this power.</summary>
    private const double Strength = 5;

    private static IVarianceEstimator[] RegressionMethods =>
    [
        new RegressionVariance(),
        new RegressionVariance { On = VarianceTarget.ConditionalOnPeriods },
        new RegressionVariance { On = VarianceTarget.ConditionalOnUnits },
        new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods },
    ];

    private static IVarianceEstimator[] PlaceboMethods =>
    [
        new MarginalVariance { Replications = 50, MaxDegreeOfParallelism = 1 },
        new UnitPlaceboVariance { Replications = 50, MaxDegreeOfParallelism = 1 },
        new TimePlaceboVariance { MaxDegreeOfParallelism = 1 },
        new ConditionalVariance { MaxDegreeOfParallelism = 1 },
    ];

    private static readonly (string Name, int Units, int Periods, double[] Effects)[] Shapes = [("1 cell", 1, 1, [0.15, 0.3]), ("10×10", 10, 10, [0.02, 0.04])];

    private static readonly (string Name, Heteroskedasticity Kind)[] Noises =
        [("homoskedastic", Heteroskedasticity.None), ("by unit", Heteroskedasticity.Units), ("by period", Heteroskedasticity.Periods), ("two-way", Heteroskedasticity.TwoWay)];

    [Fact]
    [Trait("Category", "Slow")]
    public void Size_power_and_the_recommended_variance_of_eight_methods_on_CPS_fitted_heteroskedastic_designs()
    {
        var reps = SimulationReport.Replications("CAUSALPANEL_VARIANCE_POWER_REPS", 1000);
        var linearReps = SimulationReport.Replications("CAUSALPANEL_VARIANCE_POWER_LINEAR_REPS", reps);
        var didPlaceboReps = SimulationReport.Replications("CAUSALPANEL_VARIANCE_POWER_DID_PLACEBO_REPS", 200);
        var placeboReps = Environment.GetEnvironmentVariable("CAUSALPANEL_VARIANCE_POWER_PLACEBO_REPS") == "0" ? 0
            : SimulationReport.Replications("CAUSALPANEL_VARIANCE_POWER_PLACEBO_REPS", 50);
        var threads = SimulationReport.Replications("CAUSALPANEL_VARIANCE_POWER_THREADS", Environment.ProcessorCount);
        var inv = CultureInfo.InvariantCulture;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        var clock = Stopwatch.StartNew();

        var model = FactorModel.Fit(Datasets.Cps("log_wage", "min_wage"));
        SimulationDesign Design(string shape, int units, int periods, string noise, Heteroskedasticity kind) => new()
        {
            Model = model, Name = $"{noise}, {shape}", TreatedUnits = units, TreatedPeriods = periods,
            Heteroskedasticity = kind, HeteroskedasticityStrength = Strength,
        };
        // MC-NNM's λ and DWCP's λs are tuned once, on one simulated panel of the homoskedastic block design, then fixed.
        IEstimator[] linear = [new SyntheticControl(), new SyntheticControlWithIntercept(), new SyntheticDifferenceInDifferences()];
        var tuningPanel = Design("10×10", 10, 10, "homoskedastic", Heteroskedasticity.None).Simulate(new Random(1));
        var lambda = placeboReps > 0 ? ((MatrixCompletionResult)new MatrixCompletion().Estimate(tuningPanel)).Lambda : double.NaN;
        var dwcp = placeboReps > 0 ? (DwcpResult)new DoublyWeightedCausalPanel().Estimate(tuningPanel) : null;
        IEstimator[] costly = dwcp is null ? [] : [.. linear, new MatrixCompletion(new MatrixCompletionOptions { Lambda = lambda }),
            new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = dwcp.LambdaUnit, LambdaTime = dwcp.LambdaTime, LambdaNuclear = dwcp.LambdaNuclear })];

        var parts = new List<VarianceComparisonResult>();
        foreach (var (shape, units, periods, effects) in Shapes)
        {
            var designs = Noises.Select(n => Design(shape, units, periods, n.Name, n.Kind)).ToArray();
            VarianceComparison Comparison(IEstimator[] estimators, IVarianceEstimator[] methods, IReadOnlyList<SimulationDesign> on, int r) => new()
            {
                Estimators = estimators, Methods = methods, Designs = on, EffectSizes = effects, Replications = r, Seed = 20, PowerFromShift = true,
                MaxDegreeOfParallelism = threads,
            };
            // Costs on 2 shared cores decide the replications: the regression plug-ins (one fit) 1000 everywhere; DiD's placebo
            // methods 1000 on the two-way design and fewer on the others; the costlier estimators' placebos fewer still.
            parts.Add(Comparison([new DifferenceInDifferences()], RegressionMethods, designs, reps).Run());
            parts.Add(Comparison(linear, RegressionMethods, designs, linearReps).Run());
            parts.Add(Comparison([new DifferenceInDifferences()], PlaceboMethods, [designs[3]], didPlaceboReps).Run());
            if (costly.Length > 0) parts.Add(Comparison(costly, PlaceboMethods, [designs[3]], placeboReps).Run());
        }
        var result = VarianceComparisonResult.Combine(parts);
        var minutes = clock.Elapsed.TotalMinutes;

        var report = new StringBuilder();
        report.AppendLine("# Which standard error? Size and power of eight variance methods for six estimators");
        report.AppendLine();
        report.AppendLine(inv, $"Designs fitted to the bundled CPS panel (log wages of 50 states × 40 years; `FactorModel`, rank 4, AR(2) noise), with the fitted noise scales σ_it = a_i·b_t raised to the power λ = {Strength} (the CPS residuals' own scales are mild: sd of log a_i 0.14, of log b_t 0.07; λ = 5 gives 0.7 and 0.35, a stress test) — homoskedastic, by unit, by period or two-way — and one treated cell (a state in 2018) or a 10 × 10 block (10 states, last 10 years), treated states drawn with the fitted assignment probabilities. Outcomes are standardised (sd 1); effects are in those units.");
        report.AppendLine();
        report.AppendLine(inv, $"Size: share of 95% intervals excluding 0 under a zero effect (nominal 0.05). By tercile: within the replications whose treated cells' noise scale is in the lowest / middle / highest third. Power at the two effect sizes, exact MDE at 80% power (the zero-effect draws shifted; `PowerFromShift`, checked on the first replication of each design), mean CI length. **Calibrated**: defined on every panel and size within {VarianceComparisonResult.CalibrationStandardErrors} Monte-Carlo s.e. of 0.05 overall and in each tercile; **recommended** (◀): the most powerful calibrated method (`VarianceComparisonResult.Recommend`).");
        report.AppendLine();
        report.AppendLine(string.Create(inv, $"Replications (column `reps`), cut for compute on 2 cores shared with several other jobs (this run got a fraction of one core): {reps} per design for DiD with the four regression plug-ins (one fit per panel); {linearReps} for SC, DIFP and SDID with the regression plug-ins; {didPlaceboReps} for DiD's four placebo methods, on the two-way designs only; ") +
            (placeboReps > 0 ? string.Create(inv, $"{placeboReps} for the placebo methods of SC, DIFP, SDID, MC-NNM (λ = {lambda:G3}, fixed) and DWCP (λ's {dwcp!.LambdaUnit}, {dwcp.LambdaTime}, {dwcp.LambdaNuclear}, fixed), on the two-way designs only. ") : "the placebo methods of SC, DIFP, SDID, MC-NNM and DWCP were **not run** (set CAUSALPANEL_VARIANCE_POWER_PLACEBO_REPS; MC-NNM and DWCP are not linear, so they have no regression plug-in). ") +
            string.Create(inv, $"**Fewer than the 1,000 per cell the issue asks for** wherever `reps` < 1000. MC s.e. of size: {SimulationReport.McError(0.05, reps):F3} at {reps} ({SimulationReport.McError(0.05, reps / 3):F3} in a tercile), {SimulationReport.McError(0.05, didPlaceboReps):F3} at {didPlaceboReps} ({SimulationReport.McError(0.05, didPlaceboReps / 3):F3} in a tercile), {SimulationReport.McError(0.05, linearReps):F3} at {linearReps}; \"calibrated\" at few replications is a weak statement."));
        report.AppendLine();
        report.AppendLine(inv, $"Command: `CAUSALPANEL_VARIANCE_POWER_REPS={reps} CAUSALPANEL_VARIANCE_POWER_LINEAR_REPS={linearReps} CAUSALPANEL_VARIANCE_POWER_DID_PLACEBO_REPS={didPlaceboReps} CAUSALPANEL_VARIANCE_POWER_PLACEBO_REPS={placeboReps} CAUSALPANEL_VARIANCE_POWER_THREADS={threads} nice -n 10 dotnet test tests/CausalPanel.Tests -c Release --filter \"FullyQualifiedName~VariancePowerSimulation\"` — {minutes:F1} min on {Environment.ProcessorCount} cores, {threads} threads, shared with other jobs (load average {load} at the start, {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?")} at the end).");
        report.AppendLine();
        report.AppendLine("Chart: [variance-power.svg](variance-power.svg) (x: size with its range over terciles, y: mean power; ringed: recommended). Data: [variance-power.csv](variance-power.csv).");
        foreach (var design in result.Designs)
        {
            var effects = result.Rows.First(r => r.Design == design).EffectSizes;
            report.AppendLine();
            report.AppendLine(inv, $"## {design}");
            report.AppendLine();
            report.AppendLine(inv, $"| estimator | method | reps | size | low / mid / high tercile | power at {effects[0]} | power at {effects[1]} | MDE (80%) | CI length | |");
            report.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var estimator in result.Estimators)
            {
                var recommended = result.Recommend(design, estimator);
                foreach (var r in result.Rows.Where(r => r.Design == design && r.Estimator == estimator))
                {
                    var flag = r == recommended ? "◀ recommended" : result.IsCalibrated(r) ? "calibrated" : "";
                    report.AppendLine(inv, $"| {estimator} | {r.Method} | {r.Replications} | {r.Size:F3} | {r.SizeByTercile[0]:F3} / {r.SizeByTercile[1]:F3} / {r.SizeByTercile[2]:F3} | {r.Power[0]:F3} | {r.Power[1]:F3} | {(r.MinimumDetectableEffect is { } m ? m.ToString("G3", inv) : "—")} | {r.MeanIntervalLength:G3} | {flag} |");
                }
            }
        }
        // The issue's check: under two-way heteroskedasticity, does DiD's recommended method keep its size within [0.03, 0.07]
        // in every tercile and have more power than the marginal variances? Reported, not asserted: on these factor-model designs
        // it does not hold (the answer is in the table), while the rule itself is checked in VarianceComparisonTests.
        report.AppendLine();
        report.AppendLine("## The issue's check under two-way heteroskedasticity (DiD)");
        report.AppendLine();
        foreach (var (shape, _, _, _) in Shapes)
        {
            var design = $"two-way, {shape}";
            var best = result.Recommend(design, "DiD");
            if (best is null) { report.AppendLine(inv, $"- {design}: no method is calibrated."); continue; }
            var inBand = best.SizeByTercile.All(p => p >= 0.03 && p <= 0.07);
            var marginals = new[] { "Regression (homoskedastic)", "Unit×time placebo" }.Select(m => result[design, "DiD", m]).ToArray();
            var beats = marginals.All(m => best.Power.Zip(m.Power).All(p => p.First > p.Second));
            report.AppendLine(inv, $"- {design}: recommended {best.Method}, size by tercile {string.Join(" / ", best.SizeByTercile.Select(p => p.ToString("F3", inv)))} — {(inBand ? "within" : "**not** within")} [0.03, 0.07]; power {string.Join(" / ", best.Power.Select(p => p.ToString("F3", inv)))} against {string.Join(" and ", marginals.Select(m => $"{m.Method} {string.Join(" / ", m.Power.Select(p => p.ToString("F3", inv)))}"))} — {(beats ? "higher than both" : "**not** higher than both")}.");
        }
        output.WriteLine(report.ToString());
        SimulationReport.Write("variance-power.md", report.ToString());
        SimulationReport.Write("variance-power.csv", result.ToCsv());
        SimulationReport.Write("variance-power.svg", Charts.VariancePower(result, "Size and power of variance methods on CPS-fitted designs"));

        // What holds: the homoskedastic plug-in never rejects for the quietest treated states and over-rejects for the noisiest,
        // and DiD gets a calibrated recommendation on both two-way designs.
        var homoskedastic = result["two-way, 1 cell", "DiD", "Regression (homoskedastic)"];
        homoskedastic.SizeByTercile[0].Should().BeLessThan(0.02);
        homoskedastic.SizeByTercile[2].Should().BeGreaterThan(0.10);
        foreach (var (shape, _, _, _) in Shapes)
            result.IsCalibrated(result.Recommend($"two-way, {shape}", "DiD")!).Should().BeTrue(shape);
    }
}
