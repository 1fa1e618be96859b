using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CausalPanel.Numerics;

/// <summary>
/// Level-3 kernels on a block of rows of a tall matrix, held column-major with leading dimension m (the rows of the
/// block), small enough to stay in cache: products with a small matrix, cross products, and one step of a tall-skinny QR.
/// The thresholders stream a large matrix through them block by block, so a call costs one pass over memory per product
/// and the arithmetic runs from cache at several flops per load (register tiles of 16 × 4 and 2 × 4, 256-bit fused
/// multiply–add; scalar where the hardware has no 256-bit vectors).
/// </summary>
internal static class BlockKernels
{
    /// <summary>Columns of a packed right factor <see cref="PackRight"/> per panel.</summary>
    public const int PanelWidth = 4;

    /// <summary>Length of the buffer <see cref="PackRight"/> needs for a k × c right factor.</summary>
    public static int PackedLength(int k, int c) => k * ((c + PanelWidth - 1) / PanelWidth) * PanelWidth;

    /// <summary>
    /// Packs the column-major k × c matrix <paramref name="h"/> (leading dimension <paramref name="ld"/>) into panels of
    /// <see cref="PanelWidth"/> columns, row by row, zero-padded: the layout <see cref="Multiply"/> reads.
    /// </summary>
    public static void PackRight(ReadOnlySpan<double> h, int ld, int k, int c, Span<double> packed)
    {
        for (var j0 = 0; j0 < c; j0 += PanelWidth)
            for (var l = 0; l < k; l++)
                for (var q = 0; q < PanelWidth; q++)
                    packed[j0 * k + l * PanelWidth + q] = j0 + q < c ? h[(j0 + q) * ld + l] : 0;
    }

