namespace CausalPanel.Numerics;

/// <summary>
/// Singular value thresholding at the cost of the rank: only the components of W (length × k) above τ, by subspace
/// iteration with Rayleigh–Ritz (Halko, Martinsson and Tropp 2011, Alg. 4.4 and 5.1) started from the previous call's
/// right singular vectors (b = r + 4 of them, r the previous rank), with a proof that no component above τ was missed;
/// when it cannot be given, <see cref="TryApply"/> returns null and the caller runs the full method.
/// <para>
/// One pass over W forms G = WᵀW (k × k). The subspace iteration V ← orth(G V) runs on G, at k²b operations a step
/// instead of two passes over W, until V spans an invariant subspace of G to its rounding. G's rounding (γ_length ‖W‖_F²)
/// limits that subspace's accuracy, so Rayleigh–Ritz then runs on W itself: Y = W V, U₀ = orth(Y) (Gram–Schmidt
/// twice), Z = Wᵀ U₀ = V₁ Σ Xᵀ (Jacobi SVD of the k × b matrix Z), U₁ = U₀ X, so that U₁ᵀ W = Σ V₁ᵀ exactly. With A
/// the components σ_a &gt; τ and F = W V₁,A − U₁,A Σ_A (one more pass), P̃ = W − F V₁,Aᵀ is the orthogonal sum of
/// U₁,A Σ_A V₁,Aᵀ and R = (I − U₁,A U₁,Aᵀ) W (I − V₁,A V₁,Aᵀ). If σ_max(R) ≤ τ, SVT_τ(P̃) = U₁,A (Σ_A − τ) V₁,Aᵀ, and
/// since SVT_τ is non-expansive, ‖SVT_τ(W) − U₁,A (Σ_A − τ) V₁,Aᵀ‖_F ≤ ‖F‖_F: the answer is accepted when ‖F‖_F is at
/// rounding level (8·k·u·‖W‖_F per component, u the unit roundoff), after at most a few more Rayleigh–Ritz steps.
/// </para>
/// <para>
/// The certificate σ_max(R) ≤ τ, with margins for rounding: ‖R‖_F² ≤ ‖W‖_F² − Σ_A σ_a² &lt; τ² (one number, enough
/// when τ is above the bulk of the remainder), else RᵀR = Π G Π with Π = I − V₁,A V₁,Aᵀ, so a Cholesky factorisation
/// of τ²I − Π G Π (k × k) proves it. No test built on products of W with a few vectors could: a component orthogonal
/// to every vector multiplied stays invisible, which is how a partial method without a certificate misses one (the
/// tests build such a case). A pass over W costs length·k·b multiply–adds; the call, four or five passes and G's
/// length·k²/2, against length·k² and a k × k SVD for the full method.
/// </para>
/// </summary>
internal sealed class SubspaceThresholding
{
    private const int Oversampling = 4;
    private const int MaxIterations = 3;
    private const int MaxGramIterations = 100;
    private const double UnitRoundoff = 1.1102230246251565e-16;
    private readonly int _length, _k, _rowsPerBlock, _maxWidth;
    private readonly double[] _basis;            // k × maxWidth, right vectors by σ descending: the warm start
    private int _basisCount, _previousRank = -1;
    private double[] _y, _u;                     // length × maxWidth each: W V, then U₀ and U₁
    private readonly double[] _z;                // k × maxWidth: G V or Wᵀ U₀
    private readonly JacobiThresholding?[] _small;  // its SVD, one instance per width (allocated when first needed)
    private JacobiThresholding? _svdOfZ;
    private readonly Comparer<int> _bySingularValue;
    private readonly double[] _sigma;
    private readonly int[] _order;
    private readonly double[] _v;                // k × maxWidth: the current right vectors
    private readonly double[] _x;                // maxWidth × maxWidth: the rotation U₁ = U₀ X
    private readonly double[] _block, _rowsOfU, _output;
    private readonly double[] _packed;
    private readonly double[] _gram;             // k × k, for the Gram test
    private readonly double[] _eigenvectors, _rotated;

