using CausalPanel.Numerics;
using CausalPanel.Tests.Support;
using MathNet.Numerics.LinearAlgebra;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Estimators;

/// <summary>DWCP / TROP against its special cases, closed forms and independent least squares.</summary>
public class DoublyWeightedCausalPanelTests(ITestOutputHelper output)
{
    private static DwcpOptions Fixed(double unit, double time, double nuclear) =>
        new() { LambdaUnit = unit, LambdaTime = time, LambdaNuclear = nuclear };

    public static TheoryData<string> Panels() => ["california", "staggered", "switching"];

    private static PanelData Panel(string name) => name switch
    {
        "california" => Datasets.CaliforniaSmoking(),
        "staggered" => RandomPanels.Staggered(seed: 5, [-1, -1, -1, -1, 3, 3, 5, 6, -1, 4], periods: 9, missingShare: 0.05),
        _ => PatternPanels.Parse("000000 000000 000000 001100 000011 011000"),
    };

    [Theory]
    [MemberData(nameof(Panels))]
    public void All_off_is_difference_in_differences(string name)
    {
        // Paper §2.2: λ_unit = λ_time = 0 and λ_nuclear = ∞ give uniform weights and no low-rank term.
        var data = Panel(name);
        var dwcp = new DoublyWeightedCausalPanel(Fixed(0, 0, double.PositiveInfinity)).Estimate(data);
        var did = new DifferenceInDifferences().Estimate(data);
        dwcp.Att.Should().BeApproximately(did.Att, 1e-9);
        if (name == "california") dwcp.Att.Should().BeApproximately(-27.349111083614986, 1e-9);
    }

    [Fact]
    public void Uniform_weights_with_a_finite_penalty_is_matrix_completion_at_lambda_over_the_observed_count()
    {
        // DWCP (raw outcome) minimises Σ_O r² + λ_nn‖L‖_*; MC-NNM minimises (1/|O|)Σ_O r² + λ_MC‖L‖_*,
        // so λ_MC = λ_nn / |O| (with Standardise = true: λ_MC = λ_nn · sd(Y) / |O|).
        var data = RandomPanels.Staggered(seed: 8, [-1, -1, -1, -1, -1, -1, 4, 4, 6, 7, -1, 5], periods: 10);
        var observed = data.UnitCount * data.PeriodCount - data.Treatment.TreatedCount;
        const double lambdaNuclear = 2.0;
        var dwcp = new DoublyWeightedCausalPanel(Fixed(0, 0, lambdaNuclear) with { Standardise = false, Tolerance = 1e-14, MaxIterations = 100_000 }).Estimate(data);
        var mc = new MatrixCompletion(new MatrixCompletionOptions { Lambda = lambdaNuclear / observed, Tolerance = 1e-15, MaxIterations = 100_000 }).Estimate(data);

        mc.Rank.Should().BeGreaterThan(0);
        foreach (var (a, b) in dwcp.CellEffects.Zip(mc.CellEffects))
            a.Counterfactual.Should().BeApproximately(b.Counterfactual, 1e-6);
    }

    [Fact]
    public void Permuting_units_leaves_the_estimate_unchanged()
    {
        var data = RandomPanels.Staggered(seed: 12, [-1, -1, -1, -1, 5, 5, 6, -1], periods: 8);
        var options = Fixed(0.7, 0.3, 1.0);
        var order = new[] { 7, 2, 5, 0, 3, 6, 1, 4 };
        var y = data.Outcomes.ToArray();
        var w = data.Treatment.ToArray();
        var py = new double[8, 8];
        var pw = new bool[8, 8];
        for (var r = 0; r < 8; r++)
            for (var s = 0; s < 8; s++) { py[r, s] = y[order[r], s]; pw[r, s] = w[order[r], s]; }
        var permuted = PanelData.FromMatrices(py, pw, order.Select(i => data.Units[i]), data.Periods);

        new DoublyWeightedCausalPanel(options).Estimate(permuted).Att
            .Should().BeApproximately(new DoublyWeightedCausalPanel(options).Estimate(data).Att, 1e-9);
    }

