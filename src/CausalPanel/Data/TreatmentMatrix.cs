namespace CausalPanel;

/// <summary>
/// Immutable N×T binary treatment indicator W (rows = units, columns = periods);
/// <c>true</c> marks a treated cell.
/// </summary>
public sealed class TreatmentMatrix
{
    private readonly bool[] _values;

    /// <summary>Creates the matrix from a rectangular array (copied).</summary>
    public TreatmentMatrix(bool[,] treated)
        : this(RowMajor.Flatten(treated ?? throw new ArgumentNullException(nameof(treated))), treated.GetLength(0), treated.GetLength(1)) { }

    /// <summary>Wraps a row-major array that the caller hands over (not copied).</summary>
    internal TreatmentMatrix(bool[] rowMajor, int unitCount, int periodCount)
    {
        if (rowMajor.Length != unitCount * periodCount)
            throw new DimensionMismatchException($"Treatment storage has {rowMajor.Length} values but {unitCount}×{periodCount} cells were declared.");
        _values = rowMajor;
        UnitCount = unitCount;
        PeriodCount = periodCount;
        TreatedCount = rowMajor.Count(x => x);
    }

    /// <summary>Number of units N (rows).</summary>
    public int UnitCount { get; }

    /// <summary>Number of periods T (columns).</summary>
    public int PeriodCount { get; }

    /// <summary>Number of treated cells.</summary>
    public int TreatedCount { get; }

    /// <summary>Whether unit <paramref name="unit"/> is treated in period <paramref name="period"/>.</summary>
    public bool this[int unit, int period]
    {
        get
        {
            if ((uint)unit >= (uint)UnitCount) throw new ArgumentOutOfRangeException(nameof(unit), unit, $"The panel has {UnitCount} units.");
            if ((uint)period >= (uint)PeriodCount) throw new ArgumentOutOfRangeException(nameof(period), period, $"The panel has {PeriodCount} periods.");
            return _values[unit * PeriodCount + period];
        }
    }

    /// <summary>The treatment indicators of one unit over all periods.</summary>
    public ReadOnlySpan<bool> Row(int unit) => _values.AsSpan(unit * PeriodCount, PeriodCount);

    /// <summary>A copy as a rectangular array.</summary>
    public bool[,] ToArray() => RowMajor.ToArray<bool>(_values, UnitCount, PeriodCount);

    /// <summary>The row-major storage, for numeric kernels. Never mutate it.</summary>
    internal ReadOnlySpan<bool> Values => _values;
}
