using CausalPanel.Tests.Support;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Estimators;

/// <summary>SC, DIFP and SDID against R synthdid 0.0.9 (../shared/reference), to 1e-8.</summary>
public class SyntheticWeightingTests(ITestOutputHelper output)
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();
    private static readonly double SdidRidge = Math.Pow(1 * 12, 0.25);   // (N1·T1)^(1/4)

    public static TheoryData<string, IEstimator, double> CaliforniaCases() => new()
    {
        // california.json: estimates.{sc, difp, sdid, sc_reg, difp_reg}.att
        { "sc", new SyntheticControl(), -19.619663470944 },
        { "difp", new SyntheticControlWithIntercept(), -11.1046449277198 },
        { "sdid", new SyntheticDifferenceInDifferences(), -15.6038278727338 },
        { "sc_reg", new SyntheticControl(new SyntheticWeightingOptions { EtaOmega = SdidRidge }), -21.7170583428652 },
        { "difp_reg", new SyntheticControlWithIntercept(new SyntheticWeightingOptions { EtaOmega = SdidRidge }), -16.1212023335798 },
    };

    [Theory]
    [MemberData(nameof(CaliforniaCases))]
    public void California_estimates_match_R_synthdid(string name, IEstimator estimator, double expected)
    {
        var att = estimator.Estimate(California).Att;
        output.WriteLine($"{name}: {att:R} (R {expected:R})");
        att.Should().BeApproximately(expected, 1e-8);
    }

    [Theory]
    [InlineData("sdid", "california_sdid_weights.csv")]
    [InlineData("sc", "california_sc_weights.csv")]
    public void California_unit_and_time_weights_match_R_synthdid(string name, string file)
    {
        SyntheticWeightingResult result = name == "sdid"
            ? new SyntheticDifferenceInDifferences().Estimate(California)
            : new SyntheticControl().Estimate(California);
        var reference = Reference.Weights(file);

        var omega = reference.Where(r => r.Type == "omega").ToList();
        omega.Should().HaveCount(38);
        result.UnitWeights.Select(w => w.Label).Should().Equal(omega.Select(r => r.Label));
        foreach (var (w, r) in result.UnitWeights.Zip(omega))
            w.Weight.Should().BeApproximately(r.Weight, 1e-8, $"omega of {r.Label}");

        var lambda = reference.Where(r => r.Type == "lambda").ToList();
        if (lambda.Count == 0) result.TimeWeights.Should().OnlyContain(w => w.Weight == 0);
        foreach (var (w, r) in result.TimeWeights.Zip(lambda))
            w.Weight.Should().BeApproximately(r.Weight, 1e-8, $"lambda of {r.Label}");
    }

    [Fact]
    public void California_SDID_regularisation_and_effective_sizes_match_R()
    {
        var json = Reference.Json("california.json");
        var sdid = json.GetProperty("estimates").GetProperty("sdid");
        var fit = new SyntheticDifferenceInDifferences().Estimate(California);

        fit.Cohorts[0].NoiseLevel.Should().BeApproximately(json.GetProperty("noise_level").GetDouble(), 1e-12);
        fit.Cohorts[0].ZetaOmega.Should().BeApproximately(sdid.GetProperty("zeta_omega").GetDouble(), 1e-10);
        fit.Cohorts[0].ZetaLambda.Should().BeApproximately(sdid.GetProperty("zeta_lambda").GetDouble(), 1e-16);
        fit.EffectiveControls.Should().BeApproximately(sdid.GetProperty("effective_N0").GetDouble(), 1e-6);
        fit.EffectivePrePeriods!.Value.Should().BeApproximately(sdid.GetProperty("effective_T0").GetDouble(), 1e-6);
        Math.Round(fit.EffectiveControls, 3).Should().Be(16.388);
        Math.Round(fit.EffectivePrePeriods.Value, 3).Should().Be(2.783);
        new SyntheticControl().Estimate(California).EffectivePrePeriods.Should().BeNull();
    }

    [Fact]
    public void Frank_Wolfe_stops_where_R_does_on_California()
    {
        // Spec §1.5: omega stage 2 runs to the 10,000 cap; SDID's lambda stage 2 stops after 5 steps.
        var fit = new SyntheticDifferenceInDifferences().Estimate(California).Cohorts[0];
        fit.UnitWeightSolver!.Iterations.Should().Be(100 + 10_000);
        fit.UnitWeightSolver.Converged.Should().BeFalse();
        fit.TimeWeightSolver!.Iterations.Should().Be(100 + 5);
        fit.TimeWeightSolver.Converged.Should().BeTrue();
    }

    [Fact]
    public void Converged_solver_reaches_a_lower_objective_than_Frank_Wolfe()
    {
        var fw = new SyntheticDifferenceInDifferences().Estimate(California);
        var exact = new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { Solver = WeightSolver.Converged }).Estimate(California);
        output.WriteLine($"SDID converged: ATT {exact.Att:R}, objective {exact.Cohorts[0].UnitWeightSolver!.Objective:R} " +
                         $"(Frank–Wolfe: ATT {fw.Att:R}, objective {fw.Cohorts[0].UnitWeightSolver!.Objective:R})");

        exact.Cohorts[0].UnitWeightSolver!.Converged.Should().BeTrue();
        exact.Cohorts[0].UnitWeightSolver!.Objective!.Value.Should().BeLessThanOrEqualTo(fw.Cohorts[0].UnitWeightSolver!.Objective!.Value);
        exact.Cohorts[0].TimeWeightSolver!.Objective!.Value.Should().BeLessThanOrEqualTo(fw.Cohorts[0].TimeWeightSolver!.Objective!.Value + 1e-12);
        OptimalityGap(exact).Should().BeLessThan(1e-9);
        OptimalityGap(fw).Should().BeGreaterThan(1e-6, "the 10,000th Frank–Wolfe iterate is not the optimum");
    }

    /// <summary>
    /// KKT check of the SDID unit-weight problem, built here from the data (paper Eq. 2.2):
    /// minimise ζ²‖ω‖² + ‖Aω − b‖²/T0 over the simplex, A = controls' pre-period outcomes and b = the
    /// treated pre-period mean, both centred over time (the intercept). At the optimum every
    /// gradient entry is ≥ its minimum, with equality on the support; returns the Frank–Wolfe gap
    /// gᵀω − min g, which bounds f(ω) − f*.
    /// </summary>
    private static double OptimalityGap(SyntheticWeightingResult fit)
    {
        var cohort = fit.Cohorts[0];
        int t0 = cohort.TimeWeights.Count, cal = California.UnitIndex("California");
        var controls = cohort.UnitWeights;
        double[] Centred(Func<int, double> y)
        {
            var v = Enumerable.Range(0, t0).Select(y).ToArray();
            var m = v.Average();
            return v.Select(x => x - m).ToArray();
        }
        var a = controls.Select(c => Centred(t => California.Outcomes[c.Index, t])).ToArray();
        var b = Centred(t => California.Outcomes[cal, t]);
        var omega = controls.Select(c => c.Weight).ToArray();
        var residual = Enumerable.Range(0, t0).Select(t => omega.Select((w, j) => w * a[j][t]).Sum() - b[t]).ToArray();
        var zeta2 = cohort.ZetaOmega * cohort.ZetaOmega;
        var gradient = a.Select((col, j) => 2 * zeta2 * omega[j] + 2.0 / t0 * col.Zip(residual, (x, r) => x * r).Sum()).ToArray();
        return gradient.Zip(omega, (g, w) => g * w).Sum() - gradient.Min();
    }

    [Theory]
    [InlineData("did")]
    [InlineData("sc")]
    [InlineData("sdid")]
    [InlineData("difp")]
    public void Multi_treated_CPS_block_matches_R(string name)
    {
        var data = Reference.CpsMinWageBlock();
        var method = Reference.Json("cps_minwage_block.json").GetProperty("methods").GetProperty(name);
        IEstimator estimator = name switch
        {
            "did" => new DifferenceInDifferences(),
            "sc" => new SyntheticControl(),
            "sdid" => new SyntheticDifferenceInDifferences(),
            _ => new SyntheticControlWithIntercept(),
        };

        var result = estimator.Estimate(data);

        result.Att.Should().BeApproximately(method.GetProperty("att").GetDouble(), 1e-8);
        if (result is SyntheticWeightingResult weighted)
        {
            var omega = method.GetProperty("omega").EnumerateArray().Select(e => e.GetDouble()).ToList();
            var lambda = method.GetProperty("lambda").EnumerateArray().Select(e => e.GetDouble()).ToList();
            weighted.UnitWeights.Select(w => w.Weight).Should().Equal(omega, (a, b) => Math.Abs(a - b) <= 1e-8);
            weighted.TimeWeights.Select(w => w.Weight).Should().Equal(lambda, (a, b) => Math.Abs(a - b) <= 1e-8);
        }
    }

    [Fact]
    public void Effect_curve_averages_to_the_estimate_and_trajectory_gap_is_the_curve()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(California);
        fit.EffectsByPeriod.Should().HaveCount(12);
        fit.EffectsByPeriod.Average(e => e.Effect).Should().BeApproximately(fit.Att, 1e-10);
        foreach (var e in fit.EffectsByPeriod)
        {
            var p = fit.Trajectory[e.PeriodIndex];
            (p.Treated - p.Counterfactual).Should().BeApproximately(e.Effect, 1e-10);
        }
    }

    [Theory]
    [InlineData("sc")]
    [InlineData("difp")]
    [InlineData("sdid")]
    public void Staggered_adoption_is_the_cell_weighted_mean_of_each_cohort_run_as_its_own_block(string name)
    {
        Func<SyntheticWeightingEstimator> make = name switch
        {
            "sc" => () => new SyntheticControl(),
            "difp" => () => new SyntheticControlWithIntercept(),
            _ => () => new SyntheticDifferenceInDifferences(),
        };
        // California's 38 controls, with Utah adopting in 1985 and Nevada in 1995 besides California in 1989.
        var w = California.Treatment.ToArray();
        int utah = California.UnitIndex("Utah"), nevada = California.UnitIndex("Nevada");
        for (var t = 15; t < 31; t++) w[utah, t] = true;
        for (var t = 25; t < 31; t++) w[nevada, t] = true;
        var staggered = California.WithTreatment(new TreatmentMatrix(w));

        var result = make().Estimate(staggered);

        staggered.Pattern.Design.Should().Be(TreatmentDesign.Staggered);
        result.Cohorts.Select(c => c.AdoptionPeriod).Should().Equal("1985", "1989", "1995");
        double weighted = 0, cells = 0;
        foreach (var (unit, adoption) in new[] { (utah, 15), (California.UnitIndex("California"), 19), (nevada, 25) })
        {
            // That cohort's units and the never-treated units, as a block panel of its own.
            var keep = Enumerable.Range(0, California.UnitCount).Where(i => i == unit || (i != utah && i != nevada && !California.Treatment[i, 30])).ToArray();
            var y = new double[keep.Length, 31];
            var wb = new bool[keep.Length, 31];
            for (var r = 0; r < keep.Length; r++)
                for (var t = 0; t < 31; t++) { y[r, t] = California.Outcomes[keep[r], t]; wb[r, t] = keep[r] == unit && t >= adoption; }
            var block = PanelData.FromMatrices(y, wb, keep.Select(i => California.Units[i]), California.Periods);
            var att = make().Estimate(block).Att;
            result.Cohorts.Single(c => c.TreatedUnits.Contains(California.Units[unit])).Att.Should().BeApproximately(att, 1e-10);
            weighted += att * (31 - adoption);
            cells += 31 - adoption;
        }
        result.Att.Should().BeApproximately(weighted / cells, 1e-10);
        FluentActions.Invoking(() => result.UnitWeights).Should().Throw<InvalidOperationException>().WithMessage("*3 adoption cohorts*Cohorts*");
    }
}
