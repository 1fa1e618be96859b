using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel.Tests.Support;

/// <summary>
/// The subgradient condition of the nuclear norm (Watson 1992): G ∈ ∂‖L‖_* iff, with
/// L = U_r S V_rᵀ, G V_r = U_r, U_rᵀ G = V_rᵀ and ‖(I − U_rU_rᵀ) G (I − V_rV_rᵀ)‖₂ ≤ 1.
/// Computed here with its own SVD, independently of the solvers.
/// </summary>
internal static class NuclearNormOptimality
{
    public static void AssertSubgradient(Matrix<double> g, Matrix<double> l, int expectedRank, double tolerance = 1e-6)
    {
        int n = l.RowCount, t = l.ColumnCount;
        var svd = l.Svd();
        var rank = svd.S.Count(x => x > 1e-8);
        rank.Should().Be(expectedRank).And.BeInRange(1, Math.Min(n, t) - 1, "the check needs a non-trivial low-rank part");
        var u = svd.U.SubMatrix(0, n, 0, rank);
        var v = svd.VT.SubMatrix(0, rank, 0, t).Transpose();
        (g * v - u).Enumerate().Max(Math.Abs).Should().BeLessThan(tolerance);
        (u.Transpose() * g - v.Transpose()).Enumerate().Max(Math.Abs).Should().BeLessThan(tolerance);
        var rest = (Matrix<double>.Build.DenseIdentity(n) - u * u.Transpose()) * g * (Matrix<double>.Build.DenseIdentity(t) - v * v.Transpose());
        rest.L2Norm().Should().BeLessThanOrEqualTo(1 + tolerance);
    }
}
