using System.Data;
using Microsoft.Data.Analysis;

namespace CausalPanel.Tests.DataFrameAdapter;

public class DataFrameTests
{
    /// <summary>A long panel with the column types users have: text and integer ids, integer years and dates, gaps, 0/1 and boolean treatment.</summary>
    private sealed record Row(string State, int Id, int Year, DateTime Date, double? Y, bool Treated);

    /// <summary>4 states × 5 years, rows shuffled; two untreated cells have no outcome; "C" and "D" treated from 2003.</summary>
    private static readonly Row[] Rows = Enumerable.Range(0, 20)
        .Select(k => (State: "ABCD"[k / 5].ToString(), Year: 2000 + k % 5, k))
        .Select(r => new Row(r.State, 10 * (r.k / 5) + 7, r.Year, new DateTime(r.Year, 7, 1), r.k is 3 or 6 ? null : 1.5 * r.k - 0.25 * (r.k % 5) * (r.k % 5), r.State is "C" or "D" && r.Year >= 2003))
        .OrderBy(r => (r.Id * 7919 + r.Year * 104729) % 31)
        .ToArray();

    private static void ShouldBeTheSamePanel(PanelData actual, PanelData expected)
    {
        actual.Units.Should().Equal(expected.Units);
        actual.Periods.Should().Equal(expected.Periods);
        for (var i = 0; i < expected.UnitCount; i++)
            for (var t = 0; t < expected.PeriodCount; t++)
            {
                actual.Outcomes.IsObserved(i, t).Should().Be(expected.Outcomes.IsObserved(i, t));
                if (expected.Outcomes.IsObserved(i, t)) actual.Outcomes[i, t].Should().Be(expected.Outcomes[i, t]);
                actual.Treatment[i, t].Should().Be(expected.Treatment[i, t]);
            }
    }

    [Fact]
    public void Text_units_integer_years_nullable_doubles_and_boolean_treatment_give_the_panel_FromLong_gives()
    {
        var frame = new DataFrame(
            DataFrameColumn.Create("state", Rows.Select(r => r.State)),
            DataFrameColumn.Create("year", Rows.Select(r => r.Year)),
            DataFrameColumn.Create("y", Rows.Select(r => r.Y)),
            DataFrameColumn.Create("policy", Rows.Select(r => r.Treated)));
        var expected = PanelData.FromLong(Rows, r => r.State, r => r.Year, r => r.Y ?? double.NaN, r => r.Treated);

        var panel = frame.ToPanelData(unit: "state", time: "year", outcome: "y", treated: "policy");

        ShouldBeTheSamePanel(panel, expected);
        panel.Periods.Should().Equal("2000", "2001", "2002", "2003", "2004");
        panel.Outcomes.UnobservedCount.Should().Be(2);
        panel.Pattern.Design.Should().Be(TreatmentDesign.Block);
    }

    [Fact]
    public void An_adoption_column_with_nulls_for_never_treated_units_and_a_covariate_give_the_panel_FromLong_gives()
    {
        // "C" and "D" adopt in 2003 (null = never treated, as an R NA); x is a time-varying covariate.
        int? Adoption(Row r) => r.State is "C" or "D" ? 2003 : null;
        double X(Row r) => 0.5 * r.Id + (r.Year - 2000) * (r.Year - 2000);
        var frame = new DataFrame(
            DataFrameColumn.Create("state", Rows.Select(r => r.State)),
            DataFrameColumn.Create("year", Rows.Select(r => r.Year)),
            DataFrameColumn.Create("y", Rows.Select(r => r.Y)),
            DataFrameColumn.Create("first_treat", Rows.Select(Adoption)),
            DataFrameColumn.Create("x", Rows.Select(X)));
        var expected = PanelData.FromLong(Rows, r => r.State, r => r.Year, r => r.Y ?? double.NaN, r => r.Treated, covariates: [("x", X)]);

        var panel = frame.ToPanelData(unit: "state", time: "year", outcome: "y", adoption: "first_treat", covariates: ["x"]);

        ShouldBeTheSamePanel(panel, expected);
        panel.Covariates["x"].ToArray().Should().BeEquivalentTo(expected.Covariates["x"].ToArray());
        panel.Pattern.NeverTreatedUnits.Should().Equal("A", "B");
    }

    [Fact]
    public void Integer_ids_dates_and_0_1_treatment_keep_their_types_and_order()
    {
        var frame = new DataFrame(
            DataFrameColumn.Create("id", Rows.Select(r => r.Id)),
            DataFrameColumn.Create("date", Rows.Select(r => r.Date)),
            DataFrameColumn.Create("y", Rows.Select(r => r.Y)),
            DataFrameColumn.Create("d", Rows.Select(r => r.Treated ? 1 : 0)));
        var expected = PanelData.FromLong(Rows, r => r.Id, r => r.Date, r => r.Y ?? double.NaN, r => r.Treated ? 1.0 : 0.0);

        var panel = frame.ToPanelData(unit: "ID", time: "Date", outcome: "Y", treated: "D");   // names match ignoring case

        ShouldBeTheSamePanel(panel, expected);
        panel.Units.Should().Equal("7", "17", "27", "37");   // numerically, not as text ("17" < "7")
        panel.Periods.Should().Equal("2000-07-01", "2001-07-01", "2002-07-01", "2003-07-01", "2004-07-01");
    }