    /// <param name="length">Rows of W.</param>
    /// <param name="k">Columns of W (k ≤ length).</param>
    /// <param name="rowsPerBlock">Rows streamed per block.</param>
    public SubspaceThresholding(int length, int k, int rowsPerBlock)
    {
        (_length, _k, _rowsPerBlock) = (length, k, rowsPerBlock);
        _maxWidth = Math.Min(k, Math.Max(2 * Oversampling, k / 4));
        _basis = new double[k * _maxWidth];
        _y = new double[length * _maxWidth];
        _u = new double[length * _maxWidth];
        _z = new double[k * _maxWidth];
        _small = new JacobiThresholding?[_maxWidth + 1];
        _sigma = new double[_maxWidth];
        _order = new int[_maxWidth];
        _v = new double[k * _maxWidth];
        _x = new double[_maxWidth * _maxWidth];
        _block = new double[rowsPerBlock * k];
        _rowsOfU = new double[rowsPerBlock * _maxWidth];
        _output = new double[rowsPerBlock * Math.Max(k, _maxWidth)];
        _packed = new double[Math.Max(BlockKernels.PackedLength(k, _maxWidth), BlockKernels.PackedLength(_maxWidth, k))];
        _gram = new double[k * k];
        _eigenvectors = new double[_maxWidth * _maxWidth];
        _rotated = new double[k * _maxWidth];
        _bySingularValue = Comparer<int>.Create((a, b) => _svdOfZ!.SingularValue(b).CompareTo(_svdOfZ!.SingularValue(a)));
    }

    /// <summary>Iterations taken by the last call (diagnostics and tests).</summary>
    public int LastIterations { get; private set; }

    /// <summary>
    /// Whether the last call's iteration settled on an answer that the certificate then refused: a component above τ
    /// lay outside the subspace (diagnostics and tests).
    /// </summary>
    public bool LastCertificateFailed { get; private set; }

    /// <summary>Keeps the leading right singular vectors of a full decomposition (R's Jacobi SVD) as the next start.</summary>
    public void Remember(JacobiThresholding full, int rank)
    {
        var count = Math.Min(rank + Oversampling, Math.Min(_maxWidth, full.Width));
        var order = Enumerable.Range(0, full.Width).OrderByDescending(full.SingularValue).Take(count).ToArray();
        for (var c = 0; c < count; c++) full.RightVector(order[c]).CopyTo(_basis.AsSpan(c * _k, _k));
        _basisCount = count;
        _previousRank = rank;
    }

