using System.Collections;
using System.Data.Common;
using Microsoft.Data.Analysis;

namespace CausalPanel;

/// <summary>
/// A forward-only <see cref="System.Data.IDataReader"/> over the rows of a <see cref="DataFrame"/>,
/// reading the columns in place (no copy; <c>DataFrame.ToTable().CreateDataReader()</c> copies every cell into
/// a <c>DataTable</c> first, about 20 times slower). Each field keeps its column's type (<c>int</c> years,
/// <c>DateTime</c> dates, <c>string</c> labels, <c>bool</c> flags); a null cell is <see cref="DBNull"/>.
/// <see cref="PanelData.FromDataReader"/> reads it like a database query; so can any ADO.NET consumer.
/// </summary>
public sealed class DataFrameDataReader : DbDataReader
{
    private readonly DataFrame _frame;
    private long _row = -1;
    private bool _closed;

    /// <summary>A reader positioned before the first row of <paramref name="frame"/>.</summary>
    public DataFrameDataReader(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _frame = frame;
    }

    /// <inheritdoc/>
    public override int FieldCount => _frame.Columns.Count;

    /// <inheritdoc/>
    public override bool HasRows => _frame.Rows.Count > 0;

    /// <inheritdoc/>
    public override bool IsClosed => _closed;

    /// <summary>Always 0: a DataFrame has no nesting.</summary>
    public override int Depth => 0;

    /// <summary>Always −1: reading changes nothing.</summary>
    public override int RecordsAffected => -1;

    /// <inheritdoc/>
    public override object this[int ordinal] => GetValue(ordinal);

    /// <inheritdoc/>
    public override object this[string name] => GetValue(GetOrdinal(name));

    /// <inheritdoc/>
    public override bool Read()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_row >= _frame.Rows.Count) return false;
        return ++_row < _frame.Rows.Count;
    }

    /// <summary>False: a DataFrame is one result set.</summary>
    public override bool NextResult() => false;

    /// <inheritdoc/>
    public override void Close() => _closed = true;

    /// <summary>The column's name.</summary>
    public override string GetName(int ordinal) => Column(ordinal).Name;

    /// <summary>The column's position, its name matched exactly first and then ignoring case (as <see cref="System.Data.DataTableReader"/>).</summary>
    /// <exception cref="IndexOutOfRangeException">No column has that name.</exception>
    public override int GetOrdinal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var pass = 0; pass < 2; pass++)
            for (var k = 0; k < _frame.Columns.Count; k++)
                if (string.Equals(_frame.Columns[k].Name, name, pass == 0 ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
                    return k;
        throw new IndexOutOfRangeException($"The DataFrame has no column \"{name}\"; its columns are {string.Join(", ", _frame.Columns.Select(c => $"\"{c.Name}\""))}.");
    }

    /// <summary>The column's element type (<c>Int32</c>, <c>Double</c>, <c>String</c>, <c>DateTime</c>, ...).</summary>
    public override Type GetFieldType(int ordinal) => Column(ordinal).DataType;

    /// <summary>The name of the column's element type.</summary>
    public override string GetDataTypeName(int ordinal) => Column(ordinal).DataType.Name;

    /// <summary>The current row's value in the column, boxed in its column type; <see cref="DBNull.Value"/> for a null cell.</summary>
    public override object GetValue(int ordinal) => Column(ordinal)[CurrentRow] ?? DBNull.Value;

    /// <inheritdoc/>
    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var count = Math.Min(values.Length, FieldCount);
        for (var k = 0; k < count; k++) values[k] = GetValue(k);
        return count;
    }

    /// <summary>True when the current row's cell in the column is null.</summary>
    public override bool IsDBNull(int ordinal) => Column(ordinal)[CurrentRow] is null;

    /// <inheritdoc/>
    public override bool GetBoolean(int ordinal) => Get<bool>(ordinal);

    /// <inheritdoc/>
    public override byte GetByte(int ordinal) => Get<byte>(ordinal);

    /// <inheritdoc/>
    public override char GetChar(int ordinal) => Get<char>(ordinal);

    /// <inheritdoc/>
    public override DateTime GetDateTime(int ordinal) => Get<DateTime>(ordinal);

    /// <inheritdoc/>
    public override decimal GetDecimal(int ordinal) => Get<decimal>(ordinal);

    /// <inheritdoc/>
    public override double GetDouble(int ordinal) => Get<double>(ordinal);

    /// <inheritdoc/>
    public override float GetFloat(int ordinal) => Get<float>(ordinal);

    /// <inheritdoc/>
    public override Guid GetGuid(int ordinal) => Get<Guid>(ordinal);

    /// <inheritdoc/>
    public override short GetInt16(int ordinal) => Get<short>(ordinal);

    /// <inheritdoc/>
    public override int GetInt32(int ordinal) => Get<int>(ordinal);

    /// <inheritdoc/>
    public override long GetInt64(int ordinal) => Get<long>(ordinal);

    /// <inheritdoc/>
    public override string GetString(int ordinal) => Get<string>(ordinal);

    /// <summary>Not supported: DataFrame columns hold no byte streams.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        throw new NotSupportedException("DataFrame columns hold no byte streams; read the value with GetValue.");

    /// <summary>Not supported: DataFrame columns hold no character streams.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        throw new NotSupportedException("DataFrame columns hold no character streams; read the value with GetString.");

    /// <inheritdoc/>
    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    private DataFrameColumn Column(int ordinal) =>
        ordinal >= 0 && ordinal < _frame.Columns.Count ? _frame.Columns[ordinal]
            : throw new IndexOutOfRangeException($"Column {ordinal} does not exist; the DataFrame has {_frame.Columns.Count} columns.");

    private long CurrentRow
    {
        get
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            return _row >= 0 && _row < _frame.Rows.Count ? _row
                : throw new InvalidOperationException("The reader is not on a row; call Read() first and only while it returns true.");
        }
    }

    /// <summary>The value as <typeparamref name="T"/>; a null cell or another type throws, as other ADO.NET readers do.</summary>
    private T Get<T>(int ordinal) => GetValue(ordinal) switch
    {
        T value => value,
        DBNull => throw new InvalidCastException($"Row {CurrentRow + 1} of column \"{GetName(ordinal)}\" is null; check IsDBNull first."),
        var other => throw new InvalidCastException($"Column \"{GetName(ordinal)}\" holds {other.GetType().Name}, not {typeof(T).Name}."),
    };
}
