using Microsoft.VisualBasic.FileIO;

namespace CausalPanel;

/// <summary>A CSV file read into its header and rows of fields (quotes handled by the BCL's <see cref="TextFieldParser"/>).</summary>
internal sealed class CsvTable
{
    private CsvTable(string[] header, List<(long Line, string[] Fields)> rows) => (Header, Rows) = (header, rows);

    public string[] Header { get; }

    /// <summary>Rows with their 1-based line numbers; blank lines are skipped.</summary>
    public List<(long Line, string[] Fields)> Rows { get; }

    public static CsvTable Read(TextReader reader)
    {
        using var parser = new TextFieldParser(reader) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = true };
        parser.SetDelimiters(",");
        var header = parser.ReadFields() ?? throw new EmptyPanelException("The CSV is empty: it has no header row. The first line must name the columns.");
        var rows = new List<(long, string[])>();
        while (!parser.EndOfData)
        {
            var line = parser.LineNumber;
            string[]? fields;
            try { fields = parser.ReadFields(); }
            catch (MalformedLineException e)
            {
                throw new InvalidValueException($"CSV line {e.LineNumber} cannot be parsed (unbalanced quotes?): {parser.ErrorLine}");
            }
            if (fields is null || fields.All(string.IsNullOrEmpty)) continue;
            if (fields.Length != header.Length)
                throw new InvalidValueException($"CSV line {line} has {fields.Length} fields but the header has {header.Length}. Quote fields that contain commas.");
            rows.Add((line, fields));
        }
        return new CsvTable(header, rows);
    }

    /// <summary>The position of a column: exact name first, then ignoring case.</summary>
    public int Column(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var k = Array.IndexOf(Header, name);
        if (k < 0) k = Array.FindIndex(Header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        return k >= 0 ? k : throw new MissingColumnException(
            $"The CSV has no column '{name}'. Its columns are {CausalPanelException.List(Header, Header.Length)}.");
    }
}
