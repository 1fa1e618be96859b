using System.Diagnostics;
using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Distributed;

/// <summary>
/// DWCP's per-cell fits as work items (issue 22, "a block of DWCP treated cells"): one item per treated unit, and every
/// executor — one local thread, all cores, four shards, the job sent as JSON and rebuilt — gives each cell's effect and
/// the ATT bit for bit; inside a variance run's replicates the fits stay on the replicate's thread.
/// </summary>
public class DwcpCellWorkTests
{
    // 26 units: 17 never treated, cohorts of 3 at periods 6, 8 and 10 of 12; 5% of untreated cells unobserved; one covariate.
    private static readonly PanelData Staggered = WithCovariate(RandomPanels.Staggered(11, [.. Enumerable.Repeat(-1, 17), 6, 6, 6, 8, 8, 8, 10, 10, 10], 12, missingShare: 0.05));

    // The same design balanced: the bootstrap resamples balanced panels only.
    private static readonly PanelData Balanced = WithCovariate(RandomPanels.Staggered(11, [.. Enumerable.Repeat(-1, 17), 6, 6, 6, 8, 8, 8, 10, 10, 10], 12));

    private static PanelData WithCovariate(PanelData panel)
    {
        var rng = new Random(4);
        var x = new double[panel.UnitCount, panel.PeriodCount];
        for (var i = 0; i < panel.UnitCount; i++)
            for (var t = 0; t < panel.PeriodCount; t++) x[i, t] = rng.NextDouble();
        return panel.WithCovariates(("x", x));
    }

    // Finite λ_nuclear (warm-started low-rank fits), one period of anticipation (the window's cells are a second job).
    private static readonly DwcpOptions Fixed = new() { LambdaUnit = 0.3, LambdaTime = 0.2, LambdaNuclear = 0.3, Anticipation = 1 };

    private static long[] Bits(IEnumerable<double> values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

    private static long[] Effects(EstimationResult fit) => Bits(fit.CellEffects.Select(c => c.Counterfactual).Concat(fit.AnticipationEffects.Select(c => c.Counterfactual)).Append(fit.Att));

    /// <summary>Runs the items as four shards in turn (each leaving the others' items) and hands on their union; records the jobs.</summary>
    private sealed class FourShards : IWorkExecutor
    {
        public readonly List<WorkJob> Jobs = [];

        public async Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default)
        {
            lock (Jobs) Jobs.Add(job);
            var seen = new List<int>();
            for (var k = 1; k <= 4; k++)
                await new ShardWorkExecutor { Shard = k, Count = 4 }.RunAsync(job, items, r => { lock (seen) seen.Add(r.Index); finished(r); }, ct);
            seen.Should().BeEquivalentTo(items, "the four shards compute each item once");
        }
    }

    /// <summary>A stand-in for a cluster engine: the job travels as JSON and a "worker" rebuilds it and computes each item, last first.</summary>
    private sealed class JsonRoundTrip : IWorkExecutor
    {
        public readonly List<string> Sent = [];

