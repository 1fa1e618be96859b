using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Estimators;

public class DifferenceInDifferencesTests
{
    [Fact]
    public void California_matches_R_synthdid_did_estimate()
    {
        // ../shared/reference/california.json, estimates.did.att (R synthdid 0.0.9, did_estimate).
        var result = new DifferenceInDifferences().Estimate(Datasets.CaliforniaSmoking());

        result.Att.Should().BeApproximately(-27.349111083614986, 1e-9);
        result.CellEffects.Should().HaveCount(12);
        result.EffectsByEventTime.Select(e => e.EventTime).Should().Equal(Enumerable.Range(0, 12));
        result.EffectsByPeriod.Select(e => e.Period).Should().Equal(Enumerable.Range(1989, 12).Select(y => y.ToString()));
    }

    [Fact]
    public void California_equals_the_two_by_two_difference_of_means()
    {
        // Closed form for a block design: (post − pre mean of the treated) − (post − pre mean of the controls).
        var data = Datasets.CaliforniaSmoking();
        int cal = data.UnitIndex("California"), t0 = data.PeriodIndex("1989");
        double Mean(Func<int, bool> unit, Func<int, bool> period) =>
            Enumerable.Range(0, data.UnitCount).Where(unit)
                .SelectMany(i => Enumerable.Range(0, data.PeriodCount).Where(period).Select(t => data.Outcomes[i, t])).Average();
        var expected = Mean(i => i == cal, t => t >= t0) - Mean(i => i == cal, t => t < t0)
                       - (Mean(i => i != cal, t => t >= t0) - Mean(i => i != cal, t => t < t0));

        new DifferenceInDifferences().Estimate(data).Att.Should().BeApproximately(expected, 1e-9);
    }

