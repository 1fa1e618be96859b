using CausalPanel.Tests.Support;
using MathNet.Numerics.LinearAlgebra;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Estimators;

/// <summary>
/// MC-NNM and DWCP with covariates (Athey et al. 2021, JASA, §8: Y(0) = L + u + v + Σ_k β_k X_k; Athey, Imbens, Qu and
/// Viviano 2025, §6.2, Eq. 14: L replaced by X·b + R): a known-answer panel, optimality conditions, and the special
/// cases that tie DWCP to DiD and MC-NNM.
/// </summary>
public class CovariateModelTests(ITestOutputHelper output)
{
    private const double Effect = 2.5;
    private static readonly double[] Betas = [1.5, -0.75];

    /// <summary>
    /// Y = u_i + v_t + Σ_k β_k X_kit + τ·W_it with no noise; X_1 and X_2 are not two-way additive (X_1 ~ U(0, 4),
    /// X_2 a smooth unit-specific trend), so no u + v absorbs them. With the covariates in the model, L = 0 and
    /// (u, v, β) fit the untreated cells exactly, so every penalty recovers τ and β.
    /// </summary>
    private static PanelData KnownAnswer(int seed = 17, double noise = 0)
    {
        int[] adoption = [-1, -1, -1, -1, -1, -1, -1, -1, 5, 5, 7, 7, 8, -1];
        int n = adoption.Length, t = 10;
        var rng = new Random(seed);
        var y = new double[n, t];
        var w = new bool[n, t];
        var x1 = new double[n, t];
        var x2 = new double[n, t];
        var u = Enumerable.Range(0, n).Select(_ => 5 * rng.NextDouble()).ToArray();
        var v = Enumerable.Range(0, t).Select(_ => 3 * rng.NextDouble()).ToArray();
        for (var i = 0; i < n; i++)
        {
            // The treated units' X_2 trends upward: without it, unit and period effects cannot explain their path.
            var slope = adoption[i] >= 0 ? 1 + rng.NextDouble() : rng.NextDouble() - 0.5;
            for (var s = 0; s < t; s++)
            {
                w[i, s] = adoption[i] >= 0 && s >= adoption[i];
                x1[i, s] = 4 * rng.NextDouble();
                x2[i, s] = slope * s + 0.3 * Math.Sin(i + s * s);
                y[i, s] = u[i] + v[s] + Betas[0] * x1[i, s] + Betas[1] * x2[i, s] + (w[i, s] ? Effect : 0) + noise * (rng.NextDouble() - 0.5);
            }
        }
        return PanelData.FromMatrices(y, w).WithCovariates(("x1", x1), ("x2", x2));
    }

    private static PanelData WithoutCovariates(PanelData data) => PanelData.FromMatrices(data.Outcomes.ToArray(), data.Treatment.ToArray());

    public static TheoryData<string> Estimators() =>
        ["MC cross-validated", "MC λ 0.05", "DWCP (0, 0, ∞)", "DWCP (0.4, 0.3, 2)", "DWCP (1, 0.5, 0.1)", "DWCP block (0.3, 0.2, 1)", "DWCP block (0, 0, ∞)"];

