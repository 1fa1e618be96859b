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
/// Why "conditional on units and periods" (the rescaled unit placebo) is or is not calibrated on variance-power.md's two-way
/// 10 × 10 design: its V̂ against τ̂'s true variance given the treated units, V(S) (brute force, as in
/// <see cref="VarianceOracleSimulationTests"/>; DiD's closed form Σ c²_it σ²_it checks it), by noise tercile, and its degrees of
/// freedom. Slow: <c>dotnet test tests/CausalPanel.Tests -c Release --filter "FullyQualifiedName~RescaledPlaceboBiasSimulation"</c>;
/// CAUSALPANEL_RESCALED_BIAS_SETS (treated sets, default 150), _PANELS (panels per set, default 4), _DRAWS (noise draws for V(S),
/// default 60), _PLACEBOS (the method's draws, default 40 as on variance-power.md); writes docs/simulations/rescaled-placebo-bias.md.
/// </summary>
public class RescaledPlaceboBiasSimulationTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void The_rescaled_placebos_variance_against_the_true_variance_given_the_treated_units()
    {
        var sets = SimulationReport.Replications("CAUSALPANEL_RESCALED_BIAS_SETS", 150);
        var perSet = SimulationReport.Replications("CAUSALPANEL_RESCALED_BIAS_PANELS", 4);
        var draws = SimulationReport.Replications("CAUSALPANEL_RESCALED_BIAS_DRAWS", 60);
        var placebos = SimulationReport.Replications("CAUSALPANEL_RESCALED_BIAS_PLACEBOS", 40);
        var inv = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        var (shape, units, periods, _) = Shapes[1];
        var design = Design(shape, units, periods, "two-way", Heteroskedasticity.TwoWay);
        var t = Model.PeriodCount;
        var cell = TwoWayCellVariances();
        var table = new StringBuilder();
        var pre = t - periods;
        // SDID with the fixed-weight rescaling (RescalingDraws = 0), with the simulated one (10, its default with more than one treated unit) and with its time weights
        // held uniform (as DIFP's), which tells its time weights' share in the fixed-weight rescaling's gap from its unit weights'.
        (string Name, IEstimator Estimator, int RescalingDraws)[] estimators =
        [
            ("DiD", new DifferenceInDifferences(), 0), ("SC", new SyntheticControl(), 0), ("DIFP", new SyntheticControlWithIntercept(), 0),
            ("SDID, fixed-weight rescaling", new SyntheticDifferenceInDifferences(), 0), ("SDID, simulated rescaling", new SyntheticDifferenceInDifferences(), 10),
            ("SDID, time weights uniform", new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { TimeWeights = [.. Enumerable.Repeat(1.0 / pre, pre)], UpdateTimeWeights = false }), 0),
        ];
        foreach (var (name, estimator, rescalingDraws) in estimators)
        {
            var rows = new (double Truth, double Estimate, double Df, double Att, double Noise)[sets * perSet];
            Parallel.For(0, sets, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, p =>
            {
                var (treated, w, noise, random) = OracleSet(design, cell, periods, p);
                var squares = MeanSquare(estimator, cell, w, random, draws);
                var truth = estimator is DifferenceInDifferences ? DidVariance(cell, treated, periods) : squares;
                for (var r = 0; r < perSet; r++)
                {
                    var fit = estimator.Estimate(DrawNoise(cell, w, random));
                    var v = fit.WithVariance(new ConditionalVariance { Replications = placebos, RescalingDraws = rescalingDraws, Seed = 100 * p + r, MaxDegreeOfParallelism = 1 });
                    rows[p * perSet + r] = (truth, v.Variance, v.DegreesOfFreedom ?? double.PositiveInfinity, fit.Att, noise);
                }
            });
            double Size(IEnumerable<(double Truth, double Estimate, double Df, double Att, double Noise)> part) =>
                part.Average(r => Math.Abs(r.Att) / Math.Sqrt(r.Estimate) > StudentT.InvCDF(0, 1, r.Df, 0.975) ? 1.0 : 0);
            var ordered = rows.OrderBy(r => r.Noise).ToArray();
            var terciles = Enumerable.Range(0, 3).Select(g => ordered[(g * ordered.Length / 3)..((g + 1) * ordered.Length / 3)]).ToArray();
            var ratio = rows.Average(r => r.Estimate / r.Truth);
            var df = rows.Select(r => r.Df).Order().ElementAt(rows.Length / 2);
            table.AppendLine(string.Create(inv, $"| {name} | {ratio:F3} | {string.Join(" / ", terciles.Select(g => g.Average(r => r.Estimate / r.Truth).ToString("F3", inv)))} | {df:F1} | {Size(rows):F3} | {string.Join(" / ", terciles.Select(g => Size(g).ToString("F3", inv)))} | {rows.Average(r => Math.Abs(r.Att) / Math.Sqrt(r.Truth) > 1.959964 ? 1.0 : 0):F3} |"));
            output.WriteLine(table.ToString().TrimEnd().Split('\n')[^1]);
            // DiD's rescaled placebo is unbiased in expectation under independent two-way noise: against its closed-form V(S).
            if (estimator is DifferenceInDifferences) ratio.Should().BeApproximately(1, 0.1);
        }

        var report = new StringBuilder();
        report.AppendLine("# The rescaled unit placebo's variance against the truth, two-way 10 × 10");
        report.AppendLine();
        report.AppendLine(inv, $"[variance-power.md](variance-power.md)'s two-way 10 × 10 design (noise only, California's two-way noise scales to the power {Strength}; 10 random states treated in the last 10 years). For {sets} treated sets S (the oracle's, [variance-oracle.md](variance-oracle.md)) and {perSet} panels each: \"conditional on units and periods\" ({placebos} placebo draws, a seed per panel) and its V̂, against V(S) = Var(τ̂ | S) — DiD's closed form Σ c²_it σ²_it, the others' mean square over {draws} fresh noise draws with S treated. Mean V̂/V(S) overall and by tercile of the treated cells' noise; the median of its Student-t degrees of freedom; its size (t test with those df), overall and by tercile; and the size of the z-test with V(S) (the oracle's, 0.05 up to Monte-Carlo error). SDID is run with the fixed-weight rescaling (`RescalingDraws = 0`: r²_b = Σ_i s²_i â²_i of the real fit over the placebo fit's), with the simulated rescaling (`RescalingDraws = 10`, SDID's default with more than one treated unit: each fit's variance from 10 noise panels, the real fit's from 50, `SimulatedFitVariance`; [simulated-variance.md](simulated-variance.md)), and with its time weights held uniform over the pre-periods (as DIFP's), which tells the part of its time weights. Checked: DiD's mean V̂/V(S) within 0.1 of 1 (the rescaling is exact in expectation for DiD).");
        report.AppendLine();
        report.AppendLine("| estimator | mean V̂ / V(S) | by noise tercile | median df | size | by noise tercile | size with V(S), z |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        report.Append(table);
        report.AppendLine();
        report.AppendLine(inv, $"Command: `CAUSALPANEL_RESCALED_BIAS_SETS={sets} CAUSALPANEL_RESCALED_BIAS_PANELS={perSet} CAUSALPANEL_RESCALED_BIAS_DRAWS={draws} CAUSALPANEL_RESCALED_BIAS_PLACEBOS={placebos} dotnet test tests/CausalPanel.Tests -c Release --filter \"FullyQualifiedName~RescaledPlaceboBiasSimulation\"` — {clock.Elapsed.TotalMinutes:F1} min on {Environment.ProcessorCount} cores.");
        output.WriteLine(report.ToString());
        SimulationReport.Write("rescaled-placebo-bias.md", report.ToString());
    }
}
