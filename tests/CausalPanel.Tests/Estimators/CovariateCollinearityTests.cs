using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Estimators;

/// <summary>
/// The collinearity check DiD, MC-NNM and DWCP share: a covariate is judged by its residual after removing unit and
/// period effects on the untreated cells, relative to its own scale, so that the verdict does not depend on the units
/// it is measured in; covariates the fixed effects absorb are refused by name, with the reason.
/// </summary>
public class CovariateCollinearityTests
{
    private const int N = 9, T = 7;
    private static readonly PanelData Panel = RandomPanels.Staggered(seed: 2, [-1, -1, -1, -1, 3, 3, 5, -1, 4], periods: T);

    public static TheoryData<string, double> EstimatorsAndScales()
    {
        var data = new TheoryData<string, double>();
        foreach (var estimator in new[] { "DiD", "MC", "DWCP" })
            foreach (var scale in new[] { 1e-9, 1.0, 1e9 })
                data.Add(estimator, scale);
        return data;
    }

    private static IEstimator Make(string name) => name switch
    {
        "DiD" => new DifferenceInDifferences(),
        "MC" => new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 5 }),
        _ => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.5, LambdaTime = 0.2, LambdaNuclear = 1 }),
    };

    private static double[,] Matrix(Func<int, int, double> value)
    {
        var x = new double[N, T];
        for (var i = 0; i < N; i++)
            for (var s = 0; s < T; s++) x[i, s] = value(i, s);
        return x;
    }

    private static readonly double[,] Varying = Matrix((i, s) => Math.Sin(1 + i * s) + 0.1 * i * s);
    private static readonly double[,] Other = Matrix((i, s) => Math.Cos(i + 2.0 * s * s) * (1 + 0.2 * i));

    private static double[,] Scaled(double[,] x, double c) => Matrix((i, s) => c * x[i, s]);

    [Theory]
    [MemberData(nameof(EstimatorsAndScales))]
    public void A_covariate_constant_within_units_is_refused_as_absorbed_whatever_its_scale(string estimator, double scale)
    {
        // 0.1·i + 5.3 is not an integer, so rounding leaves a residual of order 1e-16 after removing unit effects; the
        // check compares it with the covariate's own spread, not with itself.
        var data = Panel.WithCovariates(("x", Scaled(Varying, scale)), ("level", Matrix((i, _) => scale * (0.1 * i + 5.3))));
        FluentActions.Invoking(() => Make(estimator).Estimate(data)).Should().Throw<CollinearCovariatesException>()
            .WithMessage("*'level'*constant within each unit*unit fixed effects absorb*interact*periods*")
            .Which.Covariates.Should().Equal("level");
    }

    [Theory]
    [MemberData(nameof(EstimatorsAndScales))]
    public void A_covariate_constant_within_periods_is_refused_as_absorbed(string estimator, double scale)
    {
        var data = Panel.WithCovariates(("trend", Matrix((_, s) => scale * 0.37 * s)), ("x", Scaled(Varying, scale)));
        FluentActions.Invoking(() => Make(estimator).Estimate(data)).Should().Throw<CollinearCovariatesException>()
            .WithMessage("*'trend'*same for every unit*period fixed effects absorb*")
            .Which.Covariates.Should().Equal("trend");
    }

    [Theory]
    [MemberData(nameof(EstimatorsAndScales))]
    public void A_sum_of_a_unit_and_a_period_term_is_refused_as_absorbed(string estimator, double scale)
    {
        var data = Panel.WithCovariates(("additive", Matrix((i, s) => scale * (Math.Sqrt(i + 1.0) + 0.1 * s * s))));
        FluentActions.Invoking(() => Make(estimator).Estimate(data)).Should().Throw<CollinearCovariatesException>()
            .WithMessage("*'additive'*sum of a unit term and a period term*absorb*");
    }

    [Theory]
    [MemberData(nameof(EstimatorsAndScales))]
    public void An_exact_linear_combination_of_two_covariates_is_refused_naming_all_three(string estimator, double scale)
    {
        // (Mixing scales inside the combination would make it a rounded copy of its larger part alone.)
        var data = Panel.WithCovariates(("a", Scaled(Varying, scale)), ("b", Scaled(Other, scale)),
            ("a and b", Matrix((i, s) => scale * (0.3 * Varying[i, s] - 2 * Other[i, s]))));
        FluentActions.Invoking(() => Make(estimator).Estimate(data)).Should().Throw<CollinearCovariatesException>()
            .WithMessage("*'a', 'b', 'a and b'*collinear*Drop*")
            .Which.Covariates.Should().BeEquivalentTo("a", "b", "a and b");
    }

    [Theory]
    [MemberData(nameof(EstimatorsAndScales))]
    public void Genuine_covariates_are_accepted_at_any_scale_and_their_coefficients_scale_inversely(string estimator, double scale)
    {
        // Rescaling X_k by c rescales β_k by 1/c and leaves the fit unchanged, even when the two covariates are 18
        // orders of magnitude apart.
        var reference = Make(estimator).Estimate(Panel.WithCovariates(("a", Varying), ("b", Other)));
        var scaled = Make(estimator).Estimate(Panel.WithCovariates(("a", Scaled(Varying, scale)), ("b", Scaled(Other, 1 / scale))));

        scaled.Att.Should().BeApproximately(reference.Att, 1e-7 * (1 + Math.Abs(reference.Att)));
        var (before, after) = (Coefficients(reference), Coefficients(scaled));
        (after["a"] * scale).Should().BeApproximately(before["a"], 1e-7 * (1 + Math.Abs(before["a"])));
        (after["b"] / scale).Should().BeApproximately(before["b"], 1e-7 * (1 + Math.Abs(before["b"])));
    }

    [Fact]
    public void Only_the_effects_MC_fits_can_absorb_a_covariate()
    {
        // With UnitEffects = false there are no unit effects to absorb a time-invariant covariate: it is used.
        var level = Matrix((i, _) => 0.1 * i + 5.3);
        var noUnitEffects = new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 5, UnitEffects = false });
        noUnitEffects.Estimate(Panel.WithCovariates(("level", level))).CovariateCoefficients.Should().ContainKey("level");
        FluentActions.Invoking(() => noUnitEffects.Estimate(Panel.WithCovariates(("trend", Matrix((_, s) => 0.37 * s)))))
            .Should().Throw<CollinearCovariatesException>().WithMessage("*'trend'*period fixed effects absorb*");
    }

    private static IReadOnlyDictionary<string, double> Coefficients(EstimationResult fit) => fit switch
    {
        DifferenceInDifferencesResult did => did.CovariateCoefficients,
        MatrixCompletionResult mc => mc.CovariateCoefficients,
        DwcpResult dwcp => dwcp.CovariateCoefficients,
        _ => throw new ArgumentException(fit.GetType().Name),
    };
}
