namespace CausalPanel.Numerics;

/// <summary>
/// The matrix the large-matrix thresholders work on, W = P / c (P column-major, or Pᵀ when P is wide, so that W has at
/// least as many rows as columns; c a power of two, so the division is exact), read and written by blocks of rows
/// copied into a column-major buffer. Dividing on the way in and multiplying on the way out saves a pass over P for
/// each, and leaves P untouched until a result is written.
/// </summary>
/// <param name="p">P, column-major.</param>
/// <param name="rows">P's rows.</param>
/// <param name="cols">P's columns.</param>
/// <param name="scale">c.</param>
internal readonly struct WorkingMatrix(double[] p, int rows, int cols, double scale)
{
    private readonly double _inverse = 1 / scale;

    /// <summary>Whether W = Pᵀ.</summary>
    public bool Transposed => cols > rows;

    /// <summary>W's rows, max(rows, cols).</summary>
    public int Length => Transposed ? cols : rows;

    /// <summary>W's columns, min(rows, cols).</summary>
    public int Width => Transposed ? rows : cols;

    /// <summary>Sets P to zero.</summary>
    public void Clear() => Array.Clear(p);

    /// <summary>Copies rows [i0, i0 + m) of W into <paramref name="block"/>, column-major m × <see cref="Width"/>.</summary>
    public void Read(int i0, int m, Span<double> block)
    {
        var k = Width;
        if (!Transposed)
            for (var l = 0; l < k; l++) Blas.Scale(block.Slice(l * m, m), _inverse, p.AsSpan(l * rows + i0, m));
        else Blas.TransposeScaled(p.AsSpan(i0 * rows, m * rows), rows, block, m, m, k, _inverse);
    }

    /// <summary>Writes c times the block (column-major m × <see cref="Width"/>) into rows [i0, i0 + m) of P's orientation.</summary>
    public void Write(int i0, int m, ReadOnlySpan<double> block)
    {
        var k = Width;
        if (!Transposed)
            for (var l = 0; l < k; l++) Blas.Scale(p.AsSpan(l * rows + i0, m), scale, block.Slice(l * m, m));
        else Blas.TransposeScaled(block, m, p.AsSpan(i0 * rows, m * rows), rows, k, m, scale);
    }
}
