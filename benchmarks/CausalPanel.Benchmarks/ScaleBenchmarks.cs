using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace CausalPanel.Benchmarks;

// Issue 18's cases at users' sizes. Each class runs in its own process per case with one warmup and three measured
// iterations (the Monitoring strategy: no pilot, no overhead runs), so the slow cases can be run selectively by filter
// and the peak working set column is the case's own (setup included).

/// <summary>
/// The generated 5,000 × 100 block panel (<see cref="FactorPanels.Block"/>: rank 3 + noise, the last 500 units treated
/// over the last 20 periods, effect 1): MC-NNM with <c>mcnnm_cv</c> defaults, DWCP tuned and at fixed λ's, SDID and
/// MC-NNM unit placebos with 200 draws, and the point estimates of DiD, SC and SDID.
/// </summary>
[MemoryDiagnoser, PeakWorkingSet]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class Block5000x100
{
    private readonly PanelData _panel = FactorPanels.Block(5000, 100, treatedUnits: 500, treatedPeriods: 20);
    private EstimationResult _sdid = null!, _mc = null!;

    [GlobalSetup(Targets = [nameof(SdidPlacebo200)])]
    public void FitSdid() => _sdid = new SyntheticDifferenceInDifferences().Estimate(_panel);

    [GlobalSetup(Targets = [nameof(McPlacebo200)])]
    public void FitMc() => _mc = new MatrixCompletion().Estimate(_panel);

    /// <summary>MC-NNM, <c>mcnnm_cv</c> defaults (100 λ, 5 folds). Must show: ≤ 10 s, ≤ 1 GB.</summary>
    [Benchmark]
    public double McCv() => new MatrixCompletion().Estimate(_panel).Att;

    /// <summary>DWCP with default tuning. Must show: ≤ 60 s, ≤ 2 GB.</summary>
    [Benchmark]
    public double DwcpTuned() => new DoublyWeightedCausalPanel().Estimate(_panel).Att;

    /// <summary>DWCP at fixed λ's with a finite λ_nuclear. Must show: ≤ 5 s.</summary>
    [Benchmark]
    public double DwcpFixed() => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.4, LambdaTime = 0.2, LambdaNuclear = 0.1 }).Estimate(_panel).Att;

    /// <summary>
    /// DWCP's block mode (<see cref="DwcpMode.Block"/>: one weighted fit of the whole panel for the N1 × T1 block) at the
    /// fixed λ's of <see cref="DwcpFixed"/>: the closest estimator to it that one machine can run on a block design.
    /// </summary>
    [Benchmark]
    public double DwcpBlockFixed() => new DoublyWeightedCausalPanel(new DwcpOptions { Mode = DwcpMode.Block, LambdaUnit = 0.4, LambdaTime = 0.2, LambdaNuclear = 0.1 }).Estimate(_panel).Att;

    /// <summary>DWCP's block mode with its default tuning (placebo-block cross-validation, <see cref="DwcpTuning.PlaceboBlock"/>).</summary>
    [Benchmark]
    public double DwcpBlockTuned() => new DoublyWeightedCausalPanel(new DwcpOptions { Mode = DwcpMode.Block }).Estimate(_panel).Att;

    /// <summary>SDID unit placebo, 200 draws (the fit is set up once). Must show: ≤ 60 s, ≤ 1.5 GB.</summary>
    [Benchmark]
    public double SdidPlacebo200() => _sdid.WithVariance(new UnitPlaceboVariance { Replications = 200, Seed = 1 }).StandardError;

    /// <summary>MC-NNM unit placebo, 200 draws (the fit is set up once). Must show: ≤ 60 s.</summary>
    [Benchmark]
    public double McPlacebo200() => _mc.WithVariance(new UnitPlaceboVariance { Replications = 200, Seed = 1 }).StandardError;

    [Benchmark]
    public double Did() => new DifferenceInDifferences().Estimate(_panel).Att;

    [Benchmark]
    public double SyntheticControl() => new SyntheticControl().Estimate(_panel).Att;

    [Benchmark]
    public double Sdid() => new SyntheticDifferenceInDifferences().Estimate(_panel).Att;
}

/// <summary>
/// The generated 5,000 × 100 staggered panel (<see cref="FactorPanels.Staggered"/>: the last 500 units in 5 cohorts
/// adopting at periods 80, 84, 88, 92, 96, effect 1): MC-NNM with <c>mcnnm_cv</c> defaults, DiD and SDID (per cohort).
/// </summary>
[MemoryDiagnoser, PeakWorkingSet]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class Staggered5000x100
{
    private readonly PanelData _panel = FactorPanels.Staggered(5000, 100, treatedUnits: 500, cohorts: 5, firstOnset: 20);

    [Benchmark]
    public double McCv() => new MatrixCompletion().Estimate(_panel).Att;

    [Benchmark]
    public double Did() => new DifferenceInDifferences().Estimate(_panel).Att;

    [Benchmark]
    public double Sdid() => new SyntheticDifferenceInDifferences().Estimate(_panel).Att;
}

/// <summary>
/// The generated 100,000 × 50 block panel (5,000 units treated over the last 10 periods): DiD, SC and SDID. Must show:
/// peak ≤ 3 × the panel's own size (the outcomes alone are 40 MB; <c>-- peak block100000x50 &lt;method&gt;</c> prints the
/// working set with the panel alone beside a fit's peak).
/// </summary>
[MemoryDiagnoser, PeakWorkingSet]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class Block100000x50
{
    private readonly PanelData _panel = FactorPanels.Block(100_000, 50, treatedUnits: 5000, treatedPeriods: 10);

    [Benchmark]
    public double Did() => new DifferenceInDifferences().Estimate(_panel).Att;

    [Benchmark]
    public double SyntheticControl() => new SyntheticControl().Estimate(_panel).Att;

    [Benchmark]
    public double Sdid() => new SyntheticDifferenceInDifferences().Estimate(_panel).Att;
}

/// <summary>
/// Tuned DWCP (default options: leave-one-out on 100 cells, coordinate search) on the textbook panels. Must show: ≤ 1 s
/// each. Germany is <see cref="Panels.Germany"/> (log GDP).
/// </summary>
[MemoryDiagnoser, PeakWorkingSet]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class DwcpTuned
{
    private PanelData _panel = null!;

    [Params("California", "Cps", "Germany")]
    public string Panel { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _panel = Panel switch
    {
        "California" => Panels.California(),
        "Cps" => Panels.Cps(),
        _ => Panels.Germany(),
    };

    [Benchmark]
    public double Tuned() => new DoublyWeightedCausalPanel().Estimate(_panel).Att;
}

/// <summary>
/// MC-NNM (<c>mcnnm_cv</c> defaults) on a generated 500 × 5 staggered county-like panel (300 units in 3 cohorts adopting
/// at periods 2, 3, 4): the fit, and the bootstrap with 200 replicates. Must show: bootstrap ≤ 3 s.
/// </summary>
[MemoryDiagnoser, PeakWorkingSet]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class Staggered500x5
{
    private readonly PanelData _panel = FactorPanels.Staggered(500, 5, treatedUnits: 300, cohorts: 3, firstOnset: 3);
    private EstimationResult _mc = null!;

    [GlobalSetup]
    public void Setup() => _mc = new MatrixCompletion().Estimate(_panel);

    [Benchmark]
    public double McCv() => new MatrixCompletion().Estimate(_panel).Att;

    [Benchmark]
    public double McBootstrap200() => _mc.WithVariance(new BootstrapVariance { Replications = 200, Seed = 1 }).StandardError;
}
