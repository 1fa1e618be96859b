namespace CausalPanel;

/// <summary>
/// Splits CSV text (RFC 4180) into records one at a time without allocating per field: fields are spans over a block
/// buffer, optionally in double quotes (which may hold delimiters, newlines and doubled quotes ""); whitespace around
/// fields is trimmed; blank lines are skipped. The delimiter is given or detected from the first lines.
/// </summary>
internal sealed class CsvReader
{
    private const int BlockSize = 1 << 16;
    private static readonly char[] Candidates = [',', ';', '\t', '|'];

    private readonly TextReader _reader;
    private char[] _buffer = new char[BlockSize];
    private int _start, _end;                   // unread text is _buffer[_start.._end]
    private bool _eof;
    private char[] _unquoted = new char[256];   // quoted fields' text, unescaped
    private (bool Unquoted, int Start, int Length)[] _fields = new (bool, int, int)[16];
    private long _nextLine = 1;

    public CsvReader(TextReader reader, char? delimiter)
    {
        _reader = reader;
        Fill();
        if (_end > 0 && _buffer[0] == '\uFEFF') _start = 1;   // a byte-order mark left in the text (e.g. a StringReader over a file's bytes)
        Delimiter = delimiter ?? Detect();
        DelimiterDetected = delimiter is null;
    }

    /// <summary>The field delimiter.</summary>
    public char Delimiter { get; }

    /// <summary>Whether <see cref="Delimiter"/> was detected rather than given.</summary>
    public bool DelimiterDetected { get; }

    /// <summary>The 1-based line on which the current record starts.</summary>
    public long Line { get; private set; }

    /// <summary>Number of fields of the current record.</summary>
    public int FieldCount { get; private set; }

    /// <summary>Field <paramref name="k"/> of the current record (valid until the next <see cref="Read"/>).</summary>
    public ReadOnlySpan<char> this[int k]
    {
        get
        {
            var (unquoted, start, length) = _fields[k];
            return (unquoted ? _unquoted : _buffer).AsSpan(start, length);
        }
    }

    /// <summary>The delimiter as a reader would name it in a message: "','", "';'", "tab".</summary>
    public string DelimiterName => Name(Delimiter);

    internal static string Name(char delimiter) => delimiter == '\t' ? "tab" : $"'{delimiter}'";

    /// <summary>The current record's fields as strings.</summary>
    public string[] Fields()
    {
        var fields = new string[FieldCount];
        for (var k = 0; k < fields.Length; k++) fields[k] = this[k].ToString();
        return fields;
    }

    /// <summary>Advances to the next non-blank record; false at the end of the text.</summary>
    public bool Read()
    {
        while (true)
        {
            if (_start == _end && !Fill()) return false;
            Line = _nextLine;
            if (!TryParseRecord(out var consumed, out var lines))
            {
                Fill();   // the record runs past the buffer (at the end of the text it always parses)
                continue;
            }
            _start += consumed;
            _nextLine += lines;
            if (!IsBlank()) return true;
        }
    }

    private bool IsBlank()
    {
        for (var k = 0; k < FieldCount; k++)
            if (_fields[k].Length > 0) return false;
        return true;
    }

    private bool IsSpace(char c) => c == ' ' || (c == '\t' && Delimiter != '\t');

