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

    private readonly MatrixCompletion _mc20 = new(new MatrixCompletionOptions { LambdaCount = 20 });

    private readonly SyntheticDifferenceInDifferences _sdidConverged = new(new SyntheticWeightingOptions { Solver = WeightSolver.Converged });
}
