using System.Globalization;
using System.Text;

namespace CausalPanel.Cli.Tests;

/// <summary>Bad data gives the library's named message and exit code 1; a bad command line gives exit code 2.</summary>
public sealed class ExitCodeTests
{
    [Fact]
    public void A_wrong_column_gives_the_librarys_MissingColumnException_message_and_exit_code_1()
    {
        var run = Tool.Run("estimate", Tool.California, "--unit", "State", "--time", "Year", "--outcome", "packs", "--treated", "treated");

        var library = FluentActions.Invoking(() => PanelData.ReadCsv(Tool.California, "State", "Year", "packs", treated: "treated"))
            .Should().Throw<MissingColumnException>().Which.Message;
        run.Code.Should().Be(1);
        run.Error.Should().Contain("MissingColumnException").And.Contain(library).And.Contain("'packs'");
        run.Out.Should().BeEmpty();
    }

    [Fact]
    public void A_non_binary_treatment_gives_the_librarys_InvalidTreatmentValueException_message_and_exit_code_1()
    {
        var path = Write("u,t,y,w\na,1,1.0,0\na,2,2.0,0\nb,1,1.5,0\nb,2,2.5,2\nc,1,0.5,0\nc,2,1.0,0\n");
        var run = Tool.Run("estimate", path, "-u", "u", "-t", "t", "-y", "y", "-w", "w");

        var library = FluentActions.Invoking(() => PanelData.ReadCsv(path, "u", "t", "y", treated: "w"))
            .Should().Throw<InvalidTreatmentValueException>().Which.Message;
        run.Code.Should().Be(1);
        run.Error.Should().Contain("InvalidTreatmentValueException").And.Contain(library);
        library.Should().Contain("CSV line 5").And.Contain("holds '2'").And.Contain("unit 'b'");
    }

    [Fact]
    public void Text_periods_in_the_wrong_order_give_the_estimators_message_naming_the_order_and_exit_code_1_until_the_order_is_given()
    {
        // Seasons sort as text as autumn, spring, summer, winter: an absorbing treatment from autumn 2001 then switches off.
        string[] seasons = ["spring 2001", "summer 2001", "autumn 2001", "winter 2001", "spring 2002", "summer 2002"];
        var sb = new StringBuilder("unit,season,y,w\n");
        for (var i = 0; i < 5; i++)
            for (var s = 0; s < seasons.Length; s++)
                sb.Append(CultureInfo.InvariantCulture, $"u{i},{seasons[s]},{i + 0.3 * s + 0.01 * (s * s % 5)},{(i == 0 && s >= 2 ? 1 : 0)}\n");
        var path = Write(sb.ToString());
        string[] columns = ["-u", "unit", "-t", "season", "-y", "y", "-w", "w"];

        var run = Tool.Run(["estimate", path, .. columns, "-e", "sdid"]);

        var data = PanelData.ReadCsv(path, "unit", "season", "y", treated: "w");
        var library = FluentActions.Invoking(() => new SyntheticDifferenceInDifferences().Estimate(data))
            .Should().Throw<UnsupportedTreatmentPatternException>().Which.Message;
        run.Code.Should().Be(1);
        run.Error.Should().Contain("UnsupportedTreatmentPatternException").And.Contain(library);
        library.Should().Contain("ordered as text").And.Contain("PeriodOrder");

        var ordered = Tool.Run(["estimate", path, .. columns, "-e", "sdid", "--period-order", string.Join(",", seasons), "--json"]);
        ordered.Code.Should().Be(0, ordered.Error);
        ordered.Json.GetProperty("panel").GetProperty("design").GetString().Should().Be("Block");
    }

    [Fact]
    public void An_estimator_refusing_the_panel_is_named_before_the_librarys_message()
    {
        // The 2006 cohort of the staggered file has 5 pre-periods (2001–2005); 5 periods of anticipation leave it none: refused by name.
        var run = Tool.Run(["estimate", Tool.Staggered, .. Tool.StaggeredColumns, "-e", "sdid", "--anticipation", "5"]);

        run.Code.Should().Be(1);
        run.Error.Should().Contain("SDID cannot estimate this panel").And.Contain("NoPreTreatmentPeriodException");
    }

