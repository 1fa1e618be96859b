using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using CausalPanel;
using CausalPanel.Benchmarks;

// Run all:    dotnet run -c Release --project benchmarks/CausalPanel.Benchmarks -- --filter '*'
// Run one:    dotnet run -c Release --project benchmarks/CausalPanel.Benchmarks -- --filter '*CaliforniaEstimators*'
// Peak memory of one fit in a fresh process, beside the panel alone:
//             dotnet run -c Release --project benchmarks/CausalPanel.Benchmarks -- peak generated10000x500|block100000x50|block5000x100 did|sc|sdid|mc|sdidplacebo200|mcplacebo200
// Cancellation latency, Cancel() → OperationCanceledException, of every estimator and variance method (cases whose name contains filter):
//             dotnet run -c Release --project benchmarks/CausalPanel.Benchmarks -- cancel [filter]
// A generated panel as the CSV R reads (benchmarks/r-timings.R):
//             dotnet run -c Release --project benchmarks/CausalPanel.Benchmarks -- panel block|staggered N T treatedUnits treatedPeriods|cohorts out.csv
switch (args)
{
    case ["peak", var panelName, var method]:
        Peak(panelName, method);
        return;
    case ["cancel", .. var filter] when filter.Length <= 1:
        CancellationLatency.Run(filter.FirstOrDefault());
        return;
    case ["panel", var design, var n, var t, var treated, var periodsOrCohorts, var path]:
        int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
        var panel = design == "staggered"
            ? FactorPanels.Staggered(Int(n), Int(t), Int(treated), Int(periodsOrCohorts), firstOnset: Int(t) / 5)
            : FactorPanels.Block(Int(n), Int(t), Int(treated), Int(periodsOrCohorts));
        FactorPanels.WriteCsv(panel, path);
        return;
    default:
        // Each case's process is built first; on a busy machine that can take longer than BenchmarkDotNet's 2 minutes.
        BenchmarkSwitcher.FromAssembly(typeof(Panels).Assembly).Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15)));
        return;
}

static void Peak(string panelName, string method)
{
    var panel = panelName switch
    {
        "block100000x50" => FactorPanels.Block(100_000, 50, 5000, 10),
        "block5000x100" => FactorPanels.Block(5000, 100, 500, 20),
        _ => Panels.Generated(10_000, 500),
    };
    GC.Collect();
    var before = Process.GetCurrentProcess().PeakWorkingSet64;
    // sdidplacebo200 / mcplacebo200: the fit (SDID; MC-NNM with mcnnm_cv defaults), then its unit placebo with 200 draws,
    // as the Block5000x100 cases run them (the fit's working set is part of the peak, as in the benchmark's process).
    var placebo = method is "sdidplacebo200" or "mcplacebo200";
    IEstimator estimator = method switch
    {
        "did" => new DifferenceInDifferences(),
        "sc" => new SyntheticControl(),
        "mc" => new MatrixCompletion(new MatrixCompletionOptions { Lambda = 2e-4, LambdaCount = 10 }),
        "mcplacebo200" => new MatrixCompletion(),
        _ => new SyntheticDifferenceInDifferences(),
    };
    var clock = Stopwatch.StartNew();
    var fit = estimator.Estimate(panel);
    var what = $"{estimator.Name} on {panel.UnitCount:N0} × {panel.PeriodCount}: ATT {fit.Att:F4} in {clock.Elapsed.TotalSeconds:F1} s";
    if (placebo)
    {
        clock.Restart();
        var se = fit.WithVariance(new UnitPlaceboVariance { Replications = 200, Seed = 1 }).StandardError;
        what += $", unit placebo 200: SE {se:G6} in {clock.Elapsed.TotalSeconds:F1} s";
    }
    Console.WriteLine($"{what}; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB (panel alone {before / 1e6:F0} MB; " +
        $"its outcome matrix {panel.UnitCount * (double)panel.PeriodCount * 8 / 1e6:F0} MB)");
}
