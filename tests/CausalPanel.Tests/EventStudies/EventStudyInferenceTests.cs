using CausalPanel.Tests.Support;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Statistics;

namespace CausalPanel.Tests.EventStudies;

/// <summary>
/// The event study's inference against its definitions, recomputed here from the replicate panels themselves: each
/// method's standard error per event time (spread, jackknife, uncentred), the sup-t critical value as the quantile of the
/// replicates' maximal t, Hotelling's F with the replicate covariance, fect's TOST, and the outcomes without standard
/// errors or with a singular covariance.
/// </summary>
public class EventStudyInferenceTests
{
    private static readonly int[] Adoption = [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 5, 5, 7, 7];
    private static readonly PanelData Data = RandomPanels.Staggered(7, Adoption, 10);

    /// <summary>The panel of original rows <paramref name="rows"/>, row r treated from <paramref name="adoption"/>[r] (−1 = never).</summary>
    private static PanelData Build(PanelData data, int[] rows, int[] adoption)
    {
        var y = new double[rows.Length, data.PeriodCount];
        var w = new bool[rows.Length, data.PeriodCount];
        for (var r = 0; r < rows.Length; r++)
            for (var s = 0; s < data.PeriodCount; s++)
                (y[r, s], w[r, s]) = (data.Outcomes[rows[r], s], adoption[r] >= 0 && s >= adoption[r]);
        return PanelData.FromMatrices(y, w, rows.Select((i, r) => $"{data.Units[i]}#{r}"), data.Periods);
    }

    /// <summary>The event-time effects of a DiD fit of <paramref name="panel"/> (with up to <paramref name="leads"/> leads), by event time.</summary>
    private static Dictionary<int, double> Vector(PanelData panel, int leads) =>
        new DifferenceInDifferences().Estimate(panel).EventStudy(null, options: new EventStudyOptions { Leads = leads })
            .Points.ToDictionary(p => p.EventTime, p => p.Effect);

    private static double Quantile(IEnumerable<double> x, double p)
    {
        var sorted = x.Order().ToArray();
        return SortedArrayStatistics.QuantileCustom(sorted, p, QuantileDefinition.R7);
    }

    [Fact]
    public void Unit_placebo_standard_errors_band_and_Wald_test_follow_from_the_placebo_refits()
    {
        static IReadOnlyList<int> Rotation(int b, int n0) => Enumerable.Range(0, n0).Select(k => (k + 3 * b) % n0).ToArray();
        var fit = new DifferenceInDifferences().Estimate(Data);
        var method = new UnitPlaceboVariance { Replications = 10, Permutations = Rotation };
        var study = fit.EventStudy(method);

        var leads = study.Leads.Count;
        leads.Should().Be(4);   // the shortest pre-period, 5, less one
        var draws = Enumerable.Range(0, 10).Select(b => Vector(Build(Data, Rotation(b, 10).ToArray(), [-1, -1, -1, -1, -1, -1, 5, 5, 7, 7]), leads)).ToArray();
        var se = study.Points.Select(p =>
        {
            var x = draws.Select(d => d[p.EventTime]).ToArray();
            return Math.Sqrt(x.Average(v => (v - x.Average()) * (v - x.Average())));
        }).ToArray();
        study.Points.Select(p => p.StandardError).Should().Equal(se, (a, b) => Math.Abs(a - b) < 1e-10);

        var z = Normal.InvCDF(0, 1, 0.975);
        study.Points.Should().OnlyContain(p => Math.Abs(p.Upper - p.Effect - z * p.StandardError) < 1e-10 && Math.Abs(p.Effect - p.Lower - z * p.StandardError) < 1e-10);
        var maxT = draws.Select(d => study.Points.Select((p, j) => Math.Abs(d[p.EventTime] - draws.Average(e => e[p.EventTime])) / se[j]).Max());
        study.UniformCriticalValue.Should().BeApproximately(Quantile(maxT, 0.95), 1e-10);
        study.Points.Should().OnlyContain(p => Math.Abs(p.UniformUpper - p.Effect - study.UniformCriticalValue * p.StandardError) < 1e-10);

        // Hotelling: V the population covariance of the leads over the replicates, T² = (B−1)/B · θ̂ᵀV⁻¹θ̂, F = T²(m−K+1)/(Km), m = B−1.
        var lead = study.Leads.Select(p => p.EventTime).ToArray();
        var x = Matrix<double>.Build.Dense(10, leads, (b, k) => draws[b][lead[k]] - draws.Average(d => d[lead[k]]));
        var v = x.TransposeThisAndMultiply(x) / 10;
        var d = Vector<double>.Build.DenseOfEnumerable(study.Leads.Select(p => p.Effect));
        var f = d * v.Inverse() * d * 9 / 10 * (9 - leads + 1) / (leads * 9.0);
        study.PreTrendTest!.Statistic.Should().BeApproximately(f, 1e-8);
        study.PreTrendTest.DegreesOfFreedom.Should().Be(leads);
        study.PreTrendTest.DenominatorDegreesOfFreedom.Should().Be(9 - leads + 1);
        study.PreTrendTest.PValue.Should().BeApproximately(1 - FisherSnedecor.CDF(leads, 6, f), 1e-10);

        study.AttStandardError.Should().BeApproximately(fit.WithVariance(method).StandardError, 1e-12);
        fit.WithVariance(method).EventTimeStandardErrors.Should().Equal(study.Lags.ToDictionary(p => p.EventTime, p => p.StandardError));
    }