    [Fact]
    public void Block_design_equals_the_OLS_coefficient_on_W_with_unit_and_period_dummies()
    {
        var w = new bool[12, 9];
        for (var i = 8; i < 12; i++)
            for (var t = 6; t < 9; t++) w[i, t] = true;
        var data = RandomPanels.WithTreatment(seed: 3, w);

        var (coefficients, _) = DenseLeastSquares.TwoWay(data, (_, _) => true, (i, t) => w[i, t] ? 1 : 0);
        var twfe = coefficients[^1];

        data.Pattern.Design.Should().Be(TreatmentDesign.Block);
        new DifferenceInDifferences().Estimate(data).Att.Should().BeApproximately(twfe, 1e-9);
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.0)]
    [InlineData(3, 0.1)]
    [InlineData(4, 0.2)]
    public void Staggered_imputation_equals_dense_least_squares_on_untreated_cells(int seed, double missingShare)
    {
        int[] adoption = [-1, -1, -1, -1, 4, 4, 6, 6, 6, 8, 3, -1];
        var data = RandomPanels.Staggered(seed, adoption, periods: 10, missingShare: missingShare);
        var (_, fitted) = DenseLeastSquares.TwoWay(data, (i, t) => !data.Treatment[i, t]);

        var result = new DifferenceInDifferences().Estimate(data);

        data.Pattern.Design.Should().Be(TreatmentDesign.Staggered);
        foreach (var cell in result.CellEffects)
            cell.Counterfactual.Should().BeApproximately(fitted(cell.UnitIndex, cell.PeriodIndex), 1e-9);
        var expectedAtt = result.CellEffects.Average(c => c.Observed - fitted(c.UnitIndex, c.PeriodIndex));
        result.Att.Should().BeApproximately(expectedAtt, 1e-9);
    }

    [Fact]
    public void Switching_treatment_is_imputed_from_all_untreated_cells()
    {
        var w = new bool[6, 8];
        w[4, 2] = w[4, 3] = true;                 // on, off
        w[5, 5] = w[5, 6] = true;                 // on, off again at the end
        w[3, 1] = true;
        var data = RandomPanels.WithTreatment(seed: 9, w);
        var (_, fitted) = DenseLeastSquares.TwoWay(data, (i, t) => !w[i, t]);

        var result = new DifferenceInDifferences().Estimate(data);

        data.Pattern.Design.Should().Be(TreatmentDesign.General);
        foreach (var cell in result.CellEffects)
            cell.Counterfactual.Should().BeApproximately(fitted(cell.UnitIndex, cell.PeriodIndex), 1e-9);
    }

    [Fact]
    public void Recovers_a_constant_effect_exactly_without_noise()
    {
        // Y = a_i + b_t + 3·W: every cell effect is exactly 3.
        var w = new bool[5, 6];
        w[3, 4] = w[3, 5] = w[4, 2] = w[4, 3] = w[4, 4] = w[4, 5] = true;
        var y = new double[5, 6];
        for (var i = 0; i < 5; i++)
            for (var t = 0; t < 6; t++) y[i, t] = i * i + Math.Sqrt(t) + (w[i, t] ? 3 : 0);

        var result = new DifferenceInDifferences().Estimate(PanelData.FromMatrices(y, w));

        result.CellEffects.Should().OnlyContain(c => Math.Abs(c.Effect - 3) < 1e-10);
        result.EffectsByEventTime.Should().BeEquivalentTo(new[]
        {
            new EventTimeEffect(0, 3, 2), new EventTimeEffect(1, 3, 2), new EventTimeEffect(2, 3, 1), new EventTimeEffect(3, 3, 1),
        }, o => o.Using<double>(x => x.Subject.Should().BeApproximately(x.Expectation, 1e-10)).WhenTypeIs<double>());
    }

    [Fact]
    public void Trajectory_of_a_block_design_has_the_treated_mean_and_fitted_counterfactual()
    {
        var data = Datasets.CaliforniaSmoking();
        var result = new DifferenceInDifferences().Estimate(data);
        int cal = data.UnitIndex("California");

        result.Trajectory.Should().HaveCount(31);
        result.Trajectory.Select(p => p.Treated).Should().Equal(Enumerable.Range(0, 31).Select(t => data.Outcomes[cal, t]));
        // The counterfactual is α_cal + β_t: post-period points give back the cell counterfactuals.
        foreach (var cell in result.CellEffects)
            result.Trajectory[cell.PeriodIndex].Counterfactual.Should().BeApproximately(cell.Counterfactual, 1e-9);
    }

    [Fact]
    public void Covariates_enter_the_imputation_regression_as_in_dense_least_squares()
    {
        int[] adoption = [-1, -1, -1, -1, -1, 4, 4, 6, 6, 7];
        var data = RandomPanels.Staggered(seed: 21, adoption, periods: 9, missingShare: 0.05);
        var rng = new Random(4);
        var x1 = new double[10, 9];
        var x2 = new double[10, 9];
        for (var i = 0; i < 10; i++)
            for (var t = 0; t < 9; t++) { x1[i, t] = rng.NextDouble() * (1 + i * t); x2[i, t] = Math.Sin(i + 2 * t); }
        var withX = data.WithCovariates(("x1", x1), ("x2", x2));
        var (coefficients, fitted) = DenseLeastSquares.TwoWay(withX, (i, t) => !withX.Treatment[i, t], (i, t) => x1[i, t], (i, t) => x2[i, t]);

        var result = new DifferenceInDifferences().Estimate(withX);

        result.CovariateCoefficients["x1"].Should().BeApproximately(coefficients[^2], 1e-9);
        result.CovariateCoefficients["x2"].Should().BeApproximately(coefficients[^1], 1e-9);
        foreach (var cell in result.CellEffects)
            cell.Counterfactual.Should().BeApproximately(fitted(cell.UnitIndex, cell.PeriodIndex), 1e-9);
    }

    [Fact]
    public void Collinear_covariates_are_refused_by_name()
    {
        var data = RandomPanels.Staggered(seed: 2, [-1, -1, -1, 3, 3], periods: 6);
        double[,] x = new double[5, 6], twice = new double[5, 6], unitLevel = new double[5, 6];
        for (var i = 0; i < 5; i++)
            for (var t = 0; t < 6; t++) { x[i, t] = i * t; twice[i, t] = 2 * i * t; unitLevel[i, t] = i; }

        FluentActions.Invoking(() => new DifferenceInDifferences().Estimate(data.WithCovariates(("a", x), ("twice a", twice))))
            .Should().Throw<CollinearCovariatesException>().WithMessage("*'a', 'twice a'*collinear*");
        FluentActions.Invoking(() => new DifferenceInDifferences().Estimate(data.WithCovariates(("unit level", unitLevel))))
            .Should().Throw<CollinearCovariatesException>().WithMessage("*absorbed by the fixed effects*");
    }
}
