using System.Xml.Linq;
using static CausalPanel.Tests.Reporting.SvgReading;

namespace CausalPanel.Tests.Reporting;

public class CohortTrajectoryChartTests
{
    /// <summary>12 periods; 10 never-treated units, cohorts adopting in periods 5 (3 units) and 8 (2 units).</summary>
    private static PanelData Staggered() =>
        Support.RandomPanels.Staggered(3, [.. Enumerable.Repeat(-1, 10), 4, 4, 4, 7, 7], periods: 12);

    [Fact]
    public void Trajectory_of_a_staggered_SDID_fit_draws_one_panel_per_cohort()
    {
        // Issue 17: this threw "needs the treated units' mean over at least two periods" (a staggered SDID fit has no pooled trajectory).
        var fit = new SyntheticDifferenceInDifferences().Estimate(Staggered());
        var svg = XDocument.Parse(Charts.Trajectory(fit));
        Lines(svg).Should().HaveCount(4);                                   // observed and counterfactual per cohort
        Lines(svg, "cohort 5 (3 units): mean").Should().ContainSingle().Which.Attribute("points")!.Value.Split(' ').Should().HaveCount(12);
        Texts(svg).Should().Contain(["cohort 5 (3 units)", "cohort 8 (2 units)", "counterfactual (SDID)", "the cohort's treatment onset", "outcome", "period"]);
        // Each panel's onset rule lies halfway between the last pre-period and the first treated period of its cohort.
        var rules = svg.Descendants(Ns + "line").Where(l => l.Attribute("stroke-dasharray")?.Value == "2 3" && Number(l, "y2") - Number(l, "y1") > 100).ToArray();
        rules.Should().HaveCount(2);
        foreach (var (rule, line, onset) in new[] { (rules[0], Lines(svg, "cohort 5")[0], 4), (rules[1], Lines(svg, "cohort 8")[0], 7) })
        {
            var x = Points(line).Select(p => p.X).ToArray();
            Number(rule, "x1").Should().BeApproximately((x[onset - 1] + x[onset]) / 2, 0.1);
        }
    }

    [Fact]
    public void Each_cohort_panel_draws_the_cohorts_mean_outcome_and_DiDs_fitted_untreated_mean()
    {
        var data = Staggered();
        var fit = new DifferenceInDifferences().Estimate(data);
        var svg = Charts.Trajectory(fit);
        // One panel per cohort: read each through a document holding only its axis (the panels have their own y scales).
        foreach (var (label, units, onset) in new[] { ("cohort 5 (3 units)", new[] { 10, 11, 12 }, 4), ("cohort 8 (2 units)", new[] { 13, 14 }, 7) })
        {
            var panel = Panel(XDocument.Parse(svg), label);
            var observed = Values(panel, Lines(panel, $"{label}: mean")[0]);
            var counterfactual = Values(panel, Lines(panel, $"{label}: counterfactual")[0]);
            var scale = observed.Max() - observed.Min();
            for (var t = 0; t < 12; t++)
            {
                observed[t].Should().BeApproximately(units.Average(i => data.Outcomes[i, t]), 0.002 * scale);
                // Untreated cells: α̂_i + β̂_t; treated cells: the imputed Ŷ(0), the same formula (Borusyak et al. 2024, Eq. 4).
                counterfactual[t].Should().BeApproximately(units.Average(i => fit.UnitFixedEffects[i] + fit.PeriodFixedEffects[t]), 0.002 * scale);
            }
            fit.CellEffects.Where(c => units.Contains(c.UnitIndex)).Should().OnlyContain(c => c.PeriodIndex >= onset);
        }
    }

    [Fact]
    public void The_pooled_path_of_a_staggered_synthetic_fit_is_refused_with_a_pointer_to_the_cohort_panels()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Staggered());
        FluentActions.Invoking(() => Charts.Trajectory(fit, byCohort: false)).Should().Throw<InvalidOperationException>().WithMessage("*byCohort: true*");
        FluentActions.Invoking(() => VegaLite.Trajectory(fit, byCohort: false)).Should().Throw<InvalidOperationException>().WithMessage("*byCohort: true*");
    }

    [Fact]
    public void A_dwcp_fit_has_no_counterfactual_path_and_the_refusal_says_why()
    {
        var fit = new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.4, LambdaTime = 0.2, LambdaNuclear = double.PositiveInfinity }).Estimate(Datasets.CaliforniaSmoking());
        FluentActions.Invoking(() => Charts.Trajectory(fit)).Should().Throw<InvalidOperationException>().WithMessage("*each treated cell with its own unit and time weights*effects chart*");
    }

    /// <summary>The elements of the panel titled <paramref name="label"/>: those between its title and the next panel's (document order).</summary>
    private static XDocument Panel(XDocument svg, string label)
    {
        var elements = svg.Root!.Elements().ToList();
        var start = elements.FindIndex(e => e.Name == Ns + "text" && e.Value == label);
        var end = elements.FindIndex(start + 1, e => e.Name == Ns + "text" && e.Attribute("font-weight")?.Value == "bold" && e.Value.StartsWith("cohort ", StringComparison.Ordinal));
        return new XDocument(new XElement(Ns + "svg", elements.Skip(start).Take((end < 0 ? elements.Count : end) - start)));
    }
}