    [Theory]
    [InlineData("estimate", "{0}", "--unit", "State", "--time", "Year", "--outcome", "PacksPerCapita")]                                   // no treatment
    [InlineData("estimate", "{0}", "--unit", "State", "--time", "Year", "--outcome", "PacksPerCapita", "--treated", "treated", "--adoption", "treated")]
    [InlineData("estimate", "{0}", "--time", "Year", "--outcome", "PacksPerCapita", "--treated", "treated")]                              // no unit
    [InlineData("estimate", "{0}", "-u", "State", "-t", "Year", "-y", "PacksPerCapita", "-w", "treated", "--no-such-option")]
    [InlineData("estimate", "{0}", "-u", "State", "-t", "Year", "-y", "PacksPerCapita", "-w", "treated", "-e", "ols")]
    [InlineData("estimate", "{0}", "-u", "State", "-t", "Year", "-y", "PacksPerCapita", "-w", "treated", "--se", "robust")]
    [InlineData("estimate", "{0}", "-u", "State", "-t", "Year", "-y", "PacksPerCapita", "-w", "treated", "--se", "placebo", "-r", "1")]
    [InlineData("estimate", "no-such-file.csv", "-u", "State", "-t", "Year", "-y", "PacksPerCapita", "-w", "treated")]
    [InlineData("estimate", "--sql", "SELECT * FROM no_such_table", "-u", "State", "-t", "Year", "-y", "PacksPerCapita", "-w", "treated")]
    [InlineData("compare", "{0}", "-u", "State", "-t", "Year", "-y", "PacksPerCapita", "-w", "treated", "--designs", "fitted,lucky")]
    [InlineData("compare-se", "{0}", "-u", "State", "-t", "Year", "-y", "PacksPerCapita", "-w", "treated", "--se", "placebo,robust")]
    [InlineData("compare-se", "{0}", "-u", "State", "-t", "Year", "-y", "PacksPerCapita", "-w", "treated", "--se", "placebo,placebo")]
    [InlineData("compare-se", "{0}", "-u", "State", "-t", "Year", "-y", "PacksPerCapita", "-w", "treated", "--effects", "5,0")]
    [InlineData("compare-se", "{0}", "-u", "State", "-t", "Year", "-y", "PacksPerCapita", "-w", "treated", "--heteroskedasticity", "states")]
    [InlineData("compare-se", "{0}", "-u", "State", "-t", "Year", "-y", "PacksPerCapita", "-w", "treated", "--assignment", "lucky")]
    [InlineData("compare-se", "{0}", "-u", "State", "-t", "Year", "-y", "PacksPerCapita", "-w", "treated", "--treated-units", "39")]
    [InlineData("frobnicate")]
    public void A_wrong_command_line_gives_exit_code_2_and_says_what_to_give(params string[] args)
    {
        var run = Tool.Run(args.Select(a => string.Format(CultureInfo.InvariantCulture, a, Tool.California)).ToArray());

        run.Code.Should().Be(2, run.Out + run.Error);
        run.Error.Should().Contain("causalpanel: ");
    }

    [Theory]
    [InlineData("describe")]
    [InlineData("estimate")]
    [InlineData("event-study")]
    [InlineData("compare")]
    [InlineData("compare-se")]
    [InlineData("simulate")]
    public void Every_command_has_help_with_an_example(string command)
    {
        var run = Tool.Run(command, "--help");

        run.Code.Should().Be(0);
        run.Out.Should().Contain("EXAMPLES:").And.Contain($"causalpanel {command} ");
        run.Out.Should().NotContain("\u001b");
    }

    private static string Write(string csv)
    {
        var path = Path.Combine(Tool.TempFolder(), "panel.csv");
        File.WriteAllText(path, csv);
        return path;
    }
}
