namespace CausalPanel.Numerics;

/// <summary>
/// Rows of a row-major matrix chosen by index (in any order, repeats allowed), read in place: an estimator's units
/// (never-treated first, then a cohort) over the panel's own storage, so that a fit on 100,000 units does not copy
/// them first.
/// </summary>
internal readonly ref struct RowView
{
    private readonly ReadOnlySpan<double> _values;
    private readonly ReadOnlySpan<int> _rows;

    /// <summary>Rows <paramref name="rows"/> of the row-major matrix <paramref name="values"/> with <paramref name="columns"/> columns.</summary>
    public RowView(ReadOnlySpan<double> values, ReadOnlySpan<int> rows, int columns)
    {
        _values = values;
        _rows = rows;
        Columns = columns;
    }

    /// <summary>Rows in the view.</summary>
    public int Count => _rows.Length;

    /// <summary>Columns of every row.</summary>
    public int Columns { get; }

    /// <summary>Row <paramref name="r"/> of the view.</summary>
    public ReadOnlySpan<double> this[int r] => _values.Slice(_rows[r] * Columns, Columns);
}
