using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.DesignOptions;

/// <summary>
/// Variance methods honour the design options: their replicates re-run the estimator with the same anticipation and
/// control group (placebo units get the same anticipation window), time placebos keep clear of the real window, and
/// every estimator's replicate hook carries its options.
/// </summary>
public class DesignOptionInferenceTests
{
    private static readonly DifferenceInDifferencesOptions Options = new() { Anticipation = 1, ControlGroup = ControlGroup.NeverTreated };

    [Fact]
    public void Unit_placebo_replicates_give_the_placebo_units_the_same_anticipation_and_never_treated_controls()
    {
        int[] adoption = [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 5, 5, 7, 7, 8];
        var data = AnticipationTests.Anticipating(adoption, 11, 1, noise: 1, seed: 12);
        static IReadOnlyList<int> Rotation(int b, int n0) => Enumerable.Range(0, n0).Select(k => (k + 5 * b) % n0).ToArray();
        var fit = new DifferenceInDifferences(Options).Estimate(data);
        var study = fit.EventStudy(new UnitPlaceboVariance { Replications = 8, Permutations = Rotation }, options: new EventStudyOptions { Leads = 2 });

        study.Leads.Select(p => p.EventTime).Should().Equal(-3, -2);
        study.AnticipationPoints.Select(p => p.EventTime).Should().Equal(-1);
        // Replicate b by hand: the never-treated units in the rotated order, the last five placebo-treated at the real
        // adoption periods, estimated by DiD with the same options.
        int[] placebo = [-1, -1, -1, -1, -1, -1, -1, 5, 5, 7, 7, 8];
        var never = data.Pattern.NeverTreatedUnitIndices;
        var draws = Enumerable.Range(0, 8).Select(b =>
        {
            var rows = Rotation(b, 12).Select(r => never[r]).ToArray();
            var y = new double[12, 11];
            var w = new bool[12, 11];
            for (var r = 0; r < 12; r++)
                for (var s = 0; s < 11; s++) (y[r, s], w[r, s]) = (data.Outcomes[rows[r], s], placebo[r] >= 0 && s >= placebo[r]);
            var replicate = new DifferenceInDifferences(Options).Estimate(PanelData.FromMatrices(y, w, rows.Select(i => data.Units[i]), data.Periods));
            replicate.AnticipationEffects.Should().HaveCount(5);
            return replicate.EventStudy(null, options: new EventStudyOptions { Leads = 2 }).Points.ToDictionary(p => p.EventTime, p => p.Effect);
        }).ToArray();
        foreach (var p in study.Points)
        {
            var x = draws.Select(d => d[p.EventTime]).ToArray();
            p.StandardError.Should().BeApproximately(Math.Sqrt(x.Average(v => (v - x.Average()) * (v - x.Average()))), 1e-10);
        }
        study.PreTrendTest!.DegreesOfFreedom.Should().Be(2);
    }

    [Fact]
    public void Time_placebo_windows_stay_before_the_real_anticipation_window_and_carry_their_own()
    {
        // Block design: T0 = 9, T1 = 2, k = 1: the placebos use columns 0–7 (column 8 anticipates), each window [s, s + 2)
        // with column s − 1 set aside and at least MinPrePeriods = 2 columns before that: s = 3, 4, 5, 6 (labels 1..T).
        var data = AnticipationTests.Anticipating([-1, -1, -1, -1, -1, -1, -1, -1, 9, 9, 9], 11, 1, noise: 1, seed: 2);
        var estimator = new DifferenceInDifferences(new DifferenceInDifferencesOptions { Anticipation = 1 });
        var result = estimator.Estimate(data).WithVariance(new TimePlaceboVariance());

        result.ReplicateLabels.Should().Equal("placebo 4–5", "placebo 5–6", "placebo 6–7", "placebo 7–8");
        var atts = new[] { 3, 4, 5, 6 }.Select(start =>
        {
            var y = new double[11, start + 2];
            var w = new bool[11, start + 2];
            for (var i = 0; i < 11; i++)
                for (var s = 0; s < start + 2; s++) (y[i, s], w[i, s]) = (data.Outcomes[i, s], i >= 8 && s >= start);
            return estimator.Estimate(PanelData.FromMatrices(y, w, data.Units, data.Periods.Take(start + 2))).Att;
        }).ToArray();
        result.Replicates.Should().Equal(atts, (a, b) => Math.Abs(a - b) < 1e-12);
        result.StandardError.Should().BeApproximately(Math.Sqrt(atts.Average(a => a * a)), 1e-12);

        var tooShort = new DifferenceInDifferences(new DifferenceInDifferencesOptions { Anticipation = 3 }).Estimate(data).WithVariance(new TimePlaceboVariance());
        tooShort.IsDefined.Should().BeFalse();
        tooShort.UndefinedReason.Should().Contain("T0 ≥ T1 + MinPrePeriods + 2k + 1").And.Contain("k = 3");
    }