    private static IEstimator Make(string name) => name switch
    {
        "MC cross-validated" => new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 10 }),
        "MC λ 0.05" => new MatrixCompletion(new MatrixCompletionOptions { Lambda = 0.05 }),
        "DWCP (0, 0, ∞)" => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0, LambdaTime = 0, LambdaNuclear = double.PositiveInfinity }),
        "DWCP (0.4, 0.3, 2)" => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.4, LambdaTime = 0.3, LambdaNuclear = 2 }),
        "DWCP (1, 0.5, 0.1)" => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 1, LambdaTime = 0.5, LambdaNuclear = 0.1 }),
        "DWCP block (0.3, 0.2, 1)" => new DoublyWeightedCausalPanel(new DwcpOptions { Mode = DwcpMode.Block, LambdaUnit = 0.3, LambdaTime = 0.2, LambdaNuclear = 1 }),
        _ => new DoublyWeightedCausalPanel(new DwcpOptions { Mode = DwcpMode.Block, LambdaUnit = 0, LambdaTime = 0, LambdaNuclear = double.PositiveInfinity }),
    };

    private static IReadOnlyDictionary<string, double> Coefficients(EstimationResult fit) => fit switch
    {
        MatrixCompletionResult mc => mc.CovariateCoefficients,
        DwcpResult dwcp => dwcp.CovariateCoefficients,
        _ => throw new ArgumentException(fit.GetType().Name),
    };

    [Theory]
    [MemberData(nameof(Estimators))]
    public void With_covariates_the_effect_and_coefficients_of_a_noiseless_panel_are_recovered(string name)
    {
        var data = KnownAnswer();
        if (name.Contains("block")) data = BlockOf(data);
        var fit = Make(name).Estimate(data);
        var without = Make(name).Estimate(WithoutCovariates(data));
        output.WriteLine($"{name}: with covariates ATT {fit.Att:R}, β {string.Join(", ", Coefficients(fit).Values)}; without {without.Att:R}");

        fit.CellEffects.Should().OnlyContain(c => Math.Abs(c.Effect - Effect) < 1e-8);
        Coefficients(fit)["x1"].Should().BeApproximately(Betas[0], 1e-8);
        Coefficients(fit)["x2"].Should().BeApproximately(Betas[1], 1e-8);
        Math.Abs(without.Att - Effect).Should().BeGreaterThan(0.1, "without the covariates the treated units' X_2 trend is confounded with the effect");
    }

    /// <summary>The known-answer panel's block variant: units 8–12 treated from period 6 on.</summary>
    private static PanelData BlockOf(PanelData data)
    {
        var w = new bool[data.UnitCount, data.PeriodCount];
        for (var i = 8; i <= 12; i++)
            for (var s = 6; s < data.PeriodCount; s++) w[i, s] = true;
        var y = data.Outcomes.ToArray();
        var x1 = data.Covariates["x1"].ToArray();
        var x2 = data.Covariates["x2"].ToArray();
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++)
                y[i, s] += (w[i, s] ? Effect : 0) - (data.Treatment[i, s] ? Effect : 0);
        return PanelData.FromMatrices(y, w).WithCovariates(("x1", x1), ("x2", x2));
    }

    [Fact]
    public void MC_with_covariates_satisfies_the_optimality_conditions_of_its_objective()
    {
        // F = (1/|O|) Σ_O (Y − L − u − v − Σβ_k X_k)² + λ‖L‖_*: at the optimum, with R the residual on the untreated
        // cells, Σ_O X_k R = 0 (β unpenalised), row and column sums of R vanish (u, v), and 2R/(λ|O|) ∈ ∂‖L‖_*.
        var data = KnownAnswer(seed: 3, noise: 2);
        const double lambda = 0.01;
        var fit = new MatrixCompletion(new MatrixCompletionOptions { Lambda = lambda, Tolerance = 1e-15, MaxIterations = 200_000 }).Estimate(data);
        int n = data.UnitCount, t = data.PeriodCount;
        var r = Matrix<double>.Build.Dense(n, t);
        var observed = 0;
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                if (!data.Treatment[i, s])
                {
                    r[i, s] = data.Outcomes[i, s] - fit.Fitted(i, s);
                    observed++;
                }
        foreach (var name in new[] { "x1", "x2" })
        {
            var x = Matrix<double>.Build.DenseOfArray(data.Covariates[name].ToArray());
            Math.Abs(r.PointwiseMultiply(x).Enumerate().Sum()).Should().BeLessThan(1e-6, name);
        }
        for (var i = 0; i < n; i++) Math.Abs(r.Row(i).Sum()).Should().BeLessThan(1e-6);
        for (var s = 0; s < t; s++) Math.Abs(r.Column(s).Sum()).Should().BeLessThan(1e-6);
        NuclearNormOptimality.AssertSubgradient(r * (2.0 / (lambda * observed)), Matrix<double>.Build.DenseOfArray(fit.LowRank), fit.Rank);
        output.WriteLine($"rank {fit.Rank}, β {fit.CovariateCoefficients["x1"]:R}, {fit.CovariateCoefficients["x2"]:R}, ATT {fit.Att:R}");
    }

    [Fact]
    public void DWCP_all_off_with_covariates_is_difference_in_differences_with_covariates()
    {
        // λ_unit = λ_time = 0, λ_nuclear = ∞: the weighted fit is the unweighted two-way model with X γ on the untreated
        // cells, which is Borusyak–Jaravel–Spiess imputation with covariates (DifferenceInDifferences).
        foreach (var data in new[] { KnownAnswer(seed: 5, noise: 2), Reliable(Datasets.CaliforniaSmoking()) })
        {
            var dwcp = new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0, LambdaTime = 0, LambdaNuclear = double.PositiveInfinity }).Estimate(data);
            var did = new DifferenceInDifferences().Estimate(data);
            output.WriteLine($"DWCP {dwcp.Att:R}, DiD {did.Att:R}");

            foreach (var (a, b) in dwcp.CellEffects.Zip(did.CellEffects))
                a.Counterfactual.Should().BeApproximately(b.Counterfactual, 1e-8 * (1 + Math.Abs(b.Counterfactual)));
            foreach (var (key, gamma) in did.CovariateCoefficients)
                dwcp.CovariateCoefficients[key].Should().BeApproximately(gamma, 1e-8 * (1 + Math.Abs(gamma)));
        }
    }

    /// <summary>California with two made-up time-varying covariates (a lagged-outcome-like series and noise).</summary>
    private static PanelData Reliable(PanelData data)
    {
        var rng = new Random(9);
        int n = data.UnitCount, t = data.PeriodCount;
        var a = new double[n, t];
        var b = new double[n, t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                a[i, s] = data.Outcomes[i, Math.Max(0, s - 3)] / 10 + rng.NextDouble();
                b[i, s] = rng.NextDouble() * (1 + i % 3);
            }
        return data.WithCovariates(("lagged", a), ("noise", b));
    }

    [Fact]
    public void DWCP_with_uniform_weights_and_a_finite_penalty_is_MC_with_covariates()
    {
        // DWCP (raw outcome) minimises Σ_O r² + λ_nn‖R‖_* with r = Y − u − v − Xb − R; MC-NNM minimises
        // (1/|O|)Σ_O r² + λ_MC‖L‖_*: the same problem at λ_MC = λ_nn / |O| (as without covariates).
        var data = KnownAnswer(seed: 8, noise: 3);
        var observed = data.UnitCount * data.PeriodCount - data.Treatment.TreatedCount;
        const double lambdaNuclear = 1.5;
        var dwcp = new DoublyWeightedCausalPanel(new DwcpOptions
        {
            LambdaUnit = 0, LambdaTime = 0, LambdaNuclear = lambdaNuclear, Standardise = false, Tolerance = 1e-14, MaxIterations = 100_000,
        }).Estimate(data);
        var mc = new MatrixCompletion(new MatrixCompletionOptions { Lambda = lambdaNuclear / observed, Tolerance = 1e-15, MaxIterations = 200_000 }).Estimate(data);
        output.WriteLine($"DWCP {dwcp.Att:R}, MC {mc.Att:R}, rank {mc.Rank}");

        mc.Rank.Should().BeGreaterThan(0);
        foreach (var (a, b) in dwcp.CellEffects.Zip(mc.CellEffects))
            a.Counterfactual.Should().BeApproximately(b.Counterfactual, 1e-6);
        foreach (var key in new[] { "x1", "x2" })
            dwcp.CovariateCoefficients[key].Should().BeApproximately(mc.CovariateCoefficients[key], 1e-6);
    }

    [Fact]
    public void A_DWCP_cell_whose_weights_do_not_identify_the_covariate_coefficient_is_excluded_and_reported()
    {
        // Units 3 and 4 are observed only in the last two periods, when unit 5 is treated: they share no untreated period
        // with unit 5, so λ_unit > 0 gives them weight 0 in unit 5's fits (paper Eq. 3, d = ∞). The covariate is a unit
        // term on every other unit and varies only on units 3 and 4, so on unit 5's positive-weight cells the unit
        // effects absorb it. Unit 6 (untreated until the last period) shares periods with units 3 and 4 and keeps them.
        const int n = 7, t = 5;
        var rng = new Random(1);
        var y = new double[n, t];
        var w = new bool[n, t];
        var x = new double[n, t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                var observed = i is not (3 or 4) || s >= 3;
                w[i, s] = (i == 5 && s >= 3) || (i == 6 && s == 4);
                x[i, s] = i is 3 or 4 ? rng.NextDouble() : i;
                y[i, s] = observed ? i + s + x[i, s] + rng.NextDouble() : double.NaN;
            }
        var data = PanelData.FromMatrices(y, w).WithCovariates(("x", x));

        var weighted = new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 1, LambdaTime = 0, LambdaNuclear = double.PositiveInfinity }).Estimate(data);
        var uniform = new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0, LambdaTime = 0, LambdaNuclear = double.PositiveInfinity }).Estimate(data);
        output.WriteLine(string.Join("\n", weighted.Warnings));

        weighted.ExcludedCells.Should().Equal(("6", "4"), ("6", "5"));
        weighted.CellEffects.Should().ContainSingle().Which.Unit.Should().Be("7");
        weighted.Warnings.Should().ContainSingle().Which.Should().Contain("covariate coefficients").And.Contain("6/4");
        uniform.CellEffects.Should().HaveCount(3);
    }

    [Fact]
    public void Standardising_the_outcome_does_not_change_the_covariate_coefficients_at_the_all_off_point()
    {
        // DWCP fits the standardised outcome; the coefficients are reported in the outcome's units (b = sd·b̃).
        var data = KnownAnswer(seed: 4, noise: 1);
        DwcpResult Fit(bool standardise) => new DoublyWeightedCausalPanel(new DwcpOptions
        {
            LambdaUnit = 0, LambdaTime = 0, LambdaNuclear = double.PositiveInfinity, Standardise = standardise,
        }).Estimate(data);
        var (raw, standardised) = (Fit(false), Fit(true));
        foreach (var key in new[] { "x1", "x2" })
            standardised.CovariateCoefficients[key].Should().BeApproximately(raw.CovariateCoefficients[key], 1e-10);
        standardised.Att.Should().BeApproximately(raw.Att, 1e-10);
    }
}
