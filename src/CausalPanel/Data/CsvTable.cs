namespace CausalPanel;

/// <summary>
/// A comma-separated file read into its header and rows of fields (as <see cref="CsvReader"/> splits them), for the
/// small files the library reads whole (bundled datasets, comparison results).
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(string[] header, List<(long Line, string[] Fields)> rows) => (Header, Rows) = (header, rows);

    public string[] Header { get; }

    /// <summary>Rows with their 1-based line numbers; blank lines are skipped.</summary>
    public List<(long Line, string[] Fields)> Rows { get; }

    public static CsvTable Read(TextReader reader)
    {
        var csv = new CsvReader(reader, ',');
        if (!csv.Read()) throw new EmptyPanelException("The CSV is empty: it has no header row. The first line must name the columns.");
        var header = csv.Fields();
        var rows = new List<(long, string[])>();
        while (csv.Read())
        {
            if (csv.FieldCount != header.Length)
                throw new InvalidValueException($"CSV line {csv.Line} has {csv.FieldCount} fields but the header has {header.Length}. Quote fields that contain commas.");
            rows.Add((csv.Line, csv.Fields()));
        }
        return new CsvTable(header, rows);
    }

    /// <summary>The position of a column in <paramref name="header"/>: exact name first, then ignoring case; -1 if absent.</summary>
    public static int Find(string[] header, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var k = Array.IndexOf(header, name);
        return k >= 0 ? k : Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The position of a column: exact name first, then ignoring case.</summary>
    public int Column(string name)
    {
        var k = Find(Header, name);
        return k >= 0 ? k : throw new MissingColumnException(
            $"The CSV has no column '{name}'. Its columns are {CausalPanelException.List(Header, Header.Length)}.");
    }
}
