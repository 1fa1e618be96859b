using CausalPanel.Orleans;
using Orleans.Hosting;
using Orleans.TestingHost;

// The clusters' silos share this process's cores: one test at a time keeps the kill and cancellation timings honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace CausalPanel.Orleans.Tests;

/// <summary>The cluster shared by the test classes that leave its silos running (one startup for them all).</summary>
[CollectionDefinition(Name)]
public sealed class SharedCluster : ICollectionFixture<ThreeSiloCluster>
{
    public const string Name = "shared 3-silo cluster";
}

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
        public void Configure(ISiloBuilder silo) => silo.AddCausalPanelWorkers().AddIncomingGrainCallFilter<HoldVictimBatches>();
    }

    /// <summary>
    /// Holds every batch sent to <see cref="Victim"/> (none unless a test names one) for 5 s, so that a test can kill that
    /// silo while it certainly has items in flight. (An in-process silo cannot be killed like a process: its stop waits
    /// for the held calls, but it refuses every other call at once, so the executor has given it up long before.)
    /// </summary>
    public sealed class HoldVictimBatches(ILocalSiloDetails silo) : IIncomingGrainCallFilter
    {
        public static volatile SiloAddress? Victim;
        public static TaskCompletionSource InFlight = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name == nameof(IWorkItemGrain.Execute) && silo.SiloAddress.Equals(Victim))
            {
                InFlight.TrySetResult();
                await Task.Delay(TimeSpan.FromSeconds(5));   // the silo is killed meanwhile
            }
            await context.Invoke();
        }
    }
}
