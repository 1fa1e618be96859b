using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace CausalPanel.Benchmarks;

/// <summary>Every variance method on SDID and on DiD, California (39 × 31). R synthdid's placebo SE with 200 replications: 67 s for SDID.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class CaliforniaVariance
{
    private readonly SyntheticWeightingResult _sdid = new SyntheticDifferenceInDifferences().Estimate(Panels.California());
    private readonly SyntheticWeightingResult _sc = new SyntheticControl().Estimate(Panels.California());
    private readonly EstimationResult _mc20 = new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 20 }).Estimate(Panels.California());

    /// <summary>Unit placebo, 200 random placebo assignments (R: 67.1 s).</summary>
    [Benchmark]
    public double SdidPlacebo200() => _sdid.WithVariance(new UnitPlaceboVariance { Exhaustive = false, Replications = 200, Seed = 1 }).StandardError;

    /// <summary>Unit placebo over all 38 controls (the default with one treated unit).</summary>
    [Benchmark]
    public double SdidPlaceboExhaustive() => _sdid.WithVariance(new UnitPlaceboVariance()).StandardError;

    /// <summary>SC placebo, 200 replications (R: 99 s).</summary>
    [Benchmark]
    public double ScPlacebo200() => _sc.WithVariance(new UnitPlaceboVariance { Exhaustive = false, Replications = 200, Seed = 1 }).StandardError;

    /// <summary>MC placebo, 200 replications, 20 λ's each (R: 112 s).</summary>
    [Benchmark]
    public double McPlacebo200() => _mc20.WithVariance(new UnitPlaceboVariance { Exhaustive = false, Replications = 200, Seed = 1 }).StandardError;

    /// <summary>Time placebo (conditional on units).</summary>
    [Benchmark]
    public double SdidTimePlacebo() => _sdid.WithVariance(new TimePlaceboVariance()).StandardError;

    /// <summary>Unit × time placebo (marginal).</summary>
    [Benchmark]
    public double SdidMarginal() => _sdid.WithVariance(new MarginalVariance { Seed = 1 }).StandardError;

    /// <summary>Conditional on units and periods (placebo ratio).</summary>
    [Benchmark]
    public double SdidConditionalBoth() => _sdid.WithVariance(new ConditionalVariance { Seed = 1 }).StandardError;

    /// <summary>Residual plug-in, two-way noise model.</summary>
    [Benchmark]
    public double SdidRegressionTwoWay() => _sdid.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods }).StandardError;
}

/// <summary>Bootstrap and jackknife need several treated units: CPS, 50 × 40, the minimum-wage states over the last 10 years.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class CpsVariance
{
    private readonly SyntheticWeightingResult _sdid = new SyntheticDifferenceInDifferences().Estimate(Panels.Cps());

    [Benchmark]
    public double SdidBootstrap200() => _sdid.WithVariance(new BootstrapVariance { Replications = 200, Seed = 1 }).StandardError;

    [Benchmark]
    public double SdidJackknife() => _sdid.WithVariance(new JackknifeVariance()).StandardError;

    [Benchmark]
    public double SdidPlacebo200() => _sdid.WithVariance(new UnitPlaceboVariance { Replications = 200, Seed = 1 }).StandardError;
}

/// <summary>SDID placebo SE on the 1000 × 200 panel: R's did not finish in 10 minutes.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class Panel1000x200Variance
{
    private readonly SyntheticWeightingResult _sdid = new SyntheticDifferenceInDifferences().Estimate(Panels.Synthetic1000x200());

    [Benchmark]
    public double SdidPlacebo200() => _sdid.WithVariance(new UnitPlaceboVariance { Replications = 200, Seed = 1 }).StandardError;
}
