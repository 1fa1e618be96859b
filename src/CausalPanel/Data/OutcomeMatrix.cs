namespace CausalPanel;

/// <summary>
/// Immutable N×T matrix of outcomes (rows = units, columns = periods). A cell whose value is
/// <see cref="double.NaN"/> is <em>unobserved</em> (its unit-period row was absent or had no
/// outcome); estimators that need a balanced panel refuse such panels, matrix completion and
/// DWCP simply leave those cells out of the fit. Infinite values are never stored.
/// </summary>
public sealed class OutcomeMatrix
{
    private readonly double[] _values;

    /// <summary>Creates the matrix from a rectangular array (copied).</summary>
    /// <param name="values">Outcomes; NaN marks an unobserved cell.</param>
    public OutcomeMatrix(double[,] values)
        : this(RowMajor.Flatten(values ?? throw new ArgumentNullException(nameof(values))), values.GetLength(0), values.GetLength(1)) { }

    /// <summary>Wraps a row-major array that the caller hands over (not copied).</summary>
    internal OutcomeMatrix(double[] rowMajor, int unitCount, int periodCount)
    {
        if (rowMajor.Length != unitCount * periodCount)
            throw new DimensionMismatchException($"Outcome storage has {rowMajor.Length} values but {unitCount}×{periodCount} cells were declared.");
        _values = rowMajor;
        UnitCount = unitCount;
        PeriodCount = periodCount;
        for (var k = 0; k < rowMajor.Length; k++)
            if (double.IsNaN(rowMajor[k])) UnobservedCount++;
    }

    /// <summary>Number of units N (rows).</summary>
    public int UnitCount { get; }

    /// <summary>Number of periods T (columns).</summary>
    public int PeriodCount { get; }

    /// <summary>Number of unobserved cells.</summary>
    public int UnobservedCount { get; }

    /// <summary>True when every cell is observed.</summary>
    public bool IsBalanced => UnobservedCount == 0;

    /// <summary>The outcome of unit <paramref name="unit"/> in period <paramref name="period"/> (NaN if unobserved).</summary>
    public double this[int unit, int period] => _values[Index(unit, period)];

    /// <summary>Whether the cell has an outcome.</summary>
    public bool IsObserved(int unit, int period) => !double.IsNaN(_values[Index(unit, period)]);

    /// <summary>The outcomes of one unit over all periods.</summary>
    public ReadOnlySpan<double> Row(int unit) => _values.AsSpan(unit * PeriodCount, PeriodCount);

    /// <summary>A copy as a rectangular array.</summary>
    public double[,] ToArray() => RowMajor.ToArray<double>(_values, UnitCount, PeriodCount);

    /// <summary>The row-major storage, for numeric kernels. Never mutate it.</summary>
    internal ReadOnlySpan<double> Values => _values;

    private int Index(int unit, int period)
    {
        if ((uint)unit >= (uint)UnitCount) throw new ArgumentOutOfRangeException(nameof(unit), unit, $"The panel has {UnitCount} units.");
        if ((uint)period >= (uint)PeriodCount) throw new ArgumentOutOfRangeException(nameof(period), period, $"The panel has {PeriodCount} periods.");
        return unit * PeriodCount + period;
    }
}
