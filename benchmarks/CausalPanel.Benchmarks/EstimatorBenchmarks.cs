using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace CausalPanel.Benchmarks;

/// <summary>Point estimates on the bundled California panel (39 × 31). R timings: ../shared/reference/california.json and issue 9.</summary>
[MemoryDiagnoser]
public class CaliforniaEstimators
{
    private readonly PanelData _california = Panels.California();
    private readonly MatrixCompletion _mc20 = new(new MatrixCompletionOptions { LambdaCount = 20 });
    private readonly SyntheticDifferenceInDifferences _sdidConverged = new(new SyntheticWeightingOptions { Solver = WeightSolver.Converged });
    private readonly DoublyWeightedCausalPanel _dwcpFixed = new(new DwcpOptions { LambdaUnit = 0.4, LambdaTime = 0.2, LambdaNuclear = 0.1 });

    /// <summary>R synthdid::did_estimate: 0.002 s.</summary>
    [Benchmark]
    public double Did() => new DifferenceInDifferences().Estimate(_california).Att;

    /// <summary>R synthdid::sc_estimate: 0.446 s.</summary>
    [Benchmark]
    public double SyntheticControl() => new SyntheticControl().Estimate(_california).Att;

    /// <summary>R (DIFP as in the SDID paper's vignette): 0.556 s.</summary>
    [Benchmark]
    public double SyntheticControlWithIntercept() => new SyntheticControlWithIntercept().Estimate(_california).Att;

    /// <summary>R synthdid::synthdid_estimate: 0.398 s.</summary>
    [Benchmark]
    public double Sdid() => new SyntheticDifferenceInDifferences().Estimate(_california).Att;

    /// <summary>SDID with the converged (projected-gradient) weight solver.</summary>
    [Benchmark]
    public double SdidConverged() => _sdidConverged.Estimate(_california).Att;

    /// <summary>R MCPanel::mcnnm_cv defaults (100 lambdas, 5 folds; C++ core): 1.51 s.</summary>
    [Benchmark]
    public double MatrixCompletion() => new MatrixCompletion().Estimate(_california).Att;

    /// <summary>The SDID paper's MC (20 lambdas): R 0.455 s.</summary>
    [Benchmark]
    public double MatrixCompletion20() => _mc20.Estimate(_california).Att;

    /// <summary>DWCP per-cell fits at given λ's (no tuning).</summary>
    [Benchmark]
    public double DwcpFixedLambdas() => _dwcpFixed.Estimate(_california).Att;
}

/// <summary>DiD, SC, SDID and MC-NNM at a fixed λ on a large panel (the derived classes choose the panel and λ).</summary>
[MemoryDiagnoser]
public abstract class LargePanelEstimators
{
    private protected abstract PanelData Panel { get; }

    /// <summary>MC-NNM's λ (the path runs from λ_max down a 10-point grid to it).</summary>
    private protected abstract double Lambda { get; }

    [Benchmark]
    public double Did() => new DifferenceInDifferences().Estimate(Panel).Att;

    [Benchmark]
    public double SyntheticControl() => new SyntheticControl().Estimate(Panel).Att;

    [Benchmark]
    public double Sdid() => new SyntheticDifferenceInDifferences().Estimate(Panel).Att;

    /// <summary>MC-NNM at a fixed λ (cross-validating 100 λ's on 5 folds at 10,000 × 500 takes hours in any exact solver).</summary>
    [Benchmark]
    public double MatrixCompletionFixedLambda() => new MatrixCompletion(new MatrixCompletionOptions { Lambda = Lambda, LambdaCount = 10 }).Estimate(Panel).Att;
}

/// <summary>The 1000 × 200 panel (100 units treated over the last 20 periods). R synthdid_estimate: 30.6 s.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class Panel1000x200Estimators : LargePanelEstimators
{
    private protected override PanelData Panel { get; } = Panels.Synthetic1000x200();
    private protected override double Lambda => 0.05;
}

/// <summary>
/// A generated 10,000 × 500 panel (1,000 units treated over the last 50 periods): the scale test. One measured
/// run each. Peak memory: <c>dotnet run -c Release --project benchmarks/CausalPanel.Benchmarks -- peak sdid</c>.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1)]
public class Panel10000x500Estimators : LargePanelEstimators
{
    private protected override PanelData Panel { get; } = Panels.Generated(10_000, 500);
    private protected override double Lambda => 2e-4;
}
