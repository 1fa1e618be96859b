// The overhead of running work items on Orleans silos (issue 22): a 200-draw SDID bootstrap on a generated 1,000 × 200
// block panel (100 units treated over the last 20 periods, FactorPanels) through the local executor and through
// clusters of 1, 2 and 4 silo processes on this machine (development clustering, silo 0 primary), every run checked
// bit for bit against the local one. The overhead per item is (cluster − local) / items, in CPU time (the client's and
// every silo process's, read from the operating system: what Orleans costs in work — sending the job, each silo's refit
// and compilation, messaging, serialisation, membership — and little disturbed by other programs on a shared machine)
// and in wall time (at one silo both runs compute on every core: the silo runs one worker per core).
//   dotnet run -c Release --project benchmarks/CausalPanel.Orleans.Benchmarks [-- draws units periods silos...]
//   (defaults: 200 1000 200 1 2 4)
using System.Diagnostics;
using System.Globalization;
using System.Net;
using CausalPanel;
using CausalPanel.Benchmarks;
using CausalPanel.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

const int siloPort = 22111, gatewayPort = 32111;

if (args is ["silo", var number])
{
    var k = int.Parse(number, CultureInfo.InvariantCulture);
    var siloHost = Host.CreateApplicationBuilder();
    siloHost.Logging.SetMinimumLevel(LogLevel.Warning);
    siloHost.UseOrleans(silo => silo
        .UseLocalhostClustering(siloPort + k, gatewayPort + k, primarySiloEndpoint: new IPEndPoint(IPAddress.Loopback, siloPort))
        .AddCausalPanelWorkers());
    using var running = siloHost.Build();
    await running.StartAsync();
    Console.WriteLine($"silo {k} up");
    await Console.In.ReadToEndAsync();
    await running.StopAsync();
    return;
}

var numbers = args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
var draws = numbers.Length > 0 ? numbers[0] : 200;
var (units, periods) = numbers.Length > 2 ? (numbers[1], numbers[2]) : (1000, 200);
int[] clusters = numbers.Length > 3 ? numbers[3..] : [1, 2, 4];

var panel = FactorPanels.Block(units, periods, units / 10, periods / 10);
var fit = new SyntheticDifferenceInDifferences().Estimate(panel);
var bootstrap = new BootstrapVariance { Replications = draws, Seed = 1 };
Console.WriteLine($"SDID bootstrap, {draws} draws, {units} × {periods} block panel ({units / 10} units treated over the last {periods / 10} periods); {Environment.ProcessorCount} cores");
Console.WriteLine($"load before: {Uptime()}");

// The local executor twice: the first run also compiles the bootstrap's code, so the second is the baseline (as the
// cluster's second run on warm silos is).
var self = Process.GetCurrentProcess();
var clock = new Stopwatch();
VarianceResult local = null!;
double localTime = 0, localCpu = 0;
void Local(string run)
{
    clock.Restart();
    var cpu = Cpu([self]);
    local = fit.WithVariance(bootstrap);
    (localTime, localCpu) = (clock.Elapsed.TotalSeconds, Cpu([self]) - cpu);
    Console.WriteLine($"local executor, all cores, {run}: {localTime:F2} s wall, {localCpu:F2} s CPU ({localCpu / draws * 1000:F1} ms CPU per item; SE {local.StandardError:R})");
}
Local("first run");
Local("second run");

foreach (var silos in clusters)
{
    var processes = new List<Process>();
    try
    {
        processes.Add(await StartSilo(0));
        processes.AddRange(await Task.WhenAll(Enumerable.Range(1, silos - 1).Select(StartSilo)));
        var clientHost = Host.CreateApplicationBuilder();
        clientHost.Logging.SetMinimumLevel(LogLevel.Warning);
        clientHost.UseOrleansClient(client => client.UseLocalhostClustering([.. Enumerable.Range(0, silos).Select(k => gatewayPort + k)]));
        using var connected = clientHost.Build();
        await connected.StartAsync();
        var cluster = connected.Services.GetRequiredService<IClusterClient>();
        // First the job on fresh silos (each receives the job, rebuilds it — one refit — and compiles the estimator's
        // code), then the same job again (a long-lived cluster: the silos hold the job and their code is compiled).
        foreach (var run in new[] { "fresh silos", "warm silos" })
        {
            // The machine's speed drifts by 20% or more over minutes (a shared VM): each warm run is compared with a
            // local run just before it (the silos idle meanwhile).
            if (run == "warm silos") Local($"again before {silos} warm silo{(silos == 1 ? "" : "s")}");
            var retried = 0;
            clock.Restart();
            var (client, silosCpu) = (Cpu([self]), Cpu(processes));
            var remote = fit.WithVariance(bootstrap with { Executor = new OrleansWorkExecutor { Grains = cluster, Retried = r => Interlocked.Add(ref retried, r.Items.Count) } });
            var time = clock.Elapsed.TotalSeconds;
            (client, silosCpu) = (Cpu([self]) - client, Cpu(processes) - silosCpu);
            var used = client + silosCpu;
            var identical = local.Replicates.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(remote.Replicates.Select(BitConverter.DoubleToInt64Bits))
                && BitConverter.DoubleToInt64Bits(local.StandardError) == BitConverter.DoubleToInt64Bits(remote.StandardError);
            Console.WriteLine($"{silos} silo process{(silos == 1 ? "" : "es")}, {run}: CPU {used:F2} s ({(used / localCpu - 1) * 100:+0.0;-0.0}%, " +
                $"{(used - localCpu) / draws * 1000:+0.0;-0.0} ms per item; client {client:F2} s, silos {silosCpu:F2} s); wall {time:F2} s ({(time / localTime - 1) * 100:+0.0;-0.0}%, " +
                $"{(time - localTime) / draws * 1000:+0.0;-0.0} ms per item); {retried} retried; bit-identical: {identical}");
        }
        await connected.StopAsync();
    }
    finally
    {
        foreach (var silo in processes)
        {
            silo.StandardInput.Close();
            if (!silo.WaitForExit(10_000)) silo.Kill(entireProcessTree: true);
        }
    }
}
Console.WriteLine($"load after: {Uptime()}");

// CPU time (user + system) of the processes so far, in seconds.
static double Cpu(IEnumerable<Process> processes) => processes.Sum(p => { p.Refresh(); return p.TotalProcessorTime.TotalSeconds; });

static string Uptime() => File.Exists("/proc/loadavg") ? "load average " + string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "(no /proc/loadavg)";

static async Task<Process> StartSilo(int k)
{
    var self = Environment.ProcessPath!;
    var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location);
    start.ArgumentList.Add("silo");
    start.ArgumentList.Add(k.ToString(CultureInfo.InvariantCulture));
    var process = Process.Start(start)!;
    while (await process.StandardOutput.ReadLineAsync() is { } line)
        if (line == $"silo {k} up") return process;
    throw new InvalidOperationException($"Silo {k} exited before it was up (exit code {process.ExitCode}).");
}
