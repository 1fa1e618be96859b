using CausalPanel.Tests.Support;
using System.Collections.Concurrent;

namespace CausalPanel.Orleans.Tests;

/// <summary>
/// Comparison jobs on the 3-silo cluster (issue 22): an <see cref="EstimatorComparison"/> of two designs and a
/// <see cref="VarianceComparison"/> give, item for item and in their tables, the bits of the local executor on one thread
/// and on all cores.
/// </summary>
[Collection(SharedCluster.Name)]
public class OrleansComparisonTests(ThreeSiloCluster cluster)
{
    private static readonly FactorModel Cps = FactorModel.Fit(Datasets.Cps("log_wage", "min_wage"));

    /// <summary>Passes the items to <paramref name="inner"/> and keeps what comes back.</summary>
    private sealed class Recording(IWorkExecutor inner) : IWorkExecutor
    {
        public readonly ConcurrentDictionary<int, WorkItemResult> Items = new();

        public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default) =>
            inner.RunAsync(job, items, item => { Items[item.Index] = item; finished(item); }, ct);
    }

    private OrleansWorkExecutor Orleans => new() { Grains = cluster.Cluster.Client };

    private static EstimatorComparison Comparison() => new()
    {
        Estimators = [new DifferenceInDifferences(), new SyntheticDifferenceInDifferences()],
        Designs = [new SimulationDesign { Model = Cps, Name = "baseline" }, new SimulationDesign { Model = Cps, Name = "no M", Interactive = false }],
        Replications = 6,
        Seed = 4,
    };

    private static long?[] Bits(WorkItemResult item) =>
        [.. item.Outcomes!.Select(o => o.Estimate is { } e ? BitConverter.DoubleToInt64Bits(e) : (long?)null)];

    [Fact]
    public void An_estimator_comparison_of_two_designs_is_bit_identical_to_one_thread_and_all_cores()
    {
        var serialItems = new Recording(new LocalWorkExecutor { MaxDegreeOfParallelism = 1 });
        var serial = (Comparison() with { Executor = serialItems }).Run();
        var parallel = Comparison().Run();
        var remoteItems = new Recording(Orleans);
        var remote = (Comparison() with { Executor = remoteItems }).Run();

        remoteItems.Items.Keys.Order().Should().Equal(Enumerable.Range(0, 12));
        foreach (var (index, item) in serialItems.Items)
        {
            Bits(remoteItems.Items[index]).Should().Equal(Bits(item), $"panel {index}'s estimates");
            remoteItems.Items[index].Outcomes!.Select(o => (o.Covered, o.Failure)).Should().Equal(item.Outcomes!.Select(o => (o.Covered, o.Failure)));
        }
        foreach (var local in new[] { serial, parallel })
        {
            remote.Rows.Select(r => r.Estimates.Select(BitConverter.DoubleToInt64Bits).ToArray()).Should().BeEquivalentTo(
                local.Rows.Select(r => r.Estimates.Select(BitConverter.DoubleToInt64Bits).ToArray()), o => o.WithStrictOrdering());
            remote.Rows.Select(r => BitConverter.DoubleToInt64Bits(r.Rmse)).Should().Equal(local.Rows.Select(r => BitConverter.DoubleToInt64Bits(r.Rmse)));
            remote.ToCsv().Should().Be(local.ToCsv());
        }
    }

    [Fact]
    public void A_variance_comparison_is_bit_identical_to_one_thread_and_all_cores()
    {
        var serialItems = new Recording(new LocalWorkExecutor { MaxDegreeOfParallelism = 1 });
        var serial = (SmallVarianceComparison.Create() with { Executor = serialItems }).Run();
        var parallel = (SmallVarianceComparison.Create() with { MaxDegreeOfParallelism = -1 }).Run();
        var remoteItems = new Recording(Orleans);
        var remote = (SmallVarianceComparison.Create() with { Executor = remoteItems }).Run();

        remoteItems.Items.Keys.Order().Should().Equal(Enumerable.Range(0, 8));
        foreach (var (index, cell) in serialItems.Items)
            SmallVarianceComparison.CellBits(remoteItems.Items[index]).Should().Equal(SmallVarianceComparison.CellBits(cell), $"cell {index}");
        remote.ToCsv().Should().Be(serial.ToCsv()).And.Be(parallel.ToCsv());
    }
}
