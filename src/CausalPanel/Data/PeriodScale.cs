namespace CausalPanel;

/// <summary>
/// The time order of a reader's periods and the domain it lives in, so that an adoption value is compared with the
/// periods as what they are (numbers, dates, quarters, months, a given order). Built from the distinct period keys:
/// an order given in <see cref="PanelReadOptions"/>; else typed numbers or dates; else the first text form every
/// label has (number, quarter, month, ISO date, year-last date read day or month first when only one reading fits or
/// both give the same order, other dates); else ordinal text, recorded as <see cref="PeriodOrdering.Text"/>.
/// </summary>
internal sealed class PeriodScale
{
    /// <summary>Where a value falls among the periods.</summary>
    public enum Place { Unreadable, Before, At, Between, After }

    /// <summary>One reading of period labels: keys by column, a comparer of keys, and how to read any value as a key.</summary>
    private sealed record Reading(string Name, object[] Keys, IComparer<object> Comparer, Func<object, object?> ToKey);

    private readonly Reading[] _readings;   // two only for year-last dates that both readings order alike

    private PeriodScale(PeriodOrdering ordering, string description, string[] labels, int[] column, Reading[] readings)
    {
        Ordering = ordering;
        Description = description;
        Labels = labels;
        Column = column;
        _readings = readings;
    }

    /// <summary>How the periods were ordered.</summary>
    public PeriodOrdering Ordering { get; }

    /// <summary>A sentence for the panel's notes, e.g. "Periods read as quarters ('Q1 2001', ...) and ordered in time."</summary>
    public string Description { get; }

    /// <summary>Period labels by column.</summary>
    public string[] Labels { get; }

    /// <summary>The column of each period key, by id.</summary>
    public int[] Column { get; }

    /// <summary>
    /// Orders the distinct period keys (by id). <paramref name="place"/> names where a key first occurs (e.g.
    /// "CSV line 7"), for messages.
    /// </summary>
    /// <exception cref="InvalidValueException">A period is not in <see cref="PanelReadOptions.PeriodOrder"/>, does not follow <see cref="PanelReadOptions.PeriodFormat"/>, or is not finite.</exception>
    /// <exception cref="DuplicateLabelException">Two distinct labels are the same period (e.g. "01" and "1").</exception>
    /// <exception cref="AmbiguousPeriodOrderException">The labels read both day first and month first, in different orders.</exception>
    public static PeriodScale Create(object[] keys, PanelReadOptions options, Func<int, string> place)
    {
        var labels = Array.ConvertAll(keys, KeyOrder.Label);
        if (options.PeriodOrder is { } order)
        {
            var position = new Dictionary<string, int>(order.Count, StringComparer.Ordinal);
            for (var k = 0; k < order.Count; k++) position[order[k]] = k;
            for (var id = 0; id < labels.Length; id++)
                if (!position.ContainsKey(labels[id]))
                    throw new InvalidValueException($"{place(id)}: period '{labels[id]}' is not in PanelReadOptions.PeriodOrder ({CausalPanelException.List(order)}). List every period of the panel there.");
            object? ToKey(object v) => position.TryGetValue(Text(v), out var k) ? (double)k : null;
            return Sorted(PeriodOrdering.Given, _ => "Periods in the order given by PanelReadOptions.PeriodOrder.", labels,
                new Reading("PeriodOrder", Array.ConvertAll(labels, l => (object)(double)position[l]), Comparer<object>.Default, ToKey), place);
        }
        if (options.PeriodComparer is { } comparer)
        {
            var byLabel = Comparer<object>.Create((a, b) => comparer.Compare((string)a, (string)b));
            return Sorted(PeriodOrdering.Given, _ => $"Periods ordered by the PanelReadOptions.PeriodComparer given ({comparer.GetType().Name}).", labels,
                new Reading("PeriodComparer", labels.Cast<object>().ToArray(), byLabel, v => Text(v)), place);
        }
        if (options.PeriodFormat is { } format)
        {
            var parse = PeriodForms.Exact(format);
            for (var id = 0; id < labels.Length; id++)
                if (!parse(labels[id], out _))
                    throw new InvalidValueException($"{place(id)}: period '{labels[id]}' does not follow PanelReadOptions.PeriodFormat \"{format}\". Give the format all period labels follow.");
            return Sorted(PeriodOrdering.Chronological, _ => $"Periods read as dates in the format \"{format}\" (given) and ordered in time.", labels, TextReading(format, parse, labels), place);
        }
        if (keys.Length > 0 && KeyOrder.All(keys, k => k is not string))
        {
            if (KeyOrder.All(keys, k => KeyOrder.TryNumber(k, out _)))
                return Typed(PeriodOrdering.Numeric, "Periods are numbers, ordered numerically.", "number", labels, keys, KeyOrder.TryNumber, PeriodForms.Number, place);
            if (KeyOrder.All(keys, k => KeyOrder.TryDate(k, out _)))
                return Typed(PeriodOrdering.Chronological, "Periods are dates, ordered in time.", "date", labels, keys, KeyOrder.TryDate, PeriodForms.IsoDate, place);
            if (KeyOrder.SameComparableType(keys))
            {
                var type = keys[0].GetType();
                object? ToKey(object v) => v.GetType() == type ? v : Array.IndexOf(labels, Text(v)) is var k and >= 0 ? keys[k] : null;
                return Sorted(PeriodOrdering.Given, _ => $"Periods ordered by their type's own order ({type.Name}).", labels,
                    new Reading(type.Name, keys, Comparer<object>.Default, ToKey), place);
            }
        }
        return FromText(labels, place);
    }

