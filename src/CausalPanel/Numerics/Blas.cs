using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
}
