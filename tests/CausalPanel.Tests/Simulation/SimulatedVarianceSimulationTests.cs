using System.Diagnostics;
using System.Globalization;
using System.Text;
using CausalPanel.Tests.Support;
using FluentAssertions;
using MathNet.Numerics.Distributions;
using Xunit.Abstractions;
using static CausalPanel.Tests.Simulation.VariancePowerDesigns;

namespace CausalPanel.Tests.Simulation;

/// <summary>
/// The two-way plug-in of DIFP and SDID with its fixed-weight formula and with its variance simulated on noise-only panels
/// (<see cref="RegressionVariance.SimulationDraws"/>): on variance-power.md's noise-only two-way 10 × 10 design against τ̂'s true
/// variance given the treated units V(S) (brute force, the oracle's treated sets); and, with the rescaled unit placebo's
/// simulated ratio (<see cref="ConditionalVariance.RescalingDraws"/>) too, on the same treated shape with California's fitted
/// factor signal kept (its interactive factors, which the weights also fit). Slow:
/// <c>dotnet test tests/CausalPanel.Tests -c Release --filter "FullyQualifiedName~SimulatedVarianceSimulation"</c>;
/// CAUSALPANEL_SIMULATED_VARIANCE_SETS (treated sets, default 150), _PANELS (panels per set, default 4), _DRAWS (noise draws for
/// V(S), default 60), _FACTOR_REPS (panels of each fitted design, default 400); writes docs/simulations/simulated-variance.md.
/// </summary>
public class SimulatedVarianceSimulationTests(ITestOutputHelper output)
{
    private const int Draws = 50;

    /// <summary>The rescaled unit placebo's draws, as on variance-power.md.</summary>
    private const int Placebos = 40;

