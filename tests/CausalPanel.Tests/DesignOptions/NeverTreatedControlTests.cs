using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.DesignOptions;

/// <summary>
/// ControlGroup = NeverTreated against computations that do not use the estimators: Callaway and Sant'Anna's never-treated
/// 2×2 ATT(g, t) on cohorts with one pre-period, the two-step fit by dense least squares (period effects from the
/// never-treated units, each treated unit's level from its own pre-periods) with several, and DWCP's restricted donors as
/// DWCP on the panel of the never-treated units and one treated unit.
/// </summary>
public class NeverTreatedControlTests
{
    private static readonly DifferenceInDifferences NeverTreated = new(new DifferenceInDifferencesOptions { ControlGroup = ControlGroup.NeverTreated });

    /// <summary>
    /// Six never-treated units observed throughout; three cohorts adopting in periods 2, 4 and 6, each observed from
    /// <paramref name="prePeriods"/> periods before its adoption on (one: as did's 2004 cohort of mpdta); dynamic,
    /// heterogeneous effects.
    /// </summary>
    private static PanelData Cohorts(int prePeriods)
    {
        int[] adoption = [-1, -1, -1, -1, -1, -1, 2, 2, 2, 4, 4, 4, 6, 6];
        var rng = new Random(31);
        int n = adoption.Length, t = 8;
        var y = new double[n, t];
        var w = new bool[n, t];
        var b = Enumerable.Range(0, t).Select(_ => 3 * rng.NextDouble()).ToArray();
        for (var i = 0; i < n; i++)
        {
            var a = 5 * rng.NextDouble();
            for (var s = 0; s < t; s++)
            {
                w[i, s] = adoption[i] >= 0 && s >= adoption[i];
                y[i, s] = adoption[i] >= 0 && s < adoption[i] - prePeriods ? double.NaN
                    : a + b[s] + (w[i, s] ? 1 + 0.5 * (s - adoption[i]) + rng.NextDouble() : 0) + rng.NextDouble() - 0.5;
            }
        }
        return PanelData.FromMatrices(y, w);
    }

    [Fact]
    public void With_one_pre_period_per_cohort_DiD_never_treated_is_Callaway_and_SantAnnas_two_by_two_cell_by_cell()
    {
        var data = Cohorts(prePeriods: 1);
        var never = data.Pattern.NeverTreatedUnitIndices;
        double Mean(IEnumerable<int> units, int s) => units.Average(i => data.Outcomes[i, s]);

        var fit = NeverTreated.Estimate(data);
        fit.CellEffects.Should().HaveCount(data.Treatment.TreatedCount);
        foreach (var c in fit.CellEffects)
        {
            var g = data.Pattern.FirstTreatedPeriodIndex(c.UnitIndex)!.Value;
            var twoByTwo = data.Outcomes[c.UnitIndex, c.PeriodIndex] - data.Outcomes[c.UnitIndex, g - 1] - (Mean(never, c.PeriodIndex) - Mean(never, g - 1));
            c.Effect.Should().BeApproximately(twoByTwo, 1e-9);
        }

        // ATT(g, t) = (Ȳ_g,t − Ȳ_g,g−1) − (Ȳ_NT,t − Ȳ_NT,g−1), did::att_gt with control_group = "nevertreated".
        var effects = fit.CohortPeriodEffects(null);
        foreach (var cohort in data.Pattern.Cohorts)
        {
            var g = cohort.PeriodIndex;
            for (var s = g; s < data.PeriodCount; s++)
                effects.Effects.Single(e => e.Cohort == cohort.Period && e.Period == data.Periods[s]).Effect
                    .Should().BeApproximately(Mean(cohort.UnitIndices, s) - Mean(cohort.UnitIndices, g - 1) - (Mean(never, s) - Mean(never, g - 1)), 1e-9);
        }
    }