    [Fact]
    public void Jackknife_standard_errors_are_the_jackknife_formula_over_leave_one_unit_out_event_studies()
    {
        var fit = new DifferenceInDifferences().Estimate(Data);
        var study = fit.EventStudy(new JackknifeVariance());

        var n = Data.UnitCount;
        var draws = Enumerable.Range(0, n).Select(k =>
        {
            var rows = Enumerable.Range(0, n).Where(i => i != k).ToArray();
            return Vector(Build(Data, rows, rows.Select(i => Adoption[i]).ToArray()), study.Leads.Count);
        }).ToArray();
        foreach (var p in study.Points)
        {
            var x = draws.Select(d => d[p.EventTime]).ToArray();
            p.StandardError.Should().BeApproximately(Math.Sqrt((n - 1.0) / n * x.Sum(v => (v - x.Average()) * (v - x.Average()))), 1e-10);
        }
        // The Gaussian-multiplier sup-t value lies between the pointwise value and Bonferroni's.
        var events = study.Points.Count;
        study.UniformCriticalValue.Should().BeGreaterThan(Normal.InvCDF(0, 1, 0.975)).And.BeLessThan(Normal.InvCDF(0, 1, 1 - 0.025 / events) + 0.05);
        fit.EventStudy(new JackknifeVariance { MaxDegreeOfParallelism = 1 }).Should().BeEquivalentTo(study, o => o.Excluding(r => r.Fit));
    }

