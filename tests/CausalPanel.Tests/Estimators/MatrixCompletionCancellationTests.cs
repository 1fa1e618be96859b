using CausalPanel.Tests.Support;
namespace CausalPanel.Tests.Estimators;

/// <summary>
/// A token cancelled while MC-NNM works on a 2,000 × 100 panel surfaces as <see cref="OperationCanceledException"/>: from
/// inside the cross-validation, and from the replicates of every variance method. Asserted without timing (the latency
/// is measured apart).
/// </summary>
public class MatrixCompletionCancellationTests
{
    private static readonly PanelData Panel = MatrixCompletionReplicateTests.FactorPanel(2000, 100, 200, 20, seed: 18);

    /// <summary>A fit at a given λ on a short path: replicates then run one fit each.</summary>
    private static readonly Lazy<MatrixCompletionResult> Fit = new(() =>
        new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 3, Lambda = 0.01 }).Estimate(Panel));

    /// <summary>Cancels as soon as the first replicate is done, while the others are being fitted.</summary>
    private sealed class CancelOnFirstReport(CancellationTokenSource source) : IProgress<int>
    {
        public void Report(int value) => source.Cancel();
    }

    [Fact]
    public void Cancelling_the_cross_validation_surfaces_at_once()
    {
        using var source = Cancellation.In(100);   // the cross-validation (5 folds × 100 λ) takes far longer
        FluentActions.Invoking(() => new MatrixCompletion().Estimate(Panel, source.Token)).Should().Throw<OperationCanceledException>();
    }

    public static TheoryData<string> Methods => ["placebo", "bootstrap", "jackknife"];

    [Theory]
    [MemberData(nameof(Methods))]
    public void Cancelling_the_replicates_of_an_MC_fit_surfaces(string name)
    {
        using var source = new CancellationTokenSource();
        var progress = new CancelOnFirstReport(source);
        VarianceMethod method = name switch
        {
            "placebo" => new UnitPlaceboVariance { Progress = progress },
            "bootstrap" => new BootstrapVariance { Progress = progress },
            _ => new JackknifeVariance { Progress = progress },
        };
        FluentActions.Invoking(() => method.Estimate(Fit.Value, source.Token)).Should().Throw<OperationCanceledException>();
        source.IsCancellationRequested.Should().BeTrue("the run was stopped by the token, not finished");
    }
}