    [Fact]
    public void Unit_by_time_placebos_set_aside_the_window_before_each_placebo_window()
    {
        // Block design: T0 = 9, T1 = 2; with k = 1 a placebo window may start at columns 3..7 (MinPrePeriods = 2 columns
        // before its own anticipation column), among the never-treated units only.
        var data = AnticipationTests.Anticipating([-1, -1, -1, -1, -1, -1, -1, -1, 9, 9, 9], 11, 1, noise: 1, seed: 7);
        var estimator = new DifferenceInDifferences(new DifferenceInDifferencesOptions { Anticipation = 1 });
        var fit = estimator.Estimate(data);
        (IReadOnlyList<int> Units, int Start) Draw(int b) => ([b % 8, (b + 3) % 8, (b + 5) % 8], 3 + b % 5);
        var result = fit.WithVariance(new MarginalVariance { Replications = 10, Draws = Draw });

        var atts = Enumerable.Range(0, 10).Select(b =>
        {
            var (units, start) = Draw(b);
            var y = new double[8, start + 2];
            var w = new bool[8, start + 2];
            for (var r = 0; r < 8; r++)
                for (var s = 0; s < start + 2; s++) (y[r, s], w[r, s]) = (data.Outcomes[r, s], units.Contains(r) && s >= start);
            var placebo = estimator.Estimate(PanelData.FromMatrices(y, w, data.Units.Take(8), data.Periods.Take(start + 2)));
            placebo.AnticipationEffects.Should().HaveCount(3).And.OnlyContain(c => c.PeriodIndex == start - 1);
            return placebo.Att;
        }).ToArray();
        result.Replicates.Should().Equal(atts, (a, b) => Math.Abs(a - b) < 1e-12);

        var drawn = fit.WithVariance(new MarginalVariance { Replications = 200, Seed = 3 });
        drawn.ReplicateLabels.Select(l => int.Parse(l[(l.LastIndexOf(' ') + 1)..]) - 1).Should().OnlyContain(s => s >= 3 && s <= 7)
            .And.Contain(3).And.Contain(7);
        var tooShort = new DifferenceInDifferences(new DifferenceInDifferencesOptions { Anticipation = 6 }).Estimate(data).WithVariance(new MarginalVariance());
        tooShort.UndefinedReason.Should().Contain("T0 ≥ T1 + MinPrePeriods + k").And.Contain("k = 6");
    }

    [Fact]
    public void Every_estimators_replicate_hook_keeps_its_anticipation_and_control_group()
    {
        var data = AnticipationTests.Anticipating([-1, -1, -1, -1, -1, -1, -1, -1, 8, 8, 8], 11, 1, noise: 1, seed: 5);
        IEstimator[] estimators =
        [
            new DifferenceInDifferences(Options),
            new MatrixCompletion(new MatrixCompletionOptions { Lambda = 0.1, Anticipation = 1 }),
            new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.2, LambdaTime = 0.1, LambdaNuclear = double.PositiveInfinity, Anticipation = 1, ControlGroup = ControlGroup.NeverTreated }),
            new SyntheticControl(new SyntheticWeightingOptions { Anticipation = 1 }),
            new SyntheticControlWithIntercept(new SyntheticWeightingOptions { Anticipation = 1 }),
            new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { Anticipation = 1 }),
        ];
        var controls = data.Pattern.NeverTreatedUnitIndices.Take(5).ToArray();
        foreach (var estimator in estimators)
        {
            var fit = estimator.Estimate(data);
            foreach (var replicate in new[] { fit.ForReplicate(controls, fixWeights: false), fit.ForReplicate(controls, fixWeights: true), fit.ForReplicate(null, fixWeights: false) })
            {
                (int Anticipation, ControlGroup Group) options = replicate switch
                {
                    DifferenceInDifferences d => (d.Options.Anticipation, d.Options.ControlGroup),
                    MatrixCompletion m => (m.Options.Anticipation, m.Options.ControlGroup),
                    DoublyWeightedCausalPanel d => (d.Options.Anticipation, d.Options.ControlGroup),
                    SyntheticWeightingEstimator s => (s.Options.Anticipation, s.Options.ControlGroup),
                    _ => throw new InvalidOperationException(),
                };
                options.Should().Be((1, fit.ControlGroup), estimator.Name);
            }
            // The jackknife holds the synthetic weights fixed: their time weights cover the periods before the window.
            if (estimator is not SyntheticControl) fit.WithVariance(new JackknifeVariance()).IsDefined.Should().BeTrue(estimator.Name);
        }
    }
}
