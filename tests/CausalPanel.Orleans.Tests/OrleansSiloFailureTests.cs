using System.Collections.Concurrent;
using CausalPanel.Tests.Support;
using Orleans.TestingHost;

namespace CausalPanel.Orleans.Tests;

/// <summary>
/// Silos lost during a run (issue 22, fault): a silo killed while it holds a run's items has its batches sent to the
/// other silos, and a silo stopped mid-run changes nothing either: the run completes with the local executor's bits; a
/// cluster left without silos ends the run with the items it could not compute named. The fixture's three silos are
/// down to one after the first two tests (the primary, which holds the test cluster's membership, stays).
/// </summary>
public class OrleansSiloFailureTests(ThreeSiloCluster cluster) : IClassFixture<ThreeSiloCluster>
{
    // 40 units, 5 adopting at period 16 of 24: items of a few milliseconds, so the run is still going when the silo goes.
    private static readonly PanelData Block = RandomPanels.Staggered(5, [.. Enumerable.Repeat(-1, 35), 16, 16, 16, 16, 16], 24);

    /// <summary>Signals the first finished item.</summary>
    private sealed class FirstResult : IProgress<int>
    {
        public readonly TaskCompletionSource Seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Report(int value) => Seen.TrySetResult();
    }

    [Fact]
    public async Task A_silo_killed_with_items_in_flight_loses_none_and_the_result_is_bit_identical()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        var method = new BootstrapVariance { Replications = 150, Seed = 11 };
        var local = fit.WithVariance(method with { MaxDegreeOfParallelism = 1 });

        var victim = cluster.Cluster.SecondarySilos[^1];
        ThreeSiloCluster.HoldVictimBatches.InFlight = new(TaskCreationOptions.RunContinuationsAsynchronously);
        ThreeSiloCluster.HoldVictimBatches.Victim = victim.SiloAddress;   // its batches are held until it dies
        var retries = new ConcurrentBag<WorkRetry>();
        var executor = new OrleansWorkExecutor { Grains = cluster.Cluster.Client, SiloTimeout = TimeSpan.FromSeconds(2), Retried = retries.Add };
        var run = Task.Run(() => fit.WithVariance(method with { Executor = executor }));
        await ThreeSiloCluster.HoldVictimBatches.InFlight.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cluster.Cluster.KillSiloAsync(victim);
        var remote = await run.WaitAsync(TimeSpan.FromSeconds(60));

        retries.Should().Contain(r => r.Silo == victim.SiloAddress.ToString(), "the killed silo's batches were in flight: {0}", string.Join("; ", retries));
        remote.Replicates.Select(BitConverter.DoubleToInt64Bits).Should().Equal(local.Replicates.Select(BitConverter.DoubleToInt64Bits));
        remote.ReplicateLabels.Should().Equal(local.ReplicateLabels);
        BitConverter.DoubleToInt64Bits(remote.StandardError).Should().Be(BitConverter.DoubleToInt64Bits(local.StandardError));
    }

    [Fact]
    public async Task A_silo_stopped_mid_run_gives_the_same_bits()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        var method = new BootstrapVariance { Replications = 150, Seed = 12 };
        var local = fit.WithVariance(method with { MaxDegreeOfParallelism = 1 });

        var first = new FirstResult();
        var executor = new OrleansWorkExecutor { Grains = cluster.Cluster.Client, SiloTimeout = TimeSpan.FromSeconds(2) };
        var run = Task.Run(() => fit.WithVariance(method with { Executor = executor, Progress = first }));
        await first.Seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        run.IsCompleted.Should().BeFalse("the silo stops while the run goes on");
        await cluster.Cluster.StopSiloAsync(cluster.Cluster.SecondarySilos[0]);   // graceful: its batches finish or are refused and sent again
        var remote = await run.WaitAsync(TimeSpan.FromSeconds(60));

        remote.Replicates.Select(BitConverter.DoubleToInt64Bits).Should().Equal(local.Replicates.Select(BitConverter.DoubleToInt64Bits));
        BitConverter.DoubleToInt64Bits(remote.StandardError).Should().Be(BitConverter.DoubleToInt64Bits(local.StandardError));
    }

    [Fact]
    public async Task A_cluster_without_silos_ends_the_run_naming_the_items_not_computed()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<ThreeSiloCluster.Workers>();
        await using var lone = builder.Build();
        await lone.DeployAsync();
        await lone.KillSiloAsync(lone.Primary!);

        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        var executor = new OrleansWorkExecutor { Grains = lone.Client, SiloTimeout = TimeSpan.FromSeconds(1) };
        var run = () => fit.WithVariance(new BootstrapVariance { Replications = 6, Seed = 1, Executor = executor });
        run.Should().Throw<IncompleteWorkException>().WithMessage("*no silo computing CausalPanel work items*AddCausalPanelWorkers*")
            .Which.Missing.Should().Equal(0, 1, 2, 3, 4, 5);
    }
}
