using System.Globalization;

namespace CausalPanel;

public sealed partial class PanelData
{
    /// <summary>
    /// Reads a long-format CSV file with a header row (one row per unit-period), as it comes: the delimiter (',', ';',
    /// tab, '|') and a decimal comma are detected (or set in <paramref name="options"/>); fields may be quoted
    /// ("China, Hong Kong SAR"); an empty, NA, NaN or "." outcome is an unobserved cell. Give the treatment either as a
    /// 0/1 column (<paramref name="treated"/>; true/false too; empty or NA on never-treated units) or as each unit's
    /// first treated period (<paramref name="adoption"/>, as R <c>did</c>'s <c>first.treat</c>: treated from that period
    /// on; empty, NA, 0, Inf or a period after the panel = never treated; a period before the panel = treated
    /// throughout). Periods are ordered by their form (numbers, dates, quarters, months; see <see cref="PeriodOrdering"/>),
    /// numeric periods labelled by their value ("1955.0" becomes "1955"); unit labels keep their text ("01" and "1" are
    /// two units). How the file was read is in <see cref="Notes"/>.
    /// </summary>
    /// <param name="path">Path of the CSV file.</param>
    /// <param name="unit">Header of the unit column.</param>
    /// <param name="time">Header of the period column.</param>
    /// <param name="outcome">Header of the outcome column.</param>
    /// <param name="treated">Header of a 0/1 treatment column; give this or <paramref name="adoption"/>.</param>
    /// <param name="adoption">Header of a column holding each unit's first treated period (the same on all its rows); give this or <paramref name="treated"/>.</param>
    /// <param name="covariates">Headers of covariate columns (one value per row, time-varying or not), attached as N×T <see cref="Covariates"/>.</param>
    /// <param name="options">Delimiter, decimal separator, period order, never-treated codes, cluster column; null = detect.</param>
    /// <exception cref="ArgumentException">Neither or both of <paramref name="treated"/> and <paramref name="adoption"/> are given, or the options contradict each other.</exception>
    /// <exception cref="MissingColumnException">A named column is not in the header.</exception>
    /// <exception cref="InvalidValueException">A cell cannot be read (the message gives its line and column and how the file was read), or a line has the wrong number of fields.</exception>
    /// <exception cref="InvalidTreatmentValueException">A treatment is not 0/1, or is missing on a treated unit.</exception>
    /// <exception cref="InvalidAdoptionValueException">An adoption value is neither a period, nor outside the periods, nor a never-treated code.</exception>
    /// <exception cref="InconsistentAdoptionException">A unit's rows give two adoption periods.</exception>
    /// <exception cref="InconsistentClusterException">A unit's rows give two clusters (<see cref="PanelReadOptions.Cluster"/>).</exception>
    /// <exception cref="AmbiguousPeriodOrderException">The period labels read in two different orders (e.g. dates day first and month first).</exception>
    /// <exception cref="PanelTooLargeException">The dense N×T matrices would not fit in memory.</exception>
    /// <exception cref="PanelDataException">Another check of the panel fails (duplicate rows, a missing covariate where the outcome is observed, ...).</exception>
    public static PanelData ReadCsv(string path, string unit, string time, string outcome, string? treated = null, string? adoption = null,
        IReadOnlyList<string>? covariates = null, PanelReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path);
        return ReadCsv(reader, unit, time, outcome, treated, adoption, covariates, options);
    }

    /// <summary>Reads a long-format CSV from a text reader.</summary>
    /// <inheritdoc cref="ReadCsv(string, string, string, string, string?, string?, IReadOnlyList{string}?, PanelReadOptions?)"/>
    /// <param name="reader">The CSV text, header first.</param>
    /// <param name="unit">Header of the unit column.</param>
    /// <param name="time">Header of the period column.</param>
    /// <param name="outcome">Header of the outcome column.</param>
    /// <param name="treated">Header of a 0/1 treatment column; give this or <paramref name="adoption"/>.</param>
    /// <param name="adoption">Header of a column holding each unit's first treated period; give this or <paramref name="treated"/>.</param>
    /// <param name="covariates">Headers of covariate columns.</param>
    /// <param name="options">Delimiter, decimal separator, period order, never-treated codes; null = detect.</param>
    public static PanelData ReadCsv(TextReader reader, string unit, string time, string outcome, string? treated = null, string? adoption = null,
        IReadOnlyList<string>? covariates = null, PanelReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var (treatment, byAdoption) = TreatmentColumn(treated, adoption);
        options = (options ?? PanelReadOptions.Default).Validated();
        var csv = new CsvReader(reader, options.Delimiter);
        if (!csv.Read()) throw new EmptyPanelException("The CSV is empty: it has no header row. The first line must name the columns.");
        var header = csv.Fields();
        var dialect = $"{(csv.Delimiter == ',' ? "comma" : csv.DelimiterName)}-separated ({(csv.DelimiterDetected ? "detected" : "given")})";
        int Column(string name)
        {
            var k = CsvTable.Find(header, name);
            return k >= 0 ? k : throw new MissingColumnException(
                $"The CSV has no column '{name}'. Its columns are {CausalPanelException.List(header, header.Length)} (read as {dialect}; if that is wrong, set PanelReadOptions {{ Delimiter = ... }}).");
        }
        int ui = Column(unit), ti = Column(time), yi = Column(outcome), wi = Column(treatment);
        var ci = covariates?.Select(Column).ToArray() ?? [];

        var numbers = new TextNumbers(options.DecimalSeparator, csv.Delimiter, dialect);
        var gi = options.Cluster is { } clusterColumn ? Column(clusterColumn) : -1;
        var rows = new LongRows("CSV line", header[wi], byAdoption, ci.Select(k => header[k]).ToArray()) { ClusterColumn = gi < 0 ? null : header[gi] };
        var quoted = Array.ConvertAll(header, h => $"'{h}'");
        TextIds units = new(), periods = new(), adoptions = new(), clusters = new();
        while (csv.Read())
        {
            var line = csv.Line;
            if (csv.FieldCount != header.Length)
                throw new InvalidValueException($"CSV line {line} has {csv.FieldCount} fields but the header has {header.Length} (read as {dialect}). Quote fields that contain the delimiter, or set PanelReadOptions {{ Delimiter = ... }}.");
            rows.Units.Add(units.Id(Key(csv[ui], line, header[ui])));
            rows.Periods.Add(periods.Id(PeriodKey(csv[ti], line, header[ti])));
            rows.Outcomes.Add(numbers.Parse(csv[yi], "CSV line", line, quoted[yi]));
            if (byAdoption) rows.Adoption.Add(adoptions.Id(csv[wi]));
            else rows.Treated.Add(Indicator(csv[wi], line, header[wi], csv[ui], csv[ti]));
            for (var c = 0; c < ci.Length; c++) rows.Covariates[c].Add(numbers.Parse(csv[ci[c]], "CSV line", line, quoted[ci[c]]));
            if (gi >= 0) rows.Clusters.Add(clusters.Id(ClusterKey(csv[gi], line, header[gi])));
            rows.Places.Add(line);
        }
        // A plain comma-separated file with decimal points needs no note; any other dialect is said.
        var plain = csv.Delimiter == ',' && numbers.Decimal == '.';
        return FromRows(rows, units.Keys(), periods.Keys(), adoptions.Keys(), options, plain ? [] : [$"CSV read as {dialect}, numbers with a {numbers.Description}."], header[yi], clusters.Keys());
    }

    /// <summary>The treatment column and whether it holds adoption periods; exactly one of the two must be named.</summary>
    private static (string Column, bool ByAdoption) TreatmentColumn(string? treated, string? adoption) => (treated, adoption) switch
    {
        ({ } w, null) => (w, false),
        (null, { } a) => (a, true),
        (null, null) => throw new ArgumentException(
            "Name the treatment: treated: a 0/1 column, or adoption: a column with each unit's first treated period.", nameof(treated)),
        _ => throw new ArgumentException(
            $"Give either treated: ('{treated}', a 0/1 column) or adoption: ('{adoption}', each unit's first treated period), not both.", nameof(adoption)),
    };

    private static ReadOnlySpan<char> Key(ReadOnlySpan<char> field, long line, string column) => field.IsEmpty
        ? throw new InvalidValueException($"CSV line {line}: column '{column}' is empty. Every row needs a unit and a period.")
        : field;

    private static ReadOnlySpan<char> PeriodKey(ReadOnlySpan<char> field, long line, string column) => !field.IsEmpty && TextNumbers.IsMissing(field)
        ? throw new InvalidValueException($"CSV line {line}: column '{column}' holds '{field}', a missing value. Every row needs a period: fill it or drop the row.")
        : Key(field, line, column);

    private static ReadOnlySpan<char> ClusterKey(ReadOnlySpan<char> field, long line, string column) => field.IsEmpty || TextNumbers.IsMissing(field)
        ? throw new InvalidValueException($"CSV line {line}: cluster column '{column}' is missing ('{field}'). Every row needs its unit's cluster: fill it or drop the row.")
        : field;

    /// <summary>A 0/1 treatment written as text: 0/1 (or 0.0/1.0), true/false in any case, or missing (empty, NA, NaN, ".").</summary>
    /// <exception cref="InvalidTreatmentValueException">Anything else.</exception>
    private static sbyte Indicator(ReadOnlySpan<char> field, long line, string column, ReadOnlySpan<char> unit, ReadOnlySpan<char> period)
    {
        if (field.Length == 1 && field[0] is '0' or '1') return (sbyte)(field[0] - '0');
        if (TextNumbers.IsMissing(field)) return LongRows.Missing;
        if (bool.TryParse(field, out var b)) return b ? (sbyte)1 : (sbyte)0;
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is 0 or 1) return (sbyte)v;
        throw NotBinary($"CSV line {line}", column, field.ToString(), unit.ToString(), period.ToString());
    }

    /// <summary>A treatment value other than 0/1 or missing, naming where it is and the two ways to give a treatment.</summary>
    private static InvalidTreatmentValueException NotBinary(string place, string column, string value, string unit, string period) => new(
        $"{place}: treatment column '{column}' holds '{value}' for unit '{unit}' in period '{period}'; it must be 0/1 or true/false (or empty/NA on a never-treated unit). " +
        "Recode the treatment as a binary indicator, or, if the column holds each unit's first treated period, pass it as adoption: instead of treated:.",
        [unit], [period]);
}
