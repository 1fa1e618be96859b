using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace CausalPanel.Benchmarks;

/// <summary>
/// DWCP on the CPS log-wage panel (50 states × 1979–2018), the 8 minimum-wage states treated over the
/// last 10 years. Tuning takes tens of seconds, so few iterations are run.
/// The Stata TROP port reports 20–40 minutes for leave-one-out tuning on this size.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class CpsDwcp
{
    private readonly PanelData _cps = Datasets.Cps("log_wage", "min_wage", treatedPeriods: 10);

    /// <summary>Default tuning: leave-one-out on 100 seeded untreated cells, coordinate search.</summary>
    [Benchmark]
    public double Tuned() => new DoublyWeightedCausalPanel().Estimate(_cps).Att;

    /// <summary>Given λ's (per-cell fits only).</summary>
    [Benchmark]
    public double FixedLambdas() => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.8, LambdaTime = 0.2, LambdaNuclear = 0.5 }).Estimate(_cps).Att;
}
