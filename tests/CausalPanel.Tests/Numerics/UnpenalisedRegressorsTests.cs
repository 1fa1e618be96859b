using CausalPanel.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel.Tests.Numerics;

/// <summary>Regressors profiled beside unit and period effects (Frisch–Waugh–Lovell), against dense weighted least squares.</summary>
public class UnpenalisedRegressorsTests
{
    private const int N = 12, T = 9;

    private static double[] Cells(Func<int, int, double> value)
    {
        var x = new double[N * T];
        for (var i = 0; i < N; i++)
            for (var s = 0; s < T; s++) x[i * T + s] = value(i, s);
        return x;
    }

    [Fact]
    public void Coefficients_equal_dense_weighted_least_squares_with_dummies()
    {
        // γ of y on (unit dummies, period dummies, X_1, X_2) with weights v, some zero: by QR on rows scaled by √v.
        var rng = new Random(6);
        var v = Cells((_, _) => rng.NextDouble() < 0.2 ? 0 : 0.01 + 3 * rng.NextDouble());
        var x1 = Cells((i, s) => Math.Sin(i * s) + 1e6);   // a level far from 0 changes nothing
        var x2 = Cells((i, s) => rng.NextDouble() * (i + 1));
        var y = Cells((i, s) => i + Math.Cos(s) + 2 * x1[i * T + s] - 0.5 * x2[i * T + s] + rng.NextDouble());
        var regressors = new UnpenalisedRegressors([x1, x2], v, N, T);
        var gamma = new double[2];
        regressors.Solve(y, gamma);

        var rows = Enumerable.Range(0, N * T).Where(k => v[k] > 0).ToArray();
        var design = Matrix<double>.Build.Dense(rows.Length, N + T + 1);
        var rhs = Vector<double>.Build.Dense(rows.Length);
        for (var r = 0; r < rows.Length; r++)
        {
            int k = rows[r], i = k / T, s = k % T;
            var root = Math.Sqrt(v[k]);
            design[r, i] = root;
            if (s > 0) design[r, N + s - 1] = root;
            design[r, N + T - 1] = root * (x1[k] - 1e6);
            design[r, N + T] = root * x2[k];
            rhs[r] = root * (y[k] - 2e6);
        }
        var dense = design.QR().Solve(rhs);

        regressors.Identified.Should().BeTrue();
        gamma[0].Should().BeApproximately(dense[N + T - 1], 1e-9);
        gamma[1].Should().BeApproximately(dense[N + T], 1e-9);
    }

    [Theory]
    [InlineData(1e-9, 0.0)]
    [InlineData(1.0, 0.0)]
    [InlineData(1e9, 0.0)]
    [InlineData(1.0, 1e9)]
    public void Verdicts_do_not_depend_on_a_regressors_scale_or_level(double scale, double level)
    {
        var v = Cells((_, _) => 1);
        var timeInvariant = Cells((i, _) => level + scale * (0.1 * i + 5.3));
        var genuine = Cells((i, s) => level + scale * Math.Sin(1 + i * s));
        var regressors = new UnpenalisedRegressors([timeInvariant, genuine], v, N, T);

        regressors.Absorbed.Should().Equal(0);
        regressors.RelativeResiduals[0].Should().BeLessThan(1e-12);
        regressors.RelativeResiduals[1].Should().BeApproximately(new UnpenalisedRegressors([Cells((i, s) => Math.Sin(1 + i * s))], v, N, T).RelativeResiduals[0], 1e-6);
        regressors.Identified.Should().BeFalse();
    }

    [Fact]
    public void Only_the_effects_in_the_model_absorb_a_regressor()
    {
        var v = Cells((_, _) => 1);
        var byUnit = Cells((i, _) => i * 0.7);
        var byPeriod = Cells((_, s) => s * s * 0.3);
        new UnpenalisedRegressors([byUnit, byPeriod], v, N, T, unitEffects: true, periodEffects: false).Absorbed.Should().Equal(0);
        new UnpenalisedRegressors([byUnit, byPeriod], v, N, T, unitEffects: false, periodEffects: true).Absorbed.Should().Equal(1);
        new UnpenalisedRegressors([byUnit, byPeriod], v, N, T, unitEffects: false, periodEffects: false).Identified.Should().BeTrue();
    }

    [Fact]
    public void A_combination_of_regressors_is_collinear_and_gets_the_minimum_norm_solution()
    {
        var v = Cells((_, _) => 1);
        var a = Cells((i, s) => Math.Sin(i + 2.0 * s));
        var b = Cells((i, s) => Math.Cos(i * s * 0.5));
        var sum = Cells((i, s) => a[i * T + s] + b[i * T + s] + i - s);   // + unit and period terms
        var regressors = new UnpenalisedRegressors([a, b, sum], v, N, T);
        regressors.Collinear.Should().Equal(0, 1, 2);
        regressors.Identified.Should().BeFalse();

        // y = a + b: any γ with γ_a + γ_c = 1 and γ_b + γ_c = 1 fits; the minimum-norm one, on the scaled residuals, is finite.
        var gamma = new double[3];
        regressors.Solve(Cells((i, s) => a[i * T + s] + b[i * T + s]), gamma);
        gamma.Should().OnlyContain(g => double.IsFinite(g));
        (gamma[0] + gamma[2]).Should().BeApproximately(1, 1e-9);
        (gamma[1] + gamma[2]).Should().BeApproximately(1, 1e-9);
    }
}