    /// <summary>The text of a value to read as a period: a string trimmed, anything else by its label.</summary>
    private static string Text(object value) => value is string s ? s.Trim() : KeyOrder.Label(value);

    private delegate bool TypedKey(object key, out double value);

    private static PeriodScale Typed(PeriodOrdering ordering, string description, string name, string[] labels, object[] keys,
        TypedKey typed, PeriodForms.Parser text, Func<int, string> place)
    {
        var values = new object[keys.Length];
        for (var id = 0; id < keys.Length; id++)
        {
            typed(keys[id], out var v);
            if (!double.IsFinite(v))
                throw new InvalidValueException($"{place(id)}: period '{labels[id]}' is not a finite number. Every row needs a period.");
            values[id] = v;
        }
        object? ToKey(object v) => typed(v, out var x) || text(Text(v), out x) ? x : null;
        return Sorted(ordering, _ => description, labels, new Reading(name, values, Comparer<object>.Default, ToKey), place);
    }

    /// <summary>Reads the labels in the first text form they all have; ordinal text if none.</summary>
    private static PeriodScale FromText(string[] labels, Func<int, string> place)
    {
        if (labels.All(l => PeriodForms.Number(l, out _)))
        {
            // "1955.0" is labelled 1955; "01" and "1" stay distinct labels here and are refused as one period below.
            var scale = Sorted(PeriodOrdering.Numeric, _ => "Periods are numbers, ordered numerically.", labels, TextReading("number", PeriodForms.Number, labels), place);
            var relabelled = Array.ConvertAll(scale.Labels, l => { PeriodForms.Number(l, out var x); return KeyOrder.Label(x); });
            return new PeriodScale(scale.Ordering, scale.Description, relabelled, scale.Column, scale._readings);
        }
        if (labels.All(l => PeriodForms.Quarter(l, out _)))
            return Sorted(PeriodOrdering.Quarterly, e => $"Periods read as quarters ({e}) and ordered in time.", labels, TextReading("quarter", PeriodForms.Quarter, labels), place);
        if (labels.All(l => PeriodForms.Month(l, out _)))
            return Sorted(PeriodOrdering.Monthly, e => $"Periods read as months ({e}) and ordered in time.", labels, TextReading("month", PeriodForms.Month, labels), place);
        if (labels.All(l => PeriodForms.IsoDate(l, out _)))
            return Sorted(PeriodOrdering.Chronological, e => $"Periods read as dates, year first ({e}), and ordered in time.", labels, TextReading("date", PeriodForms.IsoDate, labels), place);
        if (labels.All(PeriodForms.IsYearLastDate))
        {
            var dayFirst = labels.All(l => PeriodForms.DayFirst(l, out _));
            var monthFirst = labels.All(l => PeriodForms.MonthFirst(l, out _));
            if (dayFirst && monthFirst)
            {
                var byDay = Sorted(PeriodOrdering.Chronological, e => e, labels, TextReading("day-first date", PeriodForms.DayFirst, labels), place);
                var byMonth = Sorted(PeriodOrdering.Chronological, e => e, labels, TextReading("month-first date", PeriodForms.MonthFirst, labels), place);
                if (!byDay.Labels.SequenceEqual(byMonth.Labels)) throw Ambiguous(labels, byDay.Labels, byMonth.Labels);
                return new PeriodScale(PeriodOrdering.Chronological,
                    $"Periods read as dates ({byDay.Description}); read day first or month first they fall in the same order, and adoption values must fall alike in both readings.",
                    byDay.Labels, byDay.Column, [byDay._readings[0], byMonth._readings[0]]);
            }
            if (dayFirst)
                return Sorted(PeriodOrdering.Chronological, _ => $"Periods read as dates, day first (dd/MM/yyyy: {Witness(labels, PeriodForms.MonthFirst)} is no date month first), and ordered in time.",
                    labels, TextReading("day-first date", PeriodForms.DayFirst, labels), place);
            if (monthFirst)
                return Sorted(PeriodOrdering.Chronological, _ => $"Periods read as dates, month first (MM/dd/yyyy: {Witness(labels, PeriodForms.DayFirst)} is no date day first), and ordered in time.",
                    labels, TextReading("month-first date", PeriodForms.MonthFirst, labels), place);
        }
        else if (labels.All(l => PeriodForms.OtherDate(l, out _)))
        {
            return Sorted(PeriodOrdering.Chronological, e => $"Periods read as dates ({e}) and ordered in time.", labels, TextReading("date", PeriodForms.OtherDate, labels), place);
        }
        var ordinal = Comparer<object>.Create((a, b) => string.CompareOrdinal((string)a, (string)b));
        return Sorted(PeriodOrdering.Text,
            e => $"Periods ordered as text ({e}): their labels are not numbers, dates, quarters or months, so this may not be their time order; if it is not, give it with PanelReadOptions {{ PeriodOrder = [...] }} (or PeriodComparer, PeriodFormat).",
            labels, new Reading("text", labels.Cast<object>().ToArray(), ordinal, v => Text(v)), place);
    }

