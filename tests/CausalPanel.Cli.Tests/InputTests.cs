using DuckDB.NET.Data;

namespace CausalPanel.Cli.Tests;

public sealed class InputTests
{
    [Fact]
    public void A_CSV_converted_to_Parquet_by_DuckDB_gives_identical_results()
    {
        var dir = Tool.TempFolder();
        var csvRun = Tool.Run(["estimate", Tool.Staggered, .. Tool.StaggeredColumns, "-e", "did,mc", "--mc-lambda", "0.1", "--se", "placebo", "-r", "20", "--json"]);
        foreach (var (source, name) in new[] { (Tool.Staggered, "staggered.parquet"), (Tool.California, "california.parquet") })
        {
            using var connection = new DuckDBConnection("Data Source=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"COPY (SELECT * FROM read_csv_auto('{source}')) TO '{Path.Combine(dir, name)}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }
        var parquetRun = Tool.Run(["estimate", Path.Combine(dir, "staggered.parquet"), .. Tool.StaggeredColumns, "-e", "did,mc", "--mc-lambda", "0.1", "--se", "placebo", "-r", "20", "--json"]);

        csvRun.Code.Should().Be(0, csvRun.Error);
        parquetRun.Code.Should().Be(0, parquetRun.Error);
        parquetRun.Json.GetProperty("panel").ToString().Should().Be(csvRun.Json.GetProperty("panel").ToString());
        parquetRun.Json.GetProperty("estimates").ToString().Should().Be(csvRun.Json.GetProperty("estimates").ToString());

        // The block design too, through --sql on the Parquet file and as FILE.
        var csv = Tool.Run(["estimate", Tool.California, .. Tool.CaliforniaColumns, "-e", "sdid", "--json"]);
        var sql = Tool.Run(["estimate", "--sql", $"SELECT * FROM read_parquet('{Path.Combine(dir, "california.parquet")}')", .. Tool.CaliforniaColumns, "-e", "sdid", "--json"]);
        sql.Code.Should().Be(0, sql.Error);
        sql.Json.GetProperty("estimates").ToString().Should().Be(csv.Json.GetProperty("estimates").ToString());
    }

    [Fact]
    public void A_query_on_the_file_view_selects_rows_as_DuckDB_does()
    {
        var run = Tool.Run(["describe", Tool.California, .. Tool.CaliforniaColumns, "--sql", "SELECT * FROM panel WHERE Year >= 1980", "--json"]);

        run.Code.Should().Be(0, run.Error);
        run.Json.GetProperty("panel").GetProperty("periods").GetInt32().Should().Be(21);      // 1980..2000
        run.Json.GetProperty("panel").GetProperty("units").GetInt32().Should().Be(39);
    }

    [Fact]
    public void Describe_reports_the_staggered_design_the_file_was_made_with()
    {
        var run = Tool.Run(["describe", Tool.Staggered, .. Tool.StaggeredColumns, "--json"]);

        run.Code.Should().Be(0, run.Error);
        var panel = run.Json.GetProperty("panel");
        panel.GetProperty("units").GetInt32().Should().Be(40);
        panel.GetProperty("periods").GetInt32().Should().Be(12);
        panel.GetProperty("neverTreatedUnits").GetInt32().Should().Be(18);
        panel.GetProperty("treatedCells").GetInt32().Should().Be(8 * 7 + 8 * 5 + 6 * 3);
        panel.GetProperty("cohorts").EnumerateArray().Select(c => (c.GetProperty("period").GetString(), c.GetProperty("units").GetArrayLength()))
            .Should().Equal(("2006", 8), ("2008", 8), ("2010", 6));

        var text = Tool.Run(["describe", Tool.Staggered, .. Tool.StaggeredColumns]);
        text.Out.Should().Contain("N = 40 units (18 never treated, 22 treated), T = 12 periods (2001 to 2012)").And.Contain("Period order: Numeric");
    }
}
