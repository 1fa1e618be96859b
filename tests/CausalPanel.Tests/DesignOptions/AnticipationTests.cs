using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.DesignOptions;

/// <summary>
/// Anticipation = k against outside computations: panels whose treated units' outcomes shift by a known δ in the k periods
/// before adoption (the ATT exact with the window set aside and off by a closed-form amount without it), the synthdid
/// family as the estimator on the panel adopting k periods earlier averaged from the real adoption on (and DIFP from its
/// weights), and event studies whose leads, by dense least squares, start at −k−1.
/// </summary>
public class AnticipationTests
{
    private const double Delta = 1.5;

    /// <summary>The effect at event time e ≥ 0 of the generated panels.</summary>
    private static double Tau(int e) => 2 + 0.3 * e;

    /// <summary>
    /// Y = a_i + b_t + τ(t − g_i)·1[t ≥ g_i] + δ·1[g_i − k ≤ t &lt; g_i] (+ noise): units adopting at
    /// <paramref name="adoption"/> (−1 = never) respond by δ in the <paramref name="k"/> periods before.
    /// </summary>
    internal static PanelData Anticipating(int[] adoption, int periods, int k, double noise = 0, int seed = 3)
    {
        var rng = new Random(seed);
        int n = adoption.Length;
        var y = new double[n, periods];
        var w = new bool[n, periods];
        var b = Enumerable.Range(0, periods).Select(_ => 4 * rng.NextDouble()).ToArray();
        for (var i = 0; i < n; i++)
        {
            var a = 6 * rng.NextDouble();
            for (var s = 0; s < periods; s++)
            {
                var g = adoption[i];
                w[i, s] = g >= 0 && s >= g;
                y[i, s] = a + b[s] + (w[i, s] ? Tau(s - g) : 0) + (g >= 0 && s < g && s >= g - k ? Delta : 0) + noise * (rng.NextDouble() - 0.5);
            }
        }
        return PanelData.FromMatrices(y, w);
    }

    private static readonly int[] Staggered = [-1, -1, -1, -1, -1, -1, -1, -1, 5, 5, 5, 7, 7, 9, 9];

