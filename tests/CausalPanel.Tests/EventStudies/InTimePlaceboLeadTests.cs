using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.EventStudies;

/// <summary>
/// SC, DIFP and SDID leads as in-time placebos (<see cref="SyntheticLeads.InTimePlacebo"/>) against running the estimator
/// by hand on the truncated, placebo-treated panel built here (the never-treated units and the cohort's units over the
/// periods before the cohort's anticipation window, the cohort treated from k periods before its end, the cohort's ζ),
/// against R synthdid_placebo's California example, in the replicates of a bootstrap and a jackknife, and the refusals.
/// </summary>
public class InTimePlaceboLeadTests
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();
    private static readonly EventStudyOptions InTime = new() { SyntheticLeads = SyntheticLeads.InTimePlacebo };

    private static SyntheticWeightingEstimator Estimator(int which, SyntheticWeightingOptions options) => which switch
    {
        0 => new SyntheticControl(options),
        1 => new SyntheticControlWithIntercept(options),
        _ => new SyntheticDifferenceInDifferences(options),
    };

    /// <summary>
    /// Rows <paramref name="controls"/> then <paramref name="cohort"/> of <paramref name="data"/> over its first
    /// <paramref name="periods"/> periods, the cohort treated from column <paramref name="start"/>, covariates with them.
    /// </summary>
    private static PanelData Placebo(PanelData data, int[] controls, int[] cohort, int periods, int start)
    {
        var rows = controls.Concat(cohort).ToArray();
        var y = new double[rows.Length, periods];
        var w = new bool[rows.Length, periods];
        for (var r = 0; r < rows.Length; r++)
            for (var s = 0; s < periods; s++)
                (y[r, s], w[r, s]) = (data.Outcomes[rows[r], s], r >= controls.Length && s >= start);
        var panel = PanelData.FromMatrices(y, w, rows.Select(i => data.Units[i]), data.Periods.Take(periods));
        return data.Covariates.Count == 0 ? panel : panel.WithCovariates(data.Covariates.Select(c =>
        {
            var x = new double[rows.Length, periods];
            for (var r = 0; r < rows.Length; r++)
                for (var s = 0; s < periods; s++) x[r, s] = c.Value[rows[r], s];
            return (c.Key, x);
        }).ToArray());
    }

    /// <summary>
    /// The in-time placebo leads of <paramref name="fit"/> by hand: per cohort and k, the estimator (same options, the
    /// cohort's ζ_ω, ζ_λ, min.decrease, fresh weights) on the placebo panel, its mean effect at its first treated period;
    /// cohorts averaged by units. Keyed by event time.
    /// </summary>
    private static Dictionary<int, (double Effect, int Cells)> ByHand(SyntheticWeightingResult fit, int which, SyntheticWeightingOptions options, int leads)
    {
        var data = fit.Data;
        int a = options.Anticipation;
        var controls = data.Pattern.NeverTreatedUnitIndices.ToArray();
        var parts = new List<(int EventTime, double Effect, int Units)>();
        foreach (var cohort in fit.Cohorts)
        {
            var units = Enumerable.Range(0, data.UnitCount).Where(i => data.Pattern.FirstTreatedPeriodIndex(i) == data.PeriodIndex(cohort.AdoptionPeriod)).ToArray();
            var f = data.PeriodIndex(cohort.AdoptionPeriod) - a;
            var estimator = Estimator(which, options with { ZetaOmega = cohort.ZetaOmega, ZetaLambda = cohort.ZetaLambda, MinDecrease = cohort.MinDecrease });
            for (var k = 1; k <= leads && f - a - k >= 1; k++)
            {
                var placebo = estimator.Estimate(Placebo(data, controls, units, f, f - k));
                parts.Add((-a - k, placebo.CellEffects.Where(c => c.PeriodIndex == f - k).Average(c => c.Effect), units.Length));
            }
        }
        return parts.GroupBy(p => p.EventTime).ToDictionary(g => g.Key, g => (g.Sum(p => p.Effect * p.Units) / g.Sum(p => p.Units), g.Sum(p => p.Units)));
    }

    public static TheoryData<int> Estimators => [0, 1, 2];

    [Theory]
    [MemberData(nameof(Estimators))]
    public void On_California_lead_minus_k_is_the_estimator_rerun_on_1970_to_1988_with_California_placebo_treated_from_k_years_before_1989(int which)
    {
        var options = new SyntheticWeightingOptions();
        var fit = Estimator(which, options).Estimate(California);
        var study = fit.EventStudy(null, options: InTime);

        study.Leads.Select(p => p.EventTime).Should().Equal(Enumerable.Range(1, 18).Select(k => -k).Reverse());   // f − 1 = 18: one period left to fit on
        var expected = ByHand(fit, which, options, 18);
        foreach (var point in study.Leads)
        {
            point.Effect.Should().BeApproximately(expected[point.EventTime].Effect, 1e-10);
            point.TreatedCells.Should().Be(1);
        }
        study.Lags.Select(p => p.Effect).Should().Equal(fit.EffectsByEventTime.Select(e => e.Effect));
        study.Notes.Should().Contain(n => n.Contains("in-time placebos") && n.Contains("its first placebo period"));
        // Out of sample, so not the fitted weights' gaps (which SC's least squares keeps small before 1989).
        var gaps = fit.EventStudy(null).Leads;
        gaps.Zip(study.Leads).Should().Contain(p => Math.Abs(p.First.Effect - p.Second.Effect) > 1e-3);
    }

    [Fact]
    public void On_California_lead_minus_8_is_the_first_period_of_synthdid_placebos_fit_whose_average_is_its_published_minus_1_667416()
    {
        // R: tau.hat = synthdid_estimate(setup$Y, setup$N0, setup$T0); synthdid_placebo(tau.hat) = -1.667416. It keeps
        // tau.hat's zeta.omega, zeta.lambda and min.decrease, drops the 12 post-periods and treats California over the last
        // T0 − floor(T0 (1 − T1/T)) = 19 − floor(19 · 19/31) = 8 pre-periods, 1981–1988: an 8-period window.
        int t0 = 19, t = 31, placeboT0 = (int)Math.Floor(t0 * (1 - (t - t0) / (double)t));
        placeboT0.Should().Be(11);
        var fit = new SyntheticDifferenceInDifferences().Estimate(California);
        var california = California.UnitIndex("California");
        var placebo = new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions
        {
            ZetaOmega = fit.Cohorts[0].ZetaOmega, ZetaLambda = fit.Cohorts[0].ZetaLambda, MinDecrease = fit.Cohorts[0].MinDecrease,
        }).Estimate(Placebo(California, California.Pattern.NeverTreatedUnitIndices.ToArray(), [california], t0, placeboT0));
        placebo.Att.Should().BeApproximately(-1.667416, 1e-6);

        // Our lead −8 is that same fit, read in its first placebo year (1981) rather than averaged over 1981–1988: the
        // event study's definition is per event time, as the lags are; synthdid_placebo's is a window's ATT.
        var study = fit.EventStudy(null, options: InTime);
        study.Points.Single(p => p.EventTime == -8).Effect.Should().BeApproximately(placebo.EffectsByEventTime[0].Effect, 1e-10);
        placebo.EffectsByEventTime.Should().HaveCount(8);
    }

    public static TheoryData<int, int, bool> StaggeredCases => new()
    {
        { 0, 0, false }, { 1, 0, false }, { 2, 0, false },
        { 2, 1, false },   // anticipation: the panel ends before the cohort's window, the placebo sets aside its own
        { 2, 0, true },    // a covariate travels into the placebo panel
    };

    [Theory]
    [MemberData(nameof(StaggeredCases))]
    public void On_a_staggered_panel_each_cohorts_placebo_is_rerun_on_its_own_periods_and_the_leads_average_cohorts_by_units(int which, int anticipation, bool covariate)
    {
        var data = RandomPanels.Staggered(12, [-1, -1, -1, -1, -1, -1, -1, -1, -1, 6, 6, 6, 8, 8], 11);
        if (covariate)
        {
            var rng = new Random(3);
            var x = new double[data.UnitCount, data.PeriodCount];
            for (var i = 0; i < data.UnitCount; i++)
                for (var s = 0; s < data.PeriodCount; s++) x[i, s] = rng.NextDouble() + 0.1 * s;
            data = data.WithCovariates(("x", x));
        }
        var options = new SyntheticWeightingOptions { Anticipation = anticipation };
        var fit = Estimator(which, options).Estimate(data);
        var study = fit.EventStudy(null, options: InTime with { Leads = 5 - 2 * anticipation });

        // Cohort 6 fits 6 − 2a − 1 placebos, cohort 8 fits 8 − 2a − 1: both have all 5 − 2a leads asked.
        var expected = ByHand(fit, which, options, 5 - 2 * anticipation);
        study.Leads.Should().HaveCount(5 - 2 * anticipation);
        foreach (var point in study.Leads)
        {
            point.Effect.Should().BeApproximately(expected[point.EventTime].Effect, 1e-10);
            point.TreatedCells.Should().Be(expected[point.EventTime].Cells).And.Be(5);
        }
        study.AnticipationPoints.Should().HaveCount(anticipation);
    }

    [Fact]
    public void A_cohort_too_short_for_a_lead_is_named_in_a_note_and_a_lead_no_cohort_can_fit_is_refused_naming_the_longest()
    {
        var data = RandomPanels.Staggered(12, [-1, -1, -1, -1, -1, -1, -1, -1, -1, 3, 3, 3, 8, 8], 11);
        var fit = new SyntheticDifferenceInDifferences().Estimate(data);

        // Columns 3 and 8 (labels "4" and "9"). Default: the fewest any cohort fits (column 3: 3 − 1 = 2), with the reason and how many Leads can give.
        var byDefault = fit.EventStudy(null, options: InTime);
        byDefault.Leads.Should().HaveCount(2);
        byDefault.Notes.Should().Contain(n => n.Contains("2 leads by default") && n.Contains("up to 7"));

        // Leads = 5: the first cohort is in leads −1, −2 only, and a note names it and the leads it is not in.
        var five = fit.EventStudy(null, options: InTime with { Leads = 5 });
        five.Leads.Select(p => p.TreatedCells).Should().Equal(2, 2, 2, 5, 5);
        five.Notes.Should().Contain(n => n.Contains("'4'") && n.Contains("up to lead −2 only") && n.Contains("leads −3..−5 average the other cohorts"));

        // Leads = 8: the cohort of column 8, the longest, fits 7 (one period left to fit on): refused, naming it and the way out.
        FluentActions.Invoking(() => fit.EventStudy(null, options: InTime with { Leads = 8 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*no cohort can fit lead −8*cohort adopting in '9'*fits 7 leads*at most 7*WeightGap*");
        // The fitted weights' gaps reach period 0, one further.
        fit.EventStudy(null, options: new EventStudyOptions { Leads = 8 }).Leads.Should().HaveCount(8);
    }

    [Fact]
    public void In_time_placebos_are_refused_for_other_estimators_and_for_fits_whose_weights_are_held_fixed()
    {
        var data = RandomPanels.Staggered(12, [-1, -1, -1, -1, -1, -1, 6, 6], 9);
        FluentActions.Invoking(() => new DifferenceInDifferences().Estimate(data).EventStudy(null, options: InTime))
            .Should().Throw<ArgumentException>().WithMessage("*InTimePlacebo re-runs SC, DIFP or SDID*DiD*WeightGap*");
        FluentActions.Invoking(() => new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 4 }).Estimate(data).CohortPeriodEffects(null, options: InTime))
            .Should().Throw<ArgumentException>().WithMessage("*InTimePlacebo*WeightGap*");

        var fixedWeights = new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions
        {
            UnitWeights = Enumerable.Repeat(1 / 6.0, 6).ToArray(), UpdateUnitWeights = false,
        }).Estimate(data);
        FluentActions.Invoking(() => fixedWeights.EventStudy(null, options: InTime))
            .Should().Throw<ArgumentException>().WithMessage("*holds its unit weights (UpdateUnitWeights = false)*WeightGap*");
        fixedWeights.EventStudy(null).Leads.Should().NotBeEmpty();
    }

    [Fact]
    public void Every_bootstrap_replicate_reruns_the_in_time_placebos_on_its_own_panel()
    {
        // Two fixed draws (indices into never-treated first, then treated): the lead's standard error over two replicates is
        // |x₁ − x₂| / 2, x_b the in-time placebo lead of the SDID fit of replicate panel b, computed here by hand.
        var data = RandomPanels.Staggered(5, [-1, -1, -1, -1, -1, -1, -1, -1, 6, 6, 6, 8, 8, 8], 10);
        int[][] draws = [[0, 1, 1, 2, 3, 5, 6, 7, 8, 8, 9, 11, 12, 13], [0, 0, 2, 3, 4, 4, 5, 7, 8, 9, 10, 10, 11, 12]];
        var fit = new SyntheticDifferenceInDifferences().Estimate(data);
        var study = fit.EventStudy(new BootstrapVariance { Replications = 2, Draws = (b, _) => draws[b] }, options: InTime with { Leads = 3 });

        var replicates = draws.Select(drawn =>
        {
            var seen = new Dictionary<int, int>();
            var labels = drawn.Select(i => (seen[i] = seen.GetValueOrDefault(i) + 1) == 1 ? data.Units[i] : $"{data.Units[i]}#{seen[i]}").ToArray();
            var y = new double[drawn.Length, data.PeriodCount];
            var w = new bool[drawn.Length, data.PeriodCount];
            for (var r = 0; r < drawn.Length; r++)
                for (var s = 0; s < data.PeriodCount; s++) (y[r, s], w[r, s]) = (data.Outcomes[drawn[r], s], data.Treatment[drawn[r], s]);
            var panel = PanelData.FromMatrices(y, w, labels, data.Periods);
            return ByHand(new SyntheticDifferenceInDifferences().Estimate(panel), 2, new SyntheticWeightingOptions(), 3);
        }).ToArray();

        study.IsDefined.Should().BeTrue();
        foreach (var point in study.Leads)
            point.StandardError.Should().BeApproximately(Math.Abs(replicates[0][point.EventTime].Effect - replicates[1][point.EventTime].Effect) / 2, 1e-10);
        var gaps = fit.EventStudy(new BootstrapVariance { Replications = 2, Draws = (b, _) => draws[b] }, options: new EventStudyOptions { Leads = 3 });
        gaps.Leads.Select(p => p.StandardError).Should().NotEqual(study.Leads.Select(p => p.StandardError));
    }

    [Fact]
    public void Jackknife_replicates_refit_each_placebo_at_the_fits_zeta_while_the_lags_keep_the_fits_weights()
    {
        // Block SDID: the jackknife holds the fit's weights for the lags (synthdid's Algorithm 3); a lead's in-time placebo
        // is itself a re-estimate, re-run on each leave-one-out panel at the fit's ζ (which a block design's replicates keep).
        var data = RandomPanels.Staggered(9, [-1, -1, -1, -1, -1, -1, -1, -1, 7, 7, 7], 10);
        var fit = new SyntheticDifferenceInDifferences().Estimate(data);
        var study = fit.EventStudy(new JackknifeVariance(), options: InTime with { Leads = 2 });

        var zeta = new SyntheticWeightingOptions { ZetaOmega = fit.Cohorts[0].ZetaOmega, ZetaLambda = fit.Cohorts[0].ZetaLambda, MinDecrease = fit.Cohorts[0].MinDecrease };
        var order = data.Pattern.NeverTreatedUnitIndices.Concat(data.Pattern.TreatedUnitIndices).ToArray();
        var leaveOut = order.Select(left =>
        {
            var controls = data.Pattern.NeverTreatedUnitIndices.Where(i => i != left).ToArray();
            var treated = data.Pattern.TreatedUnitIndices.Where(i => i != left).ToArray();
            return new[] { 1, 2 }.ToDictionary(k => -k, k =>
                new SyntheticDifferenceInDifferences(zeta).Estimate(Placebo(data, controls, treated, 7, 7 - k)).CellEffects.Where(c => c.PeriodIndex == 7 - k).Average(c => c.Effect));
        }).ToArray();
        foreach (var point in study.Leads)
        {
            var x = leaveOut.Select(d => d[point.EventTime]).ToArray();
            point.StandardError.Should().BeApproximately(Math.Sqrt((x.Length - 1.0) / x.Length * x.Sum(v => (v - x.Average()) * (v - x.Average()))), 1e-10);
        }
    }
}
