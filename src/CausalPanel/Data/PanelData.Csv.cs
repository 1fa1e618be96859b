using System.Globalization;

namespace CausalPanel;

public sealed partial class PanelData
{
    /// <summary>
    /// Reads a long-format CSV file with a header row (one row per unit-period). Fields may be
    /// quoted (e.g. "China, Hong Kong SAR"); numbers are read in the invariant culture. Treatment
    /// is 0/1 or true/false (any case). An empty, "NA" or "NaN" outcome is an unobserved cell.
    /// Numeric unit or period columns are ordered numerically and labelled by their value
    /// ("1955.0" becomes "1955").
    /// </summary>
    /// <param name="path">Path of the CSV file.</param>
    /// <param name="unit">Header of the unit column.</param>
    /// <param name="time">Header of the period column.</param>
    /// <param name="outcome">Header of the outcome column.</param>
    /// <param name="treated">Header of the treatment column.</param>
    /// <exception cref="MissingColumnException">A named column is not in the header.</exception>
    /// <exception cref="InvalidValueException">A cell cannot be read; the message gives its line and column.</exception>
    /// <exception cref="PanelDataException">Any other check of <see cref="FromLong{TRow, TUnit, TTime}(IEnumerable{TRow}, Func{TRow, TUnit}, Func{TRow, TTime}, Func{TRow, double}, Func{TRow, bool})"/> fails.</exception>
    public static PanelData ReadCsv(string path, string unit, string time, string outcome, string treated)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path);
        return ReadCsv(reader, unit, time, outcome, treated);
    }

    /// <summary>Reads a long-format CSV from a text reader.</summary>
    /// <inheritdoc cref="ReadCsv(string, string, string, string, string)"/>
    /// <param name="reader">The CSV text, header first.</param>
    /// <param name="unit">Header of the unit column.</param>
    /// <param name="time">Header of the period column.</param>
    /// <param name="outcome">Header of the outcome column.</param>
    /// <param name="treated">Header of the treatment column.</param>
    public static PanelData ReadCsv(TextReader reader, string unit, string time, string outcome, string treated)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var table = CsvTable.Read(reader);
        int ui = table.Column(unit), ti = table.Column(time), yi = table.Column(outcome), wi = table.Column(treated);
        var rows = table.Rows.Select(r => new CsvRow(Key(r.Fields[ui], r.Line, unit), Key(r.Fields[ti], r.Line, time),
            ParseOutcome(r.Fields[yi], r.Line, outcome), ParseTreated(r.Fields[wi], r.Line, treated, r.Fields[ui], r.Fields[ti]))).ToList();
        NormaliseNumbers(rows, r => r.Unit, (r, v) => r with { Unit = v });
        NormaliseNumbers(rows, r => r.Time, (r, v) => r with { Time = v });
        return FromLong(rows, r => r.Unit, r => r.Time, r => r.Outcome, r => r.Treated);
    }

    private sealed record CsvRow(string Unit, string Time, double Outcome, bool Treated);

    private static string Key(string field, long line, string column) => string.IsNullOrWhiteSpace(field)
        ? throw new InvalidValueException($"CSV line {line}: column '{column}' is empty. Every row needs a unit and a period.")
        : field;

    internal static double ParseOutcome(string field, long line, string column)
    {
        if (field.Length == 0 || field is "NA" or "NaN" or "nan" or ".") return double.NaN;
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)) return y;
        throw new InvalidValueException($"CSV line {line}: outcome column '{column}' holds '{field}', which is not a number. Use '.' as the decimal separator and leave missing outcomes empty.");
    }

    internal static bool ParseTreated(string field, long line, string column, string unit, string time)
    {
        if (bool.TryParse(field, out var b)) return b;
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is 0 or 1) return v == 1;
        throw new InvalidTreatmentValueException(
            $"CSV line {line}: treatment column '{column}' holds '{field}' for unit '{unit}' in period '{time}'; it must be 0/1 or true/false. Recode the treatment as a binary indicator.",
            [unit], [time]);
    }

    /// <summary>If every value of a key column is a number, relabel it by the number's shortest form.</summary>
    private static void NormaliseNumbers(List<CsvRow> rows, Func<CsvRow, string> get, Func<CsvRow, string, CsvRow> set)
    {
        var numbers = new double[rows.Count];
        for (var r = 0; r < rows.Count; r++)
            if (!NaturalOrder.TryNumber(get(rows[r]), out numbers[r])) return;
        for (var r = 0; r < rows.Count; r++)
            rows[r] = set(rows[r], numbers[r].ToString(CultureInfo.InvariantCulture));
    }
}