    /// <summary>The estimators with anticipation k (λ's fixed; MC-NNM converged tightly).</summary>
    public static IEstimator Estimator(int which, int k) => which switch
    {
        0 => new DifferenceInDifferences(new DifferenceInDifferencesOptions { Anticipation = k }),
        1 => new DifferenceInDifferences(new DifferenceInDifferencesOptions { Anticipation = k, ControlGroup = ControlGroup.NeverTreated }),
        2 => new MatrixCompletion(new MatrixCompletionOptions { Lambda = 0.05, Tolerance = 1e-14, MaxIterations = 100_000, Anticipation = k }),
        3 => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.3, LambdaTime = 0.2, LambdaNuclear = double.PositiveInfinity, Anticipation = k }),
        4 => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.3, LambdaTime = 0.2, LambdaNuclear = 1, Anticipation = k, ControlGroup = ControlGroup.NeverTreated, Tolerance = 1e-13 }),
        5 => new SyntheticControlWithIntercept(new SyntheticWeightingOptions { Anticipation = k }),
        _ => new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { Anticipation = k }),
    };

    public static TheoryData<int> Estimators => [0, 1, 2, 3, 4, 5, 6];

    [Theory]
    [MemberData(nameof(Estimators))]
    public void With_the_window_set_aside_every_estimator_recovers_the_effects_and_the_anticipation_exactly(int which)
    {
        const int k = 2;
        var data = Anticipating(Staggered, 12, k);
        var fit = Estimator(which, k).Estimate(data);
        var tolerance = which is 2 or 4 ? 1e-6 : 1e-9;

        fit.Anticipation.Should().Be(k);
        fit.CellEffects.Should().HaveCount(data.Treatment.TreatedCount);
        foreach (var c in fit.CellEffects) c.Effect.Should().BeApproximately(Tau(c.EventTime), tolerance);
        fit.Att.Should().BeApproximately(fit.CellEffects.Average(c => Tau(c.EventTime)), tolerance);
        // The window: every treated unit's k cells before adoption, at event times −k..−1, each shifted by δ.
        fit.AnticipationEffects.Select(c => (c.UnitIndex, c.PeriodIndex)).Should().Equal(data.Pattern.TreatedUnitIndices
            .SelectMany(i => Enumerable.Range(data.Pattern.FirstTreatedPeriodIndex(i)!.Value - k, k).Select(s => (i, s))));
        fit.AnticipationEffects.Should().OnlyContain(c => c.EventTime == c.PeriodIndex - data.Pattern.FirstTreatedPeriodIndex(c.UnitIndex)!.Value);
        foreach (var c in fit.AnticipationEffects) c.Effect.Should().BeApproximately(Delta, tolerance);
        fit.AnticipationEffectsByEventTime.Select(e => (e.EventTime, e.TreatedCells)).Should().Equal((-2, 7), (-1, 7));
        fit.Summary().Should().Contain("anticipation window: the 2 periods before adoption are not used as untreated (Anticipation = 2)");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Without_the_window_DiD_and_DIFP_on_a_block_design_are_off_by_delta_times_k_over_T0(int which)
    {
        // A block design: T0 = 8 pre-periods, the last k = 2 shifted by δ, so the pre-period mean gap moves by δk/T0.
        const int k = 2, t0 = 8;
        var data = Anticipating([-1, -1, -1, -1, -1, -1, -1, -1, -1, 8, 8, 8], 12, k);
        var expected = Enumerable.Range(0, 4).Average(Tau);

        Estimator(which, 0).Estimate(data).Att.Should().BeApproximately(expected - Delta * k / t0, 1e-9);
        Estimator(which, 1).Estimate(data).Att.Should().BeApproximately(expected - Delta * 1 / (t0 - 1.0), 1e-9);
        Estimator(which, k).Estimate(data).Att.Should().BeApproximately(expected, 1e-9);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void SC_DIFP_and_SDID_are_the_estimator_on_the_panel_adopting_k_periods_earlier_averaged_from_the_real_adoption_on(int estimator)
    {
        const int k = 2;
        var data = Anticipating(Staggered, 12, k, noise: 1, seed: 9);
        SyntheticWeightingEstimator Make(int anticipation) => estimator switch
        {
            0 => new SyntheticControl(new SyntheticWeightingOptions { Anticipation = anticipation }),
            1 => new SyntheticControlWithIntercept(new SyntheticWeightingOptions { Anticipation = anticipation }),
            _ => new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { Anticipation = anticipation }),
        };
        var fit = Make(k).Estimate(data);

        // The same panel with every treated unit adopting k periods earlier, estimated without anticipation.
        var shifted = Shifted(data, k);
        var reference = Make(0).Estimate(shifted);
        var fromAdoption = reference.CellEffects.Where(c => c.EventTime >= k).ToArray();
        fit.Att.Should().BeApproximately(fromAdoption.Average(c => c.Effect), 1e-10);
        fit.CellEffects.Select(c => c.Effect).Should().Equal(fromAdoption.Select(c => c.Effect), (a, b) => Math.Abs(a - b) < 1e-10);
        fit.AnticipationEffects.Select(c => (c.UnitIndex, c.PeriodIndex, c.Effect)).Should().Equal(
            reference.CellEffects.Where(c => c.EventTime < k).OrderBy(c => c.UnitIndex).ThenBy(c => c.PeriodIndex).Select(c => (c.UnitIndex, c.PeriodIndex, c.Effect)),
            (a, b) => a.Item1 == b.Item1 && a.Item2 == b.Item2 && Math.Abs(a.Item3 - b.Item3) < 1e-10);
        for (var c = 0; c < fit.Cohorts.Count; c++)
        {
            fit.Cohorts[c].UnitWeights.Select(w => w.Weight).Should().Equal(reference.Cohorts[c].UnitWeights.Select(w => w.Weight));
            fit.Cohorts[c].TimeWeights.Should().HaveCount(data.Pattern.Cohorts[c].PeriodIndex - k);
            fit.Cohorts[c].TreatedCells.Should().Be(data.Pattern.Cohorts[c].Units.Count * (12 - data.Pattern.Cohorts[c].PeriodIndex));
        }

        if (estimator != 1) return;
        // DIFP from its weights: τ̂_g = mean_{t ≥ g} (Ȳ_g,t − ω̂ᵀY_NT,t) − mean_{s < g − k} (Ȳ_g,s − ω̂ᵀY_NT,s), cohorts by cells.
        double att = 0;
        foreach (var (cohort, weights) in data.Pattern.Cohorts.Zip(fit.Cohorts))
        {
            double Gap(int s) => cohort.UnitIndices.Average(i => data.Outcomes[i, s]) - weights.UnitWeights.Sum(w => w.Weight * data.Outcomes[w.Index, s]);
            var g = cohort.PeriodIndex;
            var tau = Enumerable.Range(g, 12 - g).Average(Gap) - Enumerable.Range(0, g - k).Average(Gap);
            att += tau * cohort.Units.Count * (12 - g);
        }
        fit.Att.Should().BeApproximately(att / data.Treatment.TreatedCount, 1e-10);
    }

    [Fact]
    public void DiD_event_study_shows_the_window_apart_and_its_leads_start_before_it_by_dense_least_squares()
    {
        const int k = 2;
        var data = Anticipating(Staggered, 12, k, noise: 1, seed: 4);
        var fit = new DifferenceInDifferences(new DifferenceInDifferencesOptions { Anticipation = k }).Estimate(data);
        var study = fit.EventStudy(null, options: new EventStudyOptions { Leads = 3 });

        bool Fit(int i, int s) => !data.Treatment[i, s] && !(data.Pattern.FirstTreatedPeriodIndex(i) is { } g && s >= g - k);
        var (_, fitted) = DenseLeastSquares.TwoWay(data, Fit);
        var imputed = data.Pattern.TreatedUnitIndices
            .SelectMany(i => Enumerable.Range(0, 12).Where(s => !Fit(i, s)).Select(s => (i, s, e: s - data.Pattern.FirstTreatedPeriodIndex(i)!.Value)))
            .GroupBy(c => c.e).OrderBy(g => g.Key).Select(g => (Key: g.Key, Effect: g.Average(c => data.Outcomes[c.i, c.s] - fitted(c.i, c.s)), Cells: g.Count()));
        var leads = Enumerable.Range(1, 3).Select(j =>
        {
            var held = data.Pattern.TreatedUnitIndices.Select(i => (I: i, T: data.Pattern.FirstTreatedPeriodIndex(i)!.Value - k - j)).ToList();
            var (_, refit) = DenseLeastSquares.TwoWay(data, (i, s) => Fit(i, s) && !held.Contains((i, s)));
            return (Key: -k - j, Effect: held.Average(c => data.Outcomes[c.I, c.T] - refit(c.I, c.T)), Cells: held.Count);
        }).Reverse();
        var expected = leads.Concat(imputed).ToArray();

        study.Points.Select(p => p.EventTime).Should().Equal(expected.Select(e => e.Key));
        study.Points.Select(p => p.TreatedCells).Should().Equal(expected.Select(e => e.Cells));
        study.Points.Select(p => p.Effect).Should().Equal(expected.Select(e => e.Effect), (a, b) => Math.Abs(a - b) < 1e-9);
        study.Leads.Select(p => p.EventTime).Should().Equal(-5, -4, -3);
        study.AnticipationPoints.Select(p => p.EventTime).Should().Equal(-2, -1);
        study.AnticipationPoints.Select(p => p.Effect).Should().Equal(fit.AnticipationEffectsByEventTime.Select(e => e.Effect), (a, b) => Math.Abs(a - b) < 1e-12);
        study.Lags.Should().HaveCount(7).And.OnlyContain(p => p.EventTime >= 0 && !p.IsLead && !p.IsAnticipation);
        study.Notes.Should().Contain(n => n.Contains("anticipation window (Anticipation = 2)") && n.Contains("leads start at −3"));

        var effects = fit.CohortPeriodEffects(null, options: new EventStudyOptions { Leads = 3 });
        effects.Effects.Where(e => e.IsAnticipation).Select(e => e.EventTime).Distinct().Order().Should().Equal(-2, -1);
        effects.Effects.Where(e => e.IsLead).Should().OnlyContain(e => e.EventTime < -k);
        effects.Aggregate(AttAggregation.Simple).Effects.Single().Effect.Should().BeApproximately(fit.Att, 1e-12);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Synthetic_leads_start_before_the_window_with_each_cohorts_weighted_gaps(int estimator)
    {
        const int k = 1;
        var data = Anticipating(Staggered, 12, k, noise: 1, seed: 6);
        SyntheticWeightingEstimator[] estimators =
        [
            new SyntheticControl(new SyntheticWeightingOptions { Anticipation = k }), new SyntheticControlWithIntercept(new SyntheticWeightingOptions { Anticipation = k }),
            new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { Anticipation = k }),
        ];
        var fit = estimators[estimator].Estimate(data);
        var study = fit.EventStudy(null, options: new EventStudyOptions { Leads = 3 });

        study.Leads.Select(p => p.EventTime).Should().Equal(-4, -3, -2);
        study.AnticipationPoints.Select(p => p.EventTime).Should().Equal(-1);
        foreach (var j in Enumerable.Range(1, 3))
        {
            // Each cohort's gap at g − k − j relative to its λ̂-weighted baseline, cohorts weighted by their units.
            var parts = fit.Cohorts.Select(cohort =>
            {
                var units = data.Pattern.Cohorts.Single(c => c.Period == cohort.AdoptionPeriod).UnitIndices;
                double Gap(int p) => units.Average(i => data.Outcomes[i, p]) - cohort.UnitWeights.Sum(w => w.Weight * data.Outcomes[w.Index, p]);
                var lead = Gap(data.PeriodIndex(cohort.AdoptionPeriod) - k - j) - cohort.TimeWeights.Sum(l => l.Weight * Gap(l.Index));
                return (Units: units.Count, Lead: lead);
            }).ToArray();
            study.Points.Single(p => p.EventTime == -k - j).Effect.Should().BeApproximately(parts.Sum(p => p.Units * p.Lead) / parts.Sum(p => p.Units), 1e-9);
        }
    }

    /// <summary><paramref name="data"/> with every treated unit treated from k periods before its adoption.</summary>
    internal static PanelData Shifted(PanelData data, int k)
    {
        var y = new double[data.UnitCount, data.PeriodCount];
        var w = new bool[data.UnitCount, data.PeriodCount];
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++)
                (y[i, s], w[i, s]) = (data.Outcomes[i, s], data.Pattern.FirstTreatedPeriodIndex(i) is { } g && s >= g - k);
        return PanelData.FromMatrices(y, w, data.Units, data.Periods);
    }
}
