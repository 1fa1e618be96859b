using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CausalPanel.Cli.Tests;

public sealed class EstimateTests
{
    private static readonly PanelData California = PanelData.ReadCsv(Tool.California, "State", "Year", "PacksPerCapita", treated: "treated");

    [Fact]
    public void The_printed_SDID_ATT_equals_the_librarys_and_R_synthdids_to_the_printed_digits()
    {
        var run = Tool.Run(["estimate", Tool.California, .. Tool.CaliforniaColumns, "--estimators", "did,sc,sdid", "--se", "placebo", "--replications", "50", "--seed", "1"]);

        run.Code.Should().Be(0, run.Error);
        var row = run.Out.Split('\n').Single(l => l.StartsWith("Estimate", StringComparison.Ordinal));
        var printed = Regex.Matches(row, @"-?\d+\.\d+").Select(m => m.Value).ToArray();
        printed.Should().HaveCount(3);
        var decimals = printed[2].Length - printed[2].IndexOf('.') - 1;
        var library = new SyntheticDifferenceInDifferences().Estimate(California).Att;
        printed[2].Should().Be(library.ToString("F" + decimals, CultureInfo.InvariantCulture));
        // R synthdid::synthdid_estimate on the same data: -15.60383 (Arkhangelsky et al. 2021, Table 1: -15.6).
        printed[2].Should().Be((-15.60383).ToString("F" + decimals, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_JSON_reads_back_to_the_librarys_numbers_exactly()
    {
        var run = Tool.Run(["estimate", Tool.California, .. Tool.CaliforniaColumns, "--estimators", "did,sdid", "--se", "placebo", "--replications", "30", "--seed", "7", "--json"]);

        run.Code.Should().Be(0, run.Error);
        var json = run.Json;
        json.GetProperty("schemaVersion").GetInt32().Should().Be(1);
        json.GetProperty("panel").GetProperty("units").GetInt32().Should().Be(39);
        var estimates = json.GetProperty("estimates").EnumerateArray().ToArray();
        IEstimator[] estimators = [new DifferenceInDifferences(), new SyntheticDifferenceInDifferences()];
        for (var k = 0; k < 2; k++)
        {
            var fit = estimators[k].Estimate(California);
            var variance = fit.WithVariance(new UnitPlaceboVariance { Replications = 30, Seed = 7 });
            var e = estimates[k];
            e.GetProperty("estimator").GetString().Should().Be(fit.Estimator);
            e.GetProperty("att").GetDouble().Should().Be(fit.Att);
            e.GetProperty("variance").GetProperty("standardError").GetDouble().Should().Be(variance.StandardError);
            e.GetProperty("variance").GetProperty("replicates").EnumerateArray().Select(r => r.GetDouble()).Should().Equal(variance.Replicates);
            var cells = e.GetProperty("cellEffects").EnumerateArray().ToArray();
            cells.Select(c => (c.GetProperty("unit").GetString(), c.GetProperty("period").GetString(), c.GetProperty("counterfactual").GetDouble()))
                .Should().Equal(fit.CellEffects.Select(c => ((string?)c.Unit, (string?)c.Period, c.Counterfactual)));
        }
    }

    [Fact]
    public void Se_regression_simulated_is_the_librarys_two_way_plug_in_simulated_on_50_noise_panels_with_the_seed()
    {
        var run = Tool.Run(["estimate", Tool.California, .. Tool.CaliforniaColumns, "-e", "sdid", "--se", "regression-simulated", "--seed", "5", "--json"]);

        run.Code.Should().Be(0, run.Error);
        var variance = run.Json.GetProperty("estimates")[0].GetProperty("variance");
        var library = new SyntheticDifferenceInDifferences().Estimate(California)
            .WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods, SimulationDraws = 50, Seed = 5 });
        variance.GetProperty("method").GetString().Should().Be("Regression (two-way, 50 draws)");
        variance.GetProperty("standardError").GetDouble().Should().Be(library.StandardError);
        // Not the formula's: the simulation replaces the fixed-weight variance.
        var formula = new SyntheticDifferenceInDifferences().Estimate(California).WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods });
        library.StandardError.Should().NotBe(formula.StandardError);
    }

    [Fact]
    public void Out_writes_the_librarys_tables_effects_json_and_charts_that_parse()
    {
        var dir = Tool.TempFolder();
        var run = Tool.Run(["estimate", Tool.California, .. Tool.CaliforniaColumns, "--estimators", "did,sdid", "--se", "placebo", "--replications", "20", "--out", dir]);

        run.Code.Should().Be(0, run.Error);
        var fits = new IEstimator[] { new DifferenceInDifferences(), new SyntheticDifferenceInDifferences() }.Select(e => e.Estimate(California)).ToArray();
        var variances = fits.Select(f => (VarianceResult?)f.WithVariance(new UnitPlaceboVariance { Replications = 20 })).ToArray();
        var table = EstimateTable.Of(fits, variances);
        File.ReadAllText(Path.Combine(dir, "estimates.csv")).Should().Be(table.ToCsv());
        File.ReadAllText(Path.Combine(dir, "estimates.md")).Should().Be(table.ToMarkdown());
        File.ReadAllText(Path.Combine(dir, "estimates.tex")).Should().Be(table.ToLatex());
        File.ReadAllText(Path.Combine(dir, "estimates.html")).Should().Be(table.ToHtml());
        run.Out.TrimEnd().Should().Be(table.ToString().TrimEnd());

        var cells = File.ReadAllLines(Path.Combine(dir, "cell-effects.csv"));
        cells[0].Should().Be("estimator,unit,period,event_time,observed,counterfactual,effect,anticipation");
        cells.Should().HaveCount(1 + 2 * 12);
        cells.Should().Contain($"SDID,California,1989,0,{Csv(fits[1].CellEffects[0].Observed)},{Csv(fits[1].CellEffects[0].Counterfactual)},{Csv(fits[1].CellEffects[0].Effect)},0");
        File.ReadAllLines(Path.Combine(dir, "event-time-effects.csv")).Should().HaveCount(1 + 2 * 12);

        string[] charts = ["pattern", "did-trajectory", "did-effects", "did-replicates", "sdid-trajectory", "sdid-effects", "sdid-replicates", "sdid-weights"];
        foreach (var chart in charts)
        {
            XDocument.Parse(File.ReadAllText(Path.Combine(dir, "charts", chart + ".svg"))).Root!.Name.LocalName.Should().Be("svg");
            System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "charts", chart + ".vl.json"))).RootElement
                .GetProperty("$schema").GetString().Should().Contain("vega-lite");
        }
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json"))).RootElement
            .GetProperty("estimates")[1].GetProperty("att").GetDouble().Should().Be(fits[1].Att);

        // With one treated unit the bootstrap is undefined (as in R synthdid): its histogram is not drawn, and the note says why.
        var bootstrap = Tool.Run(["estimate", Tool.California, .. Tool.CaliforniaColumns, "-e", "did", "--se", "bootstrap", "-r", "10", "--out", Tool.TempFolder()]);
        bootstrap.Code.Should().Be(0);
        bootstrap.Error.Should().Contain("Chart not drawn: did-replicates:");
    }

    [Fact]
    public void Standard_input_is_read_as_the_file_is()
    {
        var run = Tool.RunWith(File.ReadAllText(Tool.California), CancellationToken.None, ["estimate", "-", .. Tool.CaliforniaColumns, "-e", "sdid", "--json"]);

        run.Code.Should().Be(0, run.Error);
        run.Json.GetProperty("estimates")[0].GetProperty("att").GetDouble().Should().Be(new SyntheticDifferenceInDifferences().Estimate(California).Att);
    }

    [Fact]
    public void Output_off_a_terminal_has_no_colour_or_cursor_codes()
    {
        var run = Tool.Run(["estimate", Tool.California, .. Tool.CaliforniaColumns, "-e", "did", "--se", "placebo", "-r", "10"]);

        run.Code.Should().Be(0);
        (run.Out + run.Error).Should().NotContain("\u001b");
        run.Error.Should().Contain("DiD placebo standard error: done in");
    }

    [Fact]
    public void Ctrl_C_stops_the_command_with_exit_code_130_and_says_what_had_finished()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var run = Tool.RunWith("", cancelled.Token, ["estimate", Tool.California, .. Tool.CaliforniaColumns, "-e", "did", "--se", "placebo", "-r", "50"]);

        run.Code.Should().Be(130);
        run.Error.Should().Contain("Cancelled").And.Contain("nothing was written");
        run.Out.Should().BeEmpty();
    }

    private static string Csv(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
