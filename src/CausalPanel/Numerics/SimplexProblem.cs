namespace CausalPanel.Numerics;

/// <summary>
/// The ridge-penalised simplex least-squares problem behind synthetic-control weights
/// (Arkhangelsky et al. 2021, AER, Eqs. 2.2 and 2.3; R <c>synthdid</c> <c>sc.weight.fw</c>):
/// minimise f(x) = ζ²‖x‖² + ‖A x − b‖² / n over {x ≥ 0, Σx = 1}, for an n×k matrix A and target b.
/// Stored column-major as an n×(k+1) matrix whose last column is b, so that every column (one
/// candidate weight's data) is contiguous. With an intercept, every column is centred first,
/// which profiles out a free constant exactly.
/// </summary>
internal sealed class SimplexProblem
{
    /// <summary>Builds the problem from a column-major n×(k+1) array (copied, centred when <paramref name="intercept"/>).</summary>
    public SimplexProblem(ReadOnlySpan<double> columnMajor, int n, int k, double zeta, bool intercept)
        : this(new double[n * (k + 1)], n, k, zeta) => Load(columnMajor, intercept);

    private SimplexProblem(double[] data, int n, int k, double zeta)
    {
        Rows = n;
        Columns = k;
        Zeta = zeta;
        Eta = n * zeta * zeta;
        Data = data;
    }

    /// <summary>
    /// The problem on a column-major n×(k+1) matrix in the first n·(k+1) entries of an array that the caller hands over
    /// (not copied: centred in place when <paramref name="intercept"/>), so that a problem on a large panel costs one copy
    /// of its data, not two, and two problems solved one after the other can share one buffer.
    /// </summary>
    public static SimplexProblem Over(double[] columnMajor, int n, int k, double zeta, bool intercept)
    {
        if (columnMajor.Length < n * (k + 1)) throw new ArgumentException("The matrix must have n·(k+1) entries.", nameof(columnMajor));
        var problem = new SimplexProblem(columnMajor, n, k, zeta);
        if (intercept)
            for (var j = 0; j <= k; j++) Centre(columnMajor.AsSpan(j * n, n));
        return problem;
    }

    /// <summary>Replaces [A | b] by new data of the same shape (copied, centred when <paramref name="intercept"/>).</summary>
    public void Load(ReadOnlySpan<double> columnMajor, bool intercept)
    {
        if (columnMajor.Length != Data.Length) throw new ArgumentException("The matrix must have n·(k+1) entries.", nameof(columnMajor));
        columnMajor.CopyTo(Data);
        if (intercept)
            for (var j = 0; j <= Columns; j++) Centre(Data.AsSpan(j * Rows, Rows));
    }

    /// <summary>n: rows (observations).</summary>
    public int Rows { get; }

    /// <summary>k: candidate weights.</summary>
    public int Columns { get; }

    /// <summary>ζ, the ridge strength per observation.</summary>
    public double Zeta { get; }

    /// <summary>η = n ζ², the ridge in the un-normalised form ‖Ax − b‖² + η‖x‖².</summary>
    public double Eta { get; }

    /// <summary>Column-major [A | b] (in its first n·(k+1) entries).</summary>
    public double[] Data { get; }

    /// <summary>Column j of A (j = k gives b).</summary>
    public ReadOnlySpan<double> Column(int j) => Data.AsSpan(j * Rows, Rows);

    /// <summary>ax = A x, accumulated column by column in index order (as reference BLAS does).</summary>
    public void Product(ReadOnlySpan<double> x, Span<double> ax)
    {
        ax[..Rows].Clear();
        for (var j = 0; j < Columns; j++)
        {
            var xj = x[j];
            if (xj == 0) continue;   // exact: BLAS skips zero coefficients too
            var a = Column(j);
            for (var i = 0; i < Rows; i++) ax[i] += xj * a[i];
        }
    }

    /// <summary>
    /// g = Aᵀ(v − b) for a vector v of length n (v = A x gives half the gradient of ‖Ax − b‖²), with
    /// <paramref name="residual"/> (length n) as scratch so that solver loops do not allocate.
    /// </summary>
    public void ResidualGradient(ReadOnlySpan<double> v, Span<double> gradient, Span<double> residual)
    {
        var b = Column(Columns);
        var r = residual[..Rows];
        for (var i = 0; i < Rows; i++) r[i] = v[i] - b[i];
        for (var j = 0; j < Columns; j++) gradient[j] = Blas.Dot(r, Column(j));
    }

    /// <summary>g = Aᵀ(A x − b) + η x, half the gradient of ‖Ax − b‖² + η‖x‖², given ax = A x (<paramref name="residual"/>: scratch of length n).</summary>
    public void HalfGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> ax, Span<double> gradient, Span<double> residual)
    {
        ResidualGradient(ax, gradient, residual);
        for (var j = 0; j < Columns; j++) gradient[j] += Eta * x[j];
    }

    /// <summary>f(x) = ζ²‖x‖² + ‖A x − b‖²/n, given ax = A x.</summary>
    public double Objective(ReadOnlySpan<double> x, ReadOnlySpan<double> ax) => Objective(SumOfSquares(x), ax);

    /// <summary>f(x) = ζ²‖x‖² + ‖A x − b‖²/n, given ‖x‖² and ax = A x.</summary>
    public double Objective(double squaredNorm, ReadOnlySpan<double> ax)
    {
        var b = Column(Columns);
        double rr = 0;
        for (var i = 0; i < Rows; i++)
        {
            var r = ax[i] - b[i];
            rr += r * r;
        }
        return Zeta * Zeta * squaredNorm + rr / Rows;
    }

    internal static double SumOfSquares(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (var e in v) s += e * e;
        return s;
    }

    /// <summary>Subtracts the mean (two-pass, as R's <c>mean</c>).</summary>
    private static void Centre(Span<double> v)
    {
        double s = 0;
        foreach (var e in v) s += e;
        var mean = s / v.Length;
        double correction = 0;
        foreach (var e in v) correction += e - mean;
        mean += correction / v.Length;
        for (var i = 0; i < v.Length; i++) v[i] -= mean;
    }
}
