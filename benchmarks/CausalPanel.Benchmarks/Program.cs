using System.Diagnostics;
using BenchmarkDotNet.Running;
using CausalPanel;
using CausalPanel.Benchmarks;

// Run all:    dotnet run -c Release --project benchmarks/CausalPanel.Benchmarks -- --filter '*'
// Run one:    dotnet run -c Release --project benchmarks/CausalPanel.Benchmarks -- --filter '*CaliforniaEstimators*'
// Peak memory of one fit on the 10,000 × 500 panel (fresh process):
//             dotnet run -c Release --project benchmarks/CausalPanel.Benchmarks -- peak sdid|did|sc|mc
if (args is ["peak", var name])
{
    var panel = Panels.Generated(10_000, 500);
    GC.Collect();
    var before = Process.GetCurrentProcess().PeakWorkingSet64;
    IEstimator estimator = name switch
    {
        "did" => new DifferenceInDifferences(),
        "sc" => new SyntheticControl(),
        "mc" => new MatrixCompletion(new MatrixCompletionOptions { Lambda = 2e-4, LambdaCount = 10 }),
        _ => new SyntheticDifferenceInDifferences(),
    };
    var clock = Stopwatch.StartNew();
    var fit = estimator.Estimate(panel);
    Console.WriteLine($"{estimator.Name} on 10,000 × 500: ATT {fit.Att:F4} in {clock.Elapsed.TotalSeconds:F1} s; " +
        $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB (panel alone {before / 1e6:F0} MB)");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Panels).Assembly).Run(args);
