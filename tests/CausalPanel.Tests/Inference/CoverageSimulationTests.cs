using System.Diagnostics;
using System.Globalization;
using System.Text;
using CausalPanel.Tests.Support;
using MathNet.Numerics.Distributions;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Inference;

/// <summary>
/// R synthdid's coverage benchmark (tests/benchmarks/coverage_check.R, DGP <c>random.low.rank</c> in
/// R/utils.R; spec variance.md §5): N0 = 100, N1 = 10, T0 = 120, T1 = 20, τ = 1, rank-2 Poisson factors,
/// unit effects 10·perm(i)/n, time effects 10·t/T, AR(1) noise (ρ = 0.7, σ = 0.5). R's 1000-replication
/// coverage of the 95% normal interval for SDID: bootstrap 0.938, jackknife 0.932, placebo 0.937.
/// Slow: run with <c>dotnet test -c Release --filter "FullyQualifiedName~CoverageSimulation"</c>
/// (simulated panels from CAUSALPANEL_COVERAGE_REPS, default 400; bootstrap/placebo replications from
/// CAUSALPANEL_COVERAGE_B, default 200); writes docs/simulations/synthdid-coverage.md.
/// </summary>
public class CoverageSimulationTests(ITestOutputHelper output)
{
    private const int N0 = 100, N1 = 10, T0 = 120, T1 = 20;

    /// <summary>One draw of random.low.rank (same distributions; R's random stream is not replayed).</summary>
    internal static PanelData RandomLowRank(Random rng)
    {
        const int n = N0 + N1, t = T0 + T1, rank = 2;
        const double tau = 1, sigma = 0.5, rho = 0.7;
        var unitRate = Permutation(rng, n).Select(k => Math.Sqrt(k) / Math.Sqrt(n)).ToArray();
        var u = new double[n, rank];
        var v = new double[t, rank];
        for (var r = 0; r < rank; r++)
        {
            for (var i = 0; i < n; i++) u[i, r] = Poisson.Sample(rng, unitRate[i]);
            for (var s = 0; s < t; s++) v[s, r] = Poisson.Sample(rng, Math.Sqrt(s + 1.0) / Math.Sqrt(t));
        }
        var alpha = Permutation(rng, n).Select(k => 10.0 * k / n).ToArray();
        var y = new double[n, t];
        var w = new bool[n, t];
        for (var i = 0; i < n; i++)
        {
            var e = Normal.Sample(rng, 0, 1);   // stationary AR(1): corr(e_s, e_q) = ρ^|s−q|, as rmvnorm with that covariance
            for (var s = 0; s < t; s++)
            {
                if (s > 0) e = rho * e + Math.Sqrt(1 - rho * rho) * Normal.Sample(rng, 0, 1);
                w[i, s] = i >= N0 && s >= T0;
                var mu = alpha[i] + 10.0 * (s + 1) / t;
                for (var r = 0; r < rank; r++) mu += u[i, r] * v[s, r];
                y[i, s] = mu + (w[i, s] ? tau : 0) + sigma * e;
            }
        }
        return PanelData.FromMatrices(y, w);
    }

    private static int[] Permutation(Random rng, int n)
    {
        var p = Enumerable.Range(1, n).ToArray();
        rng.Shuffle(p);
        return p;
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Sdid_coverage_matches_Rs_benchmark()
    {
        var reps = SimulationReport.Replications("CAUSALPANEL_COVERAGE_REPS", 400);
        var replications = SimulationReport.Replications("CAUSALPANEL_COVERAGE_B", 200);
        var methods = new (string Name, double R, IVarianceEstimator Method)[]
        {
            ("bootstrap", 0.938, new BootstrapVariance { Replications = replications, MaxDegreeOfParallelism = 1 }),
            ("jackknife", 0.932, new JackknifeVariance { MaxDegreeOfParallelism = 1 }),
            ("placebo", 0.937, new UnitPlaceboVariance { Replications = replications, MaxDegreeOfParallelism = 1 }),
        };
        var covered = new int[methods.Length];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, reps, rep =>
        {
            var data = RandomLowRank(new Random(42_000 + rep));
            var fit = new SyntheticDifferenceInDifferences().Estimate(data);
            for (var m = 0; m < methods.Length; m++)
            {
                var method = methods[m].Method switch
                {
                    BootstrapVariance b => b with { Seed = rep },
                    UnitPlaceboVariance p => p with { Seed = rep },
                    var other => other,
                };
                var se = fit.WithVariance(method).StandardError;
                if (Math.Abs(fit.Att - 1) < 1.96 * se) Interlocked.Increment(ref covered[m]);
            }
        });

        var inv = CultureInfo.InvariantCulture;
        var report = new StringBuilder();
        report.AppendLine("# SDID coverage on synthdid's `random.low.rank` design");
        report.AppendLine();
        report.AppendLine(inv, $"N0 = {N0}, N1 = {N1}, T0 = {T0}, T1 = {T1}, τ = 1, AR(1) noise ρ = 0.7, σ = 0.5 (R synthdid `tests/benchmarks/coverage_check.R`).");
        report.AppendLine(inv, $"{reps} simulated panels (seeds 42000…), {replications} bootstrap/placebo replications each, 95% normal interval.");
        report.AppendLine(inv, $"Command: `CAUSALPANEL_COVERAGE_REPS={reps} CAUSALPANEL_COVERAGE_B={replications} dotnet test tests/CausalPanel.Tests -c Release --filter \"FullyQualifiedName~CoverageSimulation\"` ({clock.Elapsed.TotalMinutes:F1} min on {Environment.ProcessorCount} cores).");
        report.AppendLine();
        report.AppendLine("| method | coverage | MC s.e. | R synthdid (1000 reps) |");
        report.AppendLine("|---|---|---|---|");
        for (var m = 0; m < methods.Length; m++)
        {
            var p = (double)covered[m] / reps;
            report.AppendLine(inv, $"| {methods[m].Name} | {p:F3} | {SimulationReport.McError(p, reps):F3} | {methods[m].R:F3} |");
        }
        output.WriteLine(report.ToString());
        SimulationReport.Write("synthdid-coverage.md", report.ToString());

        for (var m = 0; m < methods.Length; m++)
            ((double)covered[m] / reps).Should().BeApproximately(methods[m].R, 0.03, methods[m].Name);
    }
}