    [Fact]
    public void Not_yet_treated_controls_use_the_later_cohorts_pre_periods_and_give_other_numbers()
    {
        // Cohorts 4 and 6 are untreated and observed in periods 2–5 (a unit with a single pre-period would fit its own level
        // and nothing else): not-yet-treated controls of cohort 2 then.
        var data = Cohorts(prePeriods: 2);
        var notYet = new DifferenceInDifferences().Estimate(data);
        var never = NeverTreated.Estimate(data);

        var (_, fitted) = DenseLeastSquares.TwoWay(data, (i, s) => !data.Treatment[i, s]);
        foreach (var c in notYet.CellEffects) c.Counterfactual.Should().BeApproximately(fitted(c.UnitIndex, c.PeriodIndex), 1e-9);
        var differences = notYet.CellEffects.Zip(never.CellEffects, (a, b) => Math.Abs(a.Effect - b.Effect)).ToArray();
        differences.Max().Should().BeGreaterThan(0.05);
        notYet.ControlGroup.Should().Be(ControlGroup.NotYetTreated);
        never.ControlGroup.Should().Be(ControlGroup.NeverTreated);
        never.Summary().Should().Contain("control group: the 6 never-treated units only");
    }

    public static TheoryData<bool> Flags => [false, true];

    [Theory]
    [MemberData(nameof(Flags))]
    public void With_several_pre_periods_DiD_never_treated_is_the_two_step_dense_least_squares_fit(bool covariateAndGaps)
    {
        int[] adoption = [-1, -1, -1, -1, -1, -1, -1, 3, 3, 3, 5, 5, 7, 7, 7];
        var data = RandomPanels.Staggered(17, adoption, 10, missingShare: covariateAndGaps ? 0.1 : 0);
        var x = new double[data.UnitCount, data.PeriodCount];
        var rng = new Random(8);
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++) x[i, s] = 2 * rng.NextDouble() - 1;
        if (covariateAndGaps) data = data.WithCovariates(("x", x));

        var fit = NeverTreated.Estimate(data);

