using System.Data;
using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Data;

public class DataReaderTests
{
    private static DataTable Table(params (object? Unit, object? Year, object? Y, object? W)[] rows)
    {
        var table = new DataTable();
        table.Columns.Add("State", typeof(string));
        table.Columns.Add("Year", typeof(int));
        table.Columns.Add("Packs", typeof(object));
        table.Columns.Add("Treated", typeof(object));
        foreach (var (u, t, y, w) in rows) table.Rows.Add(u ?? DBNull.Value, t ?? DBNull.Value, y ?? DBNull.Value, w ?? DBNull.Value);
        return table;
    }

    [Fact]
    public void A_shuffled_query_result_gives_the_California_panel_and_Rs_SDID_estimate()
    {
        var california = Datasets.CaliforniaSmoking();
        var rows = new List<(object?, object?, object?, object?)>();
        for (var i = 0; i < california.UnitCount; i++)
            for (var s = 0; s < california.PeriodCount; s++)
                rows.Add((california.Units[i], int.Parse(california.Periods[s]), (decimal)california.Outcomes[i, s], california.Treatment[i, s]));
        var shuffled = rows.OrderBy(_ => Guid.NewGuid()).ToArray();

        using var reader = Table(shuffled).CreateDataReader();
        var panel = PanelData.FromDataReader(reader, "state", "year", "packs", "treated");

        panel.Units.Should().Equal(california.Units);
        panel.Periods.Should().Equal(california.Periods);   // integer years in numeric order
        panel.Outcomes[3, 7].Should().BeApproximately(california.Outcomes[3, 7], 1e-12);
        new SyntheticDifferenceInDifferences().Estimate(panel).Att.Should().BeApproximately(
            Reference.Json("california.json").GetProperty("estimates").GetProperty("sdid").GetProperty("att").GetDouble(), 1e-8);
    }

    [Fact]
    public void A_DuckDB_query_gives_the_CPS_panel_and_Rs_jackknife_numbers()
    {
        // The multi-treated CPS block as a DuckDB table, read back in random row order through ADO.NET.
        var cps = Reference.CpsMinWageBlock();
        using var connection = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE panel (state VARCHAR, year INTEGER, log_wage DOUBLE, min_wage BOOLEAN)";
            create.ExecuteNonQuery();
        }
        using (var appender = connection.CreateAppender("panel"))
            for (var i = 0; i < cps.UnitCount; i++)
                for (var s = 0; s < cps.PeriodCount; s++)
                    appender.CreateRow().AppendValue(cps.Units[i]).AppendValue(int.Parse(cps.Periods[s])).AppendValue(cps.Outcomes[i, s]).AppendValue(cps.Treatment[i, s]).EndRow();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT state, year, log_wage, min_wage FROM panel ORDER BY random()";
        using var reader = query.ExecuteReader();

        var panel = PanelData.FromDataReader(reader, "state", "year", "log_wage", "min_wage");

