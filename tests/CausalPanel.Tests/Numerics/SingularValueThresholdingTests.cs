using CausalPanel.Numerics;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using Xunit;

namespace CausalPanel.Tests.Numerics;

/// <summary>The Jacobi thresholder against MathNet's Golub–Kahan SVD: U diag((s − τ)₊) Vᵀ.</summary>
public class SingularValueThresholdingTests
{
    internal static double[] Reference(double[] p, int rows, int cols, double tau, out double nuclear, out int rank)
    {
        var svd = Matrix<double>.Build.Dense(rows, cols, p).Svd(computeVectors: true);
        var shrunk = svd.S.Map(s => Math.Max(s - tau, 0));
        nuclear = shrunk.Sum();
        rank = shrunk.Count(s => s > 0);
        var result = Matrix<double>.Build.Dense(rows, cols);
        for (var k = 0; k < shrunk.Count; k++)
            if (shrunk[k] > 0) result += shrunk[k] * svd.U.Column(k).OuterProduct(svd.VT.Row(k));
        return result.ToColumnMajorArray();
    }

    /// <summary>Σ_r a_r b_rᵀ with decaying weights plus uniform noise: a few components well above the noise's.</summary>
    internal static double[] LowRankPlusNoise(int rows, int cols, int rank, double noise, int seed)
    {
        var random = new Random(seed);
        var p = new double[rows * cols];
        for (var r = 0; r < rank; r++)
        {
            var u = Enumerable.Range(0, rows).Select(_ => random.NextDouble() - 0.5).ToArray();
            var v = Enumerable.Range(0, cols).Select(_ => 10 * (random.NextDouble() - 0.5) / (r + 1)).ToArray();
            for (var j = 0; j < cols; j++)
                for (var i = 0; i < rows; i++) p[j * rows + i] += u[i] * v[j];
        }
        for (var k = 0; k < p.Length; k++) p[k] += noise * (random.NextDouble() - 0.5);
        return p;
    }

    [Theory]
    [InlineData(39, 31, 0.0)]
    [InlineData(39, 31, 0.3)]
    [InlineData(39, 31, 2.0)]
    [InlineData(20, 50, 0.3)]   // wide: works on the transpose
    [InlineData(30, 30, 0.1)]
    [InlineData(1, 12, 0.1)]
    [InlineData(12, 1, 0.1)]
    public void Matches_the_svd_formula_along_a_warm_started_sequence(int rows, int cols, double tau)
    {
        var thresholder = new SingularValueThresholding(rows, cols);
        var scale = 0.0;
        for (var step = 0; step < 6; step++)
        {
            // Small moves between calls (the warm case), then a jump to an unrelated matrix at step 3.
            var p = LowRankPlusNoise(rows, cols, 3, 0.2, seed: step == 3 ? 99 : 7);
            for (var k = 0; k < p.Length; k++) p[k] *= 1 + 1e-3 * step * Math.Sin(k);
            var expected = Reference(p, rows, cols, tau, out var nuclear, out var rank);
            scale = p.Max(Math.Abs);

            var (norm, r) = thresholder.Apply(p, tau);
            if (step is 1 or 2 && Math.Min(rows, cols) > 1)
                thresholder.LastSweeps.Should().BeLessThanOrEqualTo(4, "a warm start after a small move needs few sweeps");

            r.Should().Be(rank, $"step {step}");
            norm.Should().BeApproximately(nuclear, 1e-12 * Math.Max(1, nuclear));
            for (var k = 0; k < p.Length; k++) p[k].Should().BeApproximately(expected[k], 1e-12 * scale, $"cell {k} at step {step}");
        }
    }

    [Fact]
    public void An_inexact_call_is_within_its_accuracy_and_the_next_exact_call_is_exact()
    {
        // The solver asks for a Jacobi SVD stopped at cosine tolerance a while it is far from its fixed point: the result
        // may then be off by about a·‖P‖, never more, and an exact call after it (the warm V is the inexact one's) is exact.
        const int rows = 39, cols = 31;
        const double tau = 0.3, accuracy = 1e-6;
        var thresholder = new SingularValueThresholding(rows, cols);
        for (var step = 0; step < 4; step++)
        {
            var p = LowRankPlusNoise(rows, cols, 3, 0.2, seed: 8);
            for (var k = 0; k < p.Length; k++) p[k] *= 1 + 1e-2 * step * Math.Cos(k);
            var expected = Reference(p, rows, cols, tau, out _, out var rank);
            var scale = p.Max(Math.Abs);
            var exact = step == 3;
            var (_, r) = thresholder.Apply(p, tau, accuracy: exact ? 0 : accuracy);
            r.Should().Be(rank);
            var bound = exact ? 1e-12 * scale : 100 * accuracy * scale;
            for (var k = 0; k < p.Length; k++) p[k].Should().BeApproximately(expected[k], bound, $"cell {k} at step {step}");
        }
    }

    [Fact]
    public void Hundreds_of_warm_calls_stay_exact()
    {
        // V is the product of every rotation since the last orthonormalisation; rounding in it must not build up.
        const int rows = 50, cols = 40;
        var thresholder = new SingularValueThresholding(rows, cols);
        var basis = LowRankPlusNoise(rows, cols, 4, 0.3, seed: 21);
        for (var step = 0; step < 300; step++)
        {
            var p = basis.Select((x, k) => x * (1 + 1e-3 * Math.Sin(step + 0.1 * k))).ToArray();
            var tau = step % 2 == 0 ? 0.4 : 0.05;
            var expected = step % 50 == 49 ? Reference(p, rows, cols, tau, out _, out _) : null;
            thresholder.Apply(p, tau);
            if (expected is null) continue;
            for (var k = 0; k < p.Length; k++) p[k].Should().BeApproximately(expected[k], 1e-12, $"cell {k} at step {step}");
        }
    }

