using CausalPanel.Tests.Support;
using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel.Tests.Inference;

/// <summary>
/// DWCP at λ_nuclear = ∞ as a linear estimator (weights held fixed): Σ a_it Y_it reproduces the fitted ATT, the weights
/// equal a brute-force dense weighted least squares with unit and period dummies whose weights are computed here from the
/// paper's formulas (Athey, Imbens, Qu and Viviano 2025, Eqs. 2–3; block mode as the authors' code), the regression
/// plug-in is Σ a² σ̂² by hand, and its two-way form is unbiased in a Monte-Carlo with known noise variances.
/// </summary>
public class DwcpLinearWeightsTests
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();

    private static DoublyWeightedCausalPanel Dwcp(double lambdaUnit, double lambdaTime, DwcpMode mode = DwcpMode.PerCell,
        ControlGroup control = ControlGroup.NotYetTreated, int anticipation = 0, bool standardise = true) =>
        new(new DwcpOptions
        {
            LambdaUnit = lambdaUnit, LambdaTime = lambdaTime, LambdaNuclear = double.PositiveInfinity, Mode = mode,
            ControlGroup = control, Anticipation = anticipation, Standardise = standardise,
        });

    /// <summary>A block panel: <paramref name="treatedUnits"/> units treated over the last <paramref name="post"/> periods, optionally with a covariate.</summary>
    private static PanelData Block(int seed, int n, int t, int treatedUnits, int post, bool covariate = false)
    {
        var w = new bool[n, t];
        for (var i = 0; i < treatedUnits; i++)
            for (var s = t - post; s < t; s++) w[i, s] = true;
        return WithCovariate(RandomPanels.WithTreatment(seed, w), seed, covariate);
    }

    private static PanelData WithCovariate(PanelData data, int seed, bool covariate)
    {
        if (!covariate) return data;
        var rng = new Random(seed + 1000);
        var x = new double[data.UnitCount, data.PeriodCount];
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++) x[i, s] = 2 * rng.NextDouble() + 0.1 * i * s;
        var y = data.Outcomes.ToArray();
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++) y[i, s] += 1.5 * x[i, s];
        return PanelData.FromMatrices(y, data.Treatment.ToArray()).WithCovariates(("x", x));
    }

    private static double Sum(double[] a, PanelData data)
    {
        var y = data.Outcomes.Values.ToArray();
        return Enumerable.Range(0, a.Length).Where(k => a[k] != 0).Sum(k => a[k] * y[k]);
    }

    public static TheoryData<string> Fits() =>
    [
        "California per-cell", "California per-cell uniform", "California block", "California per-cell unstandardised",
        "staggered gappy", "staggered never-treated", "staggered anticipation", "staggered covariate", "block panel", "block covariate",
    ];

    private static (DoublyWeightedCausalPanel Estimator, PanelData Data) Case(string name) => name switch
    {
        "California per-cell" => (Dwcp(0.8, 0.3), California),
        "California per-cell uniform" => (Dwcp(0, 0), California),
        "California block" => (Dwcp(0.4, 0.15, DwcpMode.Block), California),
        "California per-cell unstandardised" => (Dwcp(0.02, 0.3, standardise: false), California),
        "staggered gappy" => (Dwcp(0.5, 0.4), RandomPanels.Staggered(3, [-1, -1, -1, 4, 4, 6, 7, -1, -1], 10, missingShare: 0.15)),
        "staggered never-treated" => (Dwcp(0.5, 0.4, control: ControlGroup.NeverTreated), RandomPanels.Staggered(4, [-1, -1, -1, 4, 4, 6, 7, -1, -1], 10)),
        "staggered anticipation" => (Dwcp(0.5, 0.4, anticipation: 1), RandomPanels.Staggered(5, [-1, -1, -1, 4, 4, 6, 7, -1, -1], 10)),
        "staggered covariate" => (Dwcp(0.5, 0.4), WithCovariate(RandomPanels.Staggered(6, [-1, -1, -1, 4, 4, 6, 7, -1, -1], 10), 6, true)),
        "block panel" => (Dwcp(0.6, 0.3, DwcpMode.Block), Block(7, 14, 9, 3, 3)),
        _ => (Dwcp(0.6, 0.3, DwcpMode.Block), Block(8, 14, 9, 3, 3, covariate: true)),
    };

    [Theory]
    [MemberData(nameof(Fits))]
    public void The_linear_weights_reproduce_the_fitted_ATT(string name)
    {
        var (estimator, data) = Case(name);
        var fit = estimator.Estimate(data);

        var a = fit.LinearWeights()!;

        Sum(a, data).Should().BeApproximately(fit.Att, 1e-10 * Math.Max(1, Math.Abs(fit.Att)));
        var y = data.Outcomes.Values.ToArray();
        Enumerable.Range(0, a.Length).Where(k => double.IsNaN(y[k])).Should().NotContain(k => a[k] != 0);
        foreach (var cell in fit.AnticipationEffects) a[cell.UnitIndex * data.PeriodCount + cell.PeriodIndex].Should().Be(0);
    }

    /// <summary>
    /// The hat row of a prediction (or of a coefficient) from dense weighted least squares on explicit dummies: the design
    /// intercept, unit dummies (first dropped), period dummies (first dropped) and the extra columns, over the cells with
    /// v &gt; 0, scaled by √v and solved by MathNet's QR for every unit vector of the outcomes.
    /// </summary>
    private static double[] DenseHat(int n, int t, double[] v, double[] row, params double[][] extra)
    {
        var cells = Enumerable.Range(0, n * t).Where(k => v[k] > 0).ToArray();
        var p = n + t - 1 + extra.Length;
        var x = Matrix<double>.Build.Dense(cells.Length, p);
        for (var r = 0; r < cells.Length; r++)
        {
            int k = cells[r], i = k / t, s = k % t, c = 0;
            var root = Math.Sqrt(v[k]);
            x[r, c++] = root;
            for (var j = 1; j < n; j++) x[r, c++] = i == j ? root : 0;
            for (var q = 1; q < t; q++) x[r, c++] = s == q ? root : 0;
            foreach (var e in extra) x[r, c++] = root * e[k];
        }
        var rhs = Matrix<double>.Build.Dense(cells.Length, cells.Length, (r, q) => r == q ? Math.Sqrt(v[cells[r]]) : 0);
        var coefficients = x.QR().Solve(rhs);   // column r: the coefficients for y = e_r
        var h = Vector<double>.Build.DenseOfArray(row) * coefficients;
        var a = new double[n * t];
        for (var r = 0; r < cells.Length; r++) a[cells[r]] = h[r];
        return a;
    }

    /// <summary>A design row of cell (i, s): intercept, its unit and period dummies, then the extra columns' values.</summary>
    private static double[] DesignRow(int n, int t, int i, int s, params double[] extra)
    {
        var row = new double[n + t - 1 + extra.Length];
        row[0] = 1;
        if (i > 0) row[i] = 1;
        if (s > 0) row[n - 1 + s] = 1;
        for (var e = 0; e < extra.Length; e++) row[n + t - 1 + e] = extra[e];
        return row;
    }

    private static double[] Standardised(PanelData data)
    {
        var y = data.Outcomes.Values.ToArray();
        var observed = y.Where(v => !double.IsNaN(v)).ToArray();
        var mean = observed.Average();
        var sd = Math.Sqrt(observed.Sum(v => (v - mean) * (v - mean)) / (observed.Length - 1));
        return [.. y.Select(v => (v - mean) / sd)];
    }

    /// <summary>Per-cell DWCP's weights by brute force: for each treated cell, ω (RMS distances, Eq. 3) and θ written out, then a dense fit.</summary>
    private static double[] BruteForcePerCell(PanelData data, double lambdaUnit, double lambdaTime, double[]? covariate)
    {
        int n = data.UnitCount, t = data.PeriodCount;
        var y = Standardised(data);
        bool Untreated(int j, int s) => !data.Treatment[j, s] && !double.IsNaN(y[j * t + s]);
        var treated = Enumerable.Range(0, n * t).Where(k => data.Treatment[k / t, k % t]).ToArray();
        var a = new double[n * t];
        foreach (var k in treated)
        {
            int i = k / t, target = k % t;
            var v = new double[n * t];
            for (var j = 0; j < n; j++)
            {
                var common = Enumerable.Range(0, t).Where(s => Untreated(i, s) && Untreated(j, s)).ToArray();
                var omega = j == i ? 1 : Math.Exp(-lambdaUnit * Math.Sqrt(common.Average(s => Math.Pow(y[i * t + s] - y[j * t + s], 2))));
                for (var s = 0; s < t; s++)
                    if (Untreated(j, s)) v[j * t + s] = omega * Math.Exp(-lambdaTime * Math.Abs(s - target));
            }
            var hat = covariate is null ? DenseHat(n, t, v, DesignRow(n, t, i, target)) : DenseHat(n, t, v, DesignRow(n, t, i, target, covariate[k]), covariate);
            a[k] += 1.0 / treated.Length;
            for (var q = 0; q < a.Length; q++) a[q] -= hat[q] / treated.Length;
        }
        return a;
    }

    /// <summary>Block-mode DWCP's weights by brute force: δ from the authors' distances, then W's coefficient in a dense (δ²-weighted) fit.</summary>
    private static double[] BruteForceBlock(PanelData data, double lambdaUnit, double lambdaTime, double[]? covariate)
    {
        int n = data.UnitCount, t = data.PeriodCount;
        var y = Standardised(data);
        var post = Enumerable.Range(0, t).Count(s => data.Treatment[0, s]);
        var treatedRows = Enumerable.Range(0, n).Where(i => data.Treatment[i, t - 1]).ToArray();
        var v = new double[n * t];
        var w = new double[n * t];
        for (var j = 0; j < n; j++)
        {
            var d = Math.Sqrt(Enumerable.Range(0, t - post).Average(s => Math.Pow(y[j * t + s] - treatedRows.Average(i => y[i * t + s]), 2)));
            for (var s = 0; s < t; s++)
            {
                v[j * t + s] = Math.Pow(Math.Exp(-lambdaUnit * d) * Math.Exp(-lambdaTime * Math.Abs(s - (t - post / 2.0))), 2);
                w[j * t + s] = data.Treatment[j, s] ? 1 : 0;
            }
        }
        var p = n + t - 1 + (covariate is null ? 1 : 2);
        var coefficient = new double[p];
        coefficient[n + t - 1] = 1;
        return covariate is null ? DenseHat(n, t, v, coefficient, w) : DenseHat(n, t, v, coefficient, w, covariate);
    }

    public static TheoryData<string> SmallPanels() => ["per-cell", "per-cell covariate", "per-cell uniform units", "block", "block covariate"];

    private static (PanelData Data, DoublyWeightedCausalPanel Estimator, double[] Expected) Small(string name)
    {
        var staggered = RandomPanels.Staggered(11, [-1, -1, -1, 3, 3, 5, -1, -1], 7, missingShare: 0.1);
        var covariateStaggered = WithCovariate(RandomPanels.Staggered(12, [-1, -1, -1, 3, 3, 5, -1, -1], 7), 12, true);
        double[] X(PanelData d) => d.Covariates["x"].Values.ToArray();
        return name switch
        {
            "per-cell" => (staggered, Dwcp(0.7, 0.35), BruteForcePerCell(staggered, 0.7, 0.35, null)),
            "per-cell covariate" => (covariateStaggered, Dwcp(0.7, 0.35), BruteForcePerCell(covariateStaggered, 0.7, 0.35, X(covariateStaggered))),
            "per-cell uniform units" => (staggered, Dwcp(0, 0.5), BruteForcePerCell(staggered, 0, 0.5, null)),
            "block" => (Block(13, 8, 7, 2, 2), Dwcp(0.5, 0.25, DwcpMode.Block), BruteForceBlock(Block(13, 8, 7, 2, 2), 0.5, 0.25, null)),
            _ => (Block(14, 8, 7, 2, 2, true), Dwcp(0.5, 0.25, DwcpMode.Block), BruteForceBlock(Block(14, 8, 7, 2, 2, true), 0.5, 0.25, X(Block(14, 8, 7, 2, 2, true)))),
        };
    }

    [Theory]
    [MemberData(nameof(SmallPanels))]
    public void The_linear_weights_equal_a_dense_weighted_least_squares_with_dummies(string name)
    {
        var (data, estimator, expected) = Small(name);

        var a = estimator.Estimate(data).LinearWeights()!;

        a.Should().HaveCount(expected.Length);
        for (var k = 0; k < a.Length; k++) a[k].Should().BeApproximately(expected[k], 1e-10, "cell {0}", k);
    }

    [Theory]
    [InlineData("per-cell")]
    [InlineData("block")]
    public void The_plug_in_variance_is_the_sum_of_squared_brute_force_weights_times_the_residual_variances(string name)
    {
        var (data, estimator, a) = Small(name);
        int n = data.UnitCount, t = data.PeriodCount;
        var (_, fitted) = DenseLeastSquares.TwoWay(data, (i, s) => !data.Treatment[i, s]);
        var e = new double[n * t];
        var observed = new bool[n * t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                if (!data.Treatment[i, s] && data.Outcomes.IsObserved(i, s)) { e[i * t + s] = data.Outcomes[i, s] - fitted(i, s); observed[i * t + s] = true; }
        var cells = observed.Count(o => o);
        var df = cells - (n + t - 1);
        var pooled = e.Sum(r => r * r) / df;
        double UnitVariance(int i) => (double)cells / df * Enumerable.Range(0, t).Where(s => observed[i * t + s]).Average(s => e[i * t + s] * e[i * t + s]);
        double PeriodVariance(int s) => (double)cells / df * Enumerable.Range(0, n).Where(i => observed[i * t + s]).Average(i => e[i * t + s] * e[i * t + s]);
        var fit = estimator.Estimate(data);

        fit.WithVariance(new RegressionVariance()).Variance.Should().BeApproximately(a.Sum(w => w * w) * pooled, 1e-10 * pooled);
        fit.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnits }).Variance
            .Should().BeApproximately(Enumerable.Range(0, n * t).Sum(k => a[k] * a[k] * UnitVariance(k / t)), 1e-10 * pooled);
        fit.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnPeriods }).Variance
            .Should().BeApproximately(Enumerable.Range(0, n * t).Sum(k => a[k] * a[k] * PeriodVariance(k % t)), 1e-10 * pooled);
    }

    [Theory]
    [InlineData(DwcpMode.PerCell)]
    [InlineData(DwcpMode.Block)]
    public void Every_regression_plug_in_is_defined_for_DWCP_without_a_low_rank_term(DwcpMode mode)
    {
        var data = Block(21, 16, 8, 4, 3);
        var fit = Dwcp(0.5, 0.3, mode).Estimate(data);
        Func<string, string> pairs = unit => ((int.Parse(unit, System.Globalization.CultureInfo.InvariantCulture) - 1) / 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        VarianceMethod[] methods =
        [
            new RegressionVariance(), new RegressionVariance { On = VarianceTarget.ConditionalOnUnits },
            new RegressionVariance { On = VarianceTarget.ConditionalOnPeriods }, new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods },
            new RegressionVariance { Cluster = pairs },
            new ConditionalVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods, Approach = VarianceApproach.Regression },
            new MarginalVariance { Approach = VarianceApproach.Regression },
        ];
        foreach (var method in methods)
        {
            var result = fit.WithVariance(method);
            result.IsDefined.Should().BeTrue(method.Name + ": " + result.UndefinedReason);
            result.StandardError.Should().BePositive(method.Name);
            double.IsFinite(result.StandardError).Should().BeTrue(method.Name);
        }
    }

    [Fact]
    public void With_a_finite_nuclear_penalty_the_plug_in_is_undefined_and_says_why_and_what_to_use()
    {
        var fit = new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.5, LambdaTime = 0.3, LambdaNuclear = 0.1 }).Estimate(Block(22, 12, 8, 2, 2));

        fit.LinearWeights().Should().BeNull();
        var result = fit.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods });
        result.IsDefined.Should().BeFalse();
        result.UndefinedReason.Should().Contain("λ_nuclear = 0.1").And.Contain("not linear").And.Contain("LambdaNuclear = double.PositiveInfinity")
            .And.Contain("UnitPlaceboVariance");
        double.IsNaN(result.StandardError).Should().BeTrue();
    }

    /// <summary>
    /// Y = α_i + β_t + σ_it ε with σ_it = a_i b_t (a over [0.4, 2.5], b over [0.5, 2]) and one treated cell, DWCP per cell at
    /// λ_unit = 0 and λ_time = 0.4, so its weights do not depend on Y and Var(τ̂) = Σ a_it² σ_it² exactly. The two-way plug-in
    /// V̂ = Σ a² â²_i b̂²_t must be unbiased for it: its mean over 400 panels is within 3 Monte-Carlo standard errors (from the
    /// replicates' own spread, about 3.3% of the truth here) plus 5% of it, the 5% allowing for the model's finite-sample bias (the
    /// alternating fit of â, b̂ over 1 − leverage is approximately, not exactly, unbiased). A marginal plug-in, which ignores
    /// the treated cell's large σ, is far outside that band, so the check has power.
    /// </summary>
    [Fact]
    public void The_two_way_plug_in_is_unbiased_for_the_weights_variance_under_two_way_noise()
    {
        const int n = 20, t = 12, replications = 400;
        var unitScale = Enumerable.Range(0, n).Select(i => 0.4 + 2.1 * i / (n - 1.0)).ToArray();
        var periodScale = Enumerable.Range(0, t).Select(s => 0.5 + 1.5 * s / (t - 1.0)).ToArray();
        var treatment = new bool[n, t];
        treatment[n - 1, t - 1] = true;
        var rng = new Random(2026);
        var estimator = Dwcp(0, 0.4);
        double truth = 0;
        var twoWay = new double[replications];
        var marginal = new double[replications];
        for (var r = 0; r < replications; r++)
        {
            var y = new double[n, t];
            for (var i = 0; i < n; i++)
                for (var s = 0; s < t; s++)
                {
                    var z = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                    y[i, s] = 0.3 * i + Math.Sin(s) + unitScale[i] * periodScale[s] * z;
                }
            var fit = estimator.Estimate(PanelData.FromMatrices(y, treatment));
            if (r == 0)
            {
                var a = fit.LinearWeights()!;
                truth = Enumerable.Range(0, n * t).Sum(k => a[k] * a[k] * Math.Pow(unitScale[k / t] * periodScale[k % t], 2));
            }
            twoWay[r] = fit.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods }).Variance;
            marginal[r] = fit.WithVariance(new RegressionVariance()).Variance;
        }
        var mean = twoWay.Average();
        var se = Math.Sqrt(twoWay.Sum(v => (v - mean) * (v - mean)) / (replications - 1) / replications);
        var band = 3 * se + 0.05 * truth;

        mean.Should().BeApproximately(truth, band);
        Math.Abs(marginal.Average() - truth).Should().BeGreaterThan(band);
    }
}
