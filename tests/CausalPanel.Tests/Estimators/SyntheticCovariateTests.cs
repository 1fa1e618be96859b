using Xunit.Abstractions;

namespace CausalPanel.Tests.Estimators;

/// <summary>synthdid's joint covariate method (spec §1.6) on panels whose answer is known.</summary>
public class SyntheticCovariateTests(ITestOutputHelper output)
{
    private const double Effect = 5, Gamma = 2;

    /// <summary>
    /// Y_it = a_i + b_t + γ X_it + τ W_it, where X_it = s_i · t and the treated units' slopes s_i are
    /// far above the controls': without adjusting for X, the treated drift away from any convex
    /// combination of controls and the estimate is biased; Y − γX is an exact two-way model.
    /// </summary>
    private static PanelData Confounded(double xScale = 1)
    {
        int n0 = 20, n1 = 3, n = n0 + n1, t = 20, t0 = 15;
        var rng = new Random(11);
        var y = new double[n, t];
        var x = new double[n, t];
        var w = new bool[n, t];
        var a = Enumerable.Range(0, n).Select(_ => 10 * rng.NextDouble()).ToArray();
        var b = Enumerable.Range(0, t).Select(_ => 3 * rng.NextDouble()).ToArray();
        for (var i = 0; i < n; i++)
        {
            var slope = i < n0 ? rng.NextDouble() : 3 + rng.NextDouble();
            for (var s = 0; s < t; s++)
            {
                w[i, s] = i >= n0 && s >= t0;
                x[i, s] = slope * s;
                y[i, s] = a[i] + b[s] + Gamma * x[i, s] + (w[i, s] ? Effect : 0);
                x[i, s] *= xScale;
            }
        }
        return PanelData.FromMatrices(y, w).WithCovariates(("trend", x));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1000.0)]
    public void A_covariate_that_explains_the_confounding_trend_is_removed(double xScale)
    {
        var data = Confounded(xScale);
        var adjusted = new SyntheticDifferenceInDifferences().Estimate(data);
        var unadjusted = new SyntheticDifferenceInDifferences().Estimate(PanelData.FromMatrices(data.Outcomes.ToArray(), data.Treatment.ToArray()));
        var cohort = adjusted.Cohorts[0];
        output.WriteLine($"scale {xScale}: adjusted {adjusted.Att:R}, beta {cohort.CovariateCoefficients["trend"]:R}, rounds {cohort.UnitWeightSolver!.Iterations}; unadjusted {unadjusted.Att:R}");

        Math.Abs(unadjusted.Att - Effect).Should().BeGreaterThan(1, "the trend confounds the unadjusted comparison");
        adjusted.Att.Should().BeApproximately(Effect, 0.05);
        (cohort.CovariateCoefficients["trend"] * xScale).Should().BeApproximately(Gamma, 0.05);
    }

    [Fact]
    public void A_covariate_unrelated_to_the_outcome_changes_nothing_when_it_is_constant()
    {
        // A constant covariate is absorbed by the intercepts: its gradient is zero and β stays 0.
        var data = Datasets.CaliforniaSmoking();
        var constant = new double[data.UnitCount, data.PeriodCount];
        for (var i = 0; i < data.UnitCount; i++) for (var t = 0; t < data.PeriodCount; t++) constant[i, t] = 3;
        var fit = new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { ScaleCovariates = false })
            .Estimate(data.WithCovariates(("three", constant)));
        fit.Cohorts[0].CovariateCoefficients["three"].Should().BeApproximately(0, 1e-12);
        double.IsFinite(fit.Att).Should().BeTrue();
    }

    [Fact]
    public void Covariates_are_validated_when_attached()
    {
        var data = Datasets.CaliforniaSmoking();
        FluentActions.Invoking(() => data.WithCovariates(("x", new double[3, 3])))
            .Should().Throw<DimensionMismatchException>().WithMessage("*'x' is 3×3*39×31*");
        var bad = new double[39, 31];
        bad[2, 5] = double.NaN;
        FluentActions.Invoking(() => data.WithCovariates(("income", bad)))
            .Should().Throw<NonFiniteOutcomeException>().WithMessage("*'income'*('California', '1975')*");
        FluentActions.Invoking(() => data.WithCovariates(("x", new double[39, 31]), ("x", new double[39, 31])))
            .Should().Throw<DuplicateLabelException>().WithMessage("*'x' is given twice*");
    }
}
