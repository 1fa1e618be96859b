namespace CausalPanel.Numerics;

/// <summary>
/// Singular value soft-thresholding (Cai, Candès and Shen 2010), the proximal operator of τ‖·‖_*:
/// for P = U diag(s) Vᵀ, P ← U diag(max(s − τ, 0)) Vᵀ. Works on W = P, or Pᵀ when P is wide (length × k, k the
/// shorter side), at unit scale (a power of two, so exact), by one of three methods:
/// <list type="bullet">
/// <item>small matrices: the warm-started one-sided Jacobi SVD of W (<see cref="JacobiThresholding"/>);</item>
/// <item>large ones, full method: a tall-skinny QR W = QR streamed by blocks of rows, the Jacobi SVD of the k × k
/// factor R = U_R Σ Vᵀ (warm-started: R has W's right singular vectors), and SVT_τ(W) = Q SVT_τ(R) = W H with
/// H = V diag((1 − τ/σ)₊) Vᵀ — backward stable like any QR-preconditioned Jacobi SVD (Drmač and Veselić 2008), in
/// two passes over W and O(k²) memory besides it;</item>
/// <item>large ones of low rank: only the components above τ, by subspace iteration from the previous call's
/// subspace, with a proof that none was missed (<see cref="SubspaceThresholding"/>), else the full method.</item>
/// </list>
/// One instance per matrix size and per thread; it keeps the previous call's singular vectors as the next call's start.
/// </summary>
internal sealed class SingularValueThresholding
{
    /// <summary>Below this width (or for squarish matrices) the Jacobi SVD of W itself is the cheapest exact method.</summary>
    internal const int BlockWidth = 32;
    private const int RowsPerBlock = 256;
    private readonly int _rows, _cols, _length, _k;
    private readonly JacobiThresholding _jacobi;           // of W when small, of R otherwise
    private readonly double[] _r = [], _block = [], _right = [], _packed = [], _packedBack = [], _product = [], _qrScratch = [];
    private readonly SubspaceThresholding? _subspace;

    /// <param name="rows">Rows of the column-major matrices this instance will threshold.</param>
    /// <param name="cols">Columns.</param>
    /// <param name="method">Which method to use (tests force one; by default chosen from the size and the previous rank).</param>
    public SingularValueThresholding(int rows, int cols, ThresholdingMethod method = ThresholdingMethod.Automatic)
    {
        (_rows, _cols) = (rows, cols);
        (_length, _k) = cols > rows ? (cols, rows) : (rows, cols);
        Method = method == ThresholdingMethod.Automatic
            ? _k >= BlockWidth && _length >= 2 * _k ? ThresholdingMethod.Subspace : ThresholdingMethod.Jacobi
            : method;
        if (Method == ThresholdingMethod.Jacobi)
        {
            _jacobi = new JacobiThresholding(rows, cols);
            return;
        }
        _jacobi = new JacobiThresholding(_k, _k, _length);
        _r = new double[_k * _k];
        _block = new double[RowsPerBlock * _k];
        _right = new double[_k * _k];
        _packed = new double[BlockKernels.PackedLength(_k, _k)];
        _packedBack = new double[BlockKernels.PackedLength(_k, _k)];
        _product = new double[RowsPerBlock * _k];
        _qrScratch = new double[BlockKernels.QrScratchLength(_k)];
        if (Method == ThresholdingMethod.Subspace) _subspace = new SubspaceThresholding(_length, _k, RowsPerBlock);
    }

    /// <summary>The method this instance uses (<see cref="ThresholdingMethod.Subspace"/> falls back to the full method per call).</summary>
    public ThresholdingMethod Method { get; }

    /// <summary>Jacobi sweeps taken by the last full decomposition (diagnostics and tests).</summary>
    public int LastSweeps => _jacobi.LastSweeps;

    /// <summary>Whether the last <see cref="Apply"/> was settled by the subspace method (diagnostics and tests).</summary>
    public bool LastWasPartial { get; private set; }

