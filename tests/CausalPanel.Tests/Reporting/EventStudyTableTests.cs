using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Reporting;

/// <summary>Event-study tables of results built here (the event-study computation has its own tests).</summary>
public class EventStudyTableTests
{
    private static readonly Lazy<EstimationResult> Fit = new(() =>
        new DifferenceInDifferences().Estimate(RandomPanels.Staggered(3, [-1, -1, -1, -1, -1, -1, 4, 4, 5, 5], 8)));

    private static EventStudyResult Result(double level = 0.9) => new()
    {
        Fit = Fit.Value,
        Method = "Bootstrap",
        Level = level,
        Points =
        [
            new(-3, 0.1234, 0.31, -0.3865, 0.6333, -0.61, 0.86, 4),
            new(-2, -0.0417, 0.28, -0.5023, 0.4189, -0.71, 0.62, 4),
            new(-1, 0.0052, 0.0512, -0.0790, 0.0894, -0.12, 0.13, 4),
            new(0, 2.0131, 0.2214, 1.6489, 2.3773, 1.49, 2.53, 4),
            new(1, 2.4925, 0.3, 1.9991, 2.9859, 1.78, 3.20, 4),
            new(2, 2.9, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 2),
        ],
        PreTrendTest = new PreTrendTest("Joint Wald test that all 3 leads are 0", 2.5, 3, 0.475, "no evidence against parallel pre-trends (p = 0.475)") { DenominatorDegreesOfFreedom = 197 },
        EquivalenceTest = new PreTrendTest("Equivalence test that every lead lies within the bound", 1.9, 3, 0.03, "the leads are within ±0.36 (p = 0.03)"),
        EquivalenceBound = 0.36,
    };

    [Fact]
    public void One_row_per_event_time_with_the_leads_under_their_own_heading_and_the_tests_as_notes()
    {
        var table = EventStudyTable.Of(Result());
        var lines = table.ToString().Split('\n');

        lines[0].Should().MatchRegex(@"^Event time\s+Effect\s+Std\. error\s+90% CI\s+90% uniform band\s+Treated cells$");
        lines[1].Should().StartWith("Leads");
        lines[5].Should().StartWith("Effects");
        // The smallest standard error, 0.0512, to three significant digits needs 4 decimals.
        table.Decimals.Should().Be(4);
        lines[2].Should().MatchRegex(@"^-3\s+0\.1234\s+0\.3100\s+\[-0\.3865, 0\.6333\]\s+\[-0\.6100, 0\.8600\]\s+4$");
        lines[4].Should().MatchRegex(@"^-1\s+0\.0052\s+0\.0512\s");
        lines[6].Should().MatchRegex(@"^0\s+2\.0131\s+0\.2214\s+\[1\.6489, 2\.3773\]\s+\[1\.4900, 2\.5300\]\s+4$");
        lines[8].Should().MatchRegex(@"^2\s+2\.9000\s+—\s+—\s+—\s+2$");

        var notes = lines[9..];
        notes.Should().HaveCount(3);
        notes[0].Should().Contain("DiD event study").And.Contain("Bootstrap standard errors, pointwise 90% intervals and a 90% uniform (sup-t) band");
        notes[1].Should().Be("Joint Wald test that all 3 leads are 0: F = 2.5 (3, 197 df), p = 0.475; no evidence against parallel pre-trends (p = 0.475).");
        notes[2].Should().Contain("Equivalence test").And.EndWith("(bound ±0.36).");
        table.ToString().Should().NotContain("95");
    }

    [Fact]
    public void Html_markdown_and_latex_carry_the_same_rows()
    {
        var table = EventStudyTable.Of(Result(0.95));

        var html = XElement.Parse(table.ToHtml());
        html.Descendants("tr").Should().HaveCount(1 + 2 + 6);   // header, two headings, six event times
        html.Descendants("th").Select(t => t.Value).Should().Contain(["95% CI", "95% uniform band", "-3", "2"]);
        html.Element("caption")!.Value.Should().Contain("Joint Wald test");

        var markdown = table.ToMarkdown().Split('\n').TakeWhile(l => l.StartsWith('|')).ToArray();
        markdown.Should().HaveCount(2 + 2 + 6).And.OnlyContain(r => Regex.Matches(r, @"(?<!\\)\|").Count == 7);
        markdown[2].Should().StartWith("| **Leads (pre-treatment placebo effects)** |");

        var latex = table.ToLatex();
        LatexStructure.Problems(latex).Should().BeEmpty();
        latex.Should().StartWith(@"\begin{tabular}{lrrrrr}").And.Contain(@"\multicolumn{6}{l}{\textit{Leads (pre-treatment placebo effects)}} \\")
            .And.Contain(@"95\% uniform band").And.Contain(@"$-3$ & $0.1234$ & $0.3100$ & $[-0.3865,\ 0.6333]$").And.Contain(@"(bound $\pm$0.36).");
    }

    [Fact]
    public void Csv_has_every_event_time_at_full_precision_and_empty_fields_for_missing_errors()
    {
        var csv = EventStudyTable.Of(Result()).ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        csv[0].Should().Be("event_time,is_lead,effect,std_error,lower,upper,uniform_lower,uniform_upper,treated_cells,level");
        csv[1].Should().Be("-3,true,0.1234,0.31,-0.3865,0.6333,-0.61,0.86,4,0.9");
        csv[6].Should().Be("2,false,2.9,,,,,,2,0.9");
    }

    [Fact]
    public void Without_leads_there_are_no_headings_and_an_empty_study_is_refused()
    {
        var lagsOnly = Result() with { Points = Result().Points.Where(p => !p.IsLead).ToArray(), PreTrendTest = null, EquivalenceTest = null };
        var text = EventStudyTable.Of(lagsOnly).ToString();
        text.Should().NotContain("Leads").And.NotContain("Effects (").And.NotContain("Wald");
        EventStudyTable.Of(lagsOnly).Decimals.Should().Be(3);   // smallest SE 0.2214 → 0.221
        FluentActions.Invoking(() => EventStudyTable.Of(lagsOnly with { Points = [] })).Should().Throw<ArgumentException>().WithMessage("*no event times*");
        text.Split('\n')[1].Should().StartWith("0").And.Contain(2.0131.ToString("F3", CultureInfo.InvariantCulture));
    }
}
