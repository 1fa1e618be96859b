namespace CausalPanel.Numerics;

/// <summary>
/// Eigendecomposition of a small symmetric matrix by the cyclic two-sided Jacobi method (Golub and Van Loan 2013,
/// Alg. 8.5.3): rotations annihilate the off-diagonal entries until each is below ε times the geometric mean of its
/// diagonal pair, which also gives small eigenvalues to high relative accuracy when the matrix is positive definite
/// and well scaled (Demmel and Veselić 1992). For the Rayleigh–Ritz steps of <see cref="SubspaceThresholding"/>.
/// </summary>
internal static class SymmetricEigen
{
    private const int MaxSweeps = 60;

    /// <summary>
    /// Diagonalises the column-major n × n symmetric <paramref name="a"/> (overwritten; its diagonal becomes the
    /// eigenvalues) and writes the eigenvectors to the columns of <paramref name="vectors"/>, sorted by eigenvalue,
    /// largest first, into <paramref name="values"/>.
    /// </summary>
    public static void Decompose(Span<double> a, int n, Span<double> vectors, Span<double> values)
    {
        vectors.Slice(0, n * n).Clear();
        for (var i = 0; i < n; i++) vectors[i * n + i] = 1;
        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            var rotated = false;
            for (var p = 0; p < n - 1; p++)
                for (var q = p + 1; q < n; q++)
                {
                    var apq = a[q * n + p];
                    double app = a[p * n + p], aqq = a[q * n + q];
                    if (Math.Abs(apq) <= 2.220446049250313e-16 * Math.Sqrt(Math.Abs(app * aqq)) || apq == 0) continue;
                    rotated = true;
                    var theta = (aqq - app) / (2 * apq);
                    var t = Math.Abs(theta) > 1e150 ? 0.5 / theta : (theta >= 0 ? 1 : -1) / (Math.Abs(theta) + Math.Sqrt(1 + theta * theta));
                    var c = 1 / Math.Sqrt(1 + t * t);
                    var s = c * t;
                    // A ← Jᵀ A J on rows and columns p, q; V ← V J.
                    for (var k = 0; k < n; k++)
                    {
                        double akp = a[p * n + k], akq = a[q * n + k];
                        a[p * n + k] = c * akp - s * akq;
                        a[q * n + k] = s * akp + c * akq;
                    }
                    for (var k = 0; k < n; k++)
                    {
                        double apk = a[k * n + p], aqk = a[k * n + q];
                        a[k * n + p] = c * apk - s * aqk;
                        a[k * n + q] = s * apk + c * aqk;
                    }
                    Blas.Rotate(vectors.Slice(p * n, n), vectors.Slice(q * n, n), c, s);
                }
            if (!rotated) break;
        }
        // Sort by eigenvalue, largest first (selection sort: n is small).
        for (var i = 0; i < n; i++) values[i] = a[i * n + i];
        for (var i = 0; i < n - 1; i++)
        {
            var best = i;
            for (var j = i + 1; j < n; j++)
                if (values[j] > values[best]) best = j;
            if (best == i) continue;
            (values[i], values[best]) = (values[best], values[i]);
            for (var k = 0; k < n; k++) (vectors[i * n + k], vectors[best * n + k]) = (vectors[best * n + k], vectors[i * n + k]);
        }
    }
}