    /// <summary>Whether the last <see cref="Apply"/> fell back to the full method because the certificate refused the subspace's answer (diagnostics and tests).</summary>
    public bool LastCertificateFailed => _subspace?.LastCertificateFailed ?? false;

    /// <summary>Subspace iterations of the last <see cref="Apply"/> (diagnostics and tests).</summary>
    public int LastSubspaceIterations => _subspace?.LastIterations ?? 0;

    /// <summary>
    /// Overwrites the column-major rows×cols matrix <paramref name="p"/> with its thresholded version;
    /// returns the sum of the thresholded singular values (the nuclear norm of the result) and its rank.
    /// The token is checked between blocks of rows and between sweeps. <paramref name="accuracy"/> &gt; 0 stops the
    /// small-matrix Jacobi SVD at that cosine tolerance (see <see cref="JacobiThresholding.Decompose"/>); the other
    /// methods are always exact.
    /// </summary>
    public (double NuclearNorm, int Rank) Apply(double[] p, double tau, CancellationToken ct = default, double accuracy = 0)
    {
        if (p.Length != _rows * _cols) throw new ArgumentException("Matrix size differs from the thresholder's.", nameof(p));
        // SVT(cP, cτ) = c SVT(P, τ): work at unit scale (a power of two, so exact) so that σ³ cannot underflow.
        var scale = UnitScale(p);
        LastWasPartial = false;
        if (scale == 0) return (0, 0);
        var tauAtUnit = tau / scale;
        (double Norm, int Rank) result;
        if (Method == ThresholdingMethod.Jacobi)
        {
            Scale(p, 1 / scale);
            _jacobi.Decompose(p, tauAtUnit, ct, accuracy);
            result = _jacobi.Shrink(tauAtUnit);
            _jacobi.Reconstruct(p);
            Scale(p, scale);
        }
        else
        {
            var w = new WorkingMatrix(p, _rows, _cols, scale);
            if (_subspace?.TryApply(w, tauAtUnit, ct) is { } partial)
            {
                LastWasPartial = true;
                result = partial;
            }
            else
            {
                FactorR(w, ct);
                _jacobi.Decompose(_r, tauAtUnit, ct);
                result = _jacobi.Shrink(tauAtUnit);
                MultiplyByShrinkage(w, result.Rank, ct);
                _subspace?.Remember(_jacobi, result.Rank);
            }
        }
        return (result.Norm * scale, result.Rank);
    }

    /// <summary>The largest singular value of a column-major rows×cols matrix (left unchanged).</summary>
    public double Largest(double[] p, CancellationToken ct = default) => Decomposed(p, ct, () => Math.Sqrt(_jacobi.LargestSquared));

    /// <summary>The nuclear norm of a column-major rows×cols matrix (left unchanged).</summary>
    public double NuclearNorm(double[] p, CancellationToken ct = default) => Decomposed(p, ct, () => _jacobi.SumOfSingularValues);

    /// <summary>
    /// Decomposes p fully at unit scale (restored afterwards) and returns c·<paramref name="value"/>(); the singular
    /// vectors are kept, so that the next <see cref="Apply"/> starts warm.
    /// </summary>
    private double Decomposed(double[] p, CancellationToken ct, Func<double> value)
    {
        if (p.Length != _rows * _cols) throw new ArgumentException("Matrix size differs from the thresholder's.", nameof(p));
        var scale = UnitScale(p);
        if (scale == 0) return 0;
        if (Method == ThresholdingMethod.Jacobi)
        {
            Scale(p, 1 / scale);
            _jacobi.Decompose(p, 0, ct);
            Scale(p, scale);
        }
        else
        {
            FactorR(new WorkingMatrix(p, _rows, _cols, scale), ct);
            _jacobi.Decompose(_r, 0, ct);
            _subspace?.Remember(_jacobi, _jacobi.Shrink(0).Rank);
        }
        return scale * value();
    }

    /// <summary>R of W = QR by the tall-skinny QR, streaming W by blocks of rows.</summary>
    private void FactorR(WorkingMatrix w, CancellationToken ct)
    {
        Array.Clear(_r);
        for (var i0 = 0; i0 < _length; i0 += RowsPerBlock)
        {
            ct.ThrowIfCancellationRequested();
            var m = Math.Min(RowsPerBlock, _length - i0);
            var block = _block.AsSpan(0, m * _k);
            w.Read(i0, m, block);
            BlockKernels.QrStep(block, m, _k, _r, _qrScratch);
        }
    }