    [Fact]
    public void Permuting_periods_leaves_the_estimate_unchanged_when_time_weights_are_uniform()
    {
        // θ depends on |t − s| (positions), so only with λ_time = 0 is the order of periods irrelevant.
        var data = RandomPanels.Staggered(seed: 13, [-1, -1, -1, -1, 5, 5, 6, -1], periods: 8);
        var options = Fixed(0.7, 0, 1.0);
        var order = new[] { 3, 7, 0, 5, 1, 6, 2, 4 };
        var y = data.Outcomes.ToArray();
        var w = data.Treatment.ToArray();
        var py = new double[8, 8];
        var pw = new bool[8, 8];
        for (var i = 0; i < 8; i++)
            for (var c = 0; c < 8; c++) { py[i, c] = y[i, order[c]]; pw[i, c] = w[i, order[c]]; }
        var permuted = PanelData.FromMatrices(py, pw, data.Units, order.Select(c => data.Periods[c]));

        new DoublyWeightedCausalPanel(options).Estimate(permuted).Att
            .Should().BeApproximately(new DoublyWeightedCausalPanel(options).Estimate(data).Att, 1e-8);
    }

    [Fact]
    public void Block_mode_on_CPS_equals_weighted_least_squares_computed_here()
    {
        // Spec §2.5 with λ = (1.6, 0.35, ∞) in the authors' convention, on the standardised CPS log wage,
        // the 8 minimum-wage states treated over the last 10 years.
        var data = Datasets.Cps("log_wage", "min_wage", treatedPeriods: 10);
        var result = new DoublyWeightedCausalPanel(Fixed(1.6, 0.35, double.PositiveInfinity) with { Mode = DwcpMode.Block }).Estimate(data);

        int n = data.UnitCount, t = data.PeriodCount, post = 10, pre = t - post;
        var all = Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(0, t).Select(s => data.Outcomes[i, s])).ToArray();
        double mean = all.Average(), sd = Math.Sqrt(all.Sum(v => (v - mean) * (v - mean)) / (all.Length - 1));
        double Y(int i, int s) => (data.Outcomes[i, s] - mean) / sd;
        var treated = Enumerable.Range(0, n).Where(i => data.Treatment[i, t - 1]).ToArray();
        var delta = Enumerable.Range(0, n).Select(j => Math.Exp(-1.6 * Math.Sqrt(Enumerable.Range(0, pre)
            .Average(s => Math.Pow(Y(j, s) - treated.Average(i => Y(i, s)), 2))))).ToArray();
        var x = Matrix<double>.Build.Dense(n * t, n + t);
        var rhs = Vector<double>.Build.Dense(n * t);
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                var r = i * t + s;
                var weight = delta[i] * Math.Exp(-0.35 * Math.Abs(s - (t - post / 2.0)));   // multiplies the residual
                x[r, 0] = weight;
                if (i > 0) x[r, i] = weight;
                if (s > 0) x[r, n - 1 + s] = weight;
                x[r, n + t - 1] = weight * (data.Treatment[i, s] ? 1 : 0);
                rhs[r] = weight * Y(i, s);
            }
        var tau = x.QR().Solve(rhs)[n + t - 1] * sd;
        output.WriteLine($"block-mode τ = {result.Att:R} (weighted least squares {tau:R}); DiD {new DifferenceInDifferences().Estimate(data).Att:R}");

        result.Att.Should().BeApproximately(tau, 1e-9);
    }

    [Fact]
    public void Leave_one_out_criterion_equals_brute_force_at_the_off_point()
    {
        // Q(0, 0, ∞) = Σ over untreated cells of the error of dense OLS with dummies fitted without that cell.
        var data = RandomPanels.Staggered(seed: 3, [-1, -1, -1, 4, 4, 5], periods: 6);
        var result = new DoublyWeightedCausalPanel(new DwcpOptions
        {
            Tuning = DwcpTuning.LeaveOneOut, Standardise = false,
            LambdaUnitGrid = [0, 0.5], LambdaTimeGrid = [0, 0.5], LambdaNuclearGrid = [double.PositiveInfinity, 1],
        }).Estimate(data);

        double expected = 0;
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++)
            {
                if (data.Treatment[i, s]) continue;
                var (_, fitted) = DenseLeastSquares.TwoWay(data, (j, u) => !data.Treatment[j, u] && (j, u) != (i, s));
                expected += Math.Pow(data.Outcomes[i, s] - fitted(i, s), 2);
            }
        var off = result.Tuning.First(p => p.LambdaUnit == 0 && p.LambdaTime == 0 && double.IsPositiveInfinity(p.LambdaNuclear));
        off.Criterion.Should().BeApproximately(expected, 1e-8);
        result.Tuning.Min(p => p.Criterion).Should().Be(result.Tuning.Single(p =>
            p.LambdaUnit == result.LambdaUnit && p.LambdaTime == result.LambdaTime && p.LambdaNuclear == result.LambdaNuclear).Criterion);
    }

    [Fact]
    public void Cells_not_identified_under_the_weights_are_excluded_and_reported()
    {
        // unit0 shares untreated periods only with unit1, which is unobserved in 2002; units 2-4 have no
        // period in common with unit0 (nor has unit4), so λ_unit > 0 gives them weight 0 and (unit0, 2002) loses its controls.
        var data = PatternPanels.Parse("001.. 00.00 ..000 ..000 ..001");
        var result = new DoublyWeightedCausalPanel(Fixed(1, 0, double.PositiveInfinity)).Estimate(data);

        result.ExcludedCells.Should().Equal(("unit0", "2002"));
        result.CellEffects.Should().ContainSingle().Which.Unit.Should().Be("unit4");
        result.Warnings.Should().ContainSingle().Which.Should().Contain("unit0/2002");
        new DoublyWeightedCausalPanel(Fixed(0, 0, double.PositiveInfinity)).Estimate(data).CellEffects.Should().HaveCount(2);
    }

    [Fact]
    public void Bad_options_are_refused_by_name()
    {
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel(Fixed(-1, 0, 1))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*LambdaUnit*");
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel(Fixed(0, double.PositiveInfinity, 1))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*LambdaTime*0 = uniform*");
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel(new DwcpOptions { Mode = DwcpMode.Block, Tuning = DwcpTuning.LeaveOneOut }).Estimate(Datasets.CaliforniaSmoking()))
            .Should().Throw<ArgumentException>().WithMessage("*placebo block cross-validation*Mode = PerCell*");
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel(new DwcpOptions { Tuning = DwcpTuning.PlaceboBlock }).Estimate(PatternPanels.Parse("0000 0011 0111 0000")))
            .Should().Throw<UnsupportedTreatmentPatternException>().WithMessage("*placebo block tuning needs a block design*");
    }

    [Fact]
    public void Block_mode_is_tuned_by_placebo_draws_deterministically()
    {
        // The authors' procedure: placebo-treat 8 random never-treated states over the last 10 years, score √(mean τ̂²).
        var data = Datasets.Cps("log_wage", "min_wage", treatedPeriods: 10);
        var options = new DwcpOptions
        {
            Mode = DwcpMode.Block, PlaceboDraws = 20, Seed = 3,
            LambdaUnitGrid = [0, 0.8, 1.6], LambdaTimeGrid = [0, 0.35], LambdaNuclear = double.PositiveInfinity,
        };
        var first = new DoublyWeightedCausalPanel(options).Estimate(data);
        var again = new DoublyWeightedCausalPanel(options).Estimate(data);
        output.WriteLine(string.Join("\n", first.Tuning.Select(p => $"{p.LambdaUnit} {p.LambdaTime} {p.LambdaNuclear}: {p.Criterion:F5}")) + $"\nchosen ({first.LambdaUnit}, {first.LambdaTime}), τ {first.Att:F5}");

        again.Att.Should().Be(first.Att);
        again.Tuning.Should().Equal(first.Tuning);
        first.Tuning.Should().Contain(p => p.LambdaUnit == 0 && p.LambdaTime == 0);
        var chosen = first.Tuning.Single(p => p.LambdaUnit == first.LambdaUnit && p.LambdaTime == first.LambdaTime);
        chosen.Criterion.Should().Be(first.Tuning.Min(p => p.Criterion));
        first.Tuning.Should().OnlyContain(p => double.IsFinite(p.Criterion) && p.Criterion > 0);
    }

    [Fact]
    public void Per_cell_mode_can_be_tuned_by_placebo_draws_too()
    {
        var data = RandomPanels.Staggered(seed: 6, [-1, -1, -1, -1, -1, -1, 5, 5], periods: 7);
        var result = new DoublyWeightedCausalPanel(new DwcpOptions
        {
            Tuning = DwcpTuning.PlaceboBlock, PlaceboDraws = 10, LambdaUnitGrid = [0, 1], LambdaTimeGrid = [0, 0.5], LambdaNuclearGrid = [double.PositiveInfinity],
        }).Estimate(data);
        result.Tuning.Should().NotBeEmpty().And.OnlyContain(p => double.IsFinite(p.Criterion));
        double.IsFinite(result.Att).Should().BeTrue();
    }

    [Fact]
    public void Warm_started_tuning_fits_reach_the_optimum_a_cold_tight_fit_reaches()
    {
        // Tuning starts each cell's fit from its low-rank part at the previous triple. FISTA used to stop when an
        // extrapolated step left L unchanged, which does not make L a fixed point: on CPS such fits stopped at L = 0
        // after 7 steps, predictions off by 3e-5 to 9e-5 (cell (44, 27) from λ_time 0.1 to 0.2 at λ_nuclear 0.5 and
        // (26, 20) from 0.05 to 0.1 at λ_nuclear 1, both with λ_unit 3.2). The reference is a cold fit at tolerance
        // 1e-14 whose optimality (subgradient) conditions are checked independently below.
        var cps = Datasets.Cps("log_wage", "min_wage", treatedPeriods: 10);
        var (mean, sd) = DoublyWeightedCausalPanel.Moments(cps.Outcomes.Values);
        var y = cps.Outcomes.Values.ToArray().Select(x => (x - mean) / sd).ToArray();
        var w = cps.Treatment.Values.ToArray();
        var core = new DwcpCore(y, w, cps.UnitCount, cps.PeriodCount, 5_000, 1e-9);
        var tight = new DwcpCore(y, w, cps.UnitCount, cps.PeriodCount, 200_000, 1e-14);
        var cases = core.UntreatedCells().Where((_, k) => k % 40 == 0).Select(c => (c.I, c.T, From: 0.1, To: 0.2, Nuclear: 0.5))
            .Append((44, 27, 0.1, 0.2, 0.5)).Append((26, 20, 0.05, 0.1, 1.0)).ToList();
        double worst = 0;
        foreach (var (i, s, from, to, nuclear) in cases)
        {
            var previous = core.Fit(i, s, 3.2, from, nuclear, leaveOut: true);
            var warm = core.Fit(i, s, 3.2, to, nuclear, leaveOut: true, new WeightedLowRankRegression.WarmStart { L = previous.L });
            var reference = tight.Fit(i, s, 3.2, to, nuclear, leaveOut: true);
            warm.Converged.Should().BeTrue();
            worst = Math.Max(worst, Math.Abs(warm.Fitted(i, s) - reference.Fitted(i, s)));
        }
        output.WriteLine($"{cases.Count} fits, largest prediction difference {worst:E2}");
        worst.Should().BeLessThan(1e-7);

        // The reference for (44, 27) is optimal: with v the fit's weights and R = y − α − β − L on them,
        // Σ_s v R = Σ_i v R = 0 and 2 (v ⊙ R)/λ is a subgradient of the nuclear norm at L.
        var best = tight.Fit(44, 27, 3.2, 0.2, 0.5, leaveOut: true);
        var omega = core.UnitWeights(44, 27, 3.2);
        var theta = core.TimeWeights(27, 0.2);
        int n = cps.UnitCount, t = cps.PeriodCount;
        var g = Matrix<double>.Build.Dense(n, t, (j, r) =>
            w[j * t + r] || (j == 44 && r == 27) ? 0 : 2 * omega[j] * theta[r] * (y[j * t + r] - best.Fitted(j, r)) / 0.5);
        for (var j = 0; j < n; j++) Math.Abs(g.Row(j).Sum()).Should().BeLessThan(1e-6);
        for (var r = 0; r < t; r++) Math.Abs(g.Column(r).Sum()).Should().BeLessThan(1e-6);
        NuclearNormOptimality.AssertSubgradient(g, Matrix<double>.Build.Dense(n, t, (j, r) => best.L[j * t + r]), best.Rank);
    }
}
