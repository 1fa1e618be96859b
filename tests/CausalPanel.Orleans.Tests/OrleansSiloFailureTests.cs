using System.Collections.Concurrent;
using CausalPanel.Tests.Support;

namespace CausalPanel.Orleans.Tests;

/// <summary>
/// A silo killed while it computes a run's items (issue 22, fault): its batches are sent to the other silos and the run
/// completes with the local executor's bits.
/// </summary>
public class OrleansSiloFailureTests(ThreeSiloCluster cluster) : IClassFixture<ThreeSiloCluster>
{
    // 40 units, 5 adopting at period 16 of 24: items of a few milliseconds, so the run is still going when the silo dies.
    private static readonly PanelData Block = RandomPanels.Staggered(5, [.. Enumerable.Repeat(-1, 35), 16, 16, 16, 16, 16], 24);

    /// <summary>Signals the first finished item.</summary>
    private sealed class FirstResult : IProgress<int>
    {
        public readonly TaskCompletionSource Seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Report(int value) => Seen.TrySetResult();
    }

    [Fact]
    public async Task A_silo_killed_mid_run_loses_no_item_and_the_result_is_bit_identical()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        var method = new BootstrapVariance { Replications = 150, Seed = 11 };
        var local = fit.WithVariance(method with { MaxDegreeOfParallelism = 1 });

        var victim = cluster.Cluster.SecondarySilos[^1];
        var retries = new ConcurrentBag<WorkRetry>();
        var first = new FirstResult();
        var executor = new OrleansWorkExecutor { Grains = cluster.Cluster.Client, SiloTimeout = TimeSpan.FromSeconds(2), Retried = retries.Add };
        var run = Task.Run(() => fit.WithVariance(method with { Executor = executor, Progress = first }));
        await first.Seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        run.IsCompleted.Should().BeFalse("the silo is killed while items are in flight");
        await cluster.Cluster.KillSiloAsync(victim);
        var remote = await run.WaitAsync(TimeSpan.FromSeconds(60));

        retries.Should().Contain(r => r.Silo == victim.SiloAddress.ToString(), "the killed silo's batches were in flight: {0}", string.Join("; ", retries));
        remote.Replicates.Select(BitConverter.DoubleToInt64Bits).Should().Equal(local.Replicates.Select(BitConverter.DoubleToInt64Bits));
        remote.ReplicateLabels.Should().Equal(local.ReplicateLabels);
        BitConverter.DoubleToInt64Bits(remote.StandardError).Should().Be(BitConverter.DoubleToInt64Bits(local.StandardError));
    }
}