        panel.Units.Should().BeEquivalentTo(cps.Units);
        var sdid = Reference.Json("cps_minwage_block.json").GetProperty("methods").GetProperty("sdid");
        var fit = new SyntheticDifferenceInDifferences().Estimate(panel);
        fit.Att.Should().BeApproximately(sdid.GetProperty("att").GetDouble(), 1e-8);
        fit.WithVariance(new JackknifeVariance()).StandardError.Should().BeApproximately(sdid.GetProperty("jackknife_se").GetDouble(), 1e-8);
    }

    [Fact]
    public void Nulls_and_bad_values_are_unobserved_cells_or_named_errors()
    {
        using (var reader = Table(("a", 1, 1.0, 0), ("a", 2, null, 0), ("b", 1, 2.0, 0), ("b", 2, 3.0, 1)).CreateDataReader())
            PanelData.FromDataReader(reader, "State", "Year", "Packs", "Treated").Outcomes.IsObserved(0, 1).Should().BeFalse();

        using (var reader = Table(("a", 1, 1.0, 0)).CreateDataReader())
            FluentActions.Invoking(() => PanelData.FromDataReader(reader, "unit", "Year", "Packs", "Treated"))
                .Should().Throw<MissingColumnException>().WithMessage("*\"unit\"*\"State\", \"Year\", \"Packs\", \"Treated\"*");
        using (var reader = Table(("a", 1, 1.0, 0), (null, 2, 1.0, 0)).CreateDataReader())
            FluentActions.Invoking(() => PanelData.FromDataReader(reader, "State", "Year", "Packs", "Treated"))
                .Should().Throw<InvalidValueException>().WithMessage("Row 2*unit*");
        using (var reader = Table(("a", 1, "abc", 0)).CreateDataReader())
            FluentActions.Invoking(() => PanelData.FromDataReader(reader, "State", "Year", "Packs", "Treated"))
                .Should().Throw<InvalidValueException>().WithMessage("Row 1*\"Packs\"*abc*not a number*");
        using (var reader = Table(("a", 1, 1.0, 2)).CreateDataReader())
            FluentActions.Invoking(() => PanelData.FromDataReader(reader, "State", "Year", "Packs", "Treated"))
                .Should().Throw<InvalidTreatmentValueException>();
    }

    [Fact]
    public void A_Parquet_file_read_through_DuckDB_gives_adoption_and_covariates_as_the_CSV_does()
    {
        var dir = Directory.CreateTempSubdirectory("causalpanel-parquet-");
        try
        {
            var parquet = Path.Combine(dir.FullName, "county.parquet");
            using var connection = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
            connection.Open();
            using (var create = connection.CreateCommand())
            {
                create.CommandText = "CREATE TABLE county (year INTEGER, countyreal VARCHAR, lpop DOUBLE, lemp DOUBLE, first_treat INTEGER)";
                create.ExecuteNonQuery();
            }
            using (var appender = connection.CreateAppender("county"))
                foreach (var r in CountyRows.Rows(shuffled: true))
                {
                    var row = appender.CreateRow().AppendValue(r.Year).AppendValue(r.Id).AppendValue(r.Lpop).AppendValue(r.Lemp);
                    (r.FirstTreat > 0 ? row.AppendValue(r.FirstTreat) : row.AppendNullValue()).EndRow();   // NULL = never treated
                }
            using (var copy = connection.CreateCommand())
            {
                copy.CommandText = $"COPY (SELECT * FROM county) TO '{parquet}' (FORMAT PARQUET)";
                copy.ExecuteNonQuery();
            }
            using var query = connection.CreateCommand();
            query.CommandText = $"SELECT * FROM '{parquet}'";
            using var reader = query.ExecuteReader();

            var panel = PanelData.FromDataReader(reader, "countyreal", "year", "lemp", adoption: "first_treat", covariates: ["lpop"]);

            var csv = PanelData.ReadCsv(new StringReader(CountyRows.Csv()), "countyreal", "year", "lemp", adoption: "first.treat", covariates: ["lpop"]);
            panel.Units.Should().Equal(csv.Units);
            panel.Periods.Should().Equal(csv.Periods);
            panel.PeriodOrdering.Should().Be(PeriodOrdering.Numeric);
            panel.Treatment.ToArray().Should().BeEquivalentTo(CountyRows.Treatment());
            panel.Outcomes.ToArray().Should().BeEquivalentTo(csv.Outcomes.ToArray());
            panel.Covariates["lpop"].ToArray().Should().BeEquivalentTo(csv.Covariates["lpop"].ToArray());
            panel.Notes.Should().Contain("5 unit(s) are never treated ('first_treat' is 'NULL'): '1008', '1009', '1010' and 2 more.");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Adoption_from_a_data_table_reads_nulls_dates_and_never_treated_codes()
    {
        var table = new DataTable();
        table.Columns.Add("unit", typeof(string));
        table.Columns.Add("month", typeof(DateTime));
        table.Columns.Add("y", typeof(double));
        table.Columns.Add("adopted", typeof(object));
        table.Columns.Add("x", typeof(decimal));
        var months = Enumerable.Range(0, 4).Select(m => new DateTime(2021, 1, 1).AddMonths(m)).ToArray();
        foreach (var (unit, adopted) in new (string, object)[] { ("a", new DateTime(2021, 3, 1)), ("b", DBNull.Value), ("c", "NA"), ("d", new DateTime(2022, 1, 1)) })
            foreach (var m in months) table.Rows.Add(unit, m, 1.0 + m.Month, adopted, 0.5m * m.Month);
        using var reader = table.CreateDataReader();

        var panel = PanelData.FromDataReader(reader, "unit", "month", "y", adoption: "adopted", covariates: ["x"]);

        panel.Periods.Should().Equal("2021-01-01", "2021-02-01", "2021-03-01", "2021-04-01");
        panel.Treatment.Row(0).ToArray().Should().Equal(false, false, true, true);
        panel.Pattern.NeverTreatedUnits.Should().Equal("b", "c", "d");
        panel.Covariates["x"][0, 3].Should().Be(2.0);
        panel.Notes.Should().Contain("1 unit(s) adopt after the panel's last period and are counted as never treated: 'd' (2022-01-01).");
    }
}
