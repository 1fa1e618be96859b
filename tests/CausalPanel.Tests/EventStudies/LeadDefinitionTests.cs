using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.EventStudies;

/// <summary>
/// Each estimator's event-time effects against an independent computation of the documented definition: DiD by dense
/// least squares (lags: Borusyak–Jaravel–Spiess imputation; leads: fect's leave-one-period-out refit), MC-NNM and DWCP
/// by re-running the estimator at the fit's tuning with the held-out cells marked treated, SC/DIFP/SDID from their
/// fitted weights (Stata sdid_event's λ̂-baselined gaps), and ATT(g, t) against Callaway and Sant'Anna's 2×2 formula.
/// </summary>
public class LeadDefinitionTests
{
    private static readonly int[] Adoption = [-1, -1, -1, -1, -1, -1, -1, -1, 3, 3, 3, 5, 5, 5, 7, 7];

    /// <summary>Treated units' cells k periods before their adoption (observed ones).</summary>
    private static List<(int I, int T)> HeldOut(PanelData data, int k) =>
        data.Pattern.TreatedUnitIndices.Select(i => (I: i, T: data.Pattern.FirstTreatedPeriodIndex(i)!.Value - k))
            .Where(c => c.T >= 0 && data.Outcomes.IsObserved(c.I, c.T)).ToList();

    public static TheoryData<bool> Panels => [false, true];

    [Theory]
    [MemberData(nameof(Panels))]
    public void DiD_event_time_effects_equal_dense_least_squares_imputation_and_leave_one_period_out_refits(bool covariateAndGaps)
    {
        var data = RandomPanels.Staggered(21, Adoption, 10, missingShare: covariateAndGaps ? 0.12 : 0);
        var x = new double[data.UnitCount, data.PeriodCount];
        var rng = new Random(4);
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++) x[i, s] = rng.NextDouble() * 3 - 1;
        Func<int, int, double>[] extra = covariateAndGaps ? [(i, s) => x[i, s]] : [];
        if (covariateAndGaps) data = data.WithCovariates(("x", x));
        bool Untreated(int i, int s) => !data.Treatment[i, s];

        var study = new DifferenceInDifferences().Estimate(data).EventStudy(null, options: new EventStudyOptions { Leads = 7 });

        var (_, fitted) = DenseLeastSquares.TwoWay(data, Untreated, extra);
        var treated = data.Pattern.TreatedUnitIndices
            .SelectMany(i => Enumerable.Range(0, data.PeriodCount).Where(s => data.Treatment[i, s]).Select(s => (i, s, e: s - data.Pattern.FirstTreatedPeriodIndex(i)!.Value)));
        var lags = treated.GroupBy(c => c.e).OrderBy(g => g.Key).Select(g => (Key: g.Key, Effect: g.Average(c => data.Outcomes[c.i, c.s] - fitted(c.i, c.s)), Cells: g.Count()));

        var leads = Enumerable.Range(1, 7).Select(k =>
        {
            var held = HeldOut(data, k);
            // A held-out cell needs another untreated observed cell of its unit (every period has never-treated units).
            held = held.Where(c => Enumerable.Range(0, data.PeriodCount).Any(s => s != c.T && Untreated(c.I, s) && data.Outcomes.IsObserved(c.I, s))).ToList();
            var (_, refit) = DenseLeastSquares.TwoWay(data, (i, s) => Untreated(i, s) && !held.Contains((i, s)), extra);
            return (Key: -k, Effect: held.Average(c => data.Outcomes[c.I, c.T] - refit(c.I, c.T)), Cells: held.Count);
        }).Reverse();

        var expected = leads.Concat(lags).ToArray();
        study.Points.Select(p => p.EventTime).Should().Equal(expected.Select(e => e.Key));
        study.Points.Select(p => p.TreatedCells).Should().Equal(expected.Select(e => e.Cells));
        study.Points.Select(p => p.Effect).Should().Equal(expected.Select(e => e.Effect), (a, b) => Math.Abs(a - b) < 1e-9);
        study.Lags.Select(p => p.Effect).Should().Equal(study.Fit.EffectsByEventTime.Select(e => e.Effect), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void On_one_cohort_with_a_single_pre_period_DiD_ATT_g_t_is_the_Callaway_SantAnna_two_by_two()
    {
        // Never-treated units 0–5, cohort 6–9 adopting in the second period: one pre-period, as did's 2004 cohort in mpdta.
        var data = RandomPanels.Staggered(5, [-1, -1, -1, -1, -1, -1, 1, 1, 1, 1], 5);
        double Mean(IEnumerable<int> units, int s) => units.Average(i => data.Outcomes[i, s]);
        var cohort = data.Pattern.Cohorts[0].UnitIndices;
        var never = data.Pattern.NeverTreatedUnitIndices;

        var effects = new DifferenceInDifferences().Estimate(data).CohortPeriodEffects(null);

        effects.Effects.Should().HaveCount(4).And.OnlyContain(e => !e.IsLead);
        for (var s = 1; s < 5; s++)
            effects.Effects[s - 1].Effect.Should().BeApproximately(Mean(cohort, s) - Mean(cohort, 0) - (Mean(never, s) - Mean(never, 0)), 1e-9);
        effects.Notes.Should().Contain(n => n.Contains("no leads"));
    }

    [Fact]
    public void MC_leads_refit_at_the_fits_lambda_with_the_held_out_cells_set_aside()
    {
        var data = RandomPanels.Staggered(8, Adoption, 10);
        var fit = new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 8 }).Estimate(data);
        var study = fit.EventStudy(null, options: new EventStudyOptions { Leads = 3 });

