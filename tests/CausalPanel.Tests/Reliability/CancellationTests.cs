using CausalPanel.Tests.Support;
using CausalPanel.Benchmarks;

namespace CausalPanel.Tests.Reliability;

/// <summary>
/// A token cancelled while an estimator or a variance method runs on a 2,000 × 100 panel surfaces as
/// <see cref="OperationCanceledException"/> (issue 18): the weight solvers and the replicate loops check it. Variance
/// runs are cancelled from their progress callback once the first replicate has finished, so the cancellation falls
/// mid-run whatever the machine's speed; estimators (which report no progress) from a thread after a few milliseconds (<see cref="Cancellation.In"/>). Nothing is timed
/// here; the latencies are measured in the benchmarks.
/// </summary>
public class CancellationTests
{
    /// <summary>
    /// 2,000 × 100 block panel: the last 200 units treated over the last 10 periods, rank-3 factors plus noise (the
    /// generated scale panels' model). SDID's iteration cap is lowered so that one replicate is quick.
    /// </summary>
    private static readonly PanelData Panel = FactorPanels.Block(2000, 100, 200, 10);

    private static readonly SyntheticWeightingOptions Quick = new() { MaxIterations = 200, MaxIterationsBeforeSparsify = 20 };

    private static readonly Lazy<EstimationResult> SdidFit = new(() => new SyntheticDifferenceInDifferences(Quick).Estimate(Panel));

    /// <summary>Cancels its source at the first report, synchronously (<see cref="Progress{T}"/> would post it).</summary>
    private sealed class CancelOnFirstReport(CancellationTokenSource source) : IProgress<int>
    {
        public void Report(int value) => source.Cancel();
    }

    [Theory]
    [InlineData("SC")]
    [InlineData("DIFP")]
    [InlineData("SDID")]
    public void Synthetic_weighting_estimators_stop_in_their_weight_solves(string name)
    {
        // The weight solves are made to run to an iteration cap no machine reaches in 20 ms (a stopping threshold of
        // 1e-150 never ends a Frank–Wolfe run on 1,800 controls early): with the defaults, a warm SC fit here can finish
        // in about 20 ms, so the token would sometimes be cancelled after the fit instead of during it.
        var endless = new SyntheticWeightingOptions { MinDecrease = 1e-150, MaxIterations = 10_000_000, MaxIterationsBeforeSparsify = 10_000_000 };
        IEstimator estimator = name switch
        {
            "SC" => new SyntheticControl(endless),
            "DIFP" => new SyntheticControlWithIntercept(endless),
            _ => new SyntheticDifferenceInDifferences(endless),
        };
        using var source = Cancellation.In(20);
        var run = () => estimator.Estimate(Panel, source.Token);
        run.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Difference_in_differences_checks_the_token()
    {
        // Its fit is a few passes over the panel (milliseconds here), too short to cancel reliably in the middle: a
        // cancelled token is refused, and the latency of its checks is measured on 100,000 × 50 in the benchmarks.
        using var source = new CancellationTokenSource();
        source.Cancel();
        var run = () => new DifferenceInDifferences().Estimate(Panel, source.Token);
        run.Should().Throw<OperationCanceledException>();
    }

    public static TheoryData<string> Methods => ["unit placebo", "time placebo", "bootstrap", "jackknife", "marginal", "conditional"];

    [Theory]
    [MemberData(nameof(Methods))]
    public void Replicate_methods_stop_between_and_inside_replicates(string name)
    {
        using var source = new CancellationTokenSource();
        var progress = new CancelOnFirstReport(source);
        VarianceMethod method = name switch
        {
            "unit placebo" => new UnitPlaceboVariance { Progress = progress },
            "time placebo" => new TimePlaceboVariance { Progress = progress },
            "bootstrap" => new BootstrapVariance { Progress = progress },
            "jackknife" => new JackknifeVariance { Progress = progress },
            "marginal" => new MarginalVariance { Progress = progress },
            _ => new ConditionalVariance { Progress = progress },
        };
        var run = () => method.Estimate(SdidFit.Value, source.Token);
        run.Should().Throw<OperationCanceledException>();
        source.IsCancellationRequested.Should().BeTrue("the token was cancelled by the run's own progress, i.e. mid-run");
    }

    [Fact]
    public void The_two_way_noise_model_checks_the_token()
    {
        // The regression plug-in on units and periods and the conditional variance fit it after their replicates or fit:
        // four weighted two-way fits and 25 sweeps each, about 1 s here, so it stops on a cancelled token itself.
        using var source = new CancellationTokenSource();
        source.Cancel();
        var run = () => CausalPanel.Numerics.NoiseScales.FitTwoWay(Panel.Outcomes.Values, Panel.UntreatedObservedWeights(), Panel.UnitCount, Panel.PeriodCount, source.Token);
        run.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Regression_variance_stops_in_the_fit_it_runs()
    {
        using var source = Cancellation.In(20);
        var run = () => new RegressionVariance().Estimate(new SyntheticDifferenceInDifferences(), Panel, source.Token);
        run.Should().Throw<OperationCanceledException>();
    }
}