    /// <summary>
    /// Y (m × c, leading dimension m) = X (m × k, leading dimension m) · H, with H packed by <see cref="PackRight"/>;
    /// with <paramref name="subtract"/>, Y −= X · H instead.
    /// </summary>
    public static void Multiply(ReadOnlySpan<double> x, int m, int k, ReadOnlySpan<double> packed, int c, Span<double> y, bool subtract = false)
    {
        var i0 = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i0 + 16 <= m; i0 += 16)
                for (var j0 = 0; j0 < c; j0 += PanelWidth) Tile16x4(x, m, k, packed.Slice(j0 * k), i0, j0, c, y, subtract);
        for (; i0 < m; i0++)
            for (var j0 = 0; j0 < c; j0 += PanelWidth)
            {
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                var panel = packed.Slice(j0 * k);
                for (var l = 0; l < k; l++)
                {
                    var a = x[l * m + i0];
                    s0 += a * panel[l * PanelWidth];
                    s1 += a * panel[l * PanelWidth + 1];
                    s2 += a * panel[l * PanelWidth + 2];
                    s3 += a * panel[l * PanelWidth + 3];
                }
                var sign = subtract ? -1.0 : 1.0;
                var keep = subtract ? 1.0 : 0.0;
                y[j0 * m + i0] = keep * y[j0 * m + i0] + sign * s0;
                if (j0 + 1 < c) y[(j0 + 1) * m + i0] = keep * y[(j0 + 1) * m + i0] + sign * s1;
                if (j0 + 2 < c) y[(j0 + 2) * m + i0] = keep * y[(j0 + 2) * m + i0] + sign * s2;
                if (j0 + 3 < c) y[(j0 + 3) * m + i0] = keep * y[(j0 + 3) * m + i0] + sign * s3;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile16x4(ReadOnlySpan<double> x, int m, int k, ReadOnlySpan<double> panel, int i0, int j0, int c, Span<double> y, bool subtract)
    {
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var rh = ref MemoryMarshal.GetReference(panel);
        Vector256<double> c00 = default, c10 = default, c20 = default, c30 = default;
        Vector256<double> c01 = default, c11 = default, c21 = default, c31 = default;
        Vector256<double> c02 = default, c12 = default, c22 = default, c32 = default;
        Vector256<double> c03 = default, c13 = default, c23 = default, c33 = default;
        for (var l = 0; l < k; l++)
        {
            var offset = (nuint)(l * m + i0);
            var a0 = Vector256.LoadUnsafe(ref rx, offset);
            var a1 = Vector256.LoadUnsafe(ref rx, offset + 4);
            var a2 = Vector256.LoadUnsafe(ref rx, offset + 8);
            var a3 = Vector256.LoadUnsafe(ref rx, offset + 12);
            var h = (nuint)(l * PanelWidth);
            var b = Vector256.Create(Unsafe.Add(ref rh, h));
            c00 = Vector256.FusedMultiplyAdd(a0, b, c00); c10 = Vector256.FusedMultiplyAdd(a1, b, c10);
            c20 = Vector256.FusedMultiplyAdd(a2, b, c20); c30 = Vector256.FusedMultiplyAdd(a3, b, c30);
            b = Vector256.Create(Unsafe.Add(ref rh, h + 1));
            c01 = Vector256.FusedMultiplyAdd(a0, b, c01); c11 = Vector256.FusedMultiplyAdd(a1, b, c11);
            c21 = Vector256.FusedMultiplyAdd(a2, b, c21); c31 = Vector256.FusedMultiplyAdd(a3, b, c31);
            b = Vector256.Create(Unsafe.Add(ref rh, h + 2));
            c02 = Vector256.FusedMultiplyAdd(a0, b, c02); c12 = Vector256.FusedMultiplyAdd(a1, b, c12);
            c22 = Vector256.FusedMultiplyAdd(a2, b, c22); c32 = Vector256.FusedMultiplyAdd(a3, b, c32);
            b = Vector256.Create(Unsafe.Add(ref rh, h + 3));
            c03 = Vector256.FusedMultiplyAdd(a0, b, c03); c13 = Vector256.FusedMultiplyAdd(a1, b, c13);
            c23 = Vector256.FusedMultiplyAdd(a2, b, c23); c33 = Vector256.FusedMultiplyAdd(a3, b, c33);
        }
        ref var ry = ref MemoryMarshal.GetReference(y);
        Store(ref ry, (nuint)(j0 * m + i0), c00, c10, c20, c30, subtract);
        if (j0 + 1 < c) Store(ref ry, (nuint)((j0 + 1) * m + i0), c01, c11, c21, c31, subtract);
        if (j0 + 2 < c) Store(ref ry, (nuint)((j0 + 2) * m + i0), c02, c12, c22, c32, subtract);
        if (j0 + 3 < c) Store(ref ry, (nuint)((j0 + 3) * m + i0), c03, c13, c23, c33, subtract);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref double y, nuint offset, Vector256<double> a, Vector256<double> b, Vector256<double> c, Vector256<double> d, bool subtract)
    {
        if (subtract)
        {
            a = Vector256.LoadUnsafe(ref y, offset) - a;
            b = Vector256.LoadUnsafe(ref y, offset + 4) - b;
            c = Vector256.LoadUnsafe(ref y, offset + 8) - c;
            d = Vector256.LoadUnsafe(ref y, offset + 12) - d;
        }
        a.StoreUnsafe(ref y, offset);
        b.StoreUnsafe(ref y, offset + 4);
        c.StoreUnsafe(ref y, offset + 8);
        d.StoreUnsafe(ref y, offset + 12);
    }

    /// <summary>
    /// C (p × q, column-major, leading dimension <paramref name="ldc"/>) += Aᵀ B for A (m × p) and B (m × q), both with
    /// leading dimension m; with <paramref name="lowerOnly"/> (A = B), only the entries on and below the diagonal.
    /// </summary>
    public static void AddCrossProduct(ReadOnlySpan<double> a, int m, int p, ReadOnlySpan<double> b, int q, Span<double> c, int ldc, bool lowerOnly)
    {
        for (var j0 = 0; j0 < q; j0 += 4)
        {
            var jn = Math.Min(4, q - j0);
            for (var i0 = lowerOnly ? j0 : 0; i0 < p; i0 += 2)
            {
                var inCount = Math.Min(2, p - i0);
                if (jn == 4 && inCount == 2 && Vector256.IsHardwareAccelerated)
                    Tile2x4(a, b, m, i0, j0, c, ldc);
                else
                    for (var i = i0; i < i0 + inCount; i++)
                        for (var j = j0; j < j0 + jn; j++)
                            if (!lowerOnly || i >= j) c[j * ldc + i] += Blas.Dot(a.Slice(i * m, m), b.Slice(j * m, m));
            }
        }
        if (!lowerOnly) return;
        // The 2 × 4 tiles that straddle the diagonal also filled entries above it: clear them (the caller reads the lower part).
        for (var j = 0; j < q; j++)
            for (var i = Math.Max(0, j - 3); i < j && i < p; i++) c[j * ldc + i] = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile2x4(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int m, int i0, int j0, Span<double> c, int ldc)
    {
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        nuint x0 = (nuint)(i0 * m), x1 = x0 + (nuint)m;
        nuint y0 = (nuint)(j0 * m), y1 = y0 + (nuint)m, y2 = y1 + (nuint)m, y3 = y2 + (nuint)m;
        Vector256<double> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<double> s10 = default, s11 = default, s12 = default, s13 = default;
        var r = 0;
        for (; r + 4 <= m; r += 4)
        {
            var u = (nuint)r;
            var p0 = Vector256.LoadUnsafe(ref ra, x0 + u);
            var p1 = Vector256.LoadUnsafe(ref ra, x1 + u);
            var q = Vector256.LoadUnsafe(ref rb, y0 + u);
            s00 = Vector256.FusedMultiplyAdd(p0, q, s00); s10 = Vector256.FusedMultiplyAdd(p1, q, s10);
            q = Vector256.LoadUnsafe(ref rb, y1 + u);
            s01 = Vector256.FusedMultiplyAdd(p0, q, s01); s11 = Vector256.FusedMultiplyAdd(p1, q, s11);
            q = Vector256.LoadUnsafe(ref rb, y2 + u);
            s02 = Vector256.FusedMultiplyAdd(p0, q, s02); s12 = Vector256.FusedMultiplyAdd(p1, q, s12);
            q = Vector256.LoadUnsafe(ref rb, y3 + u);
            s03 = Vector256.FusedMultiplyAdd(p0, q, s03); s13 = Vector256.FusedMultiplyAdd(p1, q, s13);
        }
        double t00 = Vector256.Sum(s00), t01 = Vector256.Sum(s01), t02 = Vector256.Sum(s02), t03 = Vector256.Sum(s03);
        double t10 = Vector256.Sum(s10), t11 = Vector256.Sum(s11), t12 = Vector256.Sum(s12), t13 = Vector256.Sum(s13);
        for (; r < m; r++)
        {
            var u = (nuint)r;
            double p0 = Unsafe.Add(ref ra, x0 + u), p1 = Unsafe.Add(ref ra, x1 + u);
            double q0 = Unsafe.Add(ref rb, y0 + u), q1 = Unsafe.Add(ref rb, y1 + u), q2 = Unsafe.Add(ref rb, y2 + u), q3 = Unsafe.Add(ref rb, y3 + u);
            t00 += p0 * q0; t01 += p0 * q1; t02 += p0 * q2; t03 += p0 * q3;
            t10 += p1 * q0; t11 += p1 * q1; t12 += p1 * q2; t13 += p1 * q3;
        }
        c[j0 * ldc + i0] += t00; c[j0 * ldc + i0 + 1] += t10;
        c[(j0 + 1) * ldc + i0] += t01; c[(j0 + 1) * ldc + i0 + 1] += t11;
        c[(j0 + 2) * ldc + i0] += t02; c[(j0 + 2) * ldc + i0 + 1] += t12;
        c[(j0 + 3) * ldc + i0] += t03; c[(j0 + 3) * ldc + i0 + 1] += t13;
    }

    /// <summary>Columns per panel of <see cref="QrStep"/>.</summary>
    public const int QrPanel = 8;

    /// <summary>Scratch <see cref="QrStep"/> needs for k columns.</summary>
    public static int QrScratchLength(int k) => QrPanel * QrPanel + QrPanel * k + PackedLength(QrPanel, k);

    /// <summary>
    /// One step of a tall-skinny QR (Householder): the k × k upper-triangular <paramref name="r"/> (column-major) becomes
    /// the R factor of [R; X] for the block X (m × k, leading dimension m), which is overwritten. Each reflector has
    /// nonzeros only at R's diagonal and in X, because R is triangular. Streaming every block of rows through it leaves
    /// the R of the whole matrix (Demmel, Grigori, Hoemmen and Langou 2012, flat tree), backward stable: Q R = A + E with
    /// ‖E‖ ≤ c·ε·‖A‖ for an exactly orthogonal Q. Blocked (Schreiber and Van Loan 1989): the reflectors of
    /// <see cref="QrPanel"/> columns are gathered as I − Y T Yᵀ, Y = [E; V] (E the panel's rows of the identity), and
    /// applied to the columns after the panel by two products with V, so that most of the m·k² multiply–adds run in the
    /// register tiles.
    /// </summary>
    public static void QrStep(Span<double> x, int m, int k, Span<double> r, Span<double> scratch)
    {
        var t = scratch.Slice(0, QrPanel * QrPanel);                    // T, column-major nb × nb
        var w = scratch.Slice(QrPanel * QrPanel, QrPanel * k);          // W = Yᵀ C, nb × trailing
        var packed = scratch.Slice(QrPanel * QrPanel + QrPanel * k);
        Span<double> taus = stackalloc double[QrPanel];
        for (var j0 = 0; j0 < k; j0 += QrPanel)
        {
            var nb = Math.Min(QrPanel, k - j0);
            var end = j0 + nb;
            // The panel, reflector by reflector (level 2 on m × nb).
            for (var j = j0; j < end; j++)
            {
                var xj = x.Slice(j * m, m);
                var sigma = Blas.Dot(xj, xj);
                taus[j - j0] = 0;
                if (sigma == 0) continue;   // the block's column is already zero: H = I
                var alpha = r[j * k + j];
                var norm = Math.Sqrt(alpha * alpha + sigma);
                var beta = alpha >= 0 ? -norm : norm;
                var scale = 1 / (alpha - beta);
                for (var i = 0; i < m; i++) xj[i] *= scale;
                var tau = taus[j - j0] = (beta - alpha) / beta;
                r[j * k + j] = beta;
                for (var l = j + 1; l < end; l++)
                {
                    var xl = x.Slice(l * m, m);
                    var wl = tau * (r[l * k + j] + Blas.Dot(xj, xl));
                    r[l * k + j] -= wl;
                    Blas.AddScaled(xl, -wl, xj);
                }
            }
            var trailing = k - end;
            if (trailing == 0) break;
            // T (upper triangular): T_ii = τ_i, T[0:i, i] = −τ_i T[0:i, 0:i] (Yᵀ y_i)[0:i], with y_aᵀ y_i = v_aᵀ v_i (a < i).
            t.Clear();
            for (var i = 0; i < nb; i++)
            {
                var ti = taus[i];
                t[i * nb + i] = ti;
                if (ti == 0) continue;
                for (var a = 0; a < i; a++) w[a] = Blas.Dot(x.Slice((j0 + a) * m, m), x.Slice((j0 + i) * m, m));
                for (var a = 0; a < i; a++)
                {
                    double sum = 0;
                    for (var b = a; b < i; b++) sum += t[b * nb + a] * w[b];
                    t[i * nb + a] = -ti * sum;
                }
            }
            // C ← (I − Y T Yᵀ)ᵀ C for C = [R rows j0..end; X] over the trailing columns:
            // W = R_rows + Vᵀ X_trail, W ← Tᵀ W, R_rows −= W, X_trail −= V W.
            var v = x.Slice(j0 * m, nb * m);
            var xTrail = x.Slice(end * m, trailing * m);
            var wt = w.Slice(0, nb * trailing);
            for (var c = 0; c < trailing; c++)
                for (var a = 0; a < nb; a++) wt[c * nb + a] = r[(end + c) * k + j0 + a];
            AddCrossProduct(v, m, nb, xTrail, trailing, wt, nb, lowerOnly: false);
            for (var c = 0; c < trailing; c++)
            {
                var column = wt.Slice(c * nb, nb);
                for (var a = nb - 1; a >= 0; a--)   // (Tᵀ w)_a = Σ_{b ≤ a} T_ba w_b, from the bottom so w_b (b < a) is still unchanged
                {
                    double sum = 0;
                    for (var b = 0; b <= a; b++) sum += t[a * nb + b] * column[b];
                    column[a] = sum;
                }
                for (var a = 0; a < nb; a++) r[(end + c) * k + j0 + a] -= column[a];
            }
            var packedW = packed.Slice(0, PackedLength(nb, trailing));
            PackRight(wt, nb, nb, trailing, packedW);
            Multiply(v, m, nb, packedW, trailing, xTrail, subtract: true);
        }
    }

    private static (double, double, double, double) Dot4(ReadOnlySpan<double> v, ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c, ReadOnlySpan<double> d)
    {
        var i = 0;
        double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var rv = ref MemoryMarshal.GetReference(v);
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            ref var rc = ref MemoryMarshal.GetReference(c);
            ref var rd = ref MemoryMarshal.GetReference(d);
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i + 4 <= v.Length; i += 4)
            {
                var u = (nuint)i;
                var x = Vector256.LoadUnsafe(ref rv, u);
                s0 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref ra, u), s0);
                s1 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref rb, u), s1);
                s2 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref rc, u), s2);
                s3 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref rd, u), s3);
            }
            (t0, t1, t2, t3) = (Vector256.Sum(s0), Vector256.Sum(s1), Vector256.Sum(s2), Vector256.Sum(s3));
        }
        for (; i < v.Length; i++)
        {
            t0 += v[i] * a[i];
            t1 += v[i] * b[i];
            t2 += v[i] * c[i];
            t3 += v[i] * d[i];
        }
        return (t0, t1, t2, t3);
    }
}
