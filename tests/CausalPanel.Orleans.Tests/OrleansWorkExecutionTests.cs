using System.Diagnostics;
using CausalPanel.Tests.Support;

namespace CausalPanel.Orleans.Tests;

/// <summary>
/// Issue 22's Orleans executor on an in-process cluster of three silos: each variance method's replicates, computed by
/// the silos' stateless workers, are bit for bit those of the local executor on one thread and on all cores (the
/// outside numbers), a job holding a callback is refused before anything is sent, and a cancelled run stops within a second.
/// </summary>
[Collection(SharedCluster.Name)]
public class OrleansWorkExecutionTests(ThreeSiloCluster cluster)
{
    // 20 units, 3 adopting at period 8 of 12.
    private static readonly PanelData Block = RandomPanels.Staggered(3, [.. Enumerable.Repeat(-1, 17), 8, 8, 8], 12);

    private OrleansWorkExecutor Executor => new() { Grains = cluster.Cluster.Client };

    public static TheoryData<string, string> Jobs => new()
    {
        { "sdid", "unit placebo" }, { "sdid", "bootstrap" }, { "sdid", "jackknife" },
        { "dwcp", "unit placebo" }, { "dwcp", "bootstrap" }, { "dwcp", "jackknife" },
        { "sdid", "conditional on both" }, { "dwcp", "conditional on both" },
    };

