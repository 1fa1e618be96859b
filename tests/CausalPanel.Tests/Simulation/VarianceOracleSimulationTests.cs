using System.Diagnostics;
using System.Globalization;
using System.Text;
using CausalPanel.Tests.Support;
using FluentAssertions;
using MathNet.Numerics.Statistics;
using Xunit.Abstractions;
using static CausalPanel.Tests.Simulation.VariancePowerDesigns;

namespace CausalPanel.Tests.Simulation;

/// <summary>
/// The oracle of variance-power.md's check, for all six estimators on its two-way designs: the test that knows τ̂'s null
/// distribution given the treated units S — its variance V(S) = Var(τ̂ | S) and its shape, pooled (q·√V(S)) — the z-test when τ̂
/// is normal, the most powerful unbiased test based on τ̂ ~ N(τ, V(S)). It bounds every test that holds its size for every
/// treated set with a critical value set by S alone (not one that adapts to weights that move with the noise). V(S) is found by
/// brute force: the estimator refitted on K fresh noise draws with S treated (every state in turn for one cell; random blocks for
/// the 10 × 10 design, drawn as the design draws them). DiD's is checked against its closed form Σ c²_it σ²_it, and the noise drawn here
/// against the design's own draws. Slow: <c>dotnet test tests/CausalPanel.Tests -c Release --filter
/// "FullyQualifiedName~VarianceOracleSimulation"</c>; CAUSALPANEL_VARIANCE_ORACLE_BLOCKS (random blocks, default 300),
/// _DRAWS (noise draws per treated set, default 150; one cell takes 400), _THREADS; writes docs/simulations/variance-oracle.{md,csv}.
/// </summary>
public class VarianceOracleSimulationTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void The_power_of_the_test_that_knows_each_estimators_null_distribution_given_the_treated_units()
    {
        var blocks = SimulationReport.Replications("CAUSALPANEL_VARIANCE_ORACLE_BLOCKS", 300);
        var draws = SimulationReport.Replications("CAUSALPANEL_VARIANCE_ORACLE_DRAWS", 150);
        var threads = SimulationReport.Replications("CAUSALPANEL_VARIANCE_ORACLE_THREADS", Environment.ProcessorCount);
        var inv = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        var model = Model;
        var n = model.UnitCount;
        var cell = TwoWayCellVariances();
        DesignDrawsTheseVariances(cell);

        var csv = new StringBuilder("shape,estimator,treated_sets,draws,effect_1,oracle_1,effect_2,oracle_2,q,normal_oracle_1,normal_oracle_2,seconds\n");
        var table = new StringBuilder();
        foreach (var (shape, units, periods, effects) in Shapes)
        {
            var design = Design(shape, units, periods, "two-way", Heteroskedasticity.TwoWay);
            HashSet<int>[] sets = units == 1 ? [.. Enumerable.Range(0, n).Select(i => new HashSet<int> { i })]   // every state equally likely
                : [.. Enumerable.Range(0, blocks).Select(p => design.Simulate(new Random(1000 + p)).Pattern.TreatedUnitIndices.ToHashSet())];
            var k = units == 1 ? Math.Max(draws, 400) : draws;
            var lambda = McLambda(shape, units, periods);
            IEstimator[] estimators = [new DifferenceInDifferences(), new SyntheticControl(), new SyntheticControlWithIntercept(), new SyntheticDifferenceInDifferences(),
                new MatrixCompletion(new MatrixCompletionOptions { Lambda = lambda }), new DoublyWeightedCausalPanel(Dwcp)];
            foreach (var estimator in estimators)
            {
                var watch = Stopwatch.StartNew();
                var variances = new double[sets.Length];
                var atts = new double[sets.Length][];
                Parallel.For(0, sets.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, p =>
                {
                    var random = new Random(77 + 7919 * p);
                    var w = TreatedCells(sets[p], periods);
                    atts[p] = new double[k];
                    for (var r = 0; r < k; r++) atts[p][r] = estimator.Estimate(DrawNoise(cell, w, random)).Att;
                    variances[p] = atts[p].Average(a => a * a);   // every estimator is unbiased here: the true effect is 0
                });
                // The null distribution's shape, pooled over the treated sets (τ̂/√V(S)), and the test that rejects when |τ̂| > q·√V(S):
                // exact size for every set whatever the shape; the z-test (q = 1.96) when τ̂ is normal.
                var q = SortedArrayStatistics.QuantileCustom([.. atts.SelectMany((a, p) => a.Select(x => Math.Abs(x) / Math.Sqrt(variances[p]))).Order()], 0.95, QuantileDefinition.R7);
                var powers = effects.Select(e => atts.Select((a, p) => a.Count(x => Math.Abs(x + e) > q * Math.Sqrt(variances[p])) / (double)k).Average()).ToArray();
                var normalPowers = effects.Select(e => variances.Average(v => ZTestPower(e, v))).ToArray();
                if (estimator is DifferenceInDifferences)
                {
                    // DiD's weights are fixed, so its V(S) has a closed form: the brute force must find it.
                    var exact = sets.Select(set => DidVariance(cell, set, periods)).ToArray();
                    var exactPowers = effects.Select(e => exact.Average(v => ZTestPower(e, v))).ToArray();
                    output.WriteLine(string.Create(inv, $"DiD, {shape}: brute force {powers[0]:F4} / {powers[1]:F4} (q = {q:F3}), closed form {exactPowers[0]:F4} / {exactPowers[1]:F4}; mean V ratio {variances.Zip(exact).Average(v => v.First / v.Second):F4}"));
                    variances.Zip(exact).Average(v => v.First / v.Second).Should().BeApproximately(1, 4 * Math.Sqrt(2.0 / k / sets.Length) + 0.002);
                    for (var e = 0; e < effects.Length; e++) powers[e].Should().BeApproximately(exactPowers[e], 0.01);
                    q.Should().BeApproximately(1.959964, 0.06, "DiD's τ̂ is normal");
                }
                csv.AppendLine(string.Create(inv, $"{shape},{estimator.Name},{sets.Length},{k},{effects[0]:R},{powers[0]:R},{effects[1]:R},{powers[1]:R},{q:R},{normalPowers[0]:R},{normalPowers[1]:R},{watch.Elapsed.TotalSeconds:F0}"));
                table.AppendLine(string.Create(inv, $"| two-way, {shape} | {estimator.Name} | {sets.Length} | {k} | {powers[0]:F3} | {powers[1]:F3} | {q:F2} | {normalPowers[0]:F3} / {normalPowers[1]:F3} | {variances.Average():G3} | {watch.Elapsed.TotalSeconds:F0} s |"));
                output.WriteLine(table.ToString().TrimEnd().Split('\n')[^1]);
            }
        }

        var report = new StringBuilder();
        report.AppendLine("# The oracle of variance-power.md: power when τ̂'s null distribution given the treated units is known");
        report.AppendLine();
        report.AppendLine(inv, $"For each estimator on [variance-power.md](variance-power.md)'s two-way designs (California's two-way noise scales raised to the power {Strength}, noise only, 39 × 31; one treated cell at 2σ and 3σ, a 10 × 10 block at 0.25σ and 0.4σ, σ = {Sigma:G3}): the power of the test that knows τ̂'s null distribution given the treated units — its variance V(S) = Var(τ̂ | treated set S) and its shape — and rejects when |τ̂| > q·√V(S), q the 95% quantile of |τ̂|/√V(S) pooled over the treated sets (1.96 when τ̂ is normal: then it is the z-test, the most powerful unbiased test based on τ̂ ~ N(τ, V(S))), averaged over the treated sets as the design draws them. It holds its size for every treated set, as a variance method that holds its size in every noise tercile tries to, knowing what such a method estimates: it is the reference a calibrated method is measured against. It is a strict bound only for tests whose critical value depends on the treated set alone: where the estimator's weights move with the noise, a method can also adapt to the realised weights, and DWCP's jackknife (λ_unit = 20: weights that follow each unit's noise) is above it on the block. A marginal method can have more power than the oracle, at its size or at equal overall size: it rejects more where the treated cells are noisy and less where they are quiet; at a large effect that buys power a test calibrated for every treated set does not have.");
        report.AppendLine();
        report.AppendLine(inv, $"By brute force: the estimator refitted on K fresh noise draws with S treated; V(S) their mean square (the true effect is 0 and every estimator is unbiased here), power the share of the draws shifted by the effect that the test rejects. One cell: every state in turn (the design draws each equally likely), K = {Math.Max(draws, 400)}; block: {blocks} random blocks drawn as the design draws them (`SimulationDesign.Simulate`, seeds 1000 + p), K = {draws}. Estimators as on variance-power.md (MC-NNM at its λ cross-validated once per shape; DWCP at λ_unit = {Dwcp.LambdaUnit}, λ_time = {Dwcp.LambdaTime}, λ_nuclear = ∞, unstandardised). Checked: DiD's brute-force V(S) equals its closed form Σ c²_it σ²_it within Monte-Carlo error (mean ratio within 4 s.e. of 1), its q is 1.96 within 0.06 and its oracle power within 0.01 of the closed form's; the noise drawn here has, unit by unit, the variances the design draws (2,000 design panels, within 3%). q above 1.96 means heavier tails than the normal: there the z-test with V(S) (the column beside it) under-states what a calibrated test can reach. V(S) carries the error of K draws (relative s.e. √(2/K)).");
        report.AppendLine();
        report.AppendLine("| design | estimator | treated sets | draws K | oracle power at the smaller effect | at the larger effect | q (1.96 if normal) | z-test power (normal) | mean V(S) | time |");
        report.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        report.Append(table);
        report.AppendLine();
        report.AppendLine(inv, $"Command: `CAUSALPANEL_VARIANCE_ORACLE_BLOCKS={blocks} CAUSALPANEL_VARIANCE_ORACLE_DRAWS={draws} CAUSALPANEL_VARIANCE_ORACLE_THREADS={threads} dotnet test tests/CausalPanel.Tests -c Release --filter \"FullyQualifiedName~VarianceOracleSimulation\"` — {clock.Elapsed.TotalMinutes:F1} min on {Environment.ProcessorCount} cores, {threads} threads. Data: [variance-oracle.csv](variance-oracle.csv), read by variance-power.md's check.");
        output.WriteLine(report.ToString());
        SimulationReport.Write("variance-oracle.md", report.ToString());
        SimulationReport.Write("variance-oracle.csv", csv.ToString());
    }

    /// <summary>The two-way design's draws have, unit by unit, the cell variances <paramref name="cell"/> this oracle draws with.</summary>
    private static void DesignDrawsTheseVariances(double[,] cell)
    {
        int n = cell.GetLength(0), t = cell.GetLength(1), panels = 2000;
        var design = Design("1 cell", 1, 1, "two-way", Heteroskedasticity.TwoWay);
        var squares = new double[n, t];
        var random = new Random(5);
        for (var p = 0; p < panels; p++)
        {
            var y = design.Simulate(random).Outcomes.Values;
            for (var i = 0; i < n; i++)
                for (var s = 0; s < t; s++) squares[i, s] += y[i * t + s] * y[i * t + s];   // no effect: every cell is noise
        }
        for (var i = 0; i < n; i++)
        {
            double drawn = 0, expected = 0;
            for (var s = 0; s < t; s++) { drawn += squares[i, s] / panels; expected += cell[i, s]; }
            (drawn / expected).Should().BeApproximately(1, 0.03, $"unit {i}'s noise variance in the design's draws");
        }
    }
}