    /// <summary>
    /// Parses the record at <c>_start</c> if it ends inside the buffer (or the text ends); false when more text is needed.
    /// <paramref name="lines"/> counts the line breaks the record spans, including its terminator.
    /// </summary>
    private bool TryParseRecord(out int consumed, out long lines)
    {
        consumed = 0;
        lines = 0;
        var text = _buffer.AsSpan(0, _end);
        var p = _start;
        var unquotedLength = 0;
        FieldCount = 0;
        while (true)
        {
            while (p < text.Length && IsSpace(text[p])) p++;
            if (p == text.Length && !_eof) return false;
            if (p < text.Length && text[p] == '"')
            {
                var quoteLine = Line + lines;
                var from = unquotedLength;
                p++;
                while (true)
                {
                    var close = text[p..].IndexOf('"');
                    if (close < 0)
                    {
                        if (_eof) throw new InvalidValueException($"CSV line {quoteLine} cannot be parsed: a quoted field is never closed (unbalanced quotes?).");
                        return false;
                    }
                    var piece = text.Slice(p, close);
                    lines += piece.Count('\n');
                    AppendUnquoted(piece, ref unquotedLength);
                    p += close + 1;
                    if (p == text.Length && !_eof) return false;
                    if (p < text.Length && text[p] == '"')
                    {
                        AppendUnquoted("\"", ref unquotedLength);
                        p++;
                        continue;
                    }
                    break;
                }
                while (p < text.Length && IsSpace(text[p])) p++;
                if (p == text.Length && !_eof) return false;
                if (p < text.Length && text[p] != Delimiter && text[p] is not ('\r' or '\n'))
                    throw new InvalidValueException($"CSV line {Line + lines} cannot be parsed: text follows a closing quote (unbalanced quotes?).");
                AddField(true, from, unquotedLength - from);
            }
            else
            {
                var rest = text[p..];
                var stop = rest.IndexOfAny(Delimiter, '\r', '\n');
                if (stop < 0)
                {
                    if (!_eof) return false;
                    stop = rest.Length;
                }
                var length = stop;
                while (length > 0 && IsSpace(rest[length - 1])) length--;
                AddField(false, p, length);
                p += stop;
            }
            if (p == text.Length)
            {
                consumed = p - _start;
                return true;
            }
            var c = text[p++];
            if (c == Delimiter) continue;
            if (c == '\r')
            {
                if (p == text.Length && !_eof) return false;
                if (p < text.Length && text[p] == '\n') p++;
            }
            lines++;
            consumed = p - _start;
            return true;
        }
    }

    private void AppendUnquoted(ReadOnlySpan<char> piece, ref int length)
    {
        if (length + piece.Length > _unquoted.Length) Array.Resize(ref _unquoted, Math.Max(2 * _unquoted.Length, length + piece.Length));
        piece.CopyTo(_unquoted.AsSpan(length));
        length += piece.Length;
    }

    private void AddField(bool unquoted, int start, int length)
    {
        if (FieldCount == _fields.Length) Array.Resize(ref _fields, 2 * _fields.Length);
        _fields[FieldCount++] = (unquoted, start, length);
    }

    /// <summary>Moves the unread text to the front (growing the buffer if it is full) and reads more; false at the end.</summary>
    private bool Fill()
    {
        if (_eof) return false;
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, 2 * _buffer.Length);
        var read = _reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
        return true;
    }

    /// <summary>
    /// The candidate delimiter that splits the header and each of the next lines in the first block into the same
    /// number (> 0) of fields, preferring the most fields, then ',' ';' tab '|'; failing that, the one most frequent in
    /// the header; ',' when none occurs.
    /// </summary>
    private char Detect()
    {
        while (!_eof && _end < BlockSize) Fill();
        var lines = FirstLines(_buffer.AsSpan(0, _end), 11);
        if (lines.Count == 0) return ',';
        var best = ',';
        var bestCount = 0;
        var bestConsistent = false;
        foreach (var c in Candidates)
        {
            var header = Count(lines[0], c);
            var consistent = header > 0;
            for (var k = 1; k < lines.Count && consistent; k++) consistent = Count(lines[k], c) == header;
            if ((consistent && !bestConsistent) || (consistent == bestConsistent && header > bestCount))
                (best, bestCount, bestConsistent) = (c, header, consistent);
        }
        return best;
    }

    /// <summary>Up to <paramref name="max"/> non-blank lines that end inside the block (line breaks in quotes do not end a line).</summary>
    private List<string> FirstLines(ReadOnlySpan<char> block, int max)
    {
        var lines = new List<string>();
        int from = 0, p = 0;
        var quoted = false;
        for (; p < block.Length && lines.Count < max; p++)
        {
            var c = block[p];
            if (c == '"') quoted = !quoted;
            else if (!quoted && c is '\r' or '\n')
            {
                if (!block[from..p].IsWhiteSpace()) lines.Add(block[from..p].ToString());
                from = p + 1;
            }
        }
        if (_eof && lines.Count < max && from < block.Length && !block[from..].IsWhiteSpace()) lines.Add(block[from..].ToString());
        return lines;
    }

    private static int Count(string line, char delimiter)
    {
        var count = 0;
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == delimiter && !quoted) count++;
        }
        return count;
    }
}
