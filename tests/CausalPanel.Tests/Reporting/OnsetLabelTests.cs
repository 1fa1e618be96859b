using System.Xml.Linq;
using static CausalPanel.Tests.Reporting.SvgReading;

namespace CausalPanel.Tests.Reporting;

public class OnsetLabelTests
{
    /// <summary>
    /// A staggered panel with labelled years: 10 never-treated units and, for each adoption year in
    /// <paramref name="adoptions"/>, two units adopting then.
    /// </summary>
    private static PanelData Years(int first, int periods, IReadOnlyList<int> adoptions)
    {
        var adoption = Enumerable.Repeat(-1, 10).Concat(adoptions.SelectMany(a => new[] { a - first, a - first })).ToArray();
        var data = Support.RandomPanels.Staggered(11, adoption, periods);
        return PanelData.FromMatrices(data.Outcomes.ToArray(), data.Treatment.ToArray(), data.Units, Enumerable.Range(first, periods).Select(y => y.ToString()));
    }

    private static XElement[] Labels(XDocument svg) => svg.Descendants(Ns + "text").Where(t => t.Attribute("class")?.Value == "onset-label").ToArray();

    private static XElement[] Rules(XDocument svg) => svg.Descendants(Ns + "line").Where(l => l.Attribute("stroke-dasharray")?.Value == "2 3" && Number(l, "y2") - Number(l, "y1") > 100).ToArray();

    [Fact]
    public void Castle_like_onsets_in_consecutive_years_are_labelled_without_overprinting()
    {
        // Castle Doctrine: 2000–2010, cohorts 2005–2009; the labels "treated from 2005", ... overprinted before issue 17.
        var fit = new DifferenceInDifferences().Estimate(Years(2000, 11, [2005, 2006, 2007, 2008, 2009]));
        var svg = XDocument.Parse(Charts.Trajectory(fit, byCohort: false));
        var labels = Labels(svg);
        labels.Select(l => l.Value).Should().Equal("2005", "2006", "2007", "2008", "2009");
        Rules(svg).Should().HaveCount(5);
        NoOverlaps(labels);
    }

    [Fact]
    public void Dense_onsets_stack_in_rows_and_none_overprints_or_goes_unmarked()
    {
        // 21 cohorts in consecutive years on a 40-year panel: about 14 px apart, less than a label's width.
        var adoptions = Enumerable.Range(1990, 21).ToArray();
        var fit = new DifferenceInDifferences().Estimate(Years(1980, 40, adoptions));
        var svg = XDocument.Parse(Charts.Trajectory(fit, byCohort: false));
        var labels = Labels(svg);
        NoOverlaps(labels);
        labels.Select(l => Number(l, "y")).Distinct().Count().Should().BeGreaterThan(1, "the labels need more than one row");
        Rules(svg).Should().HaveCount(21);
        // A label that found no room is not drawn, but its rule keeps it as a tooltip: every onset is named once.
        var named = labels.Select(l => l.Value).Concat(Rules(svg).Select(r => r.Element(Ns + "title")!.Value)).Distinct();
        named.Should().BeEquivalentTo(adoptions.Select(a => a.ToString()));
        // Each label sits over its own rule.
        foreach (var label in labels)
        {
            var rule = Rules(svg).Single(r => r.Element(Ns + "title")!.Value == label.Value);
            var (left, right, _) = Box(label);
            Number(rule, "x1").Should().BeInRange(left, right);
        }
    }

    [Fact]
    public void Staggered_gap_chart_labels_each_cohorts_onset_in_its_colour_without_overprinting()
    {
        var data = Years(2000, 11, [2005, 2006, 2007, 2008, 2009]);
        var fit = new SyntheticDifferenceInDifferences().Estimate(data);
        var svg = XDocument.Parse(Charts.Gap(fit));
        var labels = Labels(svg);
        labels.Should().HaveCount(5);
        NoOverlaps(labels);
        Lines(svg).Should().HaveCount(5);
        // The label of a cohort has the colour of its gap line.
        foreach (var label in labels)
            Lines(svg, $"cohort {label.Value}").Single().Attribute("stroke")!.Value.Should().Be(label.Attribute("fill")!.Value);
    }

    private static void NoOverlaps(XElement[] labels)
    {
        var boxes = labels.Select(Box).ToArray();
        for (var a = 0; a < boxes.Length; a++)
            for (var b = a + 1; b < boxes.Length; b++)
                Overlap(boxes[a], boxes[b]).Should().BeFalse($"'{labels[a].Value}' and '{labels[b].Value}' must not overprint");
    }
}
