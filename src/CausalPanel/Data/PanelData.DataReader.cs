using System.Data;
using System.Globalization;

namespace CausalPanel;

public sealed partial class PanelData
{
    /// <summary>
    /// Builds a panel from a database query or any <see cref="IDataReader"/> in long format (one row
    /// per unit-period), reading it to the end. Units and periods keep their database types (so
    /// integer years and dates sort naturally); outcomes may be any numeric type (NULL = unobserved cell);
    /// treatment may be boolean or 0/1. Column names match case-insensitively.
    /// </summary>
    /// <exception cref="MissingColumnException">A named column is not in the result set (the message lists the columns).</exception>
    /// <exception cref="InvalidValueException">A NULL unit or period, or an outcome that is not a number.</exception>
    public static PanelData FromDataReader(IDataReader reader, string unit, string time, string outcome, string treated)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        int Ordinal(string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            var k = Array.FindIndex(columns, c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            return k >= 0 ? k : throw new MissingColumnException($"The query has no column \"{name}\"; its columns are {string.Join(", ", columns.Select(c => $"\"{c}\""))}.");
        }
        int u = Ordinal(unit), t = Ordinal(time), y = Ordinal(outcome), w = Ordinal(treated);

        var rows = new List<(object? Unit, object? Time, double Y, double W)>();
        while (reader.Read())
        {
            var row = rows.Count + 1;
            rows.Add((Value(reader, u), Value(reader, t), Number(reader, y, row, columns[y], missing: double.NaN), Number(reader, w, row, columns[w], missing: double.NaN)));
        }
        return FromLong(rows, r => r.Unit!, r => r.Time!, r => r.Y, r => r.W);
    }

    private static object? Value(IDataReader reader, int k) => reader.IsDBNull(k) ? null : reader.GetValue(k);

    private static double Number(IDataReader reader, int k, int row, string column, double missing)
    {
        if (reader.IsDBNull(k)) return missing;
        var value = reader.GetValue(k);
        try
        {
            return value switch
            {
                bool b => b ? 1 : 0,
                string s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            throw new InvalidValueException($"Row {row}: column \"{column}\" holds {value} ({value.GetType().Name}), which is not a number.");
        }
    }
}
