using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Data;

/// <summary>
/// Every bad input fails fast with its named exception, and the message names the offending
/// unit, period or column and says what to do. None yields NaN.
/// </summary>
public class BadInputTests
{
    private sealed record Row(string Unit, int Year, double Y, double W);

    private static PanelData Long(params Row[] rows) => PanelData.FromLong(rows, r => r.Unit, r => r.Year, r => r.Y, r => r.W);


    [Fact]
    public void Infinite_outcome_names_the_cell()
    {
        var act = () => Long(new("a", 1, 1, 0), new("a", 2, double.PositiveInfinity, 0));
        act.Should().Throw<NonFiniteOutcomeException>().WithMessage("*('a', '2')*NaN (unobserved)*")
            .Which.Units.Should().Equal("a");
    }

    [Fact]
    public void Infinite_outcome_in_a_matrix_is_refused() =>
        FluentActions.Invoking(() => PanelData.FromMatrices(new[,] { { 1.0, double.NegativeInfinity } }, new bool[1, 2]))
            .Should().Throw<NonFiniteOutcomeException>().WithMessage("*('1', '2')*");

    [Fact]
    public void Duplicate_rows_name_unit_and_period()
    {
        var act = () => Long(new("a", 1, 1, 0), new("a", 1, 2, 0), new("b", 1, 1, 0));
        act.Should().Throw<DuplicateObservationException>().WithMessage("*('a', '1')*one row per unit and period*")
            .Which.Periods.Should().Equal("1");
    }

    [Fact]
    public void Non_binary_treatment_names_the_cell_and_value()
    {
        var act = () => Long(new("a", 1, 1, 0), new("b", 7, 1, 2));
        act.Should().Throw<InvalidTreatmentValueException>().WithMessage("*unit 'b'*period '7'* is 2*0 (untreated) or 1 (treated)*");
    }

    [Fact]
    public void NaN_treatment_is_missing_only_on_never_treated_units()
    {
        Long(new("a", 1, 1, double.NaN), new("a", 2, 1, 0), new("b", 1, 1, 0), new("b", 2, 1, 1)).Treatment.TreatedCount.Should().Be(1);
        FluentActions.Invoking(() => Long(new("a", 1, 1, double.NaN), new("a", 2, 1, 1), new("b", 1, 1, 0), new("b", 2, 1, 0)))
            .Should().Throw<InvalidTreatmentValueException>().WithMessage("Row 1: treatment column 'treated' is missing*unit 'a' in period '1'*treated in period '2'*give 0 or 1*")
            .Which.Units.Should().Equal("a");
    }

    [Fact]
    public void Non_binary_treatment_matrix_is_refused() =>
        FluentActions.Invoking(() => PanelData.FromMatrices(new double[2, 2], new[,] { { 0, 0 }, { 0, 0.5 } }, ["x", "y"], ["p", "q"]))
            .Should().Throw<InvalidTreatmentValueException>().WithMessage("*unit 'y'*period 'q'*0.5*");

