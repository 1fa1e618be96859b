using CausalPanel.Numerics;

namespace CausalPanel.Tests.Numerics;

/// <summary>
/// The vectorised kernels the thresholders' passes use, against their scalar definitions (computed here element by
/// element): every length around the vector width, so the tail loops are covered.
/// </summary>
public class BlasKernelTests
{
    private static double[] Values(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)))];
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(1000)]
    public void Scale_and_max_abs_match_the_scalar_loops_exactly(int length)
    {
        var x = Values(length, length);
        var scaled = new double[length];
        Blas.Scale(scaled, 0.125, x);
        for (var i = 0; i < length; i++) scaled[i].Should().Be(0.125 * x[i]);

        var largest = 0.0;
        foreach (var v in x) largest = Math.Max(largest, Math.Abs(v));
        Blas.MaxAbs(x).Should().Be(largest);
    }

    [Theory]
    [InlineData(13, 0)]
    [InlineData(13, 12)]
    [InlineData(1000, 517)]
    public void Max_abs_is_nan_when_any_entry_is_and_infinite_when_one_is(int length, int at)
    {
        var x = Values(length, 3);
        x[at] = double.NaN;
        double.IsNaN(Blas.MaxAbs(x)).Should().BeTrue();
        x[at] = double.NegativeInfinity;
        Blas.MaxAbs(x).Should().Be(double.PositiveInfinity);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(1001)]
    public void Squared_distance_matches_the_sum_of_squared_differences(int length)
    {
        var (y, x) = (Values(length, 1), Values(length, 2));
        double sum = 0;
        for (var i = 0; i < length; i++)
        {
            var f = y[i] - 1.7 * x[i];
            sum += f * f;
        }
        Blas.SquaredDistance(y, 1.7, x).Should().BeApproximately(sum, 1e-14 * sum);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 4)]
    [InlineData(7, 5)]
    [InlineData(256, 100)]
    [InlineData(9, 13)]
    public void Transpose_scaled_matches_the_elementwise_definition(int rows, int columns)
    {
        const int sourceStride = 17 + 100, targetStride = 3 + 256;   // strides wider than the shapes
        var source = Values(rows * sourceStride, rows + columns);
        var target = new double[columns * targetStride];
        Blas.TransposeScaled(source, sourceStride, target, targetStride, rows, columns, 0.5);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++) target[c * targetStride + r].Should().Be(0.5 * source[r * sourceStride + c]);
    }
}
