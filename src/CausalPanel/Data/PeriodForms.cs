using System.Globalization;
using System.Text.RegularExpressions;

namespace CausalPanel;

/// <summary>
/// The written forms of periods a reader recognises, each as a parser from a label to a sort key in its own domain
/// (a number; quarters and months counted from year 0; dates as ticks). Labels are trimmed; letters match in any case.
/// </summary>
internal static partial class PeriodForms
{
    /// <summary>A label's sort key in one form, or false when the label is not of that form.</summary>
    public delegate bool Parser(string label, out double key);

    /// <summary>A finite number in the invariant culture ("2001", "1955.0", "1e3").</summary>
    public static bool Number(string label, out double key) =>
        double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out key) && double.IsFinite(key);

    /// <summary>A quarter: 2001Q1, 2001-Q1, 2001 Q1, 2001/Q1, 2001q1, Q1 2001, Q1-2001, Q1/2001; key year·4 + quarter − 1.</summary>
    public static bool Quarter(string label, out double key)
    {
        key = 0;
        var m = QuarterPattern().Match(label);
        if (!m.Success) return false;
        var year = int.Parse(m.Groups["y1"].Success ? m.Groups["y1"].Value : m.Groups["y2"].Value, CultureInfo.InvariantCulture);
        var quarter = (m.Groups["q1"].Success ? m.Groups["q1"].Value : m.Groups["q2"].Value)[0] - '0';
        key = year * 4 + quarter - 1;
        return true;
    }

    /// <summary>
    /// A month: by number (2001-01, 2001/1, 2001M01, 01/2001, 1-2001) or English name or abbreviation (Jan 2001,
    /// January 2001, Jan-2001, Sept. 2001, 2001-Jan, 2001 January); key year·12 + month − 1.
    /// </summary>
    public static bool Month(string label, out double key)
    {
        key = 0;
        var m = MonthPattern().Match(label);
        if (!m.Success) return false;
        var year = int.Parse(m.Groups["y1"].Success ? m.Groups["y1"].Value : m.Groups["y2"].Success ? m.Groups["y2"].Value : m.Groups["y3"].Success ? m.Groups["y3"].Value : m.Groups["y4"].Value, CultureInfo.InvariantCulture);
        int month;
        if (m.Groups["n1"].Success || m.Groups["n2"].Success)
            month = int.Parse(m.Groups["n1"].Success ? m.Groups["n1"].Value : m.Groups["n2"].Value, CultureInfo.InvariantCulture);
        else if ((month = MonthNumber(m.Groups["a1"].Success ? m.Groups["a1"].Value : m.Groups["a2"].Value)) == 0)
            return false;
        if (month is < 1 or > 12) return false;
        key = year * 12 + month - 1;
        return true;
    }

    private static readonly string[] MonthNames =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    /// <summary>1–12 for an English month name or a prefix of at least three letters (jan, sept), else 0.</summary>
    private static int MonthNumber(string name)
    {
        if (name.Length < 3) return 0;
        for (var k = 0; k < MonthNames.Length; k++)
            if (MonthNames[k].StartsWith(name, StringComparison.OrdinalIgnoreCase)) return k + 1;
        return 0;
    }

    /// <summary>An ISO date, year first: 2001-01-15, 2001/1/15, 2001.01.15, optionally with a time (2001-01-15T10:00:00).</summary>
    public static bool IsoDate(string label, out double key)
    {
        key = 0;
        if (!IsoDatePattern().IsMatch(label)) return false;
        if (!DateTime.TryParse(label.Replace('/', '-').Replace('.', '-'), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var date)) return false;
        key = date.Ticks;
        return true;
    }

    /// <summary>Whether the label is a date with the year last (d/M/yyyy or M/d/yyyy, separated by '/', '.' or '-').</summary>
    public static bool IsYearLastDate(string label) => YearLastPattern().IsMatch(label);

    /// <summary>A year-last date read day first (dd/MM/yyyy, dd.MM.yyyy, dd-MM-yyyy).</summary>
    public static bool DayFirst(string label, out double key) => YearLast(label, dayFirst: true, out key);

    /// <summary>A year-last date read month first (MM/dd/yyyy).</summary>
    public static bool MonthFirst(string label, out double key) => YearLast(label, dayFirst: false, out key);

    private static bool YearLast(string label, bool dayFirst, out double key)
    {
        key = 0;
        var m = YearLastPattern().Match(label);
        if (!m.Success) return false;
        var a = int.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture);
        var b = int.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture);
        var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        var (day, month) = dayFirst ? (a, b) : (b, a);
        if (month is < 1 or > 12 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        key = new DateTime(year, month, day).Ticks;
        return true;
    }

    /// <summary>Any other date or date-time the invariant culture reads ("March 1, 2020", "1 Mar 2020 10:00"); never a year-last d/M date.</summary>
    public static bool OtherDate(string label, out double key)
    {
        key = 0;
        if (IsYearLastDate(label) || !DateTime.TryParse(label, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var date)) return false;
        key = date.Ticks;
        return true;
    }

    /// <summary>A parser for one .NET date format (<see cref="PanelReadOptions.PeriodFormat"/>).</summary>
    public static Parser Exact(string format) => (string label, out double key) =>
    {
        var ok = DateTime.TryParseExact(label, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var date);
        key = ok ? date.Ticks : 0;
        return ok;
    };

    [GeneratedRegex(@"^(?:(?<y1>\d{4})\s*[-/ ]?\s*Q(?<q1>[1-4])|Q(?<q2>[1-4])\s*[-/ ]?\s*(?<y2>\d{4}))$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuarterPattern();

    [GeneratedRegex(@"^(?:(?<y1>\d{4})(?:[-/]|\s*M)(?<n1>\d{1,2})|(?<n2>\d{1,2})[-/](?<y2>\d{4})|(?<a1>[A-Za-z]{3,9})\.?\s*[-/ ]?\s*(?<y3>\d{4})|(?<y4>\d{4})\s*[-/ ]?\s*(?<a2>[A-Za-z]{3,9})\.?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MonthPattern();

    [GeneratedRegex(@"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T ].*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDatePattern();

    [GeneratedRegex(@"^(?<a>\d{1,2})(?<s>[/.-])(?<b>\d{1,2})\k<s>(?<y>\d{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex YearLastPattern();
}
