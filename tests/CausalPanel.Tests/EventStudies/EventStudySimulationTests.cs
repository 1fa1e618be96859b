using System.Diagnostics;
using System.Globalization;
using System.Text;
using CausalPanel.Tests.Support;
using MathNet.Numerics.Distributions;
using Xunit.Abstractions;

namespace CausalPanel.Tests.EventStudies;

/// <summary>
/// The event study's leads, pre-trend test and simultaneous band on simulated staggered panels with known effects:
/// Y_it = α_i + β_t + τ(t − g_i)·W_it + δ·t·1[i ever treated] + ε_it, with α_i, β_t, ε_it ~ N(0, 1), 40 never-treated units
/// and three cohorts (adopting in periods 6, 8 and 10 of 12) of <c>unitsPerCohort</c> units, τ(e) = 1 + 0.25e, and δ = 0
/// (parallel trends) or a linear pre-trend δ of the treated units. DiD with its four default leads (fect's
/// leave-one-period-out) and 11 event times. Slow: run with
/// <c>dotnet test tests/CausalPanel.Tests -c Release --filter "FullyQualifiedName~EventStudySimulation"</c> (panels from
/// CAUSALPANEL_EVENT_STUDY_REPS, default 500); writes docs/simulations/event-study.md.
/// </summary>
public class EventStudySimulationTests(ITestOutputHelper output)
{
    private const int Never = 40, Periods = 12, Leads = 4;
    private static readonly int[] Cohorts = [5, 7, 9];

    /// <summary>The true effect at event time e (0 for leads).</summary>
    private static double Truth(int e) => e < 0 ? 0 : 1 + 0.25 * e;

    internal static PanelData Panel(int seed, double trend, int unitsPerCohort)
    {
        var rng = new Random(seed);
        int n = Never + Cohorts.Length * unitsPerCohort;
        var y = new double[n, Periods];
        var w = new bool[n, Periods];
        var beta = Enumerable.Range(0, Periods).Select(_ => Normal.Sample(rng, 0, 1)).ToArray();
        for (var i = 0; i < n; i++)
        {
            var g = i < Never ? -1 : Cohorts[(i - Never) / unitsPerCohort];
            var alpha = Normal.Sample(rng, 0, 1);
            for (var s = 0; s < Periods; s++)
            {
                w[i, s] = g >= 0 && s >= g;
                y[i, s] = alpha + beta[s] + (w[i, s] ? Truth(s - g) : 0) + (g >= 0 ? trend * s : 0) + Normal.Sample(rng, 0, 1);
            }
        }
        return PanelData.FromMatrices(y, w);
    }

    private sealed record Draw(double[] Leads, bool Rejects, bool PointwiseCovers, bool BandCovers);

    private sealed record Summary(string Scenario, string Method, int Panels, int Replications, double Rejection, double Pointwise, double Band,
        double[] LeadMeans, double[] LeadErrors, double Seconds)
    {
        public double RejectionError => SimulationReport.McError(Rejection, Panels);
    }

    private static Summary Run(string scenario, int panels, int replications, bool bootstrap, double trend, int unitsPerCohort)
    {
        var clock = Stopwatch.StartNew();
        var draws = new Draw[panels];
        Parallel.For(0, panels, rep =>
        {
            var data = Panel(70_000 + rep, trend, unitsPerCohort);
            IVarianceEstimator method = bootstrap
                ? new BootstrapVariance { Replications = replications, Seed = rep, MaxDegreeOfParallelism = 1 }
                : new UnitPlaceboVariance { Replications = replications, Seed = rep, MaxDegreeOfParallelism = 1 };
            var study = new DifferenceInDifferences().Estimate(data).EventStudy(method);
            draws[rep] = new Draw(study.Leads.Select(p => p.Effect).ToArray(), study.PreTrendTest!.PValue < 0.05,
                study.Points.All(p => p.Lower <= Truth(p.EventTime) && Truth(p.EventTime) <= p.Upper),
                study.Points.All(p => p.UniformLower <= Truth(p.EventTime) && Truth(p.EventTime) <= p.UniformUpper));
        });
        var means = Enumerable.Range(0, Leads).Select(k => draws.Average(d => d.Leads[k])).ToArray();
        var errors = Enumerable.Range(0, Leads).Select(k => Math.Sqrt(draws.Average(d => Math.Pow(d.Leads[k] - means[k], 2)) / panels)).ToArray();
        return new Summary(scenario, bootstrap ? "bootstrap" : "unit placebo", panels, replications,
            draws.Average(d => d.Rejects ? 1.0 : 0), draws.Average(d => d.PointwiseCovers ? 1.0 : 0), draws.Average(d => d.BandCovers ? 1.0 : 0),
            means, errors, clock.Elapsed.TotalSeconds);
    }

