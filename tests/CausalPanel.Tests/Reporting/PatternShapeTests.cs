using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using static CausalPanel.Tests.Reporting.SvgReading;

namespace CausalPanel.Tests.Reporting;

public class PatternShapeTests
{
    private const string Treated = "#D55E00", Untreated = "#E8EEF4";

    /// <summary>mpdta's shape: 500 counties × 2003–2007; 309 never treated, cohorts 2004 (20), 2006 (40), 2007 (131).</summary>
    private static PanelData Counties()
    {
        var adoption = Enumerable.Repeat(-1, 309).Concat(Enumerable.Repeat(1, 20)).Concat(Enumerable.Repeat(3, 40)).Concat(Enumerable.Repeat(4, 131)).ToArray();
        var random = Support.RandomPanels.Staggered(17, [.. adoption.OrderBy(a => a * 7919 % 13)], periods: 5);   // cohorts interleaved in the rows
        return PanelData.FromMatrices(random.Outcomes.ToArray(), random.Treatment.ToArray(), periods: Enumerable.Range(2003, 5).Select(y => y.ToString()));
    }

    /// <summary>The cell rectangles of the plot (not the legend swatches), with their row (y) and horizontal extent.</summary>
    private static XElement[] Cells(XDocument svg) =>
        svg.Descendants(Ns + "rect").Where(r => r.Parent!.Name == Ns + "svg" && r.Attribute("y") is not null && Number(r, "height") > 12.5).ToArray();

    [Fact]
    public void Five_hundred_units_over_five_periods_are_banded_by_cohort_with_their_counts()
    {
        var data = Counties();
        var svg = XDocument.Parse(Charts.Pattern(data));
        var cells = Cells(svg);
        var rows = cells.GroupBy(c => Number(c, "y")).OrderBy(g => g.Key).ToArray();
        rows.Should().HaveCount(data.Pattern.Cohorts.Count + 1);                     // three cohorts and the never-treated
        var labels = Texts(svg).Where(t => t.EndsWith(" units)", StringComparison.Ordinal)).ToArray();
        labels.Should().Equal("treated from 2004 (20 units)", "treated from 2006 (40 units)", "treated from 2007 (131 units)", "never treated (309 units)");
        // Each band is treated exactly from its cohort's adoption on: its treated width over the column width.
        var column = (cells.Max(c => Number(c, "x") + Number(c, "width")) - cells.Min(c => Number(c, "x"))) / 5;
        double TreatedColumns(IEnumerable<XElement> row) => row.Where(c => c.Attribute("fill")!.Value == Treated).Sum(c => Number(c, "width")) / column;
        rows.Select(TreatedColumns).Should().Equal(4, 2, 1, 0);
        // Readable: bands at least 16 px high, columns wider than high.
        Number(cells[0], "height").Should().BeGreaterThanOrEqualTo(16);
        column.Should().BeGreaterThan(Number(cells[0], "height"));
        Number(svg.Root!, "height").Should().BeLessThan(400);

        var units = XDocument.Parse(Charts.Pattern(data, byHistory: false)).Descendants(Ns + "rect")
            .Where(r => r.Attribute("y") is not null && Number(r, "height") < 12 && r.Attribute("fill")!.Value is Treated or Untreated);
        units.Select(c => Number(c, "y")).Distinct().Should().HaveCount(500);
    }

    [Fact]
    public void Five_units_over_five_hundred_periods_get_thin_columns_readable_rows_and_thinned_period_labels()
    {
        int n = 5, t = 500;
        var w = new bool[n, t];
        for (var i = 3; i < n; i++)
            for (var s = 300 + 50 * (i - 3); s < t; s++) w[i, s] = true;
        var data = Support.RandomPanels.WithTreatment(2, w);
        var svg = XDocument.Parse(Charts.Pattern(data));
        var cells = Cells(svg);
        var rows = cells.GroupBy(c => Number(c, "y")).ToArray();
        rows.Should().HaveCount(5);
        Number(cells[0], "height").Should().BeGreaterThanOrEqualTo(16);             // rows tall enough to read and label
        var plotWidth = rows[0].Sum(c => Number(c, "width"));
        plotWidth.Should().BeInRange(500, 1000);                                     // thin columns, not a 5 × 500 sliver of squares
        // Every cell is covered by its kind: 200 + 150 treated cells.
        cells.Where(c => c.Attribute("fill")!.Value == Treated).Sum(c => Number(c, "width")).Should().BeApproximately(350 * plotWidth / t, 0.1);
        cells.Where(c => c.Attribute("fill")!.Value == Untreated).Sum(c => Number(c, "width")).Should().BeApproximately((5 * t - 350) * plotWidth / t, 0.1);
        Texts(svg).Should().Contain(Enumerable.Range(1, 5).Select(i => i.ToString(CultureInfo.InvariantCulture)));   // unit labels
        // Period labels: thinned, and none overprints another.
        var periodLabels = svg.Descendants(Ns + "text").Where(x => x.Attribute("text-anchor")?.Value == "middle" && int.TryParse(x.Value, out _) && Number(x, "y") > Number(cells[0], "y") + 100).ToArray();
        periodLabels.Length.Should().BeInRange(5, 60);
        var boxes = periodLabels.Select(Box).ToArray();
        for (var k = 1; k < boxes.Length; k++) boxes[k].Left.Should().BeGreaterThan(boxes[k - 1].Right);
    }

    [Fact]
    public void Unobserved_cells_of_some_units_in_a_band_are_marked_and_counted()
    {
        var data = Support.RandomPanels.Staggered(5, [.. Enumerable.Repeat(-1, 50), .. Enumerable.Repeat(3, 30)], periods: 6, missingShare: 0.05);
        var svg = XDocument.Parse(Charts.Pattern(data));
        Cells(svg).GroupBy(c => Number(c, "y")).Should().HaveCount(2);
        Texts(svg).Should().Contain("untreated, some units unobserved");
        // The tooltips count every unobserved cell once.
        var counted = svg.Descendants(Ns + "title").Select(x => System.Text.RegularExpressions.Regex.Match(x.Value, @", (\d+)(?:–(\d+))?: \d+ treated, (\d+) unobserved$"))
            .Sum(m => (m.Groups[2].Success ? int.Parse(m.Groups[2].Value) - int.Parse(m.Groups[1].Value) + 1 : 1) * int.Parse(m.Groups[3].Value));
        counted.Should().Be(data.Outcomes.UnobservedCount);
    }

    [Fact]
    public void The_Vega_Lite_pattern_has_one_record_per_band_and_period()
    {
        var data = Counties();
        var spec = JsonDocument.Parse(VegaLite.Pattern(data)).RootElement;
        var values = spec.GetProperty("data").GetProperty("values").EnumerateArray().ToArray();
        values.Should().HaveCount(4 * 5);
        values.Where(v => v.GetProperty("cell").GetString() == "treated").Sum(v => v.GetProperty("treated").GetInt32()).Should().Be(data.Treatment.TreatedCount);
        values.Select(v => v.GetProperty("units").GetInt32()).Distinct().Order().Should().Equal(20, 40, 131, 309);
    }
}