    [Fact]
    public void Time_placebo_standard_errors_are_uncentred_with_Student_t_intervals_and_leads_the_windows_lack_are_named()
    {
        var data = RandomPanels.Staggered(3, [-1, -1, -1, -1, -1, -1, -1, -1, -1, 10, 10, 10], 14);
        var fit = new DifferenceInDifferences().Estimate(data);
        var study = fit.EventStudy(new TimePlaceboVariance(), options: new EventStudyOptions { Leads = 4 });

        // Windows of T1 = 4 periods starting at 2..6, periods after each window dropped, aligned on the real adoption.
        var windows = Enumerable.Range(2, 5).Select(start =>
        {
            var y = new double[12, start + 4];
            var w = new bool[12, start + 4];
            for (var i = 0; i < 12; i++)
                for (var s = 0; s < start + 4; s++) (y[i, s], w[i, s]) = (data.Outcomes[i, s], i >= 9 && s >= start);
            return Vector(PanelData.FromMatrices(y, w), Math.Min(4, start));
        }).ToArray();
        foreach (var p in study.Points)
        {
            var x = windows.Where(d => d.ContainsKey(p.EventTime)).Select(d => d[p.EventTime]).ToArray();
            p.StandardError.Should().BeApproximately(Math.Sqrt(x.Average(v => v * v)), 1e-10);
            (p.Upper - p.Effect).Should().BeApproximately(StudentT.InvCDF(0, 1, 4, 0.975) * p.StandardError, 1e-10);
        }
        study.Notes.Should().Contain(n => n.Contains("event time -4") && n.Contains("missing from some of the 5 replicates"));

        var deep = fit.EventStudy(new TimePlaceboVariance(), options: new EventStudyOptions { Leads = 9 });
        deep.Points.Single(p => p.EventTime == -9).StandardError.Should().Be(double.NaN);
        deep.Notes.Should().Contain(n => n.Contains("event time -9") && n.Contains("no standard error"));
        deep.PreTrendTest!.IsDefined.Should().BeFalse();
        deep.PreTrendTest.UndefinedReason.Should().Contain("replicates have all 9 leads");
    }

    [Fact]
    public void Bootstrap_draws_without_a_cohort_leave_its_event_times_to_the_draws_that_have_it()
    {
        // Only the cohort adopting in column 3 (units 8, 9) reaches event times 3–6, and draw 2 holds none of its units.
        var data = RandomPanels.Staggered(7, [-1, -1, -1, -1, -1, -1, -1, -1, 3, 3, 7, 7], 10);
        int[][] draws = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [0, 0, 2, 3, 3, 5, 6, 7, 10, 10, 11, 11], [1, 1, 2, 3, 4, 4, 6, 7, 8, 9, 10, 10]];
        var method = new BootstrapVariance { Replications = 3, Draws = (b, _) => draws[b] };
        var study = new DifferenceInDifferences().Estimate(data).EventStudy(method, options: new EventStudyOptions { Leads = 2 });

