using BenchmarkDotNet.Attributes;
using CausalPanel;

namespace CausalPanel.Benchmarks;

/// <summary>Point estimates on the bundled California panel (39 × 31). Later estimators add a method each.</summary>
[MemoryDiagnoser]
public class CaliforniaEstimators
{
    private readonly PanelData _california = Datasets.CaliforniaSmoking();

    /// <summary>R synthdid::did_estimate takes 0.002 s here (../shared/reference/california.json).</summary>
    [Benchmark]
    public double Did() => new DifferenceInDifferences().Estimate(_california).Att;
}
