using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Inference;

public class RegressionVarianceTests
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();

    /// <summary>A 12×9 panel with noise variance a_i·b_t and one treated cell (the last).</summary>
    private static PanelData OneTreatedCell(int seed)
    {
        var rng = new Random(seed);
        const int n = 12, t = 9;
        var y = new double[n, t];
        var w = new bool[n, t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                y[i, s] = i + 0.5 * s + (1 + i % 3) * (1 + s % 2) * (rng.NextDouble() - 0.5);
        w[n - 1, t - 1] = true;
        return PanelData.FromMatrices(y, w);
    }

    /// <summary>Residuals of a dense dummy regression on the untreated cells, and their degrees of freedom.</summary>
    private static (double[,] Residuals, int Df) TwoWayResiduals(PanelData data)
    {
        var (_, fitted) = DenseLeastSquares.TwoWay(data, (i, s) => !data.Treatment[i, s]);
        var e = new double[data.UnitCount, data.PeriodCount];
        var cells = 0;
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++)
                if (!data.Treatment[i, s]) { e[i, s] = data.Outcomes[i, s] - fitted(i, s); cells++; }
        return (e, cells - (data.UnitCount + data.PeriodCount - 1));
    }

    [Fact]
    public void Marginal_DiD_on_one_cell_is_the_pooled_residual_variance_times_the_closed_form_factor()
    {
        var data = OneTreatedCell(1);
        var (e, df) = TwoWayResiduals(data);
        var sigma2 = e.Cast<double>().Sum(v => v * v) / df;
        double n0 = 11, t0 = 8;   // spec §3.3a: κ = 1 + 1/N0 + 1/T0 + 1/(N0·T0)

        var result = new DifferenceInDifferences().Estimate(data).WithVariance(new RegressionVariance());

        result.Target.Should().Be(VarianceTarget.Marginal);
        result.Variance.Should().BeApproximately(sigma2 * (1 + 1 / n0 + 1 / t0 + 1 / (n0 * t0)), 1e-10);
        result.DegreesOfFreedom.Should().BeNull();
        new MarginalVariance { Approach = VarianceApproach.Regression }.Estimate(new DifferenceInDifferences(), data)
            .StandardError.Should().Be(result.StandardError);
    }

    [Fact]
    public void Conditional_models_weight_the_closed_form_DiD_contrast_by_unit_period_and_two_way_variances()
    {
        var data = OneTreatedCell(2);
        var (e, df) = TwoWayResiduals(data);
        int n = 12, t = 9, cells = n * t - 1;
        var inflation = (double)cells / df;
        var pooled = e.Cast<double>().Sum(v => v * v) / df;
        double UnitVar(int i) => inflation * Enumerable.Range(0, t).Where(s => !data.Treatment[i, s]).Average(s => e[i, s] * e[i, s]);
        double PeriodVar(int s) => inflation * Enumerable.Range(0, n).Where(i => !data.Treatment[i, s]).Average(i => e[i, s] * e[i, s]);
        // DiD weights on one treated cell: 1, −1/T0 on its row, −1/N0 on its column, 1/(N0·T0) elsewhere.
        double A(int i, int s) => (i == n - 1, s == t - 1) switch
        {
            (true, true) => 1,
            (true, false) => -1.0 / (t - 1),
            (false, true) => -1.0 / (n - 1),
            _ => 1.0 / ((n - 1) * (t - 1)),
        };
        double Expected(Func<int, int, double> sigma2) =>
            Enumerable.Range(0, n).Sum(i => Enumerable.Range(0, t).Sum(s => A(i, s) * A(i, s) * sigma2(i, s)));

        var fit = new DifferenceInDifferences().Estimate(data);
        var byUnit = fit.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnits });
        var byPeriod = fit.WithVariance(new ConditionalVariance { On = VarianceTarget.ConditionalOnPeriods, Approach = VarianceApproach.Regression });
        var both = fit.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods });

        byUnit.Variance.Should().BeApproximately(Expected((i, _) => UnitVar(i)), 1e-10);
        byPeriod.Variance.Should().BeApproximately(Expected((_, s) => PeriodVar(s)), 1e-10);
        // Two-way: the shrunk multiplicative model of the untreated cells (NoiseScales.FitTwoWay, tested against brute force in
        // NoiseScaleTests) weighting the closed-form contrast.
        var untreated = new double[n * t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                if (!data.Treatment[i, s]) untreated[i * t + s] = 1;
        var model = CausalPanel.Numerics.NoiseScales.FitTwoWay(data.Outcomes.Values, untreated, n, t);
        var (unitScales, periodScales) = (model.Units, model.Periods);
        both.Variance.Should().BeApproximately(Expected((i, s) => unitScales[i] * periodScales[s]), 1e-10);
        // Satterthwaite: 2V̂²/Var V̂, Var V̂ ≈ Σ_i (Σ_t A²b̂²_t)² Var â²_i + Σ_t (Σ_i A²â²_i)² Var b̂²_t with Var â²_i = κ̂ â⁴_i / n_i.
        var spread = Enumerable.Range(0, n).Sum(i => Math.Pow(Enumerable.Range(0, t).Sum(s => A(i, s) * A(i, s) * periodScales[s]) * unitScales[i], 2) * model.Kappa / (i == n - 1 ? t - 1 : t))
            + Enumerable.Range(0, t).Sum(s => Math.Pow(Enumerable.Range(0, n).Sum(i => A(i, s) * A(i, s) * unitScales[i]) * periodScales[s], 2) * model.Kappa / (s == t - 1 ? n - 1 : n));
        both.DegreesOfFreedom!.Value.Should().BeApproximately(2 * both.Variance * both.Variance / spread, 1e-9);
        byUnit.DegreesOfFreedom.Should().Be(7);    // the treated unit's 8 untreated cells − 1
        byPeriod.DegreesOfFreedom.Should().Be(10); // the treated period's 11 untreated cells − 1
    }

    [Fact]
    public void The_two_way_plug_in_carries_the_experimental_caveat_and_prints_it_the_others_do_not()
    {
        var fit = new DifferenceInDifferences().Estimate(OneTreatedCell(2));
        var both = fit.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods });
        var viaConditional = fit.WithVariance(new ConditionalVariance { Approach = VarianceApproach.Regression });

        both.Caveat.Should().StartWith("experimental: our reconstruction of the variance conditional on units and periods")
            .And.Contain("Almeida, Athey, Imbens, Lestant and Olaizola 2025").And.Contain("not the paper's formula");
        var doc = System.Text.RegularExpressions.Regex.Match(both.Caveat!, @"docs/\S+\.md").Value;
        File.Exists(Path.Combine(Path.GetDirectoryName(SimulationReport.PathOf("x"))!, "..", "..", doc)).Should().BeTrue(doc);
        both.ToString().Split(Environment.NewLine)[^1].Should().Be("  caveat: " + both.Caveat);
        viaConditional.Caveat.Should().Be(both.Caveat);
        foreach (var on in new[] { VarianceTarget.Marginal, VarianceTarget.ConditionalOnUnits, VarianceTarget.ConditionalOnPeriods })
        {
            var other = fit.WithVariance(new RegressionVariance { On = on });
            other.Caveat.Should().BeNull();
            other.ToString().Should().NotContain("caveat");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_way_degrees_of_freedom_match_the_spread_of_the_two_way_variance_over_simulated_panels(bool noisiestUnitTreated)
    {
        // Brute force: over 2,000 panels with σ_it = a_i·b_t (strong unit, mild period heteroskedasticity) and one treated cell
        // (in the quietest or the noisiest unit, the last period), 2 (mean V̂)² / var V̂ — the df of the scaled χ² that matches
        // V̂'s first two moments — against the mean of the Satterthwaite df each panel reports. The Monte-Carlo s.e. of the
        // brute-force df is about 4% here. (Counting each scale's cells as independent, the df was about 30 against 16 for
        // the quiet unit: its residuals are mostly the noisy units' period means.)
        const int n = 40, t = 30, panels = 2000;
        var rng = new Random(3);
        var (a, b) = TwoWayNoiseDf.Scales(rng, n, t);
        var w = new bool[n, t];
        w[Array.IndexOf(a, noisiestUnitTreated ? a.Max() : a.Min()), t - 1] = true;
        var (empirical, reported) = TwoWayNoiseDf.Compare(rng, a, b, w, panels, new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods });
        // Measured: 44.4 against 28.5 (quietest unit), 20.2 against 14.1 (noisiest): the first-order df overstates by 1.4–1.55 now
        // that the scales are unshrunk (the scales' covariances, the noise of the weighted fit's own effects and the estimated
        // weights' feedback are not counted) — anti-conservative, but on the 95% t quantile only 2.7% (t at 14.1 df 2.142, at 20.2 df
        // 2.085), and the size holds (BothVarianceCalibrationTests, docs/simulations/variance-power.md). Left to improve.
        (reported / empirical).Should().BeInRange(0.85, 1.6, $"the reported df average {reported:F1} and the brute-force df is {empirical:F1}");
    }

    [Theory]
    [InlineData("sc")]
    [InlineData("difp")]
    [InlineData("sdid")]
    public void Linear_weights_of_the_synthetic_estimators_reproduce_Rs_California_estimate(string name)
    {
        IEstimator estimator = name switch
        {
            "sc" => new SyntheticControl(),
            "difp" => new SyntheticControlWithIntercept(),
            _ => new SyntheticDifferenceInDifferences(),
        };
        var a = estimator.Estimate(California).LinearWeights()!;
        var att = Enumerable.Range(0, a.Length).Sum(k => a[k] * California.Outcomes[k / 31, k % 31]);
        att.Should().BeApproximately(Reference.Json("california.json").GetProperty("estimates").GetProperty(name).GetProperty("att").GetDouble(), 1e-8);
    }

    [Fact]
    public void Linear_weights_of_DiD_reproduce_the_dense_least_squares_imputation_on_gappy_staggered_panels()
    {
        var data = RandomPanels.Staggered(3, [-1, -1, -1, 4, 4, 6, 7, -1], 10, missingShare: 0.15);
        var (_, fitted) = DenseLeastSquares.TwoWay(data, (i, s) => !data.Treatment[i, s]);
        var treated = Enumerable.Range(0, 8).SelectMany(i => Enumerable.Range(0, 10).Where(s => data.Treatment[i, s]).Select(s => (i, s))).ToArray();
        var expected = treated.Average(c => data.Outcomes[c.i, c.s] - fitted(c.i, c.s));

        var a = new DifferenceInDifferences().Estimate(data).LinearWeights()!;
        var y = data.Outcomes.Values.ToArray();
        Enumerable.Range(0, a.Length).Where(k => a[k] != 0).Sum(k => a[k] * y[k]).Should().BeApproximately(expected, 1e-9);
        Enumerable.Range(0, a.Length).Where(k => double.IsNaN(y[k])).Should().OnlyContain(k => a[k] == 0);
    }

    [Fact]
    public void Estimators_that_are_not_linear_are_refused_with_a_reason()
    {
        var fit = new MatrixCompletion(new MatrixCompletionOptions { Lambda = 0.05 }).Estimate(California);
        var result = fit.WithVariance(new RegressionVariance());
        result.IsDefined.Should().BeFalse();
        result.UndefinedReason.Should().Contain("not linear").And.Contain("UnitPlaceboVariance");
        double.IsNaN(result.StandardError).Should().BeTrue();
    }
}