        int[] adoption = [-1, -1, -1, -1, -1, -1, -1, -1, 3, 3, 7, 7];
        var vectors = draws.Select(rows => Vector(Build(data, rows, rows.Select(i => adoption[i]).ToArray()), 2)).ToArray();
        foreach (var p in study.Points)
        {
            var x = vectors.Where(v => v.ContainsKey(p.EventTime)).Select(v => v[p.EventTime]).ToArray();
            p.StandardError.Should().BeApproximately(Math.Sqrt(x.Average(v => (v - x.Average()) * (v - x.Average()))), 1e-10);
        }
        study.Points.Single(p => p.EventTime == 6).StandardError.Should().BeGreaterThan(0);
        study.Notes.Should().Contain(n => n.StartsWith("event time 3, event time 4, event time 5, event time 6 are missing from some of the 3 replicates (up to 1"));
    }

    [Fact]
    public void Aggregates_of_ATT_g_t_share_the_replicates_the_simple_one_is_the_ATT_and_by_event_time_the_event_study()
    {
        var fit = new DifferenceInDifferences().Estimate(Data);
        var method = new BootstrapVariance { Replications = 30, Seed = 5 };
        var effects = fit.CohortPeriodEffects(method);

        var simple = effects.Aggregate(AttAggregation.Simple).Effects.Single();
        simple.Effect.Should().BeApproximately(fit.Att, 1e-12);
        simple.StandardError.Should().BeApproximately(fit.WithVariance(method).StandardError, 1e-12);
        simple.TreatedCells.Should().Be(fit.CellEffects.Count);

        var study = fit.EventStudy(method);
        var byEventTime = effects.Aggregate(AttAggregation.ByEventTime).Effects;
        byEventTime.Select(e => e.Label).Should().Equal(study.Points.Select(p => p.EventTime.ToString()));
        byEventTime.Select(e => (e.Effect, e.StandardError, e.TreatedCells)).Should().Equal(study.Points.Select(p => (p.Effect, p.StandardError, p.TreatedCells)));

        var byCohort = effects.Aggregate(AttAggregation.ByCohort).Effects;
        byCohort.Select(e => e.Label).Should().Equal(Data.Periods[5], Data.Periods[7]);
        byCohort[0].Effect.Should().BeApproximately(effects.Effects.Where(e => e.Cohort == Data.Periods[5] && !e.IsLead).Average(e => e.Effect), 1e-12);
        var byPeriod = effects.Aggregate(AttAggregation.ByPeriod).Effects;
        byPeriod.Select(e => e.Label).Should().Equal(fit.EffectsByPeriod.Select(e => e.Period));
        byPeriod.Select(e => e.Effect).Should().Equal(fit.EffectsByPeriod.Select(e => e.Effect), (a, b) => Math.Abs(a - b) < 1e-12);
        effects.ToString().Should().Contain("cohort  period  event time");
    }

    [Fact]
    public void The_equivalence_test_is_fects_two_one_sided_tests_with_its_default_bound()
    {
        var fit = new DifferenceInDifferences().Estimate(Data);
        var study = fit.EventStudy(new BootstrapVariance { Replications = 50, Seed = 3 });

        var (_, fitted) = DenseLeastSquares.TwoWay(Data, (i, s) => !Data.Treatment[i, s]);
        var residuals = Enumerable.Range(0, Data.UnitCount).SelectMany(i => Enumerable.Range(0, Data.PeriodCount).Where(s => !Data.Treatment[i, s])
            .Select(s => Data.Outcomes[i, s] - fitted(i, s))).ToArray();
        var bound = 0.36 * Math.Sqrt(residuals.Average(e => e * e));   // fect: 0.36 √sigma2.fect, the mean squared residual
        study.EquivalenceBound!.Value.Should().BeApproximately(bound, 1e-10);
        var p = study.Leads.Max(l => Math.Max(1 - Normal.CDF(0, 1, (l.Effect + bound) / l.StandardError), 1 - Normal.CDF(0, 1, (bound - l.Effect) / l.StandardError)));
        study.EquivalenceTest!.PValue.Should().BeApproximately(p, 1e-12);
        study.EquivalenceTest.Verdict.Should().StartWith(p < 0.05 ? "leads are equivalent to 0 within" : "equivalence to 0 within");

        var wide = fit.EventStudy(new BootstrapVariance { Replications = 50, Seed = 3 }, options: new EventStudyOptions { EquivalenceBound = 5 });
        wide.EquivalenceBound.Should().Be(5);
        wide.EquivalenceTest!.Verdict.Should().StartWith("leads are equivalent to 0 within ±5 (p");
        wide.EquivalenceTest.Name.Should().Be("Equivalence test (TOST) that all 4 leads lie within ±5");
    }

    [Fact]
    public void The_default_equivalence_bound_falls_back_to_the_model_without_covariates_and_says_so()
    {
        var size = new double[Data.UnitCount, Data.PeriodCount];
        for (var i = 0; i < Data.UnitCount; i++)
            for (var s = 0; s < Data.PeriodCount; s++) size[i, s] = 0.5 * i;   // time-invariant: the unit effects absorb it
        var data = Data.WithCovariates(("size", size));
        var study = new SyntheticControl().Estimate(data).EventStudy(new BootstrapVariance { Replications = 20, Seed = 1 });

        study.Notes.Should().Contain(n => n.StartsWith("the equivalence bound's residual sd σ̂ is that of the two-way model without covariates") && n.Contains("'size'"));
        var plain = new SyntheticControl().Estimate(Data).EventStudy(null, options: new EventStudyOptions { Leads = 0 });
        var (_, fitted) = DenseLeastSquares.TwoWay(Data, (i, s) => !Data.Treatment[i, s]);
        var residuals = Enumerable.Range(0, Data.UnitCount).SelectMany(i => Enumerable.Range(0, Data.PeriodCount).Where(s => !Data.Treatment[i, s])
            .Select(s => Data.Outcomes[i, s] - fitted(i, s))).ToArray();
        study.EquivalenceBound!.Value.Should().BeApproximately(0.36 * Math.Sqrt(residuals.Average(e => e * e)), 1e-10);
        plain.EquivalenceBound.Should().BeNull("without leads there is no equivalence test");
    }

    [Fact]
    public void A_pre_trend_is_detected_and_said_in_words()
    {
        var data = RandomPanels.Staggered(2, Adoption, 10);
        var y = new double[14, 10];
        for (var i = 0; i < 14; i++)
            for (var s = 0; s < 10; s++) y[i, s] = data.Outcomes[i, s] + (Adoption[i] >= 0 ? 0.8 * s : 0);
        var trending = PanelData.FromMatrices(y, Build(data, Enumerable.Range(0, 14).ToArray(), Adoption).Treatment.ToArray());
        var study = new DifferenceInDifferences().Estimate(trending).EventStudy(new BootstrapVariance { Replications = 100, Seed = 1 });
        study.PreTrendTest!.PValue.Should().BeLessThan(0.001);
        study.PreTrendTest.Verdict.Should().StartWith("pre-trends differ from 0 (p");
        study.ToString().Should().Contain("Joint Wald test that all 4 leads are 0: F = ").And.Contain("pre-trends differ from 0");
    }

    [Fact]
    public void A_singular_replicate_covariance_or_too_few_replicates_is_an_explained_undefined_test()
    {
        // DIFP's leads are gaps less their mean over the pre-period; with all T0 of them and weights held fixed (jackknife) they sum to 0.
        var block = RandomPanels.Staggered(4, [-1, -1, -1, -1, -1, -1, -1, -1, 6, 6, 6], 9);
        var tied = new SyntheticControlWithIntercept().Estimate(block).EventStudy(new JackknifeVariance(), options: new EventStudyOptions { Leads = 6 });
        tied.PreTrendTest!.IsDefined.Should().BeFalse();
        tied.PreTrendTest.UndefinedReason.Should().Contain("singular");
        double.IsNaN(tied.PreTrendTest.PValue).Should().BeTrue();
        tied.PreTrendTest.ToString().Should().Contain("not computed: the replicate covariance of the 6 leads is singular");

        var few = new DifferenceInDifferences().Estimate(Data).EventStudy(new UnitPlaceboVariance { Replications = 4, Seed = 1 });
        few.PreTrendTest!.IsDefined.Should().BeFalse();
        few.PreTrendTest.UndefinedReason.Should().Contain("only 4 replicates have all 4 leads").And.Contain("at least 5");
    }

    [Fact]
    public void Methods_without_replicates_give_the_effects_with_undefined_standard_errors_and_the_reason()
    {
        var fit = new DifferenceInDifferences().Estimate(Data);
        IVarianceEstimator?[] methods = [null, new RegressionVariance(), new MarginalVariance { Approach = VarianceApproach.Regression }, new JackknifeVariance()];
        string[] reasons = ["no variance method was given", "has no replicates of its own", "has no replicates of its own", ""];
        var one = new DifferenceInDifferences().Estimate(RandomPanels.Staggered(7, [-1, -1, -1, -1, 5], 8));
        for (var m = 0; m < methods.Length; m++)
        {
            var study = (m == 3 ? one : fit).EventStudy(methods[m]);
            study.IsDefined.Should().BeFalse();
            study.UndefinedReason.Should().Contain(m == 3 ? "at least two treated units" : reasons[m]);
            study.Points.Should().OnlyContain(p => double.IsNaN(p.StandardError) && double.IsNaN(p.Lower) && double.IsNaN(p.UniformUpper));
            study.Points.Select(p => p.Effect).Should().NotContain(double.NaN);
            study.PreTrendTest.Should().BeNull();
            study.ToString().Should().Contain("standard errors undefined — ");
        }
    }

    [Fact]
    public void Bad_options_and_switching_designs_are_refused_by_name()
    {
        var fit = new DifferenceInDifferences().Estimate(Data);
        FluentActions.Invoking(() => fit.EventStudy(null, level: 1.2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*level must lie strictly between 0 and 1*");
        FluentActions.Invoking(() => fit.EventStudy(null, options: new EventStudyOptions { Leads = -1 })).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Leads must be 0 or more*");
        FluentActions.Invoking(() => fit.EventStudy(null, options: new EventStudyOptions { Leads = 8 })).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*longest pre-period of a treated unit is 7 periods, so at most 7 leads*");
        FluentActions.Invoking(() => fit.CohortPeriodEffects(null, options: new EventStudyOptions { EquivalenceBound = 0 })).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*EquivalenceBound must be a positive number*");
        var switching = new DifferenceInDifferences().Estimate(PatternPanels.Parse("0000 0000 0000 0110 0011"));
        FluentActions.Invoking(() => switching.EventStudy(null)).Should().Throw<UnsupportedTreatmentPatternException>().WithMessage("*adopt treatment once and stay treated*'unit3'*");
    }

    [Fact]
    public void Replicates_are_deterministic_and_cancellable()
    {
        var fit = new DifferenceInDifferences().Estimate(Data);
        var one = fit.EventStudy(new BootstrapVariance { Replications = 20, Seed = 9, MaxDegreeOfParallelism = 1 });
        var many = fit.EventStudy(new BootstrapVariance { Replications = 20, Seed = 9 });
        many.Points.Should().Equal(one.Points);
        many.PreTrendTest.Should().Be(one.PreTrendTest);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        FluentActions.Invoking(() => fit.EventStudy(new BootstrapVariance(), ct: cancelled.Token)).Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void The_summary_is_a_table_with_the_level_the_tests_and_the_notes()
    {
        var study = new DifferenceInDifferences().Estimate(Data).EventStudy(new BootstrapVariance { Replications = 20, Seed = 2 }, level: 0.9);
        var text = study.ToString();
        text.Should().StartWith("DiD event study, Bootstrap (20 replicates): ATT = ");
        text.Should().Contain("90% intervals ±1.64 se; 90% sup-t band ±");
        text.Split('\n')[2].Split("  ", StringSplitOptions.RemoveEmptyEntries).Select(h => h.Trim())
            .Should().Equal("event time", "effect", "std. error", "90% interval", "90% band", "cells");
        text.Split('\n').Should().Contain(l => l.TrimStart().StartsWith("-4 ")).And.Contain(l => l.TrimStart().StartsWith("2 "));
        text.Should().Contain("Joint Wald test").And.Contain("Equivalence test (TOST)").And.Contain("note: 4 leads by default");
    }

    [Fact]
    public void Leads_deeper_than_a_cohorts_pre_period_say_which_cohort_they_leave_out()
    {
        // Cohort '4' (units 8, 9) has 3 pre-periods, cohort '8' (units 10, 11) has 7: leads −4 and −5 are cohort '8' alone.
        var data = RandomPanels.Staggered(7, [-1, -1, -1, -1, -1, -1, -1, -1, 3, 3, 7, 7], 10);
        var study = new DifferenceInDifferences().Estimate(data).EventStudy(null, options: new EventStudyOptions { Leads = 5 });

        study.Points.Where(p => p.EventTime is -4 or -5).Should().OnlyContain(p => p.TreatedCells == 2);
        study.Points.Single(p => p.EventTime == -3).TreatedCells.Should().Be(4);
        study.Notes.Should().Contain(n => n.Contains("cohort 4 has leads down to −3 only"));
        new DifferenceInDifferences().Estimate(data).EventStudy(null, options: new EventStudyOptions { Leads = 3 })
            .Notes.Should().NotContain(n => n.Contains("leads down to"));
    }
}
