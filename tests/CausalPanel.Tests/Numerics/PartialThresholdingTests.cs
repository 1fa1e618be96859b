using CausalPanel.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Xunit.Abstractions;
using static CausalPanel.Tests.Numerics.SingularValueThresholdingTests;

namespace CausalPanel.Tests.Numerics;

/// <summary>
/// The thresholders for large matrices — QR + Jacobi of R, and the subspace method that finds only the components
/// above τ and proves it missed none — against MathNet's SVD: U diag((s − τ)₊) Vᵀ to 1e-10 of the largest entry.
/// </summary>
public class PartialThresholdingTests(ITestOutputHelper output)
{
    private static void ShouldMatch(double[] p, double[] expected, double tolerance, string because)
    {
        var scale = Math.Max(expected.Max(Math.Abs), 1e-300);
        var worst = p.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        worst.Should().BeLessThanOrEqualTo(tolerance * scale, because);
    }

    [Theory]
    [InlineData(400, 40, "Subspace")]
    [InlineData(40, 400, "Subspace")]    // wide: works on the transpose
    [InlineData(400, 40, "QrJacobi")]
    [InlineData(40, 400, "QrJacobi")]
    [InlineData(1200, 64, "Automatic")]
    public void Matches_the_svd_along_a_warm_sequence_of_an_iterative_solver(int rows, int cols, string name)
    {
        var method = Enum.Parse<ThresholdingMethod>(name);
        // The sequence an MC-NNM path produces: τ falling from above σ_max towards the noise, the matrix moving a little
        // between calls, one jump to an unrelated matrix, and τ below everything at the end (full rank).
        var thresholder = new SingularValueThresholding(rows, cols, method);
        var basis = LowRankPlusNoise(rows, cols, 3, 0.2, seed: 7);
        var largest = Matrix<double>.Build.Dense(rows, cols, basis).Svd(computeVectors: false).S[0];
        double[] taus = [1.1 * largest, 0.5 * largest, 0.3 * largest, 0.2 * largest, 0.1 * largest, 0.1 * largest, 0.05 * largest, 1.5, 1.2, 1.0, 0.5, 0.01, 0];
        var partial = 0;
        for (var step = 0; step < taus.Length; step++)
        {
            var p = step == 6 ? LowRankPlusNoise(rows, cols, 3, 0.2, seed: 99) : basis.Select((x, k) => x * (1 + 1e-3 * step * Math.Sin(k))).ToArray();
            var expected = Reference(p, rows, cols, taus[step], out var nuclear, out var rank);
            var (norm, r) = thresholder.Apply(p, taus[step]);
            partial += thresholder.LastWasPartial ? 1 : 0;
            output.WriteLine($"step {step}: τ {taus[step]:G4}, rank {rank}, partial {thresholder.LastWasPartial}");

            r.Should().Be(rank, $"step {step}");
            norm.Should().BeApproximately(nuclear, 1e-10 * Math.Max(1, nuclear), $"step {step}");
            ShouldMatch(p, expected, 1e-10, $"step {step}");
        }
        if (method == ThresholdingMethod.QrJacobi) partial.Should().Be(0);
        else partial.Should().BeGreaterThanOrEqualTo(5, "the low-rank calls after the first are settled by the subspace method");
    }

    [Theory]
    [InlineData(300, 40)]
    [InlineData(40, 300)]   // wide: works on the transpose
    public void Rank_deficient_zero_and_tiny_or_huge_matrices(int rows, int cols)
    {
        foreach (var method in new[] { ThresholdingMethod.Subspace, ThresholdingMethod.QrJacobi })
        {
            var thresholder = new SingularValueThresholding(rows, cols, method);
            var exact = LowRankPlusNoise(rows, cols, 2, 0, seed: 3);   // rank 2: 38 zero singular values
            for (var call = 0; call < 3; call++)
            {
                var p = (double[])exact.Clone();
                var expected = Reference(p, rows, cols, 0.05, out var nuclear, out var rank);
                var (norm, r) = thresholder.Apply(p, 0.05);
                r.Should().Be(rank);
                norm.Should().BeApproximately(nuclear, 1e-12 * nuclear);
                ShouldMatch(p, expected, 1e-12, $"{method}, call {call}");
            }
            var zero = new double[rows * cols];
            thresholder.Apply(zero, 0.1).Should().Be((0.0, 0));
            zero.Should().OnlyContain(x => x == 0);

            foreach (var exponent in new[] { -700, 700 })
            {
                // SVT(cP, cτ) = c SVT(P, τ) with c a power of two: exact in floating point.
                var p = LowRankPlusNoise(rows, cols, 3, 0.1, seed: 4);
                var scaled = p.Select(x => Math.ScaleB(x, exponent)).ToArray();
                var (norm, rank) = new SingularValueThresholding(rows, cols, method).Apply(p, 0.3);
                var scaledThresholder = new SingularValueThresholding(rows, cols, method);
                var (scaledNorm, scaledRank) = scaledThresholder.Apply(scaled, Math.ScaleB(0.3, exponent));
                scaledRank.Should().Be(rank);
                scaledNorm.Should().Be(Math.ScaleB(norm, exponent));
                scaled.Should().Equal(p.Select(x => Math.ScaleB(x, exponent)));
            }
        }
    }

