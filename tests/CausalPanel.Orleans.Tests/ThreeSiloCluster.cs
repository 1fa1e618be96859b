using CausalPanel.Orleans;
using Orleans.Hosting;
using Orleans.TestingHost;

// The clusters' silos share this process's cores: one test at a time keeps the kill and cancellation timings honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace CausalPanel.Orleans.Tests;

/// <summary>An in-process Orleans cluster of three silos, each a CausalPanel worker.</summary>
public sealed class ThreeSiloCluster : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<Workers>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>The job caches of the silos still running (which jobs each has rebuilt).</summary>
    public WorkJobCache[] Caches() => [.. Cluster.GetActiveSilos().Select(s => Cluster.GetSiloServiceProvider(s.SiloAddress).GetService(typeof(WorkJobCache))).Cast<WorkJobCache>()];

    public sealed class Workers : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddCausalPanelWorkers();
    }
}