        // Step 1: OLS of Y on never-treated unit dummies, period dummies (and x) over the never-treated units' observed cells.
        var never = data.Pattern.NeverTreatedUnitIndices.ToArray();
        var sub = Subpanel(data, never);
        Func<int, int, double>[] extra = covariateAndGaps ? [(r, s) => x[never[r], s]] : [];
        var (coefficients, _) = DenseLeastSquares.TwoWay(sub, (_, _) => true, extra);
        double Beta(int s) => s == 0 ? 0 : coefficients[never.Length - 1 + s];
        var gamma = covariateAndGaps ? coefficients[^1] : 0;
        // Step 2: each treated unit's level from its own observed pre-periods, given β and γ.
        foreach (var i in data.Pattern.TreatedUnitIndices)
        {
            var pre = Enumerable.Range(0, data.PeriodCount).Where(s => !data.Treatment[i, s] && data.Outcomes.IsObserved(i, s)).ToArray();
            var alpha = pre.Average(s => data.Outcomes[i, s] - Beta(s) - gamma * x[i, s]);
            foreach (var c in fit.CellEffects.Where(c => c.UnitIndex == i))
                c.Counterfactual.Should().BeApproximately(alpha + Beta(c.PeriodIndex) + gamma * x[i, c.PeriodIndex], 1e-9);
        }
        if (covariateAndGaps) fit.CovariateCoefficients["x"].Should().BeApproximately(gamma, 1e-9);
        else
        {
            // Balanced: (Y_it − Ȳ_i,pre) − (Ȳ_NT,t − Ȳ_NT,pre), Callaway–Sant'Anna with the pre-period mean as the base.
            double Mean(IEnumerable<int> units, int s) => units.Average(j => data.Outcomes[j, s]);
            foreach (var c in fit.CellEffects)
            {
                var pre = Enumerable.Range(0, data.Pattern.FirstTreatedPeriodIndex(c.UnitIndex)!.Value).ToArray();
                var expected = data.Outcomes[c.UnitIndex, c.PeriodIndex] - pre.Average(s => data.Outcomes[c.UnitIndex, s])
                    - (Mean(never, c.PeriodIndex) - pre.Average(s => Mean(never, s)));
                c.Effect.Should().BeApproximately(expected, 1e-9);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Flags))]
    public void The_linear_weights_of_DiD_reproduce_its_ATT_with_never_treated_controls_and_anticipation(bool neverTreated)
    {
        var data = RandomPanels.Staggered(23, [-1, -1, -1, -1, -1, -1, 4, 4, 6, 6, 6, 8], 10, missingShare: 0.1);
        var fit = new DifferenceInDifferences(new DifferenceInDifferencesOptions
        {
            Anticipation = 1, ControlGroup = neverTreated ? ControlGroup.NeverTreated : ControlGroup.NotYetTreated,
        }).Estimate(data);
        var a = fit.LinearWeights();
        var y = data.Outcomes.Values.ToArray();
        Enumerable.Range(0, a.Length).Where(k => a[k] != 0).Sum(k => a[k] * y[k]).Should().BeApproximately(fit.Att, 1e-10);
        foreach (var c in fit.AnticipationEffects) a[c.UnitIndex * data.PeriodCount + c.PeriodIndex].Should().Be(0);
        // Borusyak et al.'s weights sum to zero over every unit's and every period's cells (Theorem 1 with two-way effects).
        for (var i = 0; i < data.UnitCount; i++)
            Enumerable.Range(0, data.PeriodCount).Sum(s => a[i * data.PeriodCount + s]).Should().BeApproximately(0, 1e-12);
        for (var s = 0; s < data.PeriodCount; s++)
            Enumerable.Range(0, data.UnitCount).Sum(i => a[i * data.PeriodCount + s]).Should().BeApproximately(0, 1e-12);
    }

    [Theory]
    [InlineData(0.0, 0.0, double.PositiveInfinity, 1e-9)]
    [InlineData(0.4, 0.2, double.PositiveInfinity, 1e-9)]
    [InlineData(0.4, 0.2, 2.0, 1e-6)]   // FISTA fits from different warm starts agree to the solver's tolerance
    public void DWCP_never_treated_fits_each_treated_unit_against_the_never_treated_units_alone(double lambdaUnit, double lambdaTime, double lambdaNuclear, double tolerance)
    {
        var data = RandomPanels.Staggered(19, [-1, -1, -1, -1, -1, -1, -1, 4, 4, 6, 6, 7], 10);
        DwcpOptions Options(ControlGroup group) => new()
        {
            LambdaUnit = lambdaUnit, LambdaTime = lambdaTime, LambdaNuclear = lambdaNuclear, Standardise = false, ControlGroup = group,
        };
        var fit = new DoublyWeightedCausalPanel(Options(ControlGroup.NeverTreated)).Estimate(data);
        var never = data.Pattern.NeverTreatedUnitIndices.ToArray();

        foreach (var i in data.Pattern.TreatedUnitIndices)
        {
            // DWCP (default donors) on the panel of the never-treated units and unit i alone.
            var sub = Subpanel(data, [.. never, i]);
            var alone = new DoublyWeightedCausalPanel(Options(ControlGroup.NotYetTreated)).Estimate(sub);
            foreach (var c in fit.CellEffects.Where(c => c.UnitIndex == i))
                c.Counterfactual.Should().BeApproximately(alone.CellEffects.Single(a => a.PeriodIndex == c.PeriodIndex).Counterfactual, tolerance);

            if (lambdaUnit == 0 && double.IsPositiveInfinity(lambdaNuclear) && lambdaTime == 0)
            {
                // Weights off: the two-way least-squares fit to those units' untreated cells.
                var (_, fitted) = DenseLeastSquares.TwoWay(sub, (r, s) => !sub.Treatment[r, s]);
                foreach (var c in fit.CellEffects.Where(c => c.UnitIndex == i))
                    c.Counterfactual.Should().BeApproximately(fitted(never.Length, c.PeriodIndex), 1e-9);
            }
        }
        foreach (var (unit, weights) in fit.UnitWeights)   // no weight on another treated unit
            weights.Where(w => data.Pattern.FirstTreatedPeriodIndex(w.Index) is not null && w.Label != unit).Should().OnlyContain(w => w.Weight == 0);
        fit.Att.Should().NotBeApproximately(new DoublyWeightedCausalPanel(Options(ControlGroup.NotYetTreated)).Estimate(data).Att, 1e-3);
    }

    /// <summary>The panel of <paramref name="rows"/> (in that order), treatment and outcomes as they are.</summary>
    internal static PanelData Subpanel(PanelData data, int[] rows)
    {
        var y = new double[rows.Length, data.PeriodCount];
        var w = new bool[rows.Length, data.PeriodCount];
        for (var r = 0; r < rows.Length; r++)
            for (var s = 0; s < data.PeriodCount; s++)
                (y[r, s], w[r, s]) = (data.Outcomes[rows[r], s], data.Treatment[rows[r], s]);
        return PanelData.FromMatrices(y, w, rows.Select(i => data.Units[i]), data.Periods);
    }
}
