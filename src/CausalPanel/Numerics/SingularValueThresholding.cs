using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel.Numerics;

/// <summary>
/// Singular value soft-thresholding (Cai, Candès and Shen 2010), the proximal operator of
/// τ‖·‖_*: for P = U diag(s) Vᵀ, returns U diag(max(s − τ, 0)) Vᵀ.
/// </summary>
internal static class SingularValueThresholding
{
    /// <summary>
    /// Overwrites the column-major n×t matrix <paramref name="p"/> with its thresholded version;
    /// returns the sum of the thresholded singular values (the nuclear norm of the result) and its rank.
    /// </summary>
    public static (double NuclearNorm, int Rank) Apply(double[] p, int n, int t, double tau)
    {
        var svd = Matrix<double>.Build.Dense(n, t, p).Svd(computeVectors: true);
        var s = svd.S;
        var u = svd.U;
        var vt = svd.VT;
        Array.Clear(p);
        double norm = 0;
        var rank = 0;
        for (var k = 0; k < s.Count; k++)
        {
            var sk = s[k] - tau;
            if (sk <= 0) continue;
            norm += sk;
            rank++;
            for (var j = 0; j < t; j++)
            {
                var scaled = sk * vt[k, j];
                if (scaled == 0) continue;
                for (var i = 0; i < n; i++) p[j * n + i] += u[i, k] * scaled;
            }
        }
        return (norm, rank);
    }

    /// <summary>The largest singular value of a column-major n×t matrix.</summary>
    public static double Largest(double[] p, int n, int t) =>
        Matrix<double>.Build.Dense(n, t, (double[])p.Clone()).Svd(computeVectors: false).S[0];
}