    /// <summary>
    /// Overwrites the matrix behind <paramref name="w"/> with SVT_τ of it (τ at W's scale) and returns the nuclear norm
    /// and rank of the result at W's scale, or returns null (the matrix unchanged) when the previous rank is too high
    /// for this method to pay, the iteration does not settle, or the certificate fails.
    /// </summary>
    public (double NuclearNorm, int Rank)? TryApply(WorkingMatrix w, double tau, CancellationToken ct)
    {
        LastCertificateFailed = false;
        LastIterations = 0;
        if (_previousRank < 0 || _previousRank + Oversampling > _maxWidth) return null;
        // G = WᵀW and ‖W‖_F² = tr G; then the subspace iteration on G from the warm basis, topped up to r + 4 vectors
        // with fixed pseudo-random ones when the last call kept fewer (the iteration on G turns them into the next
        // leading directions).
        var frobenius = FormGram(w, ct);
        if (frobenius == 0) return null;
        var width = Math.Min(_previousRank + Oversampling, _maxWidth);
        _basis.AsSpan(0, _k * _basisCount).CopyTo(_v);
        for (var c = _basisCount; c < width; c++)
            for (var l = 0; l < _k; l++) _v[c * _k + l] = (((l + 1) * 7919 + (c + 1) * 104729) % 1009) / 1009.0 - 0.5;
        width = Orthonormalise(_v, _k, width);
        width = IterateOnGram(width, frobenius, tau);
        if (width == 0) return null;

        // Rayleigh–Ritz on W until the kept components' residual is at rounding level.
        MultiplyRight(w, width, ct);
        var kept = 0;
        var settled = false;
        for (var step = 1; step <= MaxIterations && !settled; step++)
        {
            LastIterations = step;
            (_u, _y) = (_y, _u);
            var independent = Orthonormalise(_u, _length, width);
            if (independent == 0) return null;
            var count = RayleighRitz(w, independent, ct);
            if (count == 0) return null;
            width = count;
            kept = 0;
            while (kept < count && _sigma[kept] > tau) kept++;
            if (kept == width) return null;   // every component found lies above τ: the subspace may be too small
            MultiplyRight(w, width, ct);
            double residual = 0;   // ‖W V_A − U_A Σ_A‖_F²
            for (var c = 0; c < kept; c++) residual += Blas.SquaredDistance(_y.AsSpan(c * _length, _length), _sigma[c], _u.AsSpan(c * _length, _length));
            var tolerance = 8 * _k * UnitRoundoff;
            settled = residual <= Math.Max(kept, 1) * tolerance * tolerance * frobenius;
        }
        if (!settled) return null;
        if (!RemainderIsBelow(tau, kept, frobenius))
        {
            LastCertificateFailed = true;
            return null;
        }

        // W ← U_A (Σ_A − τ) V_Aᵀ, block by block of rows.
        double nuclear = 0;
        var scaled = _gram.AsSpan(0, kept * _k);   // (Σ_A − τ) V_Aᵀ, kept × k (the Gram is not needed any more)
        for (var c = 0; c < kept; c++)
        {
            var shrunk = _sigma[c] - tau;
            nuclear += shrunk;
            for (var l = 0; l < _k; l++) scaled[l * kept + c] = shrunk * _v[c * _k + l];
        }
        var packed = _packed.AsSpan(0, BlockKernels.PackedLength(kept, _k));
        BlockKernels.PackRight(scaled, kept, kept, _k, packed);
        for (var i0 = 0; i0 < _length; i0 += _rowsPerBlock)
        {
            ct.ThrowIfCancellationRequested();
            var m = Math.Min(_rowsPerBlock, _length - i0);
            var rowsOfU = _rowsOfU.AsSpan(0, m * kept);
            for (var c = 0; c < kept; c++) _u.AsSpan(c * _length + i0, m).CopyTo(rowsOfU.Slice(c * m, m));
            var output = _output.AsSpan(0, m * _k);
            BlockKernels.Multiply(rowsOfU, m, kept, packed, _k, output);
            w.Write(i0, m, output);
        }
        _v.AsSpan(0, _k * width).CopyTo(_basis);
        (_basisCount, _previousRank) = (width, kept);
        return (nuclear, kept);
    }

    /// <summary>G = WᵀW (both triangles) in one pass; returns ‖W‖_F² = tr G.</summary>
    private double FormGram(WorkingMatrix w, CancellationToken ct)
    {
        Array.Clear(_gram);
        for (var i0 = 0; i0 < _length; i0 += _rowsPerBlock)
        {
            ct.ThrowIfCancellationRequested();
            var m = Math.Min(_rowsPerBlock, _length - i0);
            var block = _block.AsSpan(0, m * _k);
            w.Read(i0, m, block);
            BlockKernels.AddCrossProduct(block, m, _k, block, _k, _gram, _k, lowerOnly: true);
        }
        double trace = 0;
        for (var j = 0; j < _k; j++)
        {
            trace += _gram[j * _k + j];
            for (var i = 0; i < j; i++) _gram[j * _k + i] = _gram[i * _k + j];
        }
        return trace;
    }

    /// <summary>
    /// Subspace iteration on G with Rayleigh–Ritz each step (V ← V Q, Q the eigenvectors of Vᵀ G V, largest first), then
    /// V ← orth(G V), until the Ritz pairs that could lie above τ (θ &gt; τ²/2) have residuals ‖G v − θ v‖ at G's rounding,
    /// their Ritz values stop moving, or <see cref="MaxGramIterations"/> steps; returns the width left (columns that
    /// depend on the others are dropped).
    /// </summary>
    private int IterateOnGram(int width, double frobenius, double tau)
    {
        var floor = 4 * _k * UnitRoundoff * frobenius;
        var previousLeading = double.NaN;
        for (var step = 0; step < MaxGramIterations && width > 0; step++)
        {
            var gv = _z.AsSpan(0, _k * width);
            BlockKernels.PackRight(_v, _k, _k, width, _packed);
            BlockKernels.Multiply(_gram, _k, _k, _packed, width, gv);
            var h = _x.AsSpan(0, width * width);
            for (var a = 0; a < width; a++)
                for (var b = 0; b <= a; b++)
                    h[b * width + a] = h[a * width + b] = Blas.Dot(_v.AsSpan(a * _k, _k), gv.Slice(b * _k, _k));
            var q = _eigenvectors.AsSpan(0, width * width);
            SymmetricEigen.Decompose(h, width, q, _sigma);
            Rotate(_v, width, q);
            Rotate(gv, width, q);
            double residual = 0, leading = 0;
            for (var c = 0; c < width && _sigma[c] > tau * tau / 2; c++)
            {
                var vc = _v.AsSpan(c * _k, _k);
                var gc = gv.Slice(c * _k, _k);
                for (var l = 0; l < _k; l++)
                {
                    var r = gc[l] - _sigma[c] * vc[l];
                    residual += r * r;
                }
                leading += _sigma[c];
            }
            if (residual <= floor * floor || Math.Abs(leading - previousLeading) <= UnitRoundoff * leading) break;
            previousLeading = leading;
            gv.CopyTo(_v);
            width = Orthonormalise(_v, _k, width);
        }
        return width;
    }

