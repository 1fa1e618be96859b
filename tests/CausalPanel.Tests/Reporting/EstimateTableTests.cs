using System.Globalization;
using System.Xml.Linq;
using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Reporting;

public class EstimateTableTests
{
    [Fact]
    public void Table_shows_Rs_estimates_and_jackknife_errors_on_the_CPS_block()
    {
        var data = Reference.CpsMinWageBlock();
        var methods = Reference.Json("cps_minwage_block.json").GetProperty("methods");
        IEstimator[] estimators = [new DifferenceInDifferences(), new SyntheticControl(), new SyntheticDifferenceInDifferences()];
        var fits = estimators.Select(e => e.Estimate(data)).ToArray();
        var table = EstimateTable.Of(fits, fits.Select(f => (VarianceResult?)f.WithVariance(new JackknifeVariance())).ToArray());

        var text = table.ToString();
        foreach (var name in new[] { "did", "sc", "sdid" })
        {
            text.Should().Contain(methods.GetProperty(name).GetProperty("att").GetDouble().ToString("G4", CultureInfo.InvariantCulture));
            text.Should().Contain(methods.GetProperty(name).GetProperty("jackknife_se").GetDouble().ToString("G4", CultureInfo.InvariantCulture));
        }
        text.Should().Contain("Std. error").And.Contain("95% CI").And.Contain("Jackknife");

        var html = XElement.Parse(table.ToHtml());
        html.Descendants("th").Select(t => t.Value).Should().Contain(["DiD", "SC", "SDID", "Estimate", "Std. error"]);
        table.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(4);
    }

    [Fact]
    public void Undefined_errors_show_as_a_dash_with_the_reason_and_mismatched_lists_are_refused()
    {
        var california = Datasets.CaliforniaSmoking();
        var fit = new DifferenceInDifferences().Estimate(california);
        var table = EstimateTable.Of([fit], [fit.WithVariance(new BootstrapVariance())]);
        table.ToString().Should().Contain("—").And.Contain("two treated units");
        EstimateTable.Of([fit]).ToString().Should().NotContain("Std. error");
        FluentActions.Invoking(() => EstimateTable.Of([fit], [])).Should().Throw<ArgumentException>().WithMessage("*one per fit*");
    }

    [Fact]
    public void Synthetic_summaries_show_design_counts_effective_sizes_and_top_weights()
    {
        var summary = new SyntheticDifferenceInDifferences().Estimate(Datasets.CaliforniaSmoking()).Summary();
        summary.Should().Contain("N1 = 1").And.Contain("N0 = 38").And.Contain("T0 = 19").And.Contain("T1 = 12")
            .And.Contain("effective controls 16.4 of 38").And.Contain("effective pre-periods 2.8 of 19").And.Contain("top unit weights:");
    }
}
