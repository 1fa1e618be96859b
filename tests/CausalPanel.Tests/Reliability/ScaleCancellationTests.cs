using CausalPanel.Tests.Support;
using CausalPanel.Benchmarks;

namespace CausalPanel.Tests.Reliability;

/// <summary>
/// Issue 18 item 4 where a single pass or a single fit is long: DiD on a 100,000 × 50 panel (its fixed-effects passes
/// check the token every few thousand rows) and DWCP's block mode on 2,000 × 100 (one weighted fit of the whole panel,
/// and its placebo-block tuning). The token is cancelled while the run is under way; only the exception is asserted,
/// never how long it took (the latencies are measured in the benchmarks).
/// </summary>
public class ScaleCancellationTests
{
    private static readonly Lazy<PanelData> Wide = new(() => FactorPanels.Block(100_000, 50, 5000, 10));
    private static readonly Lazy<PanelData> Block = new(() => FactorPanels.Block(2000, 100, 200, 20));

    [Fact]
    public void Difference_in_differences_stops_inside_its_passes_over_100000_units()
    {
        var panel = Wide.Value;
        using var source = Cancellation.In(5);   // the fit is tens of passes over 5 million cells
        FluentActions.Invoking(() => new DifferenceInDifferences().Estimate(panel, source.Token)).Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void The_passes_before_the_fit_check_the_token()
    {
        // DiD, MC-NNM and DWCP first build the fit cells' weights and check that every treated cell is identified, each a
        // pass over every cell (up to 0.65 s on 100,000 × 50 under load): both stop on a cancelled token themselves.
        var panel = Block.Value;
        using var source = new CancellationTokenSource();
        source.Cancel();
        FluentActions.Invoking(() => panel.UntreatedObservedWeights(source.Token)).Should().Throw<OperationCanceledException>();
        var linked = new int[panel.UnitCount + panel.PeriodCount];   // one component: every treated cell identified
        FluentActions.Invoking(() => PanelRequirements.RequireIdentified(panel, "DiD", linked, ct: source.Token)).Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Dwcp_block_mode_stops_in_its_weighted_fit()
    {
        var panel = Block.Value;
        using var source = Cancellation.In(20);   // hundreds of proximal steps, each a thresholding of the 2,000 × 100 matrix
        var estimator = new DoublyWeightedCausalPanel(new DwcpOptions { Mode = DwcpMode.Block, LambdaUnit = 0.4, LambdaTime = 0.2, LambdaNuclear = 0.1 });
        FluentActions.Invoking(() => estimator.Estimate(panel, source.Token)).Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Dwcp_block_mode_stops_in_its_placebo_block_tuning()
    {
        var panel = Block.Value;
        using var source = Cancellation.In(50);   // 100 placebo fits per λ triple
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel(new DwcpOptions { Mode = DwcpMode.Block }).Estimate(panel, source.Token))
            .Should().Throw<OperationCanceledException>();
    }
}
