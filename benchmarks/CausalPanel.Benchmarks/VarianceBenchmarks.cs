using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace CausalPanel.Benchmarks;

/// <summary>Standard errors on California (39 × 31): R synthdid's placebo SE with 200 replications takes 67 s for SDID.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class CaliforniaVariance
{
    private readonly SyntheticWeightingResult _sdid = new SyntheticDifferenceInDifferences().Estimate(Datasets.CaliforniaSmoking());

    /// <summary>Unit placebo, 200 replications (R: 67.1 s).</summary>
    [Benchmark]
    public double SdidPlacebo200() => _sdid.WithVariance(new UnitPlaceboVariance { Exhaustive = false, Replications = 200, Seed = 1 }).StandardError;
}