    [Fact]
    public void A_small_simulation_has_centred_leads_a_test_that_rejects_trends_and_a_band_wider_than_pointwise_intervals()
    {
        var flat = Run("parallel", 40, 50, bootstrap: false, trend: 0, unitsPerCohort: 10);
        var trending = Run("trend 0.4", 40, 50, bootstrap: false, trend: 0.4, unitsPerCohort: 10);
        for (var k = 0; k < Leads; k++) Math.Abs(flat.LeadMeans[k]).Should().BeLessThan(3 * flat.LeadErrors[k]);
        flat.Rejection.Should().BeLessThan(0.2);
        trending.Rejection.Should().BeGreaterThan(0.8);
        flat.Band.Should().BeGreaterThan(0.8).And.BeGreaterThan(flat.Pointwise);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Leads_are_centred_the_pre_trend_test_has_its_size_and_power_and_the_band_covers_jointly()
    {
        var panels = SimulationReport.Replications("CAUSALPANEL_EVENT_STUDY_REPS", 500);
        var clock = Stopwatch.StartNew();
        Summary[] runs =
        [
            Run("parallel trends", panels, 200, bootstrap: false, trend: 0, unitsPerCohort: 10),
            Run("treated trend δ = 0.1", panels, 200, bootstrap: false, trend: 0.1, unitsPerCohort: 10),
            Run("treated trend δ = 0.2", panels, 200, bootstrap: false, trend: 0.2, unitsPerCohort: 10),
            Run("parallel trends", panels, 200, bootstrap: true, trend: 0, unitsPerCohort: 10),
            Run("parallel trends, 30 units per cohort", panels, 200, bootstrap: true, trend: 0, unitsPerCohort: 30),
        ];
        var timings = Timings();
        SimulationReport.Write("event-study.md", Report(runs, timings, panels, clock.Elapsed));
        output.WriteLine(Report(runs, timings, panels, clock.Elapsed));

        var null_ = runs[0];
        for (var k = 0; k < Leads; k++) Math.Abs(null_.LeadMeans[k]).Should().BeLessThan(2 * null_.LeadErrors[k], $"lead −{Leads - k} is centred at 0");
        null_.Rejection.Should().BeInRange(0.03, 0.07, "the Wald test has its nominal 5% size within ±2 points");
        runs[2].Rejection.Should().BeGreaterThanOrEqualTo(0.9, "a linear pre-trend of 0.2 noise sds per period is detected");
        null_.Band.Should().BeGreaterThanOrEqualTo(0.93, "the sup-t band covers all 11 event-time effects jointly");
        null_.Pointwise.Should().BeLessThan(0.9, "pointwise 95% intervals do not");
    }

    /// <summary>Wall-clock times of event studies at the sizes the brief names (sequential, after the simulations).</summary>
    private static List<(string Case, double Seconds)> Timings()
    {
        var times = new List<(string, double)>();
        var clock = new Stopwatch();
        var staggered = Staggered(50, 40, 1);
        void Time(string name, Action run)
        {
            clock.Restart();
            run();
            times.Add((name, clock.Elapsed.TotalSeconds));
        }
        Time("SDID event study, 200 bootstrap replicates, 50 × 40 staggered (3 cohorts), 19 leads",
            () => new SyntheticDifferenceInDifferences().Estimate(staggered).EventStudy(new BootstrapVariance { Seed = 1 }));
        Time("SDID variance of the ATT alone, same panel and replicates",
            () => new SyntheticDifferenceInDifferences().Estimate(staggered).WithVariance(new BootstrapVariance { Seed = 1 }));
        Time("DiD event study, 200 bootstrap replicates, 50 × 40 staggered, 19 leads",
            () => new DifferenceInDifferences().Estimate(staggered).EventStudy(new BootstrapVariance { Seed = 1 }));
        var controls = Staggered(50, 40, 3, never: 30);
        Time("MC-NNM variance of the ATT alone, 20 unit placebos, 50 × 40 staggered (30 never treated)",
            () => new MatrixCompletion().Estimate(controls).WithVariance(new UnitPlaceboVariance { Seed = 1, Replications = 20 }));
        Time("MC-NNM event study, same panel and placebos, 19 leads",
            () => new MatrixCompletion().Estimate(controls).EventStudy(new UnitPlaceboVariance { Seed = 1, Replications = 20 }));
        var dwcp = new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.5, LambdaTime = 0.1, LambdaNuclear = 0.5 });
        Time("DWCP (per cell, given λ's) fit, 50 × 40 staggered", () => dwcp.Estimate(staggered));
        Time("DWCP event study without standard errors (fit + 19 leads: one weighted fit per held-out cell)", () => dwcp.Estimate(staggered).EventStudy(null));
        var large = Staggered(5000, 100, 2);
        Time("DiD event study without standard errors, 5000 × 100 staggered, 49 leads",
            () => new DifferenceInDifferences().Estimate(large).EventStudy(null));
        Time("DiD event study, 20 bootstrap replicates, 5000 × 100 staggered, 49 leads",
            () => new DifferenceInDifferences().Estimate(large).EventStudy(new BootstrapVariance { Seed = 1, Replications = 20 }));
        return times;
    }

    /// <summary><paramref name="never"/> never-treated units (default half), the rest in three cohorts adopting at T/2, T/2 + 3 and T/2 + 6.</summary>
    private static PanelData Staggered(int n, int t, int seed, int? never = null)
    {
        var rng = new Random(seed);
        var y = new double[n, t];
        var w = new bool[n, t];
        for (var i = 0; i < n; i++)
        {
            var g = i < (never ?? n / 2) ? -1 : t / 2 + 3 * (i % 3);
            var alpha = Normal.Sample(rng, 0, 1);
            for (var s = 0; s < t; s++)
            {
                w[i, s] = g >= 0 && s >= g;
                y[i, s] = alpha + 0.1 * s + (w[i, s] ? 1 : 0) + Normal.Sample(rng, 0, 1);
            }
        }
        return PanelData.FromMatrices(y, w);
    }

    private static string Report(Summary[] runs, List<(string Case, double Seconds)> timings, int panels, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Event study: leads, pre-trend test and simultaneous band (simulation)");
        sb.AppendLine();
        sb.AppendLine("Written by `EventStudySimulationTests.Leads_are_centred_the_pre_trend_test_has_its_size_and_power_and_the_band_covers_jointly`:");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine("dotnet test tests/CausalPanel.Tests -c Release --filter \"FullyQualifiedName~EventStudySimulation\"");
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine(inv, $"Design: {panels} simulated staggered panels per row; Y_it = α_i + β_t + τ(t − g_i)·W_it + δ·t·1[i ever treated] + ε_it with α_i, β_t, ε_it ~ N(0, 1);");
        sb.AppendLine("40 never-treated units and three cohorts adopting in periods 6, 8 and 10 of 12 (10 units each unless stated); τ(e) = 1 + 0.25e.");
        sb.AppendLine("DiD (imputation) with its default 4 leads (fect's leave-one-period-out refits) and 7 lags, 11 event times; 200 replicates of the");
        sb.AppendLine("variance method per panel; the Wald test is Hotelling's F with the replicate covariance at 5%; coverage is of all 11 true event-time");
        sb.AppendLine("effects at once (leads 0, lags τ(e)) by the 95% pointwise intervals and by the 95% sup-t band. Monte-Carlo standard errors in brackets.");
        sb.AppendLine();
        sb.AppendLine("| scenario | method | Wald rejects at 5% | pointwise intervals cover jointly | sup-t band covers jointly | mean of leads −4, −3, −2, −1 | time |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in runs)
            sb.AppendLine(inv, $"| {r.Scenario} | {r.Method} | {r.Rejection:F3} ({r.RejectionError:F3}) | {r.Pointwise:F3} ({SimulationReport.McError(r.Pointwise, r.Panels):F3}) | {r.Band:F3} ({SimulationReport.McError(r.Band, r.Panels):F3}) | {string.Join(", ", r.LeadMeans.Select((m, k) => $"{m:F4} ({r.LeadErrors[k]:F4})"))} | {r.Seconds:F0} s |");
        sb.AppendLine();
        sb.AppendLine("Reading: under parallel trends the leads are centred at 0 (each within 2 Monte-Carlo s.e.), the unit-placebo Wald test has");
        sb.AppendLine("its nominal size and the sup-t band covers all event times jointly while the pointwise intervals do not; a treated-unit trend");
        sb.AppendLine("of 0.2 noise sds per period is detected. The unit bootstrap, with 10 units per cohort, has standard errors a few per cent");
        sb.AppendLine("too small for the cohorts' own event times (the bootstrap of a mean of n units is √((n − 1)/n) short, and draws vary the");
        sb.AppendLine("cohort sizes), which compounds over 4 leads and 11 event times into an oversized test and an undercovering band; with 30");
        sb.AppendLine("units per cohort it is closer to nominal. With few treated units per cohort prefer the unit placebo (when N0 > N1).");
        sb.AppendLine();
        sb.AppendLine("## Timings");
        sb.AppendLine();
        sb.AppendLine("Wall clock on the 2-core CI machine (Release), sequential after the simulations, from the same test:");
        sb.AppendLine();
        sb.AppendLine("| case | time |");
        sb.AppendLine("|---|---|");
        foreach (var (name, seconds) in timings) sb.AppendLine(inv, $"| {name} | {seconds:F1} s |");
        sb.AppendLine();
        sb.AppendLine(inv, $"Total run time: {elapsed.TotalMinutes:F1} min.");
        return sb.ToString();
    }
}