    private static IEstimator Estimator(string name) => name == "sdid"
        ? new SyntheticDifferenceInDifferences()
        : new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.2, LambdaTime = 0.2, LambdaNuclear = double.PositiveInfinity, Mode = DwcpMode.Block });

    private static VarianceMethod Method(string name) => name switch
    {
        "unit placebo" => new UnitPlaceboVariance { Replications = 24, Seed = 7 },
        "bootstrap" => new BootstrapVariance { Replications = 24, Seed = 7 },
        "conditional on both" => new ConditionalVariance { Replications = 24, Seed = 7 },   // each replicate's unit coefficients travel with it
        _ => new JackknifeVariance(),
    };

    private static long[] Bits(IEnumerable<double> values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

    [Theory]
    [MemberData(nameof(Jobs))]
    public void Variance_on_three_silos_is_bit_identical_to_the_local_executor_on_one_thread_and_all_cores(string estimator, string method)
    {
        var fit = Estimator(estimator).Estimate(Block);
        var options = Method(method);
        var serial = fit.WithVariance(options with { MaxDegreeOfParallelism = 1 });
        var parallel = fit.WithVariance(options with { MaxDegreeOfParallelism = -1 });
        var remote = fit.WithVariance(options with { Executor = Executor });

        serial.IsDefined.Should().BeTrue();
        Bits(parallel.Replicates).Should().Equal(Bits(serial.Replicates));
        foreach (var local in new[] { serial, parallel })
        {
            Bits(remote.Replicates).Should().Equal(Bits(local.Replicates), "every replicate's ATT travels as its 64 bits");
            remote.ReplicateLabels.Should().Equal(local.ReplicateLabels);
            BitConverter.DoubleToInt64Bits(remote.StandardError).Should().Be(BitConverter.DoubleToInt64Bits(local.StandardError));
            remote.EventTimeStandardErrors.Keys.Should().Equal(local.EventTimeStandardErrors.Keys);
            Bits(remote.EventTimeStandardErrors.Values).Should().Equal(Bits(local.EventTimeStandardErrors.Values));
        }
    }

    [Fact]
    public void DWCP_per_cell_fits_on_three_silos_are_bit_identical_to_the_local_executor_on_one_thread_and_all_cores()
    {
        // 26 units, cohorts of 3 at periods 6, 8 and 10 of 12, 5% of untreated cells unobserved; finite λ_nuclear and one
        // period of anticipation (two jobs: the treated cells and the window's), one item per treated unit.
        var panel = RandomPanels.Staggered(11, [.. Enumerable.Repeat(-1, 17), 6, 6, 6, 8, 8, 8, 10, 10, 10], 12, missingShare: 0.05);
        var options = new DwcpOptions { LambdaUnit = 0.3, LambdaTime = 0.2, LambdaNuclear = 0.3, Anticipation = 1 };
        long[] Cells(EstimationResult fit) => Bits(fit.CellEffects.Select(c => c.Counterfactual).Concat(fit.AnticipationEffects.Select(c => c.Counterfactual)).Append(fit.Att));
        var serial = new DoublyWeightedCausalPanel(options with { Executor = new LocalWorkExecutor { MaxDegreeOfParallelism = 1 } }).Estimate(panel);
        var parallel = new DoublyWeightedCausalPanel(options).Estimate(panel);
        var remote = new DoublyWeightedCausalPanel(options with { Executor = Executor with { MinimumSilos = 3 } }).Estimate(panel);

        serial.CellEffects.Should().HaveCount(36);
        Cells(parallel).Should().Equal(Cells(serial));
        Cells(remote).Should().Equal(Cells(serial), "every cell's prediction travels as its 64 bits");
        remote.UnconvergedFits.Should().Be(serial.UnconvergedFits);
    }

    [Fact]
    public void A_run_reaches_every_silo_of_the_cluster()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        // MinimumSilos = 3: no item is sent before all three silos hold the job, however short the run (8 draws).
        var method = new BootstrapVariance { Replications = 8, Seed = 5, Executor = Executor with { MinimumSilos = 3 } };
        fit.WithVariance(method).IsDefined.Should().BeTrue();
        cluster.Caches().Should().HaveCount(3).And.OnlyContain(c => c.Find(JobHash(fit, method)) != null, "every silo was sent the job and rebuilt it");
    }

    [Fact]
    public void A_run_asking_for_more_silos_than_the_cluster_has_fails_naming_how_many_joined()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        var method = new BootstrapVariance { Replications = 8, Seed = 6, Executor = Executor with { MinimumSilos = 4, SiloTimeout = TimeSpan.FromSeconds(2) } };
        var run = () => fit.WithVariance(method);
        run.Should().Throw<IncompleteWorkException>().WithMessage("*waited 2 s for 4 silos*the cluster had 3; no item was sent*")
            .Which.Missing.Should().HaveCount(8);
    }

    /// <summary>The hash of the job a method hands its executor (captured by an executor that computes nothing).</summary>
    private static string JobHash(EstimationResult fit, VarianceMethod method)
    {
        var capture = new CaptureExecutor();
        try
        {
            fit.WithVariance(method with { Executor = capture });
        }
        catch (IncompleteWorkException)
        {
        }
        return capture.Hash!;
    }

    private sealed class CaptureExecutor : IWorkExecutor
    {
        public string? Hash;

        public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default)
        {
            Hash = job.Hash;
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void A_job_holding_a_callback_is_refused_before_anything_is_sent()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        var injected = new UnitPlaceboVariance { Replications = 4, Permutations = (b, n) => Enumerable.Range(0, n).Reverse().ToArray() };
        var remote = () => fit.WithVariance(injected with { Executor = Executor });
        remote.Should().Throw<WorkNotPortableException>().WithMessage("*Permutations is a callback*");
    }

    [Fact]
    public async Task A_silo_refuses_a_job_whose_text_and_hash_disagree()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        WorkJob? job = null;
        var capture = new DelegateExecutor(j => job = j);
        try
        {
            fit.WithVariance(new BootstrapVariance { Replications = 4, Seed = 1, Executor = capture });
        }
        catch (IncompleteWorkException)
        {
        }
        var reply = await cluster.Cluster.Client.GetGrain<IWorkItemGrain>("any").Prepare(new string('0', 64), job!.ToJson());
        reply.Error.Should().Match("*sent as 000000000000*rebuilt on this silo as*");
        var batch = await cluster.Cluster.Client.GetGrain<IWorkItemGrain>("any").Execute(new string('0', 64), [0]);
        batch.JobMissing.Should().BeTrue("a refused job is not cached");
    }

    private sealed class DelegateExecutor(Action<WorkJob> seen) : IWorkExecutor
    {
        public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default)
        {
            seen(job);
            return Task.CompletedTask;
        }
    }

    /// <summary>Cancels its token at the first finished item and notes when.</summary>
    private sealed class CancelAtFirst(CancellationTokenSource cts) : IProgress<int>
    {
        public readonly Stopwatch Since = new();

        public void Report(int value)
        {
            if (Since.IsRunning) return;
            Since.Start();
            cts.Cancel();
        }
    }

    [Fact]
    public void A_cancelled_run_stops_within_a_second()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        using var cts = new CancellationTokenSource();
        var progress = new CancelAtFirst(cts);
        var run = () => fit.WithVariance(new BootstrapVariance { Replications = 5000, Seed = 3, Executor = Executor, Progress = progress }, cts.Token);
        run.Should().Throw<OperationCanceledException>();
        progress.Since.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
    }
}
