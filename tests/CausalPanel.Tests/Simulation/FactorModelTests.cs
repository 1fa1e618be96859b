using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel.Tests.Simulation;

public class FactorModelTests
{
    private static readonly PanelData Cps = Datasets.Cps("log_wage", "min_wage");
    private static readonly FactorModel Model = FactorModel.Fit(Cps);

    /// <summary>The standardised outcomes and their rank-4 SVD, computed here from the data.</summary>
    private static (Matrix<double> Y, Matrix<double> U, Matrix<double> L) Standardised()
    {
        int n = Cps.UnitCount, t = Cps.PeriodCount;
        var y = Matrix<double>.Build.Dense(n, t, (i, s) => Cps.Outcomes[i, s]);
        var mean = y.Enumerate().Average();
        y = (y - mean) / Math.Sqrt(y.Enumerate().Sum(v => (v - mean) * (v - mean)) / (n * t));
        var svd = y.Svd();
        var l = svd.U.SubMatrix(0, n, 0, 4) * Matrix<double>.Build.DenseOfDiagonalArray(svd.S.SubVector(0, 4).ToArray()) * svd.VT.SubMatrix(0, 4, 0, t);
        return (y, svd.U.SubMatrix(0, n, 0, 4), l);
    }

    [Fact]
    public void Additive_and_interactive_parts_split_the_rank_four_signal()
    {
        var (_, _, l) = Standardised();
        int n = Model.UnitCount, t = Model.PeriodCount;
        var f = Matrix<double>.Build.Dense(n, t, Model.Additive);
        var m = Matrix<double>.Build.Dense(n, t, Model.Interactive);

        (f + m - l).FrobeniusNorm().Should().BeLessThan(1e-9);
        m.RowSums().AbsoluteMaximum().Should().BeLessThan(1e-9);      // M has no unit or period main effect
        m.ColumnSums().AbsoluteMaximum().Should().BeLessThan(1e-9);
        var doubleCentred = Matrix<double>.Build.Dense(n, t, (i, s) => f[i, s] - f.Row(i).Average() - f.Column(s).Average() + f.Enumerate().Average());
        doubleCentred.FrobeniusNorm().Should().BeLessThan(1e-9);     // F is two-way additive
        Model.FactorShares.Sum().Should().BeApproximately(1, 0.05);
    }

    [Fact]
    public void Noise_is_the_AR2_correlation_scaled_to_the_residual_gram_matrix()
    {
        var (y, _, l) = Standardised();
        var e = y - l;
        int n = Model.UnitCount, t = Model.PeriodCount;
        var sigma = Matrix<double>.Build.Dense(t, t, Model.NoiseCovariance);
        var (phi1, phi2) = (Model.ArCoefficients[0], Model.ArCoefficients[1]);

        (phi1 * 100).Should().BeApproximately(Math.Round(phi1 * 100), 1e-9);   // rounded to two decimals, as synthdid
        sigma.FrobeniusNorm().Should().BeApproximately((e.TransposeThisAndMultiply(e) / n).FrobeniusNorm(), 1e-9);
        var rho1 = phi1 / (1 - phi2);
        for (var s = 0; s + 2 < t; s++)
        {
            (sigma[s, s + 1] / sigma[s, s]).Should().BeApproximately(rho1, 1e-12);
            (sigma[s, s + 2] / sigma[s, s]).Should().BeApproximately(phi1 * rho1 + phi2, 1e-12);
        }
    }

    [Fact]
    public void Assignment_probabilities_solve_the_logistic_score_equations()
    {
        var (_, u, _) = Standardised();
        var treated = Cps.Pattern.TreatedUnitIndices.ToHashSet();
        var residual = Enumerable.Range(0, Cps.UnitCount).Select(i => (treated.Contains(i) ? 1 : 0) - Model.AssignmentProbabilities[i]).ToArray();
        residual.Sum().Should().BeApproximately(0, 1e-6);                            // intercept
        for (var k = 0; k < 4; k++)                                                  // each factor (sign-free)
            Enumerable.Range(0, Cps.UnitCount).Sum(i => residual[i] * u[i, k]).Should().BeApproximately(0, 1e-6);
        Model.AssignmentProbabilities.Should().OnlyContain(p => p > 0 && p < 1);
    }

    [Fact]
    public void Bad_input_is_refused_with_reasons()
    {
        FluentActions.Invoking(() => FactorModel.Fit(Cps, rank: 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*rank*");
        FluentActions.Invoking(() => FactorModel.Fit(Cps, new bool[3])).Should().Throw<ArgumentException>().WithMessage("*3 entries*50 units*");
        var gappy = Support.RandomPanels.Staggered(1, [-1, -1, -1, 3], 6, missingShare: 0.3);
        FluentActions.Invoking(() => FactorModel.Fit(gappy)).Should().Throw<UnbalancedPanelException>();
    }
}