    private static Reading TextReading(string name, PeriodForms.Parser parse, string[] labels) =>
        new(name, Array.ConvertAll(labels, l => { parse(l, out var key); return (object)key; }), Comparer<object>.Default,
            v => parse(Text(v), out var key) ? key : null);

    /// <summary>Orders the ids by the reading's keys and refuses two labels with the same key.</summary>
    /// <param name="ordering">The ordering to record.</param>
    /// <param name="describe">The note, given the first labels in order ("'Q1 2001', 'Q2 2001', 'Q3 2001' and 37 more").</param>
    /// <param name="labels">Labels by id.</param>
    /// <param name="reading">The keys by id and how to compare them.</param>
    /// <param name="place">Where a key first occurs, by id.</param>
    private static PeriodScale Sorted(PeriodOrdering ordering, Func<string, string> describe, string[] labels, Reading reading, Func<int, string> place)
    {
        var ids = new int[labels.Length];
        for (var k = 0; k < ids.Length; k++) ids[k] = k;
        Array.Sort(ids, (a, b) => reading.Comparer.Compare(reading.Keys[a], reading.Keys[b]) is var c && c != 0 ? c : string.CompareOrdinal(labels[a], labels[b]));
        for (var k = 1; k < ids.Length; k++)
            if (reading.Comparer.Compare(reading.Keys[ids[k - 1]], reading.Keys[ids[k]]) == 0)
            {
                string a = labels[ids[k - 1]], b = labels[ids[k]];
                throw new DuplicateLabelException(
                    $"The period labels '{a}' ({place(ids[k - 1])}) and '{b}' ({place(ids[k])}) are the same {reading.Name}, so they would merge into one period. " +
                    "Write each period one way; if they are different periods, give the order with PanelReadOptions { PeriodOrder = [...] }.", periods: [a, b]);
            }
        var column = new int[ids.Length];
        var ordered = new string[ids.Length];
        var keys = new object[ids.Length];
        for (var c = 0; c < ids.Length; c++) (column[ids[c]], ordered[c], keys[c]) = (c, labels[ids[c]], reading.Keys[ids[c]]);
        return new PeriodScale(ordering, describe(Examples(ordered)), ordered, column, [reading with { Keys = keys }]);
    }