    [Fact]
    public void Rank_deficient_and_zero_matrices_are_exact()
    {
        var thresholder = new SingularValueThresholding(40, 10);
        var p = LowRankPlusNoise(40, 10, 2, 0, seed: 3);   // rank 2: eight zero singular values
        var expected = Reference(p, 40, 10, 0.05, out var nuclear, out var rank);
        var (norm, r) = thresholder.Apply(p, 0.05);
        r.Should().Be(rank);
        norm.Should().BeApproximately(nuclear, 1e-12 * nuclear);
        for (var k = 0; k < p.Length; k++) p[k].Should().BeApproximately(expected[k], 1e-12);

        var zero = new double[400];
        thresholder.Apply(zero, 0.1).Should().Be((0.0, 0));
        zero.Should().OnlyContain(x => x == 0);

        var again = LowRankPlusNoise(40, 10, 4, 0.1, seed: 4);   // after a zero matrix the warm start is rebuilt
        var expectedAgain = Reference(again, 40, 10, 0.01, out _, out var rankAgain);
        thresholder.Apply(again, 0.01).Rank.Should().Be(rankAgain);
        for (var k = 0; k < again.Length; k++) again[k].Should().BeApproximately(expectedAgain[k], 1e-12);
    }

    [Fact]
    public void A_component_above_tau_spread_over_columns_below_tau_is_found()
    {
        // Columns of norm 0.9999 τ, pairwise cosine ≈ 0.98e-4 (below the 1e-4 at which short columns are rotated), yet
        // together σ_max = 0.9999 (1 + 19·4.9e-5) τ > τ: the test of the skipped block must fail and all pairs be
        // orthogonalised, or the rank-one result would be lost.
        const int rows = 30, cols = 20;
        const double tau = 0.5, epsilon = 4.9e-5;
        var q = Matrix<double>.Build.Random(rows, cols, new MathNet.Numerics.Distributions.Normal(new Random(12))).QR().Q.SubMatrix(0, rows, 0, cols);
        var mixing = Matrix<double>.Build.Dense(cols, cols, (i, j) => i == j ? 1 : epsilon);
        var p = (0.9999 * tau * q * mixing).ToColumnMajorArray();
        var expected = Reference(p, rows, cols, tau, out var nuclear, out var rank);
        rank.Should().Be(1);

        var (norm, r) = new SingularValueThresholding(rows, cols).Apply(p, tau);
        r.Should().Be(1);
        norm.Should().BeApproximately(nuclear, 1e-12);
        for (var k = 0; k < p.Length; k++) p[k].Should().BeApproximately(expected[k], 1e-13);
    }

    [Fact]
    public void Largest_and_nuclear_norm_leave_the_matrix_unchanged()
    {
        var p = LowRankPlusNoise(25, 17, 5, 1, seed: 5);
        var copy = (double[])p.Clone();
        var s = Matrix<double>.Build.Dense(25, 17, copy).Svd(computeVectors: false).S;
        var thresholder = new SingularValueThresholding(25, 17);
        thresholder.Largest(p).Should().BeApproximately(s[0], 1e-12 * s[0]);
        thresholder.NuclearNorm(p).Should().BeApproximately(s.Sum(), 1e-12 * s.Sum());
        p.Should().Equal(copy);
    }
}

public class SingularValueThresholdingScaleTests
{
    [Theory]
    [InlineData(-700)]
    [InlineData(700)]
    public void Extreme_scales_give_the_scaled_result(int exponent)
    {
        // SVT(cP, cτ) = c SVT(P, τ); with c a power of two the identity holds exactly in floating point.
        var random = new Random(8);
        var p = Enumerable.Range(0, 30 * 12).Select(_ => random.NextDouble() - 0.5).ToArray();
        p[5] = 0;
        var scaled = p.Select(x => Math.ScaleB(x, exponent)).ToArray();
        var (norm, rank) = new SingularValueThresholding(30, 12).Apply(p, 0.2);
        var (scaledNorm, scaledRank) = new SingularValueThresholding(30, 12).Apply(scaled, Math.ScaleB(0.2, exponent));
        scaledRank.Should().Be(rank);
        scaledNorm.Should().Be(Math.ScaleB(norm, exponent));
        scaled.Should().Equal(p.Select(x => Math.ScaleB(x, exponent)));
    }

    [Fact]
    public void Singular_values_below_rounding_do_not_produce_non_finite_numbers()
    {
        // Rank one plus components 1e-120 below it: τ = 0 must return the matrix (to rounding), never NaN.
        var p = new double[20 * 6];
        for (var j = 0; j < 6; j++)
            for (var i = 0; i < 20; i++) p[j * 20 + i] = (i + 1) * (j + 2) + (i == j ? 1e-120 : 0);
        var copy = (double[])p.Clone();
        new SingularValueThresholding(20, 6).Apply(p, 0);
        for (var k = 0; k < p.Length; k++) p[k].Should().BeApproximately(copy[k], 1e-12 * 140);
    }
}
