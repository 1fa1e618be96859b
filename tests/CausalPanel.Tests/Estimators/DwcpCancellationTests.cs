using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Estimators;

/// <summary>
/// Issue 18 item 4: a token cancelled while DWCP runs on a 2,000 × 100 panel stops it with
/// <see cref="OperationCanceledException"/> — in the tuning sweep, in the per-cell fits and inside a variance
/// method's refits. Only the outcome is asserted, never how long it took (the latency is measured in benchmarks).
/// </summary>
public class DwcpCancellationTests
{
    /// <summary>2,000 units × 100 periods, the last <paramref name="treated"/> units treated over the last 10 periods.</summary>
    private static PanelData Large(int treated) =>
        RandomPanels.Staggered(seed: 18, [.. Enumerable.Range(0, 2000).Select(i => i >= 2000 - treated ? 90 : -1)], periods: 100);

    /// <summary>Cancels its token when the first replicate is reported, i.e. while the others are being fitted.</summary>
    private sealed class CancelOnFirstReport(CancellationTokenSource source) : IProgress<int>
    {
        public void Report(int value) => source.Cancel();
    }

    [Fact]
    public void Cancelling_a_tuned_estimate_mid_run_throws()
    {
        var data = Large(treated: 50);
        using var cts = Cancellation.In(200);
        // Default tuning: 100 leave-one-out fits of the whole panel per λ triple, tens of triples; the token fires
        // during the sweep (the first triples alone take far longer than the delay).
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel().Estimate(data, cts.Token))
            .Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Cancelling_fixed_lambda_per_cell_fits_mid_run_throws()
    {
        var data = Large(treated: 50);
        using var cts = Cancellation.In(200);
        // 500 treated cells, each a weighted low-rank fit of the 2,000 × 100 panel by proximal gradient steps.
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.4, LambdaTime = 0.2, LambdaNuclear = 0.1 })
                .Estimate(data, cts.Token))
            .Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Cancelling_a_bootstrap_of_dwcp_mid_run_throws()
    {
        // λ_time = 0 and λ_nuclear = ∞: one closed-form fit per treated unit, so the original estimate is quick; each
        // replicate refits at the same λ's.
        var fit = new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.4, LambdaTime = 0, LambdaNuclear = double.PositiveInfinity }).Estimate(Large(treated: 4));
        using var cts = new CancellationTokenSource();
        FluentActions.Invoking(() => fit.WithVariance(new BootstrapVariance { Replications = 50, Seed = 1, Progress = new CancelOnFirstReport(cts) }, cts.Token))
            .Should().Throw<OperationCanceledException>();
        cts.IsCancellationRequested.Should().BeTrue("the token was cancelled by the first finished replicate, while others ran");
    }
}
