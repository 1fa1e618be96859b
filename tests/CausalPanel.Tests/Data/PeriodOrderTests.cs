using System.Globalization;
using System.Text;

namespace CausalPanel.Tests.Data;

/// <summary>
/// Periods in their time order or a loud refusal: quarters, months and day-first dates recognised; an explicit order
/// taken; text of no known form ordered as text but recorded, and said in the messages about switching treatment.
/// Unit ids keep their text.
/// </summary>
public class PeriodOrderTests
{
    /// <summary>A long CSV (u, t, y, w) with the given period labels in time order, written in scrambled row order; unit "a" treated from <paramref name="adoption"/> on.</summary>
    private static string Csv(IReadOnlyList<string> periods, int adoption, int units = 3)
    {
        var sb = new StringBuilder("u,t,y,w\n");
        for (var k = 0; k < periods.Count; k++)
        {
            var s = k * 7 % periods.Count;   // 7 is coprime with the lengths used: every period once, out of order
            for (var i = 0; i < units; i++)
                sb.Append(CultureInfo.InvariantCulture, $"{(char)('a' + i)},\"{periods[s]}\",{i + 0.1 * s},{(i == 0 && s >= adoption ? 1 : 0)}\n");
        }
        return sb.ToString();
    }

    private static PanelData Read(string csv, PanelReadOptions? options = null) =>
        PanelData.ReadCsv(new StringReader(csv), "u", "t", "y", "w", options: options);

    private static string[] Quarters(Func<int, int, string> label) =>
        Enumerable.Range(2001, 10).SelectMany(y => Enumerable.Range(1, 4).Select(q => label(y, q))).ToArray();

    [Fact]
    public void A_quarterly_panel_labelled_Q1_2001_to_Q4_2010_is_a_block_design_with_the_right_T0()
    {
        var quarters = Quarters((y, q) => $"Q{q} {y}");
        var data = Read(Csv(quarters, adoption: 18));   // treated from Q3 2005: 4·4 + 2 = 18 quarters before

        data.Periods.Should().Equal(quarters);
        data.PeriodOrdering.Should().Be(PeriodOrdering.Quarterly);
        data.Pattern.Design.Should().Be(TreatmentDesign.Block);
        data.Pattern.PrePeriodCount.Should().Be(18);
        data.Pattern.Cohorts.Single().Period.Should().Be("Q3 2005");
        data.Notes.Should().Contain("Periods read as quarters ('Q1 2001', 'Q2 2001', 'Q3 2001' and 37 more) and ordered in time.");
    }

    [Theory]
    [InlineData("{0}Q{1}")]
    [InlineData("{0}-Q{1}")]
    [InlineData("{0} Q{1}")]
    [InlineData("{0}q{1}")]
    [InlineData("Q{1}-{0}")]
    [InlineData("q{1} {0}")]
    [InlineData("Q{1}{0}")] // Q42010, as in causaldata's organ_donations (Kessler and Roth 2014)
    public void Quarters_in_any_common_form_are_ordered_in_time(string form)
    {
        var quarters = Quarters((y, q) => string.Format(CultureInfo.InvariantCulture, form, y, q));
        var data = Read(Csv(quarters, adoption: 30));
        data.Periods.Should().Equal(quarters);
        data.PeriodOrdering.Should().Be(PeriodOrdering.Quarterly);
    }

    [Theory]
    [InlineData("MMM yyyy")]
    [InlineData("MMMM yyyy")]
    [InlineData("yyyy-MMM")]
    [InlineData("yyyy-MM")]
    [InlineData("yyyy'M'MM")]
    [InlineData("MM/yyyy")]
    public void Months_by_name_or_number_are_ordered_in_time(string format)
    {
        var months = Enumerable.Range(0, 29).Select(m => new DateTime(2001, 1, 1).AddMonths(m).ToString(format, CultureInfo.InvariantCulture)).ToArray();
        var data = Read(Csv(months, adoption: 20));
        data.Periods.Should().Equal(months);
        data.PeriodOrdering.Should().Be(PeriodOrdering.Monthly);
        data.Pattern.Design.Should().Be(TreatmentDesign.Block);
    }

