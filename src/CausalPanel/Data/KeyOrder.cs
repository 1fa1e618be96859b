using System.Globalization;

namespace CausalPanel;

/// <summary>
/// Labels and kinds of the unit and period keys readers meet (strings, numbers, dates, other types), and the unit
/// order: numbers numerically, text that is all numbers numerically with ties by text (so "01" and "1" stay two
/// units), other text ordinally. Unit labels keep their text.
/// </summary>
internal static class KeyOrder
{
    /// <summary>The display label of a key: its text, or its invariant-culture form (ISO dates, shortest numbers).</summary>
    public static string Label(object key) => key switch
    {
        string s => s,
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("s", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("o", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => key.ToString() ?? string.Empty,
    };

    /// <summary>The value of a key of a numeric type (not text).</summary>
    public static bool TryNumber(object key, out double value)
    {
        switch (key)
        {
            case int or long or short or sbyte or byte or ushort or uint or ulong or float or double or decimal:
                value = Convert.ToDouble(key, CultureInfo.InvariantCulture);
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>The ticks of a key of a date type (not text).</summary>
    public static bool TryDate(object key, out double ticks)
    {
        switch (key)
        {
            case DateTime d: ticks = d.Ticks; return true;
            case DateOnly d: ticks = d.ToDateTime(TimeOnly.MinValue).Ticks; return true;
            case DateTimeOffset d: ticks = d.UtcTicks; return true;
            default: ticks = 0; return false;
        }
    }

    /// <summary>Whether every key passes <paramref name="test"/>.</summary>
    public static bool All(object[] keys, Func<object, bool> test)
    {
        foreach (var key in keys)
            if (!test(key)) return false;
        return true;
    }

    /// <summary>The row of each unit key (by id) and the unit labels by row.</summary>
    public static (int[] Row, string[] Labels) Units(object[] keys)
    {
        var labels = Array.ConvertAll(keys, Label);
        var ids = new int[keys.Length];
        for (var k = 0; k < ids.Length; k++) ids[k] = k;
        var numbers = new double[keys.Length];
        if (All(keys, k => k is string) && AllParse(labels, numbers) || All(keys, k => k is not string) && AllNumbers(keys, numbers))
            Array.Sort(ids, (a, b) => numbers[a] != numbers[b] ? numbers[a].CompareTo(numbers[b]) : string.CompareOrdinal(labels[a], labels[b]));
        else if (SameComparableType(keys))
            Array.Sort(ids, (a, b) => Comparer<object>.Default.Compare(keys[a], keys[b]));
        else
            Array.Sort(ids, (a, b) => string.CompareOrdinal(labels[a], labels[b]));
        var row = new int[keys.Length];
        var ordered = new string[keys.Length];
        for (var r = 0; r < ids.Length; r++) (row[ids[r]], ordered[r]) = (r, labels[ids[r]]);
        return (row, ordered);
    }

    private static bool AllParse(string[] labels, double[] numbers)
    {
        for (var k = 0; k < labels.Length; k++)
            if (!PeriodForms.Number(labels[k], out numbers[k])) return false;
        return true;
    }

    private static bool AllNumbers(object[] keys, double[] numbers)
    {
        for (var k = 0; k < keys.Length; k++)
            if (!TryNumber(keys[k], out numbers[k])) return false;
        return true;
    }

    /// <summary>Whether all keys have one type that orders itself (<see cref="IComparable"/>).</summary>
    public static bool SameComparableType(object[] keys) =>
        keys.Length > 0 && keys[0] is IComparable && All(keys, k => k.GetType() == keys[0].GetType());
}