    [Theory]
    [InlineData(1e-150, 400, 40)]
    [InlineData(1e-150, 40, 400)]
    [InlineData(1e150, 400, 40)]
    [InlineData(1e150, 40, 400)]
    public void Tiny_and_huge_matrices_match_the_svd_along_a_warm_sequence(double scale, int rows, int cols)
    {
        // c = 10^±150 is not a power of two, so the thresholders' own rescaling is not exact here: the reference is
        // c · SVT_τ(P) by MathNet's SVD of P, and σ² of cP would under- or overflow in a method that squared it unscaled.
        var basis = LowRankPlusNoise(rows, cols, 3, 0.2, seed: 21);
        double[] taus = [8, 5, 3, 2, 1.5, 1.2];
        foreach (var method in new[] { ThresholdingMethod.Subspace, ThresholdingMethod.QrJacobi, ThresholdingMethod.Jacobi })
        {
            var thresholder = new SingularValueThresholding(rows, cols, method);
            var partial = 0;
            for (var step = 0; step < taus.Length; step++)
            {
                var p = basis.Select((x, k) => x * (1 + 1e-3 * step * Math.Cos(k))).ToArray();
                var expected = Reference(p, rows, cols, taus[step], out var nuclear, out var rank).Select(x => scale * x).ToArray();
                var scaled = p.Select(x => scale * x).ToArray();
                var (norm, r) = thresholder.Apply(scaled, scale * taus[step]);
                partial += thresholder.LastWasPartial ? 1 : 0;
                r.Should().Be(rank, $"{method}, step {step}");
                norm.Should().BeApproximately(scale * nuclear, 1e-10 * scale * nuclear, $"{method}, step {step}");
                scaled.Should().OnlyContain(x => double.IsFinite(x));
                ShouldMatch(scaled, expected, 1e-10, $"{method}, step {step}");
            }
            if (method == ThresholdingMethod.Subspace) partial.Should().BeGreaterThanOrEqualTo(3, "the warm calls are settled by the subspace method");
        }
    }

    [Fact]
    public void A_warm_thresholder_whose_subspace_misses_a_component_falls_back_to_the_full_method()
    {
        // Through the thresholder an MC-NNM solver holds: a call on the old matrix leaves its leading right vectors as
        // the warm start (rank 2, plus 4 for oversampling); the next matrix adds a component 3τ along a direction
        // orthogonal to them. Built from coordinate vectors, so that the orthogonality is exact: no rounding along the
        // new direction can grow into view in the subspace iteration (with random singular vectors it does, and the
        // iteration finds the component itself); only the certificate sees it.
        const int rows = 300, cols = 40;
        const double tau = 1.0;
        var s = Enumerable.Range(0, cols).Select(j => j switch { 0 => 20, 1 => 10, _ => 0.9 - 0.01 * j }).ToArray();
        double[] Diagonal()
        {
            var m = new double[rows * cols];
            for (var j = 0; j < cols; j++) m[j * rows + 7 * j % rows] = s[j];   // column j along row 7j: orthogonal columns
            return m;
        }
        var thresholder = new SingularValueThresholding(rows, cols, ThresholdingMethod.Subspace);
        thresholder.Apply(Diagonal(), tau).Rank.Should().Be(2);

        s[cols - 1] = 3 * tau;
        var p = Diagonal();
        var expected = Reference(p, rows, cols, tau, out var nuclear, out var rank);
        rank.Should().Be(3);
        var (norm, r) = thresholder.Apply(p, tau);
        thresholder.LastCertificateFailed.Should().BeTrue("the iteration settled on rank 2, which the Gram test refuses");
        thresholder.LastWasPartial.Should().BeFalse("the full method settled the call");
        r.Should().Be(3);
        norm.Should().BeApproximately(nuclear, 1e-12 * nuclear);
        ShouldMatch(p, expected, 1e-10, "the hidden component is kept");
    }

