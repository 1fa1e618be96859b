namespace CausalPanel.Numerics;

/// <summary>
/// The certificate both thresholders rest on: whether a small symmetric matrix (τ²I minus the Gram matrix of a block
/// shown to lie below τ) is positive definite, by Cholesky factorisation (Golub and Van Loan 2013, Alg. 4.2.1): it is
/// iff every pivot is positive. Covering rounding in forming and factorising the matrix is the callers' part.
/// </summary>
internal static class PositiveDefinite
{
    /// <summary>
    /// Whether the column-major <paramref name="size"/> × <paramref name="size"/> symmetric matrix whose lower triangle
    /// <paramref name="a"/> holds is positive definite; the lower triangle is overwritten by the factor (left-looking,
    /// column by column, stopping at the first pivot that is not positive).
    /// </summary>
    public static bool Factorise(Span<double> a, int size)
    {
        for (var j = 0; j < size; j++)
        {
            var column = a.Slice(j * size + j, size - j);
            for (var l = 0; l < j; l++)
            {
                var factor = a[l * size + j];
                if (factor != 0) Blas.AddScaled(column, -factor, a.Slice(l * size + j, size - j));
            }
            if (!(column[0] > 0)) return false;
            var root = Math.Sqrt(column[0]);
            for (var i = 0; i < column.Length; i++) column[i] /= root;
        }
        return true;
    }
}
