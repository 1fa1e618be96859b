using System.Reflection;
using CausalPanel.Tests.Support;
using Orleans.TestingHost;

namespace CausalPanel.Orleans.Tests;

/// <summary>
/// A silo built without AddCausalPanelWorkers() is named, with what to call, rather than surfacing Orleans' dependency
/// injection error; and docs/errors.md lists the satellite's exceptions with tests that exist here (the core's catalogue
/// test sees the core's types only).
/// </summary>
public class SiloConfigurationTests
{
    private static readonly PanelData Block = RandomPanels.Staggered(3, [.. Enumerable.Repeat(-1, 17), 8, 8, 8], 12);

    /// <summary>A silo that loads the worker grain but was not made a CausalPanel worker.</summary>
    public sealed class NoWorkers : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
        }
    }

    [Fact]
    public async Task A_silo_without_the_workers_is_named_with_what_to_call()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<NoWorkers>();
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        var run = () => fit.WithVariance(new BootstrapVariance { Replications = 4, Seed = 1, Executor = new OrleansWorkExecutor { Grains = cluster.Client } });
        run.Should().Throw<WorkersNotConfiguredException>()
            .WithMessage($"Silo {cluster.Primary!.SiloAddress}*built without AddCausalPanelWorkers()*Call siloBuilder.AddCausalPanelWorkers()*");
    }

    [Fact]
    public void The_catalogue_lists_the_satellites_exceptions_with_tests_that_exist_here()
    {
        var catalogue = File.ReadAllText(CataloguePath());
        var types = typeof(OrleansWorkExecutor).Assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract && typeof(CausalPanelException).IsAssignableFrom(t)).ToArray();
        types.Should().NotBeEmpty();
        foreach (var type in types) catalogue.Should().Contain($"`{type.Name}`", "every exception the satellite defines has an entry");
        // Entries name this project's tests as "`Class` test `Method` (CausalPanel.Orleans.Tests)".
        var named = System.Text.RegularExpressions.Regex.Matches(catalogue, @"`(\w+Tests)` test `(\w+)` \(CausalPanel\.Orleans\.Tests\)").ToArray();
        named.Should().NotBeEmpty();
        foreach (var m in named)
            typeof(SiloConfigurationTests).Assembly.GetType($"CausalPanel.Orleans.Tests.{m.Groups[1].Value}")?.GetMethod(m.Groups[2].Value, BindingFlags.Public | BindingFlags.Instance)
                .Should().NotBeNull($"the catalogue names {m.Value}");
    }

    private static string CataloguePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CausalPanel.sln"))) return Path.Combine(dir.FullName, "docs", "errors.md");
        throw new FileNotFoundException("docs/errors.md not found above the test binaries.");
    }
}
