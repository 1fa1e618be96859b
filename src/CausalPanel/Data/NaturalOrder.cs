using System.Globalization;

namespace CausalPanel;

/// <summary>
/// Orders unit and period keys the way a reader expects: numbers numerically, dates
/// chronologically, text ordinally (so "10" comes after "9" and "2001-10" after "2001-9" only
/// when both parse as dates). Strings are inspected as a whole column: if every value parses as a
/// number the column is numeric, else if every value parses as a date it is chronological.
/// </summary>
internal static class NaturalOrder
{
    /// <summary>Distinct keys in natural order, with their display labels.</summary>
    public static (TKey[] Keys, string[] Labels) Sort<TKey>(IEnumerable<TKey> distinctKeys) where TKey : notnull
    {
        var keys = distinctKeys.ToArray();
        if (keys is string[] text)
        {
            var order = Sort(text);
            return (order.Select(i => keys[i]).ToArray(), order.Select(i => text[i]).ToArray());
        }
        if (keys.Length > 0 && (keys[0] is IComparable<TKey> || keys[0] is IComparable))
            Array.Sort(keys, Comparer<TKey>.Default);
        return (keys, keys.Select(Format).ToArray());
    }

    /// <summary>Indices that put <paramref name="values"/> in natural order.</summary>
    private static int[] Sort(string[] values)
    {
        var idx = Enumerable.Range(0, values.Length).ToArray();
        if (TryParseAll<double>(values, TryNumber, out var numbers))
            return idx.OrderBy(i => numbers[i]).ThenBy(i => values[i], StringComparer.Ordinal).ToArray();
        if (TryParseAll<DateTime>(values, TryDate, out var dates))
            return idx.OrderBy(i => dates[i]).ThenBy(i => values[i], StringComparer.Ordinal).ToArray();
        return idx.OrderBy(i => values[i], StringComparer.Ordinal).ToArray();
    }

    private delegate bool Parser<T>(string s, out T value);

    private static bool TryParseAll<T>(string[] values, Parser<T> parse, out T[] parsed)
    {
        parsed = new T[values.Length];
        for (var i = 0; i < values.Length; i++)
            if (!parse(values[i], out parsed[i])) return false;
        return true;
    }

    internal static bool TryNumber(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool TryDate(string s, out DateTime value) =>
        DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value);

    /// <summary>The display label of a key: invariant culture, ISO dates.</summary>
    public static string Format<TKey>(TKey key) where TKey : notnull => key switch
    {
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("s", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => key.ToString() ?? string.Empty,
    };
}