    [Fact]
    public void Non_binary_treatment_in_csv_names_the_line() =>
        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader("u,t,y,w\na,1,1,0\na,2,1,yes\n"), "u", "t", "y", "w"))
            .Should().Throw<InvalidTreatmentValueException>().WithMessage("*line 3*'yes'*unit 'a'*");

    [Fact]
    public void Empty_input_is_refused()
    {
        FluentActions.Invoking(() => Long()).Should().Throw<EmptyPanelException>().WithMessage("*no rows*");
        FluentActions.Invoking(() => PanelData.FromMatrices(new double[0, 3], new bool[0, 3])).Should().Throw<EmptyPanelException>();
        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader(""), "u", "t", "y", "w")).Should().Throw<EmptyPanelException>();
    }

    [Fact]
    public void Label_count_mismatch_is_refused() =>
        FluentActions.Invoking(() => PanelData.FromMatrices(new double[2, 3], new bool[2, 3], ["only one"]))
            .Should().Throw<DimensionMismatchException>().WithMessage("*1 unit labels*2 rows*");

    [Fact]
    public void Shape_mismatch_between_outcomes_and_treatment_is_refused() =>
        FluentActions.Invoking(() => PanelData.FromMatrices(new double[2, 3], new bool[2, 4]))
            .Should().Throw<DimensionMismatchException>().WithMessage("*2×3*2×4*");

    [Fact]
    public void Duplicate_labels_are_refused() =>
        FluentActions.Invoking(() => PanelData.FromMatrices(new double[2, 2], new bool[2, 2], ["x", "x"]))
            .Should().Throw<DuplicateLabelException>().WithMessage("*'x'*more than once*");

    [Fact]
    public void Treated_cell_without_outcome_is_refused() =>
        FluentActions.Invoking(() => Long(new("a", 1, 1, 0), new("a", 2, double.NaN, 1)))
            .Should().Throw<UnobservedTreatedCellException>().WithMessage("*('a', '2')*Supply the outcome or drop*");

    [Fact]
    public void Missing_csv_column_lists_the_columns() =>
        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader("unit,year,y,w\n"), "unit", "time", "y", "w"))
            .Should().Throw<MissingColumnException>().WithMessage("*no column 'time'*'unit', 'year', 'y', 'w'*");

    [Fact]
    public void Unparsable_outcome_names_line_and_column() =>
        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader("u,t,y,w\na,1,\"1,5\",0\n"), "u", "t", "y", "w"))
            .Should().Throw<InvalidValueException>().WithMessage("*line 2*'y'*'1,5'*decimal separator*");

    [Fact]
    public void Ragged_csv_line_is_refused() =>
        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader("u,t,y,w\na,1,1\n"), "u", "t", "y", "w"))
            .Should().Throw<InvalidValueException>().WithMessage("*line 2 has 3 fields*header has 4*");

    [Fact]
    public void Null_unit_key_names_the_row() =>
        FluentActions.Invoking(() => PanelData.FromLong(new[] { 1, 2 }, x => x == 2 ? null! : "a", x => x, _ => 1.0, _ => false))
            .Should().Throw<InvalidValueException>().WithMessage("Row 2 has no unit*");

    [Fact]
    public void No_treated_cell_is_refused_by_the_estimator() =>
        FluentActions.Invoking(() => new DifferenceInDifferences().Estimate(PatternPanels.Parse("000 000")))
            .Should().Throw<NoTreatedCellsException>().WithMessage("*no cell of the panel is treated*");

    [Fact]
    public void A_single_period_is_refused() =>
        FluentActions.Invoking(() => new DifferenceInDifferences().Estimate(PatternPanels.Parse("0 1")))
            .Should().Throw<InsufficientDataException>().WithMessage("*single period ('2000')*");

    [Fact]
    public void A_single_unit_is_refused() =>
        FluentActions.Invoking(() => new DifferenceInDifferences().Estimate(PatternPanels.Parse("0011")))
            .Should().Throw<InsufficientDataException>().WithMessage("*single unit ('unit0')*");

    [Fact]
    public void No_control_in_a_treated_period_names_the_period()
    {
        var act = () => new DifferenceInDifferences().Estimate(PatternPanels.Parse("0001 0011 0111"));
        act.Should().Throw<NoControlUnitsException>().WithMessage("*'2003'*every observed unit is treated*never-treated or not-yet-treated*")
            .Which.Periods.Should().Equal("2003");
    }

    [Fact]
    public void No_pre_treatment_period_names_the_unit()
    {
        var act = () => new DifferenceInDifferences().Estimate(PatternPanels.Parse("0000 1111 0011"));
        act.Should().Throw<NoPreTreatmentPeriodException>().WithMessage("*'unit1'*treated in every period*pre-treatment*")
            .Which.Units.Should().Equal("unit1");
    }

    [Fact]
    public void No_pre_period_also_when_the_untreated_periods_are_unobserved() =>
        FluentActions.Invoking(() => new DifferenceInDifferences().Estimate(PatternPanels.Parse("0000 ..11 0011")))
            .Should().Throw<NoPreTreatmentPeriodException>().WithMessage("*'unit1'*");

    [Fact]
    public void Disconnected_untreated_cells_are_not_identified()
    {
        // unit0/unit1 observed only in 2000-01, unit2 only in 2002-03; unit3 is untreated only in 2000-01, so its treated 2003 cell cannot be compared.
        var act = () => new DifferenceInDifferences().Estimate(PatternPanels.Parse("00.. 00.. ..00 00.1"));
        act.Should().Throw<NotIdentifiedException>().WithMessage("*('unit3', '2003')*not identified*");
    }

    [Fact]
    public void A_valid_panel_with_gaps_gives_finite_effects()
    {
        var result = new DifferenceInDifferences().Estimate(PatternPanels.Parse("0000 0000 0011 .011"));
        double.IsFinite(result.Att).Should().BeTrue();
        result.CellEffects.Should().OnlyContain(c => double.IsFinite(c.Effect));
    }

    [Fact]
    public void A_panel_too_large_for_dense_memory_is_refused_before_allocating_it()
    {
        // A sparse file: 60,000 units each observed once, in its own period (60,000 periods). Dense, that is 3.6e9 cells.
        const int n = 60_000;
        var rows = Enumerable.Range(0, n).Select(i => new Row($"u{i}", 1_000_000 + i, 1, 0)).ToList();
        var before = GC.GetAllocatedBytesForCurrentThread();

        var act = () => Long([.. rows]);

        var refused = act.Should().Throw<PanelTooLargeException>()
            .WithMessage("The panel has N = 60,000 units and T = 60,000 periods, 3,600,000,000 cells: its dense N×T outcome and treatment matrices would need 32.4 GB (32,400,000,000 bytes), more cells than one .NET array can hold*Check that the unit and period columns are the right ones*").Which;
        (refused.UnitCount, refused.PeriodCount, refused.Bytes).Should().Be((n, n, 3_600_000_000L * 9));
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(100_000_000);   // the rows' few MB, no N×T array

        var csv = "u,t,y,w\n" + string.Concat(rows.Select(r => $"{r.Unit},{r.Year},1,0\n"));
        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader(csv), "u", "t", "y", "w")).Should().Throw<PanelTooLargeException>();
    }
}