        var refit = new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 8, Lambda = fit.Lambda });
        foreach (var k in new[] { 1, 2, 3 })
        {
            var held = HeldOut(data, k);
            var marked = Marked(data, held);
            var expected = refit.Estimate(marked).CellEffects.Where(c => held.Contains((c.UnitIndex, c.PeriodIndex))).Average(c => c.Effect);
            study.Points.Single(p => p.EventTime == -k).Effect.Should().BeApproximately(expected, 1e-12);
        }
    }

    [Theory]
    [InlineData(double.PositiveInfinity, 1e-10)]
    [InlineData(0.3, 1e-6)]     // FISTA fits from different warm starts agree to the solver's tolerance
    public void DWCP_leads_refit_each_held_out_cell_at_the_fits_lambdas(double lambdaNuclear, double tolerance)
    {
        var data = RandomPanels.Staggered(9, Adoption, 10);
        var options = new DwcpOptions { LambdaUnit = 0.4, LambdaTime = 0.2, LambdaNuclear = lambdaNuclear };
        var study = new DoublyWeightedCausalPanel(options).Estimate(data).EventStudy(null, options: new EventStudyOptions { Leads = 2 });

        foreach (var k in new[] { 1, 2 })
        {
            var held = HeldOut(data, k);
            var expected = new DoublyWeightedCausalPanel(options).Estimate(Marked(data, held)).CellEffects
                .Where(c => held.Contains((c.UnitIndex, c.PeriodIndex))).Average(c => c.Effect);
            study.Points.Single(p => p.EventTime == -k).Effect.Should().BeApproximately(expected, tolerance);
        }
    }

    [Fact]
    public void DWCP_block_mode_defines_no_leads_and_says_so()
    {
        var data = RandomPanels.Staggered(9, [-1, -1, -1, -1, -1, -1, 6, 6], 9);
        var fit = new DoublyWeightedCausalPanel(new DwcpOptions { Mode = DwcpMode.Block, LambdaUnit = 0, LambdaTime = 0, LambdaNuclear = double.PositiveInfinity }).Estimate(data);

        var study = fit.EventStudy(null);
        study.Leads.Should().BeEmpty();
        study.Notes.Should().Contain(n => n.Contains("block mode") && n.Contains("PerCell"));
        FluentActions.Invoking(() => fit.EventStudy(null, options: new EventStudyOptions { Leads = 2 }))
            .Should().Throw<ArgumentException>().WithMessage("*block mode*Leads = 0*");
    }

    [Fact]
    public void SDID_leads_on_California_are_the_gaps_of_its_weights_relative_to_the_lambda_weighted_baseline()
    {
        var data = Datasets.CaliforniaSmoking();
        var fit = new SyntheticDifferenceInDifferences().Estimate(data);
        var study = fit.EventStudy(null);

        var california = data.Pattern.TreatedUnitIndices[0];
        double Gap(int s) => data.Outcomes[california, s] - fit.UnitWeights.Sum(w => w.Weight * data.Outcomes[w.Index, s]);
        var baseline = fit.TimeWeights.Sum(l => l.Weight * Gap(l.Index));
        study.Leads.Should().HaveCount(18);   // T0 = 19 pre-periods, less the earliest
        foreach (var point in study.Points)
            point.Effect.Should().BeApproximately(Gap(19 + point.EventTime) - baseline, 1e-9);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Synthetic_leads_on_a_staggered_design_average_each_cohorts_weighted_gaps_by_cells(int estimator)
    {
        var data = RandomPanels.Staggered(12, [-1, -1, -1, -1, -1, -1, -1, -1, -1, 5, 5, 5, 7, 7], 10);
        SyntheticWeightingEstimator[] estimators = [new SyntheticControl(), new SyntheticControlWithIntercept(), new SyntheticDifferenceInDifferences()];
        var fit = estimators[estimator].Estimate(data);
        var study = fit.EventStudy(null, options: new EventStudyOptions { Leads = 5 });

        double CohortLead(SyntheticCohortFit cohort, int s)
        {
            var units = data.Pattern.Cohorts.Single(c => c.Period == cohort.AdoptionPeriod).UnitIndices;
            double Gap(int p) => units.Average(i => data.Outcomes[i, p]) - cohort.UnitWeights.Sum(w => w.Weight * data.Outcomes[w.Index, p]);
            return Gap(s) - cohort.TimeWeights.Sum(l => l.Weight * Gap(l.Index));
        }
        foreach (var k in Enumerable.Range(1, 5))
        {
            var parts = fit.Cohorts.Select(c => (Units: c.TreatedUnits.Count, Lead: CohortLead(c, data.PeriodIndex(c.AdoptionPeriod) - k))).ToArray();
            var point = study.Points.Single(p => p.EventTime == -k);
            point.TreatedCells.Should().Be(parts.Sum(p => p.Units));
            point.Effect.Should().BeApproximately(parts.Sum(p => p.Units * p.Lead) / parts.Sum(p => p.Units), 1e-9);
        }
    }

    /// <summary>The panel with <paramref name="held"/> also marked treated (their outcomes unchanged).</summary>
    private static PanelData Marked(PanelData data, List<(int I, int T)> held)
    {
        var y = new double[data.UnitCount, data.PeriodCount];
        var w = new bool[data.UnitCount, data.PeriodCount];
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++)
                (y[i, s], w[i, s]) = (data.Outcomes[i, s], data.Treatment[i, s] || held.Contains((i, s)));
        return PanelData.FromMatrices(y, w, data.Units, data.Periods);
    }
}
