using System.Data;

namespace CausalPanel.Tests.Data;

/// <summary>
/// Treatment given as each unit's first treated period (adoption:), as R did's first.treat, fect and Stata sdid users
/// write it: W_it = 1 for t ≥ the unit's adoption period; never treated written as empty, NA, NaN, '.', 0, Inf or a
/// period after the panel; a period before the panel = treated throughout; anything else refused by name.
/// </summary>
public class AdoptionTests
{
    private static PanelData Read(string csv, PanelReadOptions? options = null) =>
        PanelData.ReadCsv(new StringReader(csv), unit: "u", time: "t", outcome: "y", adoption: "g", options: options);

    [Fact]
    public void An_adoption_column_gives_the_treatment_its_definition_implies_and_the_same_panel_as_the_indicator()
    {
        var byAdoption = PanelData.ReadCsv(new StringReader(CountyRows.Csv()), unit: "countyreal", time: "year", outcome: "lemp", adoption: "first.treat");
        var byIndicator = PanelData.ReadCsv(new StringReader(CountyRows.Csv()), unit: "countyreal", time: "year", outcome: "lemp", treated: "d");

        byAdoption.Units.Should().Equal(CountyRows.Ids);
        byAdoption.Periods.Should().Equal("2003", "2004", "2005", "2006", "2007");
        byAdoption.Treatment.ToArray().Should().BeEquivalentTo(CountyRows.Treatment());
        byAdoption.Treatment.ToArray().Should().BeEquivalentTo(byIndicator.Treatment.ToArray());
        byAdoption.Outcomes.ToArray().Should().BeEquivalentTo(byIndicator.Outcomes.ToArray());
        byAdoption.Pattern.Cohorts.Select(c => (c.Period, c.Units.Count)).Should().Equal(("2004", 2), ("2006", 3), ("2007", 2));
        byAdoption.Pattern.NeverTreatedUnits.Should().Equal("1008", "1009", "1010", "1011", "1012");
        byAdoption.Notes.Should().Contain("5 unit(s) are never treated ('first.treat' is '0'): '1008', '1009', '1010' and 2 more.");
    }

    [Fact]
    public void Never_treated_codes_and_periods_outside_the_panel_are_read_as_did_users_expect()
    {
        // Periods 2001–2004. Units a–g write "never" in seven ways; h adopts after the panel, i before it, j in 2003.
        var codes = new[] { ("a", ""), ("b", "NA"), ("c", "NaN"), ("d", "."), ("e", "0"), ("f", "Inf"), ("g", "inf"), ("h", "2010"), ("i", "1999"), ("j", "2003") };
        var csv = "u,t,y,g\n" + string.Concat(codes.SelectMany(c => Enumerable.Range(2001, 4).Select(t => $"{c.Item1},{t},{t - 2000},{c.Item2}\n")));
        var data = Read(csv);

        data.Pattern.NeverTreatedUnits.Should().Equal("a", "b", "c", "d", "e", "f", "g", "h");
        data.Treatment.Row(data.UnitIndex("i")).ToArray().Should().Equal(true, true, true, true);
        data.Treatment.Row(data.UnitIndex("j")).ToArray().Should().Equal(false, false, true, true);
        data.Notes.Should().Contain("1 unit(s) adopt after the panel's last period and are counted as never treated: 'h' (2010).")
            .And.Contain(n => n.StartsWith("1 unit(s) adopt before the panel's first period and are treated in every period", StringComparison.Ordinal) && n.EndsWith("'i' (1999).", StringComparison.Ordinal))
            .And.Contain(n => n.StartsWith("7 unit(s) are never treated ('g' is empty or 'NA' or 'NaN' or '.')", StringComparison.Ordinal));
        data.Describe().Should().Contain("'h' (2010)");
        data.ToString().Should().Be(data.Describe());

        // A unit treated from before the panel has no pre-period: the estimators refuse it by name.
        FluentActions.Invoking(() => new DifferenceInDifferences().Estimate(data)).Should().Throw<NoPreTreatmentPeriodException>().Which.Units.Should().Equal("i");
    }