    /// <summary>The first <paramref name="width"/> columns of the k-row matrix m ← m Q (Q width × width), through a scratch buffer.</summary>
    private void Rotate(Span<double> m, int width, ReadOnlySpan<double> q)
    {
        var result = _rotated.AsSpan(0, _k * width);
        result.Clear();
        for (var c = 0; c < width; c++)
            for (var b = 0; b < width; b++)
            {
                var coefficient = q[c * width + b];
                if (coefficient != 0) Blas.AddScaled(result.Slice(c * _k, _k), coefficient, m.Slice(b * _k, _k));
            }
        result.CopyTo(m);
    }

    /// <summary>Y = W V (length × width) in one pass.</summary>
    private void MultiplyRight(WorkingMatrix w, int width, CancellationToken ct)
    {
        BlockKernels.PackRight(_v, _k, _k, width, _packed);
        for (var i0 = 0; i0 < _length; i0 += _rowsPerBlock)
        {
            ct.ThrowIfCancellationRequested();
            var m = Math.Min(_rowsPerBlock, _length - i0);
            var block = _block.AsSpan(0, m * _k);
            w.Read(i0, m, block);
            var y = _output.AsSpan(0, m * width);
            BlockKernels.Multiply(block, m, _k, _packed, width, y);
            for (var c = 0; c < width; c++) y.Slice(c * m, m).CopyTo(_y.AsSpan(c * _length + i0, m));
        }
    }

    /// <summary>
    /// Z = Wᵀ U₀ in one pass, its Jacobi SVD Z = V₁ Σ Xᵀ sorted by σ, and U₁ = U₀ X: the Rayleigh–Ritz triplets
    /// (_sigma, _v, _u). Returns their count (directions below rounding of the largest dropped).
    /// </summary>
    private int RayleighRitz(WorkingMatrix w, int independent, CancellationToken ct)
    {
        var z = _z.AsSpan(0, _k * independent);
        z.Clear();
        for (var i0 = 0; i0 < _length; i0 += _rowsPerBlock)
        {
            ct.ThrowIfCancellationRequested();
            var m = Math.Min(_rowsPerBlock, _length - i0);
            var block = _block.AsSpan(0, m * _k);
            w.Read(i0, m, block);
            var rowsOfU = _rowsOfU.AsSpan(0, m * independent);
            for (var c = 0; c < independent; c++) _u.AsSpan(c * _length + i0, m).CopyTo(rowsOfU.Slice(c * m, m));
            BlockKernels.AddCrossProduct(block, m, _k, rowsOfU, independent, z, _k, lowerOnly: false);
        }
        var svd = _svdOfZ = _small[independent] ??= new JacobiThresholding(_k, independent);
        svd.Restart();
        svd.Decompose(z, 0, ct);
        for (var j = 0; j < independent; j++) _order[j] = j;
        Array.Sort(_order, 0, independent, _bySingularValue);
        var largest = svd.SingularValue(_order[0]);
        var count = 0;
        for (var c = 0; c < independent; c++)
        {
            var j = _order[c];
            var sigma = svd.SingularValue(j);
            if (!(sigma > largest * Math.Max(_length, 8) * 2 * UnitRoundoff)) break;   // below rounding: not a direction
            _sigma[c] = sigma;
            var column = svd.Column(j);
            for (var l = 0; l < _k; l++) _v[c * _k + l] = column[l] / sigma;
            svd.RightVector(j).CopyTo(_x.AsSpan(c * _maxWidth, independent));
            count++;
        }
        // U₁ = U₀ X into _y (free now), then swap.
        for (var c = 0; c < count; c++)
        {
            var target = _y.AsSpan(c * _length, _length);
            target.Clear();
            for (var q = 0; q < independent; q++)
            {
                var coefficient = _x[c * _maxWidth + q];
                if (coefficient != 0) Blas.AddScaled(target, coefficient, _u.AsSpan(q * _length, _length));
            }
        }
        (_u, _y) = (_y, _u);
        return count;
    }