    [Fact]
    public void A_component_above_tau_orthogonal_to_the_warm_subspace_is_refused_by_the_certificate()
    {
        // The warm start holds the exact leading right vectors w_0 .. w_5 of an old matrix (rank 2 above τ, plus the
        // oversampling). The new matrix adds a component 3τ along w_39, orthogonal to all of them, with its left vector
        // q_39 orthogonal to W V: subspace iteration from that start never sees it and settles on the rank-2 answer,
        // which a partial method without a certificate would return. The remainder's Frobenius norm is above τ, so the
        // Gram test runs; it must fail, and the full method must then find rank 3.
        const int rows = 300, cols = 40;
        const double tau = 1.0;
        var random = new Random(5);
        var q = Matrix<double>.Build.Random(rows, cols, new MathNet.Numerics.Distributions.Normal(random)).QR().Q.SubMatrix(0, rows, 0, cols);
        var w = Matrix<double>.Build.Random(cols, cols, new MathNet.Numerics.Distributions.Normal(random)).QR().Q;
        var s = Enumerable.Range(0, cols).Select(j => j switch { 0 => 20, 1 => 10, _ => 0.9 - 0.01 * j }).ToArray();
        var old = new JacobiThresholding(cols, cols);
        old.Decompose((Matrix<double>.Build.DiagonalOfDiagonalArray(s) * w.Transpose()).ToColumnMajorArray(), 0);
        var subspace = new SubspaceThresholding(rows, cols, 64);
        subspace.Remember(old, 2);

        s[cols - 1] = 3 * tau;
        var p = (q * Matrix<double>.Build.DiagonalOfDiagonalArray(s) * w.Transpose()).ToColumnMajorArray();
        var copy = (double[])p.Clone();
        subspace.TryApply(new WorkingMatrix(p, rows, cols, 1), tau, CancellationToken.None).Should().BeNull();
        subspace.LastCertificateFailed.Should().BeTrue("the iteration settled on rank 2, which the Gram test refuses");
        p.Should().Equal(copy, "a refused call leaves the matrix to the full method");

        var expected = Reference(p, rows, cols, tau, out var nuclear, out var rank);
        rank.Should().Be(3);
        var (norm, r) = new SingularValueThresholding(rows, cols, ThresholdingMethod.Subspace).Apply(p, tau);
        r.Should().Be(3);
        norm.Should().BeApproximately(nuclear, 1e-12 * nuclear);
        ShouldMatch(p, expected, 1e-12, "the hidden component is kept");
    }

    [Fact]
    public void The_gram_certificate_settles_calls_the_frobenius_bound_cannot()
    {
        // Many components just below τ: their Frobenius norm is far above τ, but σ_max of the remainder is below it.
        const int rows = 500, cols = 48;
        var random = new Random(11);
        var q = Matrix<double>.Build.Random(rows, cols, new MathNet.Numerics.Distributions.Normal(random)).QR().Q.SubMatrix(0, rows, 0, cols);
        var w = Matrix<double>.Build.Random(cols, cols, new MathNet.Numerics.Distributions.Normal(random)).QR().Q;
        var s = Enumerable.Range(0, cols).Select(j => j < 2 ? 50.0 / (j + 1) : 0.8).ToArray();
        var thresholder = new SingularValueThresholding(rows, cols, ThresholdingMethod.Subspace);
        for (var call = 0; call < 3; call++)
        {
            var p = (q * Matrix<double>.Build.DiagonalOfDiagonalArray(s.Select(x => x * (1 + 1e-4 * call)).ToArray()) * w.Transpose()).ToColumnMajorArray();
            var expected = Reference(p, rows, cols, 1.0, out _, out var rank);
            thresholder.Apply(p, 1.0).Rank.Should().Be(rank);
            ShouldMatch(p, expected, 1e-12, $"call {call}");
            if (call > 0) thresholder.LastWasPartial.Should().BeTrue();
        }
    }
}