    [Fact]
    public void An_unobserved_cell_after_adoption_is_unobserved_not_treated()
    {
        var data = Read("u,t,y,g\na,1,1,2\na,2,NA,2\na,3,3,2\nb,1,1,0\nb,2,2,0\nb,3,3,0\n");
        data.Treatment.Row(0).ToArray().Should().Equal(false, false, true);
        data.Outcomes.IsObserved(0, 1).Should().BeFalse();
    }

    [Fact]
    public void An_adoption_value_that_is_not_a_period_is_refused_naming_unit_line_and_value()
    {
        const string header = "u,t,y,g\na,2003,1,0\na,2005,1,0\na,2007,1,0\n";
        FluentActions.Invoking(() => Read(header + "b,2003,1,2004\nb,2005,1,2004\nb,2007,1,2004\n"))
            .Should().Throw<InvalidAdoptionValueException>()
            .WithMessage("CSV line 5: adoption column 'g' holds '2004' for unit 'b', which falls between the periods '2003' and '2005'*Give each unit's first treated period as one of the panel's periods*")
            .Which.Units.Should().Equal("b");
        FluentActions.Invoking(() => Read(header + "b,2003,1,2005Q2\nb,2005,1,2005Q2\nb,2007,1,2005Q2\n"))
            .Should().Throw<InvalidAdoptionValueException>().WithMessage("CSV line 5*'2005Q2'*cannot be read as a period of this panel (its periods are numbers)*never-treated code*");
    }

    [Fact]
    public void Two_adoption_periods_for_one_unit_are_refused_naming_both()
    {
        var act = () => Read("u,t,y,g\na,1,1,0\na,2,1,0\nb,1,1,2\nb,2,1,1\n");
        act.Should().Throw<InconsistentAdoptionException>()
            .WithMessage("Unit 'b' has two adoption periods in column 'g': '2' on CSV line 4 and '1' on CSV line 5*adopts once*")
            .Which.Units.Should().Equal("b");
        // Two spellings of never treated are one adoption.
        Read("u,t,y,g\na,1,1,0\na,2,1,NA\nb,1,1,2\nb,2,1,2\n").Pattern.NeverTreatedUnits.Should().Equal("a");
    }

    [Fact]
    public void A_never_treated_code_that_is_also_a_period_is_refused_until_the_codes_say_otherwise()
    {
        const string csv = "u,t,y,g\na,0,1,0\na,1,2,0\nb,0,1,NA\nb,1,3,NA\n";
        FluentActions.Invoking(() => Read(csv)).Should().Throw<InvalidAdoptionValueException>()
            .WithMessage("CSV line 2*'0' for unit 'a', which is both a never-treated code and a period of the panel*NeverTreatedCodes*");

        var data = Read(csv, new PanelReadOptions { NeverTreatedCodes = ["", "NA"] });
        data.Treatment.Row(data.UnitIndex("a")).ToArray().Should().Equal(true, true);
        data.Pattern.NeverTreatedUnits.Should().Equal("b");
    }

    [Fact]
    public void Adoption_values_are_compared_with_the_periods_in_their_own_domain()
    {
        // Quarters written one way in the period column and another in the adoption column.
        var quarters = "u,t,y,g\n" + string.Concat(new[] { ("a", "Q3 2001"), ("b", "NA") }.SelectMany(u =>
            new[] { "2001Q1", "2001Q2", "2001Q3", "2001Q4", "2002Q1" }.Select(q => $"{u.Item1},{q},1,{u.Item2}\n")));
        var byQuarter = Read(quarters);
        byQuarter.PeriodOrdering.Should().Be(PeriodOrdering.Quarterly);
        byQuarter.Pattern.Cohorts.Single().Period.Should().Be("2001Q3");

        // Typed dates with a typed adoption date, and numbers: an int year matches a double 2004.0.
        var start = new DateTime(2020, 1, 1);
        var days = Enumerable.Range(0, 4).SelectMany(d => new[] { ("x", start.AddMonths(d), (object?)start.AddMonths(2)), ("y", start.AddMonths(d), null) });
        var byDate = PanelData.FromLong(days, r => r.Item1, r => r.Item2, _ => 1.0, adoption: r => r.Item3);
        byDate.PeriodOrdering.Should().Be(PeriodOrdering.Chronological);
        byDate.Pattern.Cohorts.Single().Period.Should().Be("2020-03-01");
        var years = new[] { 2003, 2004, 2005 }.SelectMany(t => new[] { ("x", t, (object)2004.0), ("y", t, double.PositiveInfinity) });
        PanelData.FromLong(years, r => r.Item1, r => r.Item2, _ => 1.0, adoption: r => r.Item3).Pattern.Cohorts.Single().Period.Should().Be("2004");
    }

