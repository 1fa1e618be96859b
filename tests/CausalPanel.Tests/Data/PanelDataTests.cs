namespace CausalPanel.Tests.Data;

public class PanelDataTests
{
    private sealed record Row(string Unit, int Year, double Y, int W);

    [Fact]
    public void FromMatrices_keeps_shape_labels_and_values()
    {
        var y = new double[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        var w = new bool[,] { { false, false, false }, { false, true, true } };

        var data = PanelData.FromMatrices(y, w, ["a", "b"], ["2001", "2002", "2003"]);

        data.UnitCount.Should().Be(2);
        data.PeriodCount.Should().Be(3);
        data.Units.Should().Equal("a", "b");
        data.Periods.Should().Equal("2001", "2002", "2003");
        data.Outcomes[1, 2].Should().Be(6);
        data.Treatment[1, 1].Should().BeTrue();
        data.Outcomes.ToArray().Should().BeEquivalentTo(y);
        data.IsBalanced.Should().BeTrue();
    }

    [Fact]
    public void FromMatrices_is_immune_to_later_changes_of_the_input_arrays()
    {
        var y = new double[,] { { 1, 2 }, { 3, 4 } };
        var data = PanelData.FromMatrices(y, new bool[2, 2]);
        y[0, 0] = 99;
        data.Outcomes[0, 0].Should().Be(1);
        data.Units.Should().Equal("1", "2");
    }

    [Fact]
    public void FromLong_orders_numeric_periods_numerically_and_units_naturally()
    {
        Row[] rows = [new("b", 10, 1, 0), new("a", 9, 2, 0), new("b", 9, 3, 0), new("a", 10, 4, 1)];

        var data = PanelData.FromLong(rows, r => r.Unit, r => r.Year, r => r.Y, r => r.W);

        data.Periods.Should().Equal("9", "10");
        data.Units.Should().Equal("a", "b");
        data.Outcomes[0, 1].Should().Be(4);
        data.Treatment[0, 1].Should().BeTrue();
    }

    [Fact]
    public void FromLong_orders_numeric_strings_numerically_and_dates_chronologically()
    {
        var byText = PanelData.FromLong(new[] { "10", "9", "100" }, s => "u", s => s, _ => 1.0, _ => false);
        byText.Periods.Should().Equal("9", "10", "100");

        var dates = new[] { new DateTime(2020, 3, 1), new DateTime(2019, 12, 1), new DateTime(2020, 1, 1) };
        var byDate = PanelData.FromLong(dates, _ => 1, d => d, _ => 1.0, _ => false);
        byDate.Periods.Should().Equal("2019-12-01", "2020-01-01", "2020-03-01");

        var dateText = PanelData.FromLong(new[] { "1/15/2020", "12/1/2019" }, _ => "u", s => s, _ => 1.0, _ => false);
        dateText.Periods.Should().Equal("12/1/2019", "1/15/2020");
    }

    [Fact]
    public void FromLong_does_not_depend_on_row_order()
    {
        var data = Datasets.CaliforniaSmoking();
        var rows = Enumerable.Range(0, data.UnitCount)
            .SelectMany(i => Enumerable.Range(0, data.PeriodCount).Select(t => (U: data.Units[i], T: int.Parse(data.Periods[t]), Y: data.Outcomes[i, t], W: data.Treatment[i, t])))
            .ToList();
        var shuffled = rows.OrderBy(_ => Random.Shared.Next()).ToList();

        var rebuilt = PanelData.FromLong(shuffled, r => r.U, r => r.T, r => r.Y, r => r.W);

        rebuilt.Units.Should().Equal(data.Units);
        rebuilt.Periods.Should().Equal(data.Periods);
        rebuilt.Outcomes.ToArray().Should().BeEquivalentTo(data.Outcomes.ToArray());
        rebuilt.Treatment.ToArray().Should().BeEquivalentTo(data.Treatment.ToArray());
    }

    [Fact]
    public void Missing_rows_and_NaN_outcomes_are_unobserved_cells()
    {
        Row[] rows = [new("a", 1, 1, 0), new("a", 2, double.NaN, 0), new("b", 1, 3, 0), new("b", 2, 4, 1), new("c", 2, 5, 0)];

        var data = PanelData.FromLong(rows, r => r.Unit, r => r.Year, r => r.Y, r => r.W);

        data.IsBalanced.Should().BeFalse();
        data.Outcomes.UnobservedCount.Should().Be(2);
        data.Outcomes.IsObserved(0, 1).Should().BeFalse();   // NaN outcome
        data.Outcomes.IsObserved(2, 0).Should().BeFalse();   // absent row
        data.Treatment[2, 0].Should().BeFalse();
    }

    [Fact]
    public void Label_lookups_name_the_missing_label()
    {
        var data = Datasets.CaliforniaSmoking();
        data.UnitIndex("California").Should().Be(2);
        data.PeriodIndex("1989").Should().Be(19);
        var act = () => data.UnitIndex("Atlantis");
        act.Should().Throw<ArgumentException>().WithMessage("*Atlantis*Alabama*");
    }
}