    /// <summary>
    /// Whether σ_max((I − U_A U_Aᵀ) W (I − V_A V_Aᵀ)) &lt; τ is proved: by the Frobenius norm, else by a Cholesky
    /// factorisation of τ²I − Π G Π (G is overwritten). Both margins cover rounding in the sums (γ_length ‖W‖_F²), in
    /// forming the k × k matrix and in the factorisation.
    /// </summary>
    private bool RemainderIsBelow(double tau, int kept, double frobenius)
    {
        var threshold = tau * tau;
        var margin = 4.0 * (_length + 4 * _k + 8) * UnitRoundoff * (frobenius + threshold);
        double captured = 0;
        for (var c = 0; c < kept; c++) captured += _sigma[c] * _sigma[c];
        if (frobenius - captured + margin < threshold) return true;

        // A = (τ² − margin) I − Π G Π = (τ² − margin) I − G + V (GV)ᵀ + (GV − V M) Vᵀ with M = Vᵀ G V, V = V_A:
        // rank-one updates of −G column by column.
        var g = _gram;
        var gv = _z.AsSpan(0, _k * kept);                 // G V, k × kept
        for (var c = 0; c < kept; c++)
        {
            var target = gv.Slice(c * _k, _k);
            target.Clear();
            for (var l = 0; l < _k; l++) Blas.AddScaled(target, _v[c * _k + l], g.AsSpan(l * _k, _k));
        }
        var corrected = _y.AsSpan(0, _k * kept);          // GV − V M (_y is free now)
        for (var c = 0; c < kept; c++)
        {
            var target = corrected.Slice(c * _k, _k);
            gv.Slice(c * _k, _k).CopyTo(target);
            for (var b = 0; b < kept; b++) Blas.AddScaled(target, -Blas.Dot(_v.AsSpan(b * _k, _k), gv.Slice(c * _k, _k)), _v.AsSpan(b * _k, _k));
        }
        for (var l = 0; l < _k; l++)
        {
            var column = g.AsSpan(l * _k, _k);
            for (var i = 0; i < _k; i++) column[i] = -column[i];
            column[l] += threshold - margin;
            for (var c = 0; c < kept; c++)
            {
                Blas.AddScaled(column, gv[c * _k + l], _v.AsSpan(c * _k, _k));
                Blas.AddScaled(column, _v[c * _k + l], corrected.Slice(c * _k, _k));
            }
        }
        return PositiveDefinite.Factorise(g, _k);
    }

    /// <summary>
    /// Orthonormalises the first <paramref name="width"/> columns of y (each <paramref name="length"/> long) by
    /// Gram–Schmidt applied twice ("twice is enough", Giraud, Langou and Rozložník 2005), dropping columns that depend
    /// on the ones before; returns how many are left (compacted to the front).
    /// </summary>
    internal static int Orthonormalise(Span<double> y, int length, int width)
    {
        var count = 0;
        for (var c = 0; c < width; c++)
        {
            var column = y.Slice(c * length, length);
            var before = Math.Sqrt(Blas.Dot(column, column));
            for (var pass = 0; pass < 2; pass++)
                for (var q = 0; q < count; q++)
                {
                    var basis = y.Slice(q * length, length);
                    Blas.AddScaled(column, -Blas.Dot(basis, column), basis);
                }
            var after = Math.Sqrt(Blas.Dot(column, column));
            if (!(after > before * 1e-8)) continue;   // (numerically) in the span of the columns before
            var target = y.Slice(count * length, length);
            for (var i = 0; i < length; i++) target[i] = column[i] / after;
            count++;
        }
        return count;
    }
}