    [Fact]
    public void SDID_on_California_read_into_a_DataFrame_equals_the_bundled_datasets_estimate_exactly()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "california_prop99.csv");
        var frame = DataFrame.LoadCsv(path, dataTypes: [typeof(string), typeof(int), typeof(double), typeof(int)]);
        var panel = frame.ToPanelData(unit: "State", time: "Year", outcome: "PacksPerCapita", treated: "treated");

        var fromFrame = new SyntheticDifferenceInDifferences().Estimate(panel);
        var bundled = new SyntheticDifferenceInDifferences().Estimate(Datasets.CaliforniaSmoking());

        fromFrame.Att.Should().Be(bundled.Att);
        fromFrame.Att.Should().BeApproximately(-15.6038, 5e-5);   // R synthdid and the SDID paper (Table 1: −15.6)
        ShouldBeTheSamePanel(panel, Datasets.CaliforniaSmoking());
    }

    [Fact]
    public void LoadCsv_guesses_numbers_as_float_which_is_why_the_docs_say_to_give_it_the_types()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "california_prop99.csv");
        var guessed = DataFrame.LoadCsv(path);
        guessed.Columns["PacksPerCapita"].DataType.Should().Be(typeof(float));
        var panel = guessed.ToPanelData("State", "Year", "PacksPerCapita", "treated");
        panel.Outcomes[0, 0].Should().NotBe(Datasets.CaliforniaSmoking().Outcomes[0, 0]);   // 89.80000305 as a float
    }

    [Fact]
    public void Column_errors_name_the_column()
    {
        var frame = new DataFrame(
            DataFrameColumn.Create("state", ["A", "A", "B", "B"]),
            DataFrameColumn.Create("year", [2000, 2001, 2000, 2001]),
            DataFrameColumn.Create("y", ["1.5", "2", "abc", "3"]),
            DataFrameColumn.Create("w", [0, 0, 0, 2]));

        FluentActions.Invoking(() => frame.ToPanelData("state", "year", "outcome", "w"))
            .Should().Throw<MissingColumnException>().WithMessage("*\"outcome\"*\"state\", \"year\", \"y\", \"w\"*");
        FluentActions.Invoking(() => frame.ToPanelData("state", "year", "y", "w"))
            .Should().Throw<InvalidValueException>().WithMessage("*Row 3*column \"y\"*abc*");

        var nullUnit = new DataFrame(
            DataFrameColumn.Create("state", ["A", null, "B"]), DataFrameColumn.Create("year", [2000, 2001, 2000]),
            DataFrameColumn.Create("y", [1.0, 2.0, 3.0]), DataFrameColumn.Create("w", [false, false, true]));
        FluentActions.Invoking(() => nullUnit.ToPanelData("state", "year", "y", "w"))
            .Should().Throw<InvalidValueException>().WithMessage("Row 2 has no unit*");
    }

    [Fact]
    public void The_reader_gives_each_cell_in_its_column_type_and_nulls_as_DBNull()
    {
        var frame = new DataFrame(
            DataFrameColumn.Create("unit", ["a", null]),
            DataFrameColumn.Create("year", new int?[] { 2001, null }),
            DataFrameColumn.Create("when", [new DateTime(2001, 1, 2), new DateTime(2002, 3, 4)]),
            DataFrameColumn.Create("flag", [true, false]));
        using IDataReader reader = new DataFrameDataReader(frame);

        reader.FieldCount.Should().Be(4);
        Enumerable.Range(0, 4).Select(reader.GetFieldType).Should().Equal(typeof(string), typeof(int), typeof(DateTime), typeof(bool));
        reader.GetOrdinal("YEAR").Should().Be(1);
        FluentActions.Invoking(() => reader.GetOrdinal("month")).Should().Throw<IndexOutOfRangeException>().WithMessage("*\"month\"*\"unit\", \"year\", \"when\", \"flag\"*");
        FluentActions.Invoking(() => reader.GetValue(0)).Should().Throw<InvalidOperationException>().WithMessage("*Read()*");

        reader.Read().Should().BeTrue();
        (reader.GetString(0), reader.GetInt32(1), reader.GetDateTime(2), reader.GetBoolean(3)).Should().Be(("a", 2001, new DateTime(2001, 1, 2), true));
        reader.Read().Should().BeTrue();
        reader.IsDBNull(0).Should().BeTrue();
        reader.GetValue(1).Should().Be(DBNull.Value);
        FluentActions.Invoking(() => reader.GetInt32(1)).Should().Throw<InvalidCastException>().WithMessage("Row 2 of column \"year\" is null*");
        FluentActions.Invoking(() => reader.GetDouble(2)).Should().Throw<InvalidCastException>().WithMessage("*\"when\" holds DateTime, not Double*");
        reader.Read().Should().BeFalse();
        reader.Read().Should().BeFalse();
    }
}
