namespace CausalPanel;

/// <summary>
/// A CSV file (RFC 4180) read into its header and rows of fields: comma-separated, fields optionally in double quotes
/// (which may hold commas, newlines and doubled quotes ""), whitespace around fields trimmed, blank lines skipped.
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(string[] header, List<(long Line, string[] Fields)> rows) => (Header, Rows) = (header, rows);

    public string[] Header { get; }

    /// <summary>Rows with their 1-based line numbers; blank lines are skipped.</summary>
    public List<(long Line, string[] Fields)> Rows { get; }

    public static CsvTable Read(TextReader reader)
    {
        var parser = new Parser(reader);
        string[]? header;
        do header = parser.Next(out _);
        while (header is not null && IsBlank(header));
        if (header is null) throw new EmptyPanelException("The CSV is empty: it has no header row. The first line must name the columns.");
        var rows = new List<(long, string[])>();
        while (parser.Next(out var line) is { } fields)
        {
            if (IsBlank(fields)) continue;
            if (fields.Length != header.Length)
                throw new InvalidValueException($"CSV line {line} has {fields.Length} fields but the header has {header.Length}. Quote fields that contain commas.");
            rows.Add((line, fields));
        }
        return new CsvTable(header, rows);
    }

    private static bool IsBlank(string[] fields) => fields.All(string.IsNullOrEmpty);

    /// <summary>Splits records off a reader one at a time.</summary>
    private sealed class Parser(TextReader reader)
    {
        private readonly System.Text.StringBuilder _field = new();
        private readonly List<string> _fields = [];
        private long _line = 1;

        /// <summary>The next record and the line it starts on, or null at the end.</summary>
        public string[]? Next(out long line)
        {
            line = _line;
            if (reader.Peek() < 0) return null;
            _fields.Clear();
            while (true)
            {
                _field.Clear();
                int c;
                while ((c = reader.Peek()) is ' ' or '\t') reader.Read();
                if (c == '"')
                {
                    reader.Read();
                    var quotedFrom = _line;
                    while (true)
                    {
                        c = reader.Read();
                        if (c < 0) throw new InvalidValueException($"CSV line {quotedFrom} cannot be parsed: a quoted field is never closed (unbalanced quotes?).");
                        if (c == '"')
                        {
                            if (reader.Peek() != '"') break;
                            reader.Read();
                        }
                        if (c == '\n') _line++;
                        _field.Append((char)c);
                    }
                    while ((c = reader.Peek()) is ' ' or '\t') reader.Read();
                    if (c is not (',' or '\r' or '\n' or -1))
                        throw new InvalidValueException($"CSV line {_line} cannot be parsed: text follows a closing quote (unbalanced quotes?).");
                    _fields.Add(_field.ToString());
                }
                else
                {
                    while ((c = reader.Peek()) is not (',' or '\r' or '\n' or -1)) _field.Append((char)reader.Read());
                    _fields.Add(_field.ToString().TrimEnd());
                }
                c = reader.Read();
                if (c == ',') continue;
                if (c == '\r' && reader.Peek() == '\n') reader.Read();
                if (c >= 0) _line++;
                return [.. _fields];
            }
        }
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
