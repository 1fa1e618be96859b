namespace CausalPanel.Numerics;

/// <summary>
/// The inverse quadratic form dᵀ V⁻¹ d of a symmetric covariance matrix V (a Wald statistic), or null when V is
/// (numerically) singular: V is scaled to its correlation matrix R = D⁻¹VD⁻¹ (D = √diag V), whose Cholesky factorisation
/// must have every squared pivot above <see cref="Tolerance"/> (R's eigenvalues lie in [0, K], so a pivot that small
/// means a combination of the components has (almost) no variance); then dᵀV⁻¹d = (D⁻¹d)ᵀR⁻¹(D⁻¹d).
/// </summary>
internal static class QuadraticForm
{
    /// <summary>The smallest squared Cholesky pivot of the correlation matrix accepted as nonsingular.</summary>
    public const double Tolerance = 1e-10;

    /// <summary>dᵀV⁻¹d for the row-major K×K <paramref name="covariance"/>; null when a variance is not positive or V is singular.</summary>
    public static double? Inverse(ReadOnlySpan<double> covariance, ReadOnlySpan<double> d)
    {
        var k = d.Length;
        var scale = new double[k];
        for (var i = 0; i < k; i++)
        {
            var v = covariance[i * k + i];
            if (!(v > 0) || !double.IsFinite(v)) return null;
            scale[i] = Math.Sqrt(v);
        }
        var l = new double[k * k];
        for (var j = 0; j < k; j++)
        {
            var pivot = covariance[j * k + j] / (scale[j] * scale[j]) - Blas.Dot(l.AsSpan(j * k, j), l.AsSpan(j * k, j));
            if (!(pivot > Tolerance)) return null;
            var diagonal = Math.Sqrt(pivot);
            l[j * k + j] = diagonal;
            for (var i = j + 1; i < k; i++)
                l[i * k + j] = (covariance[i * k + j] / (scale[i] * scale[j]) - Blas.Dot(l.AsSpan(i * k, j), l.AsSpan(j * k, j))) / diagonal;
        }
        // Forward substitution L z = D⁻¹d; dᵀV⁻¹d = zᵀz.
        var z = new double[k];
        double form = 0;
        for (var i = 0; i < k; i++)
        {
            z[i] = (d[i] / scale[i] - Blas.Dot(l.AsSpan(i * k, i), z.AsSpan(0, i))) / l[i * k + i];
            form += z[i] * z[i];
        }
        return form;
    }
}
