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
    public void A_byte_order_mark_and_a_last_line_without_newline_are_read() =>
        PanelData.ReadCsv(new StringReader("\uFEFFu,t,y,w\r\na,1,1,0\r\na,2,2,1\r\nb,1,1,0\r\nb,2,3,0"), "u", "t", "y", "w").Outcomes[1, 1].Should().Be(3);

    [Fact]
    public void Records_longer_than_the_read_block_are_read_whole()
    {
        var longName = new string('x', 200_000);
        var data = PanelData.ReadCsv(new StringReader($"u,t,y,w\n\"{longName}\",1,1,0\n{longName},2,2,1\nb,1,1,0\nb,2,3,0\n"), "u", "t", "y", "w");
        data.Units.Should().Equal("b", longName);
        data.Treatment[1, 1].Should().BeTrue();
    }

    [Fact]
    public void A_reader_that_hands_out_text_a_few_characters_at_a_time_gives_the_same_panel()
    {
        // Every record then ends past the buffer at some point: inside quotes, between '\r' and '\n', after a doubled quote.
        var csv = "unit,time,y,w\r\n" + string.Concat(Enumerable.Range(0, 30).Select(k =>
            $"\"Korea, \"\"South\"\" {k % 5}\" , {2000 + k / 5} ,{k * 0.5},{(k % 5 == 0 && k / 5 >= 3 ? 1 : 0)}\r\n{(k % 7 == 0 ? "\r\n" : "")}"));
        var whole = PanelData.ReadCsv(new StringReader(csv), "unit", "time", "y", "w");
        var chunked = PanelData.ReadCsv(new Trickle(csv), "unit", "time", "y", "w", options: new PanelReadOptions { Delimiter = ',' });   // no detection: it reads ahead

        chunked.Units.Should().Equal(whole.Units).And.HaveCount(5);
        chunked.Periods.Should().Equal(whole.Periods);
        chunked.Outcomes.ToArray().Should().BeEquivalentTo(whole.Outcomes.ToArray());
        chunked.Treatment.ToArray().Should().BeEquivalentTo(whole.Treatment.ToArray());
        whole.Outcomes[whole.UnitIndex("Korea, \"South\" 3"), 2].Should().Be(6.5);
    }

    /// <summary>A text reader that returns at most three characters per read.</summary>
    private sealed class Trickle(string text) : StringReader(text)
    {
        public override int Read(char[] buffer, int index, int count) => base.Read(buffer, index, Math.Min(count, 3));
    }

    [Fact]
    public void An_unclosed_quote_names_the_line_where_it_opens() =>
        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader("u,t,y,w\na,1,1,0\n\"b,1,2,0\n"), "u", "t", "y", "w"))
            .Should().Throw<InvalidValueException>().WithMessage("CSV line 3*never closed*");
}
