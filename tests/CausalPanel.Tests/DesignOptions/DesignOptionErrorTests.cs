using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.DesignOptions;

/// <summary>The design options' errors (docs/errors.md E79–E85): each names what is wrong and what to do.</summary>
public class DesignOptionErrorTests
{
    private static readonly double Nan = double.NaN;

    /// <summary>A panel from its outcome rows (NaN = unobserved) and each unit's adoption column (−1 = never).</summary>
    private static PanelData Panel(double[][] rows, int[] adoption)
    {
        int n = rows.Length, t = rows[0].Length;
        var y = new double[n, t];
        var w = new bool[n, t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++) (y[i, s], w[i, s]) = (rows[i][s], adoption[i] >= 0 && s >= adoption[i]);
        return PanelData.FromMatrices(y, w, "ABCDEFGH".Take(n).Select(c => c.ToString()), Enumerable.Range(2000, t).Select(s => s.ToString()));
    }

    [Fact]
    public void A_negative_anticipation_is_refused_by_every_estimator()
    {
        Action[] constructors =
        [
            () => _ = new DifferenceInDifferences(new DifferenceInDifferencesOptions { Anticipation = -1 }),
            () => _ = new MatrixCompletion(new MatrixCompletionOptions { Anticipation = -1 }),
            () => _ = new DoublyWeightedCausalPanel(new DwcpOptions { Anticipation = -1 }),
            () => _ = new SyntheticControl(new SyntheticWeightingOptions { Anticipation = -1 }),
            () => _ = new SyntheticControlWithIntercept(new SyntheticWeightingOptions { Anticipation = -1 }),
            () => _ = new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { Anticipation = -1 }),
        ];
        foreach (var construct in constructors)
            FluentActions.Invoking(construct).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Anticipation is the number of periods before adoption*0 (none, the default) or more*");
    }

    [Fact]
    public void An_anticipation_window_covering_a_units_pre_periods_names_the_unit_its_adoption_and_k()
    {
        // Units E and F adopt in 2002: two pre-periods, both in the window of Anticipation = 2.
        var data = RandomPanels.Staggered(4, [-1, -1, -1, -1, 2, 2, 5, 5], 7);
        data = PanelData.FromMatrices(Matrix(data), Treated(data), ["A", "B", "C", "D", "E", "F", "G", "H"], Enumerable.Range(2000, 7).Select(s => s.ToString()));
        IEstimator[] estimators =
        [
            new DifferenceInDifferences(new DifferenceInDifferencesOptions { Anticipation = 2 }),
            new MatrixCompletion(new MatrixCompletionOptions { Anticipation = 2, Lambda = 0.1 }),
            new DoublyWeightedCausalPanel(new DwcpOptions { Anticipation = 2, LambdaUnit = 0, LambdaTime = 0, LambdaNuclear = double.PositiveInfinity }),
        ];
        foreach (var estimator in estimators)
            FluentActions.Invoking(() => estimator.Estimate(data)).Should().Throw<NoPreTreatmentPeriodException>()
                .WithMessage("*with Anticipation = 2*'E' (adopting in '2002'), 'F' (adopting in '2002')*Lower Anticipation*")
                .Which.Units.Should().Equal("E", "F");
        new DifferenceInDifferences(new DifferenceInDifferencesOptions { Anticipation = 1 }).Estimate(data).Att.Should().NotBe(double.NaN);
    }

    [Fact]
    public void An_anticipation_window_covering_a_cohorts_pre_periods_names_the_cohort_and_k_and_the_way_out()
    {
        var data = RandomPanels.Staggered(4, [-1, -1, -1, -1, -1, 2, 2, 5, 5], 8);
        var sdid = new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { Anticipation = 2 });
        FluentActions.Invoking(() => sdid.Estimate(data)).Should().Throw<NoPreTreatmentPeriodException>()
            .WithMessage("*cohort adopting in '3'*has 2 periods before adopting in '3', all within the anticipation window (Anticipation = 2)*DropUnfittableCohorts = true*lower Anticipation*");
        // One pre-period left gives no noise level σ̂: an InsufficientDataException naming the cohort and the window.
        FluentActions.Invoking(() => new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { Anticipation = 1 }).Estimate(data))
            .Should().Throw<InsufficientDataException>().WithMessage("*cohort adopting in '3'*noise level σ̂*before 2, where its anticipation window begins (Anticipation = 1)*");

        var fit = new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { Anticipation = 2, DropUnfittableCohorts = true }).Estimate(data);
        fit.DroppedCohorts.Should().ContainSingle().Which.Should().Match<DroppedCohort>(c => c.AdoptionPeriod == "3" && c.TreatedCells == 12);
        fit.Cohorts.Select(c => c.AdoptionPeriod).Should().Equal("6");
        fit.CellEffects.Should().HaveCount(6);
    }

    [Fact]
    public void A_period_whose_untreated_units_all_anticipate_is_refused_and_an_unlinked_window_cell_is_a_warning()
    {
        // A adopts in 2004, B in 2007; C (never treated) is unobserved in 2004–2005. With Anticipation = 2 B anticipates in
        // 2005–2006, so in 2005 A is treated, B anticipates and C is missing: nothing shows the untreated change then.
        double[][] rows =
        [
            [1.0, 2.1, 2.9, 4.2, 7.0, 8.1, 9.0, 11.2],
            [0.5, 1.4, 2.6, 3.4, 4.6, 5.5, 6.4, 9.7],
            [0.1, 1.2, 2.0, 3.1, Nan, Nan, 6.2, 7.0],
        ];
        var data = Panel(rows, [4, 7, -1]);
        new DifferenceInDifferences().Estimate(data);
        FluentActions.Invoking(() => new DifferenceInDifferences(new DifferenceInDifferencesOptions { Anticipation = 2 }).Estimate(data))
            .Should().Throw<NoControlUnitsException>().WithMessage("*in period(s) '2005' every observed unit is treated or within the 2 periods before its adoption (the anticipation window, Anticipation = 2)*lower Anticipation*")
            .Which.Periods.Should().Equal("2005");

        // A adopts in 2006 and B in 2007, both anticipating in 2005 where C is missing: no treated cell there, so only
        // the window cells of 2005 lack an untreated outcome; they are left out of AnticipationEffects with a warning.
        var late = Panel(rows, [6, 7, -1]);
        var fit = new DifferenceInDifferences(new DifferenceInDifferencesOptions { Anticipation = 2 }).Estimate(late);
        fit.AnticipationEffects.Select(c => (c.Unit, c.Period)).Should().Equal(("A", "2004"), ("B", "2006"));
        fit.Warnings.Should().ContainSingle().Which.Should().Contain("2 cells of the anticipation window").And.Contain("left out of AnticipationEffects");
    }

    [Fact]
    public void Never_treated_controls_need_never_treated_units_observed_in_every_treated_period()
    {
        var noNever = RandomPanels.Staggered(6, [2, 2, 4, 4, 6, 6], 8);
        var gap = Gap(RandomPanels.Staggered(6, [2, 2, 4, 4, 6, -1], 8), unit: 5, period: 5);   // the one never-treated unit misses period 6
        IEstimator[] estimators =
        [
            new DifferenceInDifferences(new DifferenceInDifferencesOptions { ControlGroup = ControlGroup.NeverTreated }),
            new DoublyWeightedCausalPanel(new DwcpOptions { ControlGroup = ControlGroup.NeverTreated, LambdaUnit = 0, LambdaTime = 0, LambdaNuclear = double.PositiveInfinity }),
        ];
        foreach (var estimator in estimators)
        {
            FluentActions.Invoking(() => estimator.Estimate(noNever)).Should().Throw<NoControlUnitsException>()
                .WithMessage("*ControlGroup = NeverTreated compares the treated units with never-treated units only, but every unit of this panel is treated*Use ControlGroup = NotYetTreated*");
            FluentActions.Invoking(() => estimator.Estimate(gap)).Should().Throw<NoControlUnitsException>()
                .WithMessage("*none of them is observed in treated period(s) '6'*").Which.Periods.Should().Equal("6");
        }
        new DifferenceInDifferences().Estimate(gap);   // not-yet-treated unit 5 is a control in period 6
    }

    [Fact]
    public void MC_refuses_never_treated_controls_saying_why_and_what_to_use()
    {
        FluentActions.Invoking(() => new MatrixCompletion(new MatrixCompletionOptions { ControlGroup = ControlGroup.NeverTreated }))
            .Should().Throw<ArgumentException>().WithParameterName("ControlGroup")
            .WithMessage("*ControlGroup = NeverTreated is not defined for MC-NNM*one low-rank matrix*ControlGroup = NotYetTreated*DoublyWeightedCausalPanel with ControlGroup = NeverTreated*");
    }

    [Fact]
    public void Synthetic_estimators_refuse_not_yet_treated_controls_saying_why_and_what_to_use()
    {
        var options = new SyntheticWeightingOptions { ControlGroup = ControlGroup.NotYetTreated };
        Action[] constructors = [() => _ = new SyntheticControl(options), () => _ = new SyntheticControlWithIntercept(options), () => _ = new SyntheticDifferenceInDifferences(options)];
        foreach (var construct in constructors)
            FluentActions.Invoking(construct).Should().Throw<ArgumentException>().WithParameterName("ControlGroup")
                .WithMessage("ControlGroup = NotYetTreated is not defined for SC, DIFP and SDID*never-treated units*ControlGroup = NeverTreated (the default)*DifferenceInDifferences*");
    }

    [Fact]
    public void DWCP_block_mode_refuses_anticipation_and_names_per_cell_mode()
    {
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel(new DwcpOptions { Mode = DwcpMode.Block, Anticipation = 1 }))
            .Should().Throw<ArgumentException>().WithParameterName("Anticipation").WithMessage("*Anticipation = 1 is not defined in block mode*Mode = PerCell*");
        new DoublyWeightedCausalPanel(new DwcpOptions { Mode = DwcpMode.Block, ControlGroup = ControlGroup.NeverTreated });   // on a block design both are the never-treated units
    }

    private static double[,] Matrix(PanelData data)
    {
        var y = new double[data.UnitCount, data.PeriodCount];
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++) y[i, s] = data.Outcomes[i, s];
        return y;
    }

    private static bool[,] Treated(PanelData data)
    {
        var w = new bool[data.UnitCount, data.PeriodCount];
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++) w[i, s] = data.Treatment[i, s];
        return w;
    }

    /// <summary><paramref name="data"/> with cell (unit, period) unobserved.</summary>
    private static PanelData Gap(PanelData data, int unit, int period)
    {
        var y = Matrix(data);
        y[unit, period] = double.NaN;
        return PanelData.FromMatrices(y, Treated(data), data.Units, data.Periods);
    }
}
