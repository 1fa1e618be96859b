namespace CausalPanel.Tests.Data;

public class CsvTests
{
    [Fact]
    public void Penn_world_table_with_quoted_country_names_gives_111_by_48()
    {
        var data = PanelData.ReadCsv(Path.Combine(AppContext.BaseDirectory, "TestData", "synthdid_penn.csv"),
            unit: "country", time: "year", outcome: "log_gdp", treated: "dem");

        data.UnitCount.Should().Be(111);
        data.PeriodCount.Should().Be(48);
        data.Units.Should().Contain("China, Hong Kong SAR");
        data.Periods[0].Should().Be("1960");
        data.Periods[^1].Should().Be("2007");
        data.IsBalanced.Should().BeTrue();
        data.Pattern.TreatedUnitCount.Should().Be(29);   // data/README: 29 democracies in 2007
        data.Outcomes[data.UnitIndex("Argentina"), 0].Should().Be(9.1359550927466);
    }

    [Fact]
    public void Reads_true_false_numeric_treatment_missing_outcomes_and_normalises_numeric_labels()
    {
        const string csv = """
            id,year,y,d
            2,1955.0,1.5,FALSE
            10,1955.0,2.5,0
            2,1956.0,,true
            10,1956.0,3.5,0.0
            """;
        var act = () => PanelData.ReadCsv(new StringReader(csv), "id", "year", "y", "d");
        act.Should().Throw<UnobservedTreatedCellException>().WithMessage("*'2', '1956'*");

        var data = PanelData.ReadCsv(new StringReader(csv.Replace(",,true", ",NA,false")), "id", "year", "y", "d");
        data.Units.Should().Equal("2", "10");
        data.Periods.Should().Equal("1955", "1956");
        data.Outcomes.IsObserved(0, 1).Should().BeFalse();
    }

    [Fact]
    public void Column_names_match_case_insensitively()
    {
        var data = PanelData.ReadCsv(new StringReader("Unit,Time,Y,W\na,1,1,0\na,2,2,1\nb,1,1,0\nb,2,1,0\n"), "unit", "time", "y", "w");
        data.Treatment.TreatedCount.Should().Be(1);
    }

    [Fact]
    public void Quoted_fields_may_hold_commas_quotes_and_newlines_and_crlf_lines_are_read()
    {
        var csv = "unit,time,y,w\r\n\"Korea, \"\"South\"\"\",1, 2.5 ,0\r\n  \"multi\nline\" ,1,3,0\r\n\r\n\"Korea, \"\"South\"\"\",2,4,1\r\n\"multi\nline\",2,5,0\r\n";
        var data = PanelData.ReadCsv(new StringReader(csv), "unit", "time", "y", "w");
        data.Units.Should().Equal("Korea, \"South\"", "multi\nline");
        data.Outcomes[0, 0].Should().Be(2.5);
        data.Treatment[0, 1].Should().BeTrue();
    }

    [Fact]
    public void An_unclosed_quote_names_the_line_where_it_opens() =>
        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader("u,t,y,w\na,1,1,0\n\"b,1,2,0\n"), "u", "t", "y", "w"))
            .Should().Throw<InvalidValueException>().WithMessage("CSV line 3*never closed*");
}