    /// <summary>
    /// W ← W H, H = Σ_j c_j v_j v_jᵀ over the components the Jacobi SVD of R kept, block by block of rows: as (W V_r)(C V_rᵀ)
    /// when the rank r is at most k/2, else as one product with H.
    /// </summary>
    private void MultiplyByShrinkage(WorkingMatrix w, int rank, CancellationToken ct)
    {
        if (rank == 0)
        {
            w.Clear();
            return;
        }
        // _right: V_r (k × r, column-major) and, after it, C V_rᵀ (r × k); or H (k × k).
        var low = rank <= _k / 2;
        var kept = 0;
        var vr = low ? _right.AsSpan(0, _k * rank) : default;
        var cvt = low ? _right.AsSpan(_k * rank, rank * _k) : default;
        if (!low) _right.AsSpan().Clear();
        for (var j = 0; j < _k; j++)
        {
            var c = _jacobi.Coefficient(j);
            if (c == 0) continue;
            var v = _jacobi.RightVector(j);
            if (low)
            {
                v.CopyTo(vr.Slice(kept * _k, _k));
                for (var l = 0; l < _k; l++) cvt[l * rank + kept] = c * v[l];
            }
            else
                for (var l = 0; l < _k; l++) Blas.AddScaled(_right.AsSpan(l * _k, _k), c * v[l], v);
            kept++;
        }
        var packedRank = _packed.AsSpan(0, BlockKernels.PackedLength(_k, rank));
        var packedBack = _packedBack.AsSpan(0, BlockKernels.PackedLength(rank, _k));
        if (low)
        {
            BlockKernels.PackRight(vr, _k, _k, rank, packedRank);
            BlockKernels.PackRight(cvt, rank, rank, _k, packedBack);
        }
        else BlockKernels.PackRight(_right, _k, _k, _k, _packed);

        for (var i0 = 0; i0 < _length; i0 += RowsPerBlock)
        {
            ct.ThrowIfCancellationRequested();
            var m = Math.Min(RowsPerBlock, _length - i0);
            var block = _block.AsSpan(0, m * _k);
            var product = _product.AsSpan(0, m * _k);
            w.Read(i0, m, block);
            if (low)
            {
                var y = product.Slice(0, m * rank);
                BlockKernels.Multiply(block, m, _k, packedRank, rank, y);
                BlockKernels.Multiply(y, m, rank, packedBack, _k, block);
                w.Write(i0, m, block);
            }
            else
            {
                BlockKernels.Multiply(block, m, _k, _packed, _k, product);
                w.Write(i0, m, product);
            }
        }
    }

    /// <summary>c, the power of two just above max |p| (dividing by it is exact); 0 for a zero matrix, 1 when p holds a non-finite number.</summary>
    private static double UnitScale(double[] p)
    {
        var largest = Blas.MaxAbs(p);
        if (largest == 0) return 0;
        if (!double.IsFinite(largest)) return 1;
        return Math.ScaleB(1, Math.ILogB(largest) + 1);
    }

    private static void Scale(double[] p, double factor)
    {
        if (factor == 1) return;
        Blas.Scale(p, factor, p);
    }
}

/// <summary>How <see cref="SingularValueThresholding"/> decomposes.</summary>
internal enum ThresholdingMethod
{
    /// <summary>Chosen from the size: Jacobi when the shorter side is below <see cref="SingularValueThresholding.BlockWidth"/> or the matrix is squarish, else subspace.</summary>
    Automatic,

    /// <summary>One-sided Jacobi SVD of the matrix.</summary>
    Jacobi,

    /// <summary>Tall-skinny QR, then the Jacobi SVD of R.</summary>
    QrJacobi,

    /// <summary>Subspace iteration for the components above τ with a certificate, else QR + Jacobi.</summary>
    Subspace,
}