    [Fact]
    [Trait("Category", "Slow")]
    public void The_simulated_two_way_plug_in_against_the_truth_on_noise_and_on_a_factor_design()
    {
        var sets = SimulationReport.Replications("CAUSALPANEL_SIMULATED_VARIANCE_SETS", 150);
        var perSet = SimulationReport.Replications("CAUSALPANEL_SIMULATED_VARIANCE_PANELS", 4);
        var draws = SimulationReport.Replications("CAUSALPANEL_SIMULATED_VARIANCE_DRAWS", 60);
        var factorReps = SimulationReport.Replications("CAUSALPANEL_SIMULATED_VARIANCE_FACTOR_REPS", 400);
        var inv = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        var (shape, units, periods, _) = Shapes[1];
        var design = Design(shape, units, periods, "two-way", Heteroskedasticity.TwoWay);
        var cell = TwoWayCellVariances();
        IEstimator[] estimators = [new SyntheticControlWithIntercept(), new SyntheticDifferenceInDifferences()];
        RegressionVariance[] methods =
        [
            new() { On = VarianceTarget.ConditionalOnUnitsAndPeriods },
            new() { On = VarianceTarget.ConditionalOnUnitsAndPeriods, SimulationDraws = Draws, MaxDegreeOfParallelism = 1 },
        ];

        var noiseTable = new StringBuilder();
        foreach (var estimator in estimators)
        {
            var rows = new (double Truth, double[] Estimate, double[] Df, double Att, double Noise)[sets * perSet];
            Parallel.For(0, sets, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, p =>
            {
                var (_, w, noise, random) = OracleSet(design, cell, periods, p);
                var truth = MeanSquare(estimator, cell, w, random, draws);
                for (var r = 0; r < perSet; r++)
                {
                    var fit = estimator.Estimate(DrawNoise(cell, w, random));
                    var v = methods.Select(m => fit.WithVariance(m with { Seed = 100 * p + r })).ToArray();
                    rows[p * perSet + r] = (truth, [.. v.Select(x => x.Variance)], [.. v.Select(x => x.DegreesOfFreedom ?? double.PositiveInfinity)], fit.Att, noise);
                }
            });
            var ordered = rows.OrderBy(r => r.Noise).ToArray();
            var terciles = Enumerable.Range(0, 3).Select(g => ordered[(g * ordered.Length / 3)..((g + 1) * ordered.Length / 3)]).ToArray();
            for (var m = 0; m < methods.Length; m++)
            {
                double Ratio(IEnumerable<(double Truth, double[] Estimate, double[] Df, double Att, double Noise)> part) => part.Average(r => r.Estimate[m] / r.Truth);
                double Size(IEnumerable<(double Truth, double[] Estimate, double[] Df, double Att, double Noise)> part) =>
                    part.Average(r => Math.Abs(r.Att) / Math.Sqrt(r.Estimate[m]) > StudentT.InvCDF(0, 1, r.Df[m], 0.975) ? 1.0 : 0);
                var df = rows.Select(r => r.Df[m]).Order().ElementAt(rows.Length / 2);
                noiseTable.AppendLine(string.Create(inv, $"| {estimator.Name} | {methods[m].Name} | {Ratio(rows):F3} | {string.Join(" / ", terciles.Select(g => Ratio(g).ToString("F3", inv)))} | {df:F1} | {Size(rows):F3} | {string.Join(" / ", terciles.Select(g => Size(g).ToString("F3", inv)))} |"));
                output.WriteLine(noiseTable.ToString().TrimEnd().Split('\n')[^1]);
                // Where the panel is the noise model's, the simulation measures the variance given the treated units.
                if (m == 1) Ratio(rows).Should().BeInRange(0.9, 1.1);
            }
        }

        // California's fitted model as it is (additive and interactive signal, its AR(2) noise), and with either part alone: two-way
        // heteroskedastic noise at the power design's strength, 10 random states treated in the last 10 years.
        SimulationDesign Fitted(string name, bool factors, NoiseModel noise) => new()
        {
            Model = Model, Name = name, TreatedUnits = units, TreatedPeriods = periods, Assignment = AssignmentModel.Random,
            Additive = factors, Interactive = factors, Noise = noise, Heteroskedasticity = Heteroskedasticity.TwoWay, HeteroskedasticityStrength = Strength,
        };
        SimulationDesign[] fitted =
        [
            Fitted("factors and AR(2) noise", true, NoiseModel.Autocorrelated), Fitted("factors, independent noise", true, NoiseModel.Independent),
            Fitted("no factors, AR(2) noise", false, NoiseModel.Autocorrelated),
        ];
        var comparison = new VarianceComparison
        {
            Estimators = estimators,
            Methods = [.. methods, new ConditionalVariance { Replications = Placebos, RescalingDraws = 0, MaxDegreeOfParallelism = 1 },
                       new ConditionalVariance { Replications = Placebos, RescalingDraws = 10, MaxDegreeOfParallelism = 1 }],
            Designs = fitted, EffectSizes = [0.4 * Sigma], Replications = factorReps, Seed = 3,
            PowerFromShift = true, SeedMethodsPerReplication = true,
        }.Run();
        output.WriteLine(comparison.ToString());

        var report = new StringBuilder();
        report.AppendLine("# Variances simulated on noise-only panels (`RegressionVariance.SimulationDraws`, `ConditionalVariance.RescalingDraws`)");
        report.AppendLine();
        report.AppendLine(inv, $"DIFP's and SDID's weights are fitted to the outcomes: under heteroskedastic noise they absorb part of the controls' noise in sample (SDID's time weights most of it), which the plug-in's fixed-weight Σ a²_it â²_i b̂²_t counts at full weight. `SimulationDraws = {Draws}` measures the fit's variance instead on {Draws} noise-only panels drawn from the fitted two-way model and re-estimated (`SimulatedFitVariance`; its Satterthwaite df count the draws' Monte-Carlo variance); `RescalingDraws = 10` does the same for each fit in the rescaled unit placebo's ratio r²_b (10 panels per placebo fit, 50 for the real fit; [rescaled-placebo-bias.md](rescaled-placebo-bias.md) measures it on noise). `SimulationDraws` is opt-in (default 0, the formula); `RescalingDraws` is SDID's default with more than one treated unit (10, since 2026-12-02, after variance-power.md's block row was re-run with it), so the formula's column here sets it to 0.");
        report.AppendLine();
        report.AppendLine("## Noise only: against the variance given the treated units");
        report.AppendLine();
        report.AppendLine(inv, $"[variance-power.md](variance-power.md)'s two-way 10 × 10 design (noise only, California's two-way noise scales to the power {Strength}). For {sets} treated sets S (the oracle's, [variance-oracle.md](variance-oracle.md)) and {perSet} panels each: the plug-in's V̂ against V(S) = Var(τ̂ | S), the mean square over {draws} fresh noise draws with S treated; mean V̂/V(S) overall and by tercile of the treated cells' noise, the median df, and the size of its t test. Checked: the simulated V̂/V(S) within 0.1 of 1.");
        report.AppendLine();
        report.AppendLine("| estimator | method | mean V̂ / V(S) | by noise tercile | median df | size | by noise tercile |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        report.Append(noiseTable);
        report.AppendLine();
        report.AppendLine("## With the panel's factors or serial correlation");
        report.AppendLine();
        report.AppendLine(inv, $"California's fitted factor model (`FactorModel.Fit`: additive and rank-{Model.Rank} interactive signal, AR(2) noise) as it is, with its noise independent over time, and without its signal; the noise scaled by the two-way model to the power {Strength}, 10 random states treated in the last 10 years; {factorReps} panels per design, a seed per panel (`VarianceComparison`, power at 0.4σ = {0.4 * Sigma:G3}). The simulated panels carry the two-way noise model only, independent over time and without signal. \"Conditional on units and periods\" here has {Placebos} placebo draws.");
        report.AppendLine();
        report.AppendLine("| design | estimator | method | size | by noise tercile | power | CI length | misfit share of τ̂'s mean square |");
        report.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in comparison.Rows)
            report.AppendLine(string.Create(inv, $"| {row.Design} | {row.Estimator} | {row.Method} | {row.Size:F3} | {string.Join(" / ", row.SizeByTercile.Select(s => s.ToString("F3", inv)))} | {row.Power[0]:F3} | {row.MeanIntervalLength:G3} | {100 * row.MisfitShare:F0}% |"));
        report.AppendLine();
        report.AppendLine(inv, $"Command: `CAUSALPANEL_SIMULATED_VARIANCE_SETS={sets} CAUSALPANEL_SIMULATED_VARIANCE_PANELS={perSet} CAUSALPANEL_SIMULATED_VARIANCE_DRAWS={draws} CAUSALPANEL_SIMULATED_VARIANCE_FACTOR_REPS={factorReps} dotnet test tests/CausalPanel.Tests -c Release --filter \"FullyQualifiedName~SimulatedVarianceSimulation\"` — {clock.Elapsed.TotalMinutes:F1} min on {Environment.ProcessorCount} cores.");
        output.WriteLine(report.ToString());
        SimulationReport.Write("simulated-variance.md", report.ToString());
    }
}