    [Fact]
    public void Exactly_one_of_treated_and_adoption_is_given()
    {
        var csv = CountyRows.Csv();
        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader(csv), "countyreal", "year", "lemp"))
            .Should().Throw<ArgumentException>().WithMessage("Name the treatment: treated: a 0/1 column, or adoption: *");
        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader(csv), "countyreal", "year", "lemp", treated: "d", adoption: "first.treat"))
            .Should().Throw<ArgumentException>().WithMessage("Give either treated: ('d', a 0/1 column) or adoption: ('first.treat', *not both*");
        using var reader = new DataTable { Columns = { "u", "t", "y" } }.CreateDataReader();
        FluentActions.Invoking(() => PanelData.FromDataReader(reader, "u", "t", "y")).Should().Throw<ArgumentException>().WithMessage("Name the treatment*");
    }

    [Fact]
    public void FromLong_takes_adoption_and_named_covariate_selectors_from_plain_lambdas()
    {
        var rows = CountyRows.Rows(shuffled: true);
        var fromRows = PanelData.FromLong(rows, r => r.Id, r => r.Year, r => r.Lemp, adoption: r => r.FirstTreat, covariates: [("lpop", r => r.Lpop)]);
        var fromCsv = PanelData.ReadCsv(new StringReader(CountyRows.Csv()), "countyreal", "year", "lemp", adoption: "first.treat", covariates: ["lpop"]);

        fromRows.Units.Should().Equal(fromCsv.Units);
        fromRows.Periods.Should().Equal(fromCsv.Periods);
        fromRows.Treatment.ToArray().Should().BeEquivalentTo(CountyRows.Treatment());
        fromRows.Outcomes.ToArray().Should().BeEquivalentTo(fromCsv.Outcomes.ToArray());
        fromRows.Covariates["lpop"].ToArray().Should().BeEquivalentTo(fromCsv.Covariates["lpop"].ToArray());
        PanelData.FromLong(rows, r => r.Id, r => r.Year, r => r.Lemp, treated: r => r.FirstTreat > 0 && r.Year >= r.FirstTreat, covariates: [("lpop", r => r.Lpop)])
            .Treatment.ToArray().Should().BeEquivalentTo(CountyRows.Treatment());
    }

    [Fact]
    public void A_missing_treatment_is_untreated_on_never_treated_units_and_refused_on_treated_ones()
    {
        var data = PanelData.ReadCsv(new StringReader("u,t,y,w\na,1,1,0\na,2,1,1\nb,1,1,NA\nb,2,2,\n"), "u", "t", "y", "w");
        data.Pattern.NeverTreatedUnits.Should().Equal("b");
        data.Notes.Should().Contain("2 row(s) of never-treated units have no treatment value (empty, NA or NaN in 'w') and are read as untreated.");

        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader("u,t,y,w\na,1,1,NA\na,2,1,1\nb,1,1,0\nb,2,2,0\n"), "u", "t", "y", "w"))
            .Should().Throw<InvalidTreatmentValueException>()
            .WithMessage("CSV line 2: treatment column 'w' is missing (empty, NA or NaN) for unit 'a' in period '1', but the unit is treated in period '2'*give 0 or 1 on every row of a treated unit*")
            .Which.Periods.Should().Equal("1");
    }

    [Fact]
    public void A_treatment_column_of_years_suggests_adoption() =>
        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader(CountyRows.Csv()), "countyreal", "year", "lemp", treated: "first.treat"))
            .Should().Throw<InvalidTreatmentValueException>().WithMessage("CSV line 2*'first.treat' holds '2004'*pass it as adoption: instead of treated:*");
}
