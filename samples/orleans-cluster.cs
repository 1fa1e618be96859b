// Work items on an Orleans cluster (the CausalPanel.Orleans package): starts silos as separate processes on this
// machine (this program again, in "silo" mode), connects a client and runs an SDID bootstrap and an estimator
// comparison through the cluster, checking every replicate's and every simulated panel's bits against the local executor.
// Run from the repository root:  dotnet run samples/orleans-cluster.cs            (3 silo processes)
//                                dotnet run samples/orleans-cluster.cs -- 4       (4)
// Development clustering (UseLocalhostClustering): silo 0 is the primary and keeps the membership table in its memory,
// the others join it at its endpoint; nothing to install or clean up, but localhost only and the cluster lives as long
// as silo 0. docs/distributed.md runs the same on Kubernetes or a fleet of VMs.
#:property PublishAot=false
#:project ../src/CausalPanel.Orleans/CausalPanel.Orleans.csproj

using System.Diagnostics;
using System.Net;
using CausalPanel;
using CausalPanel.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

const int siloPort = 21111, gatewayPort = 31111;   // silo k listens on siloPort + k and gatewayPort + k

if (args is ["silo", var number])
{
    var k = int.Parse(number);
    var siloHost = Host.CreateApplicationBuilder();
    siloHost.Logging.SetMinimumLevel(LogLevel.Warning);
    siloHost.UseOrleans(silo => silo
        .UseLocalhostClustering(siloPort + k, gatewayPort + k, primarySiloEndpoint: new IPEndPoint(IPAddress.Loopback, siloPort))
        .AddCausalPanelWorkers());
    using var running = siloHost.Build();
    await running.StartAsync();
    Console.WriteLine($"silo {k} up");
    await Console.In.ReadToEndAsync();   // until the client closes this silo's standard input (or dies)
    await running.StopAsync();
    return;
}

var silos = args.Length > 0 ? int.Parse(args[0]) : 3;
var processes = new List<Process>();
try
{
    processes.Add(await StartSilo(0));   // the primary first: the others join it
    processes.AddRange(await Task.WhenAll(Enumerable.Range(1, silos - 1).Select(StartSilo)));

    var clientHost = Host.CreateApplicationBuilder();
    clientHost.Logging.SetMinimumLevel(LogLevel.Warning);
    clientHost.UseOrleansClient(client => client.UseLocalhostClustering([.. Enumerable.Range(0, silos).Select(k => gatewayPort + k)]));
    using var connected = clientHost.Build();
    await connected.StartAsync();
    var cluster = connected.Services.GetRequiredService<IClusterClient>();
    var hosts = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
    Console.WriteLine($"Cluster: {hosts.Count} silos ({string.Join(", ", hosts.Keys)}), each its own process");

    var fit = new SyntheticDifferenceInDifferences().Estimate(Datasets.Cps("log_wage", "min_wage"));
    var bootstrap = new BootstrapVariance { Replications = 200, Seed = 1 };
    var clock = Stopwatch.StartNew();
    var local = fit.WithVariance(bootstrap with { MaxDegreeOfParallelism = 1 });
    var localTime = clock.Elapsed;
    clock.Restart();
    var retried = 0;
    var remote = fit.WithVariance(bootstrap with { Executor = new OrleansWorkExecutor { Grains = cluster, Retried = r => Interlocked.Add(ref retried, r.Items.Count) } });
    var remoteTime = clock.Elapsed;

    var identical = local.Replicates.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(remote.Replicates.Select(BitConverter.DoubleToInt64Bits))
        && BitConverter.DoubleToInt64Bits(local.StandardError) == BitConverter.DoubleToInt64Bits(remote.StandardError);
    Console.WriteLine($"SDID on CPS log wages, 8 states raising the minimum wage: ATT {fit.Att:F4}");
    Console.WriteLine($"  bootstrap SE, 200 draws, local 1 thread: {local.StandardError:R} ({localTime.TotalSeconds:F1} s)");
    Console.WriteLine($"  bootstrap SE, 200 draws, {silos} silos:       {remote.StandardError:R} ({remoteTime.TotalSeconds:F1} s, {retried} items retried)");
    Console.WriteLine($"  every replicate and the SE bit-identical: {identical}");

    // A semi-synthetic comparison (docs/simulation.md): two designs fitted to the same panel, 40 simulated panels each.
    var model = FactorModel.Fit(Datasets.Cps("log_wage", "min_wage"));
    var comparison = new EstimatorComparison
    {
        Estimators = [new DifferenceInDifferences(), new SyntheticControl(), new SyntheticDifferenceInDifferences()],
        Designs = [new SimulationDesign { Model = model, Name = "as fitted" }, new SimulationDesign { Model = model, Name = "no interactive part", Interactive = false }],
        Replications = 40,
        Seed = 1,
    };
    clock.Restart();
    var localTable = (comparison with { MaxDegreeOfParallelism = 1 }).Run();
    localTime = clock.Elapsed;
    clock.Restart();
    var remoteTable = (comparison with { Executor = new OrleansWorkExecutor { Grains = cluster } }).Run();
    remoteTime = clock.Elapsed;
    var sameTable = localTable.ToCsv() == remoteTable.ToCsv()
        && localTable.Rows.Zip(remoteTable.Rows).All(r => r.First.Estimates.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(r.Second.Estimates.Select(BitConverter.DoubleToInt64Bits)));
    Console.WriteLine($"Estimator comparison, 2 designs × 40 panels (local 1 thread {localTime.TotalSeconds:F1} s, {silos} silos {remoteTime.TotalSeconds:F1} s):");
    Console.WriteLine(remoteTable);
    Console.WriteLine($"  every estimate and the RMSE table bit-identical: {sameTable}");
    await connected.StopAsync();
    if (!identical || !sameTable) Environment.ExitCode = 1;
}
finally
{
    foreach (var silo in processes)
    {
        silo.StandardInput.Close();   // the silo stops itself
        if (!silo.WaitForExit(10_000)) silo.Kill(entireProcessTree: true);
    }
}

// Starts silo k as a process running this program with "silo k" and waits until it is up.
static async Task<Process> StartSilo(int k)
{
    var self = Environment.ProcessPath!;
    var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location);
    start.ArgumentList.Add("silo");
    start.ArgumentList.Add(k.ToString());
    var process = Process.Start(start)!;
    while (await process.StandardOutput.ReadLineAsync() is { } line)
        if (line == $"silo {k} up") return process;
    throw new InvalidOperationException($"Silo {k} exited before it was up (exit code {process.ExitCode}).");
}