        public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default)
        {
            var json = job.ToJson();
            lock (Sent) Sent.Add(json);
            var rebuilt = WorkJob.FromJson(json, ct);
            rebuilt.Hash.Should().Be(job.Hash);
            rebuilt.Description.Should().Be(job.Description);
            foreach (var i in items.Reverse()) finished(WorkItems.Execute(rebuilt, i, ct));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Per_cell_effects_and_the_ATT_are_bit_identical_on_every_executor()
    {
        var fallback = new DoublyWeightedCausalPanel(Fixed).Estimate(Staggered);
        var serial = new DoublyWeightedCausalPanel(Fixed with { Executor = new LocalWorkExecutor { MaxDegreeOfParallelism = 1 } }).Estimate(Staggered);
        var parallel = new DoublyWeightedCausalPanel(Fixed with { Executor = new LocalWorkExecutor() }).Estimate(Staggered);
        var shards = new FourShards();
        var sharded = new DoublyWeightedCausalPanel(Fixed with { Executor = shards }).Estimate(Staggered);
        var json = new JsonRoundTrip();
        var sent = new DoublyWeightedCausalPanel(Fixed with { Executor = json }).Estimate(Staggered);

        serial.CellEffects.Should().HaveCount(36, "cohorts of 3 treated from periods 6, 8 and 10 of 12 (0-based): 3·(6 + 4 + 2) cells");
        serial.AnticipationEffects.Should().HaveCount(9, "one window period per treated unit");
        serial.ExcludedCells.Should().BeEmpty();
        serial.CovariateCoefficients.Should().ContainKey("x");
        shards.Jobs.Select(j => (j.Kind, j.Count)).Should().Equal([("dwcp cells", 9), ("dwcp cells", 9)], "one item per treated unit, the cells and then the anticipation window");
        json.Sent.Should().HaveCount(2).And.OnlyContain(s => s.Contains("\"kind\":\"dwcp cells\""));
        foreach (var other in new[] { fallback, parallel, sharded, sent })
        {
            Effects(other).Should().Equal(Effects(serial), "every cell's counterfactual travels as its 64 bits");
            Bits(other.CovariateCoefficients.Values).Should().Equal(Bits(serial.CovariateCoefficients.Values));
            other.UnconvergedFits.Should().Be(serial.UnconvergedFits);
        }
    }

    /// <summary>Counts the jobs it is handed and runs them on the local executor.</summary>
    private sealed class CountingExecutor : IWorkExecutor
    {
        public int Jobs;

        public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default)
        {
            Interlocked.Increment(ref Jobs);
            return new LocalWorkExecutor().RunAsync(job, items, finished, ct);
        }
    }

    [Fact]
    public void A_variance_run_of_a_DWCP_fit_runs_each_replicates_cells_on_the_replicates_own_thread_not_on_the_fits_executor()
    {
        var counting = new CountingExecutor();
        var fit = new DoublyWeightedCausalPanel(Fixed with { Executor = counting }).Estimate(Balanced);
        counting.Jobs.Should().Be(2, "the fit's cells and its anticipation window");
        var plain = new DoublyWeightedCausalPanel(Fixed).Estimate(Balanced);
        var method = new BootstrapVariance { Replications = 6, Seed = 2 };

        var variance = fit.WithVariance(method);
        var reference = plain.WithVariance(method with { MaxDegreeOfParallelism = 1 });

        variance.IsDefined.Should().BeTrue();
        variance.Replicates.Should().HaveCount(6);
        counting.Jobs.Should().Be(2, "a replicate is a work item: its DWCP refit runs its cells itself, never through the options' executor");
        Bits(variance.Replicates).Should().Equal(Bits(reference.Replicates));
        var json = new JsonRoundTrip();
        var sent = fit.WithVariance(method with { Executor = json });
        json.Sent.Should().ContainSingle("the replicates' job only: its items' DWCP fits are not jobs of their own");
        json.Sent[0].Should().Contain("\"kind\":\"replicates\"");
        Bits(sent.Replicates).Should().Equal(Bits(reference.Replicates));
        var plainJson = new JsonRoundTrip();
        plain.WithVariance(method with { Executor = plainJson });
        json.Sent[0].Should().Be(plainJson.Sent[0], "the fit's executor is neither in the replicates' job data nor in its hash");
    }

    /// <summary>The local executor, cancelling the run when the first item (a unit's cells) has finished, and noting when.</summary>
    private sealed class CancelAtFirstItem(CancellationTokenSource cts) : IWorkExecutor
    {
        public readonly Stopwatch Since = new();

        public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default) =>
            new LocalWorkExecutor().RunAsync(job, items, r =>
            {
                finished(r);
                lock (Since)
                {
                    if (Since.IsRunning) return;
                    Since.Start();
                }
                cts.Cancel();
            }, ct);
    }

    [Fact]
    public void A_cancelled_per_cell_run_stops_within_a_second()
    {
        // 100 × 20, 20 units treated over the last 5 periods: 100 low-rank fits, seconds on two cores.
        var panel = RandomPanels.Staggered(5, [.. Enumerable.Repeat(-1, 80), .. Enumerable.Repeat(15, 20)], 20);
        using var cts = new CancellationTokenSource();
        var executor = new CancelAtFirstItem(cts);
        var run = () => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.3, LambdaTime = 0.2, LambdaNuclear = 0.05, Executor = executor }).Estimate(panel, cts.Token);
        run.Should().Throw<OperationCanceledException>();
        executor.Since.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "the fits in flight check the token at every solver step");
    }
}
