using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CausalPanel.Numerics;

/// <summary>
/// Level-1 kernels on spans, vectorised with 256-bit registers where the hardware has them (scalar
/// otherwise): the inner loops of the Jacobi SVD and the Frank–Wolfe solver. Dot products use two
/// fused-multiply–add accumulators, so they round differently from a sequential loop (by a few ulps).
/// </summary>
internal static class Blas
{
    /// <summary>xᵀy.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= 8)
        {
            ref var rx = ref MemoryMarshal.GetReference(x);
            ref var ry = ref MemoryMarshal.GetReference(y);
            Vector256<double> a0 = Vector256<double>.Zero, a1 = Vector256<double>.Zero;
            for (; i <= x.Length - 8; i += 8)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256.LoadUnsafe(ref ry, (nuint)i), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref rx, (nuint)(i + 4)), Vector256.LoadUnsafe(ref ry, (nuint)(i + 4)), a1);
            }
            if (i <= x.Length - 4)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256.LoadUnsafe(ref ry, (nuint)i), a0);
                i += 4;
            }
            sum = Vector256.Sum(a0 + a1);
        }
        for (; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>y += a x.</summary>
    public static void AddScaled(Span<double> y, double a, ReadOnlySpan<double> x)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && y.Length >= 4)
        {
            ref var ry = ref MemoryMarshal.GetReference(y);
            ref var rx = ref MemoryMarshal.GetReference(x);
            var va = Vector256.Create(a);
            for (; i <= y.Length - 4; i += 4)
                Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256.LoadUnsafe(ref ry, (nuint)i))
                    .StoreUnsafe(ref ry, (nuint)i);
        }
        for (; i < y.Length; i++) y[i] += a * x[i];
    }

    /// <summary>(x, y) ← (c x − s y, s x + c y).</summary>
    public static void Rotate(Span<double> x, Span<double> y, double c, double s)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= 4)
        {
            ref var rx = ref MemoryMarshal.GetReference(x);
            ref var ry = ref MemoryMarshal.GetReference(y);
            var vc = Vector256.Create(c);
            var vs = Vector256.Create(s);
            for (; i <= x.Length - 4; i += 4)
            {
                var a = Vector256.LoadUnsafe(ref rx, (nuint)i);
                var b = Vector256.LoadUnsafe(ref ry, (nuint)i);
                (vc * a - vs * b).StoreUnsafe(ref rx, (nuint)i);
                Vector256.FusedMultiplyAdd(vs, a, vc * b).StoreUnsafe(ref ry, (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            var a = x[i];
            var b = y[i];
            x[i] = c * a - s * b;
            y[i] = s * a + c * b;
        }
    }

    /// <summary>v ← v + step (target − v) elementwise (no fused multiply–add, so every element rounds as the scalar loop).</summary>
    public static void MoveTowards(Span<double> v, double step, ReadOnlySpan<double> target)
    {
        var j = 0;
        if (Vector256.IsHardwareAccelerated && v.Length >= 4)
        {
            ref var rv = ref MemoryMarshal.GetReference(v);
            ref var rt = ref MemoryMarshal.GetReference(target);
            var vs = Vector256.Create(step);
            for (; j <= v.Length - 4; j += 4)
            {
                var current = Vector256.LoadUnsafe(ref rv, (nuint)j);
                (current + vs * (Vector256.LoadUnsafe(ref rt, (nuint)j) - current)).StoreUnsafe(ref rv, (nuint)j);
            }
        }
        for (; j < v.Length; j++) v[j] += step * (target[j] - v[j]);
    }

    /// <summary>v ← v + step (0 − v) elementwise.</summary>
    public static void MoveTowards(Span<double> v, double step)
    {
        var j = 0;
        if (Vector256.IsHardwareAccelerated && v.Length >= 4)
        {
            ref var rv = ref MemoryMarshal.GetReference(v);
            var vs = Vector256.Create(step);
            for (; j <= v.Length - 4; j += 4)
            {
                var current = Vector256.LoadUnsafe(ref rv, (nuint)j);
                (current + vs * (Vector256<double>.Zero - current)).StoreUnsafe(ref rv, (nuint)j);
            }
        }
        for (; j < v.Length; j++) v[j] += step * (0.0 - v[j]);
    }

    /// <summary>y ← a x elementwise (each element rounds as the scalar product).</summary>
    public static void Scale(Span<double> y, double a, ReadOnlySpan<double> x)
    {
        if (x.Length != y.Length) throw new ArgumentException("Lengths differ.", nameof(x));
        var i = 0;
        if (Vector256.IsHardwareAccelerated && y.Length >= 4)
        {
            ref var rx = ref MemoryMarshal.GetReference(x);
            ref var ry = ref MemoryMarshal.GetReference(y);
            var va = Vector256.Create(a);
            for (; i <= y.Length - 4; i += 4) (va * Vector256.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        }
        for (; i < y.Length; i++) y[i] = a * x[i];
    }

    /// <summary>max_i |x_i| (0 when empty), NaN when x holds a NaN, as a loop of <see cref="Math.Max(double, double)"/>.</summary>
    public static double MaxAbs(ReadOnlySpan<double> x)
    {
        var i = 0;
        var largest = 0.0;
        if (Vector256.IsHardwareAccelerated && x.Length >= 8)
        {
            ref var rx = ref MemoryMarshal.GetReference(x);
            Vector256<double> m0 = Vector256<double>.Zero, m1 = Vector256<double>.Zero, nan = Vector256<double>.Zero;
            for (; i <= x.Length - 8; i += 8)
            {
                var a = Vector256.LoadUnsafe(ref rx, (nuint)i);
                var b = Vector256.LoadUnsafe(ref rx, (nuint)(i + 4));
                nan |= ~Vector256.Equals(a, a) | ~Vector256.Equals(b, b);
                m0 = Vector256.MaxNative(m0, Vector256.Abs(a));
                m1 = Vector256.MaxNative(m1, Vector256.Abs(b));
            }
            if (nan != Vector256<double>.Zero) return double.NaN;
            var m = Vector256.MaxNative(m0, m1);
            for (var lane = 0; lane < 4; lane++) largest = Math.Max(largest, m[lane]);
        }
        for (; i < x.Length; i++) largest = Math.Max(largest, Math.Abs(x[i]));
        return largest;
    }

    /// <summary>‖y − a x‖² (each difference rounded as y_i − a x_i, without a fused multiply–add).</summary>
    public static double SquaredDistance(ReadOnlySpan<double> y, double a, ReadOnlySpan<double> x)
    {
        if (x.Length != y.Length) throw new ArgumentException("Lengths differ.", nameof(x));
        var i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && y.Length >= 8)
        {
            ref var rx = ref MemoryMarshal.GetReference(x);
            ref var ry = ref MemoryMarshal.GetReference(y);
            var va = Vector256.Create(a);
            Vector256<double> s0 = Vector256<double>.Zero, s1 = Vector256<double>.Zero;
            for (; i <= y.Length - 8; i += 8)
            {
                var f0 = Vector256.LoadUnsafe(ref ry, (nuint)i) - va * Vector256.LoadUnsafe(ref rx, (nuint)i);
                var f1 = Vector256.LoadUnsafe(ref ry, (nuint)(i + 4)) - va * Vector256.LoadUnsafe(ref rx, (nuint)(i + 4));
                s0 = Vector256.FusedMultiplyAdd(f0, f0, s0);
                s1 = Vector256.FusedMultiplyAdd(f1, f1, s1);
            }
            sum = Vector256.Sum(s0 + s1);
        }
        for (; i < y.Length; i++)
        {
            var f = y[i] - a * x[i];
            sum += f * f;
        }
        return sum;
    }

    /// <summary>
    /// target[c·targetStride + r] = factor · source[r·sourceStride + c] for r &lt; <paramref name="rows"/>, c &lt; <paramref name="columns"/>:
    /// a scaled transpose (each element rounds as the scalar product), by 4 × 4 tiles where AVX is available.
    /// </summary>
    public static void TransposeScaled(ReadOnlySpan<double> source, int sourceStride, Span<double> target, int targetStride, int rows, int columns, double factor)
    {
        if (rows == 0 || columns == 0) return;
        if ((long)(rows - 1) * sourceStride + columns > source.Length || (long)(columns - 1) * targetStride + rows > target.Length)
            throw new ArgumentException("The spans are too short for the shape.");
        int r0 = 0;
        if (Avx.IsSupported)
        {
            ref var rs = ref MemoryMarshal.GetReference(source);
            ref var rt = ref MemoryMarshal.GetReference(target);
            var vf = Vector256.Create(factor);
            for (; r0 + 4 <= rows; r0 += 4)
            {
                var c0 = 0;
                for (; c0 + 4 <= columns; c0 += 4)
                {
                    var a0 = Vector256.LoadUnsafe(ref rs, (nuint)(r0 * sourceStride + c0));
                    var a1 = Vector256.LoadUnsafe(ref rs, (nuint)((r0 + 1) * sourceStride + c0));
                    var a2 = Vector256.LoadUnsafe(ref rs, (nuint)((r0 + 2) * sourceStride + c0));
                    var a3 = Vector256.LoadUnsafe(ref rs, (nuint)((r0 + 3) * sourceStride + c0));
                    var t0 = Avx.UnpackLow(a0, a1);
                    var t1 = Avx.UnpackHigh(a0, a1);
                    var t2 = Avx.UnpackLow(a2, a3);
                    var t3 = Avx.UnpackHigh(a2, a3);
                    (vf * Avx.Permute2x128(t0, t2, 0x20)).StoreUnsafe(ref rt, (nuint)(c0 * targetStride + r0));
                    (vf * Avx.Permute2x128(t1, t3, 0x20)).StoreUnsafe(ref rt, (nuint)((c0 + 1) * targetStride + r0));
                    (vf * Avx.Permute2x128(t0, t2, 0x31)).StoreUnsafe(ref rt, (nuint)((c0 + 2) * targetStride + r0));
                    (vf * Avx.Permute2x128(t1, t3, 0x31)).StoreUnsafe(ref rt, (nuint)((c0 + 3) * targetStride + r0));
                }
                for (; c0 < columns; c0++)
                    for (var r = r0; r < r0 + 4; r++) target[c0 * targetStride + r] = factor * source[r * sourceStride + c0];
            }
        }
        for (var r = r0; r < rows; r++)
            for (var c = 0; c < columns; c++) target[c * targetStride + r] = factor * source[r * sourceStride + c];
    }
}