    /// <summary>Where <paramref name="value"/> falls among the periods, and the column it is at or just after.</summary>
    /// <exception cref="AmbiguousPeriodOrderException">Two readings of year-last dates place it differently.</exception>
    public (Place Place, int Column) Locate(object value)
    {
        var first = Locate(_readings[0], value);
        for (var r = 1; r < _readings.Length; r++)
            if (Locate(_readings[r], value) != first)
                throw new AmbiguousPeriodOrderException(
                    $"'{Text(value)}' falls among the periods differently read as a {_readings[0].Name} and as a {_readings[r].Name} (the periods themselves, {CausalPanelException.List(Labels, 3)}, " +
                    "read alike both ways). Give the date format: PanelReadOptions { PeriodFormat = \"dd/MM/yyyy\" } (or \"MM/dd/yyyy\").", Labels);
        if (Ordering == PeriodOrdering.Text && first.Place != Place.At) return (Place.Unreadable, -1);
        return first;
    }

    private static (Place Place, int Column) Locate(Reading reading, object value)
    {
        if (reading.ToKey(value) is not { } key) return (Place.Unreadable, -1);
        int lo = 0, hi = reading.Keys.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = reading.Comparer.Compare(reading.Keys[mid], key);
            if (c == 0) return (Place.At, mid);
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return lo == 0 ? (Place.Before, 0) : lo == reading.Keys.Length ? (Place.After, lo - 1) : (Place.Between, lo - 1);
    }

    /// <summary>"'a', 'b', 'c', ..." from the first labels, for messages.</summary>
    private static string Examples(string[] labels) => CausalPanelException.List(labels, 3);

    private static string Witness(string[] labels, PeriodForms.Parser other) => $"'{labels.First(l => !other(l, out _))}'";

    private static AmbiguousPeriodOrderException Ambiguous(string[] labels, string[] byDay, string[] byMonth)
    {
        var k = Enumerable.Range(0, byDay.Length).First(i => byDay[i] != byMonth[i]);
        return new AmbiguousPeriodOrderException(
            $"The period labels are dates that read both day first and month first ({CausalPanelException.List(labels, 3)}), and the two readings order them differently: " +
            $"day first puts '{byDay[k]}' at position {k + 1}, month first puts '{byMonth[k]}' there. Give the format, e.g. PanelReadOptions {{ PeriodFormat = \"dd/MM/yyyy\" }} " +
            "(or \"MM/dd/yyyy\"), or the order itself with PeriodOrder = [...]; or write the dates as yyyy-MM-dd.", labels.Take(5).ToList());
    }
}