    [Fact]
    public void Day_first_dates_are_read_day_first_when_a_day_exceeds_12()
    {
        // Every 10 days from 1 January 2001: as text they would sort by day (01/01, 02/03, 10/02, ...).
        var dates = Enumerable.Range(0, 12).Select(k => new DateTime(2001, 1, 1).AddDays(10 * k).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)).ToArray();
        var data = Read(Csv(dates, adoption: 5));

        data.Periods.Should().Equal(dates);
        data.PeriodOrdering.Should().Be(PeriodOrdering.Chronological);
        data.Pattern.Design.Should().Be(TreatmentDesign.Block);
        data.Notes.Should().Contain(n => n.StartsWith("Periods read as dates, day first (dd/MM/yyyy: '21/01/2001' is no date month first)", StringComparison.Ordinal));
    }

    [Fact]
    public void Dates_that_read_both_ways_in_different_orders_are_refused_until_the_format_is_given()
    {
        string[] dates = ["01/02/2001", "02/01/2001", "03/01/2001", "04/01/2001"];   // day first: 1 Feb, 2 Jan, 3 Jan, 4 Jan
        FluentActions.Invoking(() => Read(Csv(dates, adoption: 2)))
            .Should().Throw<AmbiguousPeriodOrderException>()
            .WithMessage("The period labels are dates that read both day first and month first*order them differently*PeriodFormat = \"dd/MM/yyyy\"*PeriodOrder*yyyy-MM-dd*");

        var dayFirst = Read(Csv(dates, adoption: 2), new PanelReadOptions { PeriodFormat = "dd/MM/yyyy" });
        dayFirst.Periods.Should().Equal("02/01/2001", "03/01/2001", "04/01/2001", "01/02/2001");
        dayFirst.PeriodOrdering.Should().Be(PeriodOrdering.Chronological);
        Read(Csv(dates, adoption: 2), new PanelReadOptions { PeriodFormat = "MM/dd/yyyy" }).Periods.Should().Equal(dates);

        // These order alike both ways (1, 3, 5 January or 1 January, March, May): read; but an adoption value the two
        // readings place differently (2 January, between the first two, or 1 February, after the last) is refused.
        string AdoptionCsv(string g) => "u,t,y,g\n" + string.Concat(new[] { "01/01/2001", "01/03/2001", "01/05/2001" }.SelectMany(t => new[] { $"a,{t},1,{g}\n", $"b,{t},2,0\n" }));
        var alike = PanelData.ReadCsv(new StringReader(AdoptionCsv("01/03/2001")), "u", "t", "y", adoption: "g");
        alike.Periods.Should().Equal("01/01/2001", "01/03/2001", "01/05/2001");
        alike.Pattern.Cohorts.Single().Period.Should().Be("01/03/2001");
        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader(AdoptionCsv("02/01/2001")), "u", "t", "y", adoption: "g"))
            .Should().Throw<AmbiguousPeriodOrderException>().WithMessage("'02/01/2001' falls among the periods differently read as a day-first date and as a month-first date*PeriodFormat*");
    }

    [Fact]
    public void An_order_given_as_a_list_or_a_comparer_is_used_and_recorded()
    {
        string[] seasons = ["spring 2001", "summer 2001", "autumn 2001", "winter 2001", "spring 2002"];
        var csv = Csv(seasons, adoption: 3);

        var listed = Read(csv, new PanelReadOptions { PeriodOrder = seasons });
        listed.Periods.Should().Equal(seasons);
        listed.PeriodOrdering.Should().Be(PeriodOrdering.Given);
        listed.Pattern.Design.Should().Be(TreatmentDesign.Block);

        var byComparer = Read(csv, new PanelReadOptions { PeriodComparer = Comparer<string>.Create((a, b) => Array.IndexOf(seasons, a).CompareTo(Array.IndexOf(seasons, b))) });
        byComparer.Periods.Should().Equal(seasons);

        FluentActions.Invoking(() => Read(csv, new PanelReadOptions { PeriodOrder = seasons[..4] }))
            .Should().Throw<InvalidValueException>().WithMessage("CSV line *: period 'spring 2002' is not in PanelReadOptions.PeriodOrder*");
        FluentActions.Invoking(() => Read(csv, new PanelReadOptions { PeriodOrder = seasons, PeriodFormat = "yyyy" }))
            .Should().Throw<ArgumentException>().WithMessage("Give at most one of PanelReadOptions.PeriodOrder, PeriodComparer and PeriodFormat.*");
    }

    [Fact]
    public void Text_periods_are_recorded_and_switching_they_cause_is_explained_where_it_is_reported()
    {
        // Seasons sorted as text: autumn, spring, summer, winter... An absorbing treatment from autumn 2001 then looks like switching.
        string[] seasons = ["spring 2001", "summer 2001", "autumn 2001", "winter 2001", "spring 2002", "summer 2002"];
        var data = Read(Csv(seasons, adoption: 2, units: 4));

        data.PeriodOrdering.Should().Be(PeriodOrdering.Text);
        data.Pattern.Design.Should().Be(TreatmentDesign.General);
        data.Notes.Should().Contain(n => n.StartsWith("Periods ordered as text ('autumn 2001', 'spring 2001', 'spring 2002' and 3 more)", StringComparison.Ordinal) && n.Contains("PeriodOrder", StringComparison.Ordinal));
        const string caveat = "*ordered as text ('autumn 2001', 'spring 2001', 'spring 2002' and 3 more)*switching may come from a wrong period order*PanelReadOptions { PeriodOrder = [...] }*";
        data.Describe().Should().Match("*switch treatment off*" + caveat);
        FluentActions.Invoking(() => new SyntheticDifferenceInDifferences().Estimate(data))
            .Should().Throw<UnsupportedTreatmentPatternException>().WithMessage("*switch treatment off*Use MatrixCompletion or DoublyWeightedCausalPanel*" + caveat);
        new DifferenceInDifferences().Estimate(data).WithVariance(new BootstrapVariance { Replications = 10 }).UndefinedReason.Should().Match("*design (units*switch)*" + caveat);

        // Read in its real order the same file is a block design; numeric or dated periods carry no caveat.
        Read(Csv(seasons, adoption: 2, units: 4), new PanelReadOptions { PeriodOrder = seasons }).Pattern.Design.Should().Be(TreatmentDesign.Block);
        Support.PatternPanels.Parse("0000 0101 0000").Describe().Should().NotContain("period order");
    }

    [Fact]
    public void Unit_ids_keep_their_text_and_are_ordered_numerically()
    {
        var data = Read("u,t,y,w\n01,1,1,0\n1,1,2,0\n10,1,3,0\n2,1,4,0\n01,2,1,0\n1,2,2,1\n10,2,3,0\n2,2,4,0\n");
        data.Units.Should().Equal("01", "1", "2", "10");
        data.Treatment[1, 1].Should().BeTrue();
        data.Outcomes[0, 1].Should().Be(1);
    }

    [Fact]
    public void Two_spellings_of_one_period_number_are_refused_not_merged()
    {
        var act = () => Read("u,t,y,w\na,01,1,0\na,2,2,0\nb,1,1,0\nb,2,2,1\n");
        act.Should().Throw<DuplicateLabelException>()
            .WithMessage("The period labels '01' (CSV line 2) and '1' (CSV line 4) are the same number, so they would merge into one period*Write each period one way*")
            .Which.Periods.Should().Equal("01", "1");
        Read("u,t,y,w\na,1955.0,1,0\na,1956.0,2,0\nb,1955.0,1,0\nb,1956.0,2,1\n").Periods.Should().Equal("1955", "1956");
        FluentActions.Invoking(() => Read("u,t,y,w\na,1955,1,0\na,NA,2,0\n")).Should().Throw<InvalidValueException>()
            .WithMessage("CSV line 3: column 't' holds 'NA', a missing value. Every row needs a period*");   // not a period labelled "NA"
    }
}
