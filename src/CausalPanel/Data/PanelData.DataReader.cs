using System.Data;
using System.Globalization;

namespace CausalPanel;

public sealed partial class PanelData
{
    /// <summary>
    /// Builds a panel from a database query, a Parquet file read through DuckDB, or any <see cref="IDataReader"/> in
    /// long format (one row per unit-period), reading it to the end. Units and periods keep their database types
    /// (integer years and dates sort naturally; text periods are ordered by their form, see <see cref="PeriodOrdering"/>);
    /// outcomes and covariates may be any numeric type or numeric text (NULL = missing). The treatment is a boolean or
    /// 0/1 column (<paramref name="treated"/>; NULL on never-treated units) or each unit's first treated period
    /// (<paramref name="adoption"/>; NULL, 0, Inf, a never-treated code or a period after the panel = never treated),
    /// as for <see cref="ReadCsv(TextReader, string, string, string, string?, string?, IReadOnlyList{string}?, PanelReadOptions?)"/>.
    /// Column names match case-insensitively.
    /// </summary>
    /// <param name="reader">The open reader, positioned before its first row.</param>
    /// <param name="unit">The unit column.</param>
    /// <param name="time">The period column.</param>
    /// <param name="outcome">The outcome column.</param>
    /// <param name="treated">A 0/1 or boolean treatment column; give this or <paramref name="adoption"/>.</param>
    /// <param name="adoption">A column with each unit's first treated period (the same on all its rows); give this or <paramref name="treated"/>.</param>
    /// <param name="covariates">Covariate columns (one value per row), attached as N×T <see cref="Covariates"/>.</param>
    /// <param name="options">Period order, decimal separator of numeric text, never-treated codes; null = detect.</param>
    /// <exception cref="ArgumentException">Neither or both of <paramref name="treated"/> and <paramref name="adoption"/> are given.</exception>
    /// <exception cref="MissingColumnException">A named column is not in the result set (the message lists the columns).</exception>
    /// <exception cref="InvalidValueException">A NULL unit or period, or an outcome or covariate that is not a number.</exception>
    /// <exception cref="InvalidTreatmentValueException">A treatment is not 0/1, or is NULL on a treated unit.</exception>
    /// <exception cref="InvalidAdoptionValueException">An adoption value is neither a period, nor outside the periods, nor a never-treated code.</exception>
    /// <exception cref="InconsistentAdoptionException">A unit's rows give two adoption periods.</exception>
    /// <exception cref="InconsistentClusterException">A unit's rows give two clusters (<see cref="PanelReadOptions.Cluster"/>).</exception>
    /// <exception cref="PanelTooLargeException">The dense N×T matrices would not fit in memory.</exception>
    public static PanelData FromDataReader(IDataReader reader, string unit, string time, string outcome, string? treated = null,
        string? adoption = null, IReadOnlyList<string>? covariates = null, PanelReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var (treatment, byAdoption) = TreatmentColumn(treated, adoption);
        options = (options ?? PanelReadOptions.Default).Validated();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        int Ordinal(string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            var k = Array.FindIndex(columns, c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            return k >= 0 ? k : throw new MissingColumnException($"The query has no column \"{name}\"; its columns are {string.Join(", ", columns.Select(c => $"\"{c}\""))}.");
        }
        int u = Ordinal(unit), t = Ordinal(time), y = Ordinal(outcome), w = Ordinal(treatment);
        var ci = covariates?.Select(Ordinal).ToArray() ?? [];
        var quoted = Array.ConvertAll(columns, c => $"\"{c}\"");

        var numbers = new TextNumbers(options.DecimalSeparator);
        var g = options.Cluster is { } clusterColumn ? Ordinal(clusterColumn) : -1;
        var rows = new LongRows("Row", columns[w], byAdoption, ci.Select(k => columns[k]).ToArray()) { ClusterColumn = g < 0 ? null : columns[g] };
        KeyIds<object> units = new(), periods = new(), adoptions = new(), clusters = new();
        long row = 0;
        while (reader.Read())
        {
            row++;
            var unitKey = Key(reader, u, row, "unit");
            var periodKey = Key(reader, t, row, "period");
            rows.Units.Add(units.Id(unitKey));
            rows.Periods.Add(periods.Id(periodKey));
            rows.Outcomes.Add(Number(reader, y, row, quoted[y], numbers));
            if (byAdoption) rows.Adoption.Add(adoptions.Id(reader.IsDBNull(w) ? DBNull.Value : reader.GetValue(w)));
            else rows.Treated.Add(Indicator(reader, w, row, columns[w], unitKey, periodKey));
            for (var c = 0; c < ci.Length; c++) rows.Covariates[c].Add(Number(reader, ci[c], row, quoted[ci[c]], numbers));
            if (g >= 0) rows.Clusters.Add(clusters.Id(Key(reader, g, row, "cluster")));
            rows.Places.Add(row);
        }
        return FromRows(rows, units.Keys(), periods.Keys(), adoptions.Keys(), options, [], columns[y], clusters.Keys());
    }

    private static object Key(IDataReader reader, int k, long row, string what) => reader.IsDBNull(k)
        ? throw new InvalidValueException($"Row {row} has no {what} (column \"{reader.GetName(k)}\" is NULL). Every row needs a {what}.")
        : reader.GetValue(k) is string s ? s.Trim() : reader.GetValue(k);

    private static double Number(IDataReader reader, int k, long row, string column, TextNumbers numbers)
    {
        if (reader.IsDBNull(k)) return double.NaN;
        var value = reader.GetValue(k);
        try
        {
            return value switch
            {
                double d => d,
                bool b => b ? 1 : 0,
                string s => numbers.Parse(s.AsSpan().Trim(), "Row", row, column),
                _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            throw new InvalidValueException($"Row {row}: column {column} holds {value} ({value.GetType().Name}), which is not a number.");
        }
    }

    /// <summary>A 0/1 treatment from a database: boolean, a number 0/1, 0/1 text, or NULL/NaN/NA (missing).</summary>
    private static sbyte Indicator(IDataReader reader, int k, long row, string column, object unit, object period)
    {
        if (reader.IsDBNull(k)) return LongRows.Missing;
        var value = reader.GetValue(k);
        if (value is bool b) return b ? (sbyte)1 : (sbyte)0;
        if (value is string s)
        {
            var text = s.AsSpan().Trim();
            if (TextNumbers.IsMissing(text)) return LongRows.Missing;
            if (bool.TryParse(text, out b)) return b ? (sbyte)1 : (sbyte)0;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x is 0 or 1) return (sbyte)x;
        }
        else if (KeyOrder.TryNumber(value, out var v) && (v is 0 or 1 || double.IsNaN(v)))
        {
            return double.IsNaN(v) ? LongRows.Missing : (sbyte)v;
        }
        throw NotBinary($"Row {row}", column, KeyOrder.Label(value), KeyOrder.Label(unit), KeyOrder.Label(period));
    }
}
