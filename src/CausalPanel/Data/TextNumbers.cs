using System.Globalization;

namespace CausalPanel;

/// <summary>
/// Reads numbers written as text, as a reader meets them: the decimal separator is given, or '.' until a number is
/// written with a decimal comma (<c>1,5</c>, only where ',' is not the field delimiter), and a file that then mixes the
/// two is refused. Empty, NA, NaN and "." are missing (NaN). Thousands separators are never read. A number that cannot
/// be read names its place and says how the text was read, and how to change that.
/// </summary>
internal sealed class TextNumbers
{
    private readonly char? _delimiter;
    private readonly string? _delimiterDescription;
    private readonly bool _given;
    private char? _decimal;
    private (string Field, string Place)? _first;   // the first number written with a decimal separator, when detected

    /// <param name="decimalSeparator">'.' or ',' if given, null to detect.</param>
    /// <param name="delimiter">The CSV delimiter, or null for text that does not come from a CSV.</param>
    /// <param name="delimiterDescription">How the delimiter was found, for messages (e.g. "';'-separated (detected)").</param>
    public TextNumbers(char? decimalSeparator, char? delimiter = null, string? delimiterDescription = null)
    {
        _decimal = decimalSeparator;
        _given = decimalSeparator is not null;
        _delimiter = delimiter;
        _delimiterDescription = delimiterDescription;
    }

    /// <summary>Whether the text is a missing value: empty, NA, NaN, nan or ".".</summary>
    public static bool IsMissing(ReadOnlySpan<char> field) => field is "" or "NA" or "NaN" or "nan" or ".";

    /// <summary>The decimal separator in use ('.' until a decimal comma is met).</summary>
    public char Decimal => _decimal ?? '.';

    /// <summary>How numbers were read, for the panel's notes (e.g. "decimal comma (detected, e.g. '1,5' on CSV line 2)").</summary>
    public string Description => _decimal == ','
        ? _given ? "decimal comma (given)" : $"decimal comma (detected, e.g. '{_first!.Value.Field}' on {_first.Value.Place})"
        : _given ? "decimal point (given)" : "decimal point";

    /// <summary>The number in <paramref name="field"/> (NaN if missing).</summary>
    /// <param name="field">The text, trimmed.</param>
    /// <param name="source">"CSV line" or "Row", for messages.</param>
    /// <param name="where">The line or row number.</param>
    /// <param name="column">The column as messages name it, quoted ('y' in a CSV, "y" in a query).</param>
    /// <exception cref="InvalidValueException">The text is not a number in this file's notation.</exception>
    public double Parse(ReadOnlySpan<char> field, string source, long where, string column)
    {
        if (IsMissing(field)) return double.NaN;
        var comma = field.IndexOf(',');
        var point = field.IndexOf('.');
        if (comma >= 0 && point >= 0)
            throw Unreadable(field, source, where, column, "it has both '.' and ',' (thousands separators are not read); write it without them");
        if (comma >= 0 && _decimal != ',')
        {
            if (_given)
                throw Unreadable(field, source, where, column, "it has a decimal comma but PanelReadOptions.DecimalSeparator is '.'");
            if (_delimiter == ',')
                throw Unreadable(field, source, where, column, "it has a decimal comma in a comma-separated file; if ',' is this file's decimal separator (in quoted fields), set PanelReadOptions { DecimalSeparator = ',' }");
            if (_first is { } first)
                throw Unreadable(field, source, where, column, $"it has a decimal comma but '{first.Field}' on {first.Place} has a decimal point, and a file uses one decimal separator; make them agree");
            _decimal = ',';
            _first = (field.ToString(), $"{source} {where}");
        }
        else if (point >= 0 && _decimal == ',')
        {
            throw Unreadable(field, source, where, column, _given
                ? "it has a decimal point but PanelReadOptions.DecimalSeparator is ','"
                : $"it has a decimal point but '{_first!.Value.Field}' on {_first.Value.Place} has a decimal comma, and a file uses one decimal separator; make them agree");
        }
        else if (point >= 0 && !_given && _first is null)
        {
            _first = (field.ToString(), $"{source} {where}");
        }

        if (comma < 0)
            return double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
                : throw Unreadable(field, source, where, column, null);
        Span<char> copy = field.Length <= 64 ? stackalloc char[field.Length] : new char[field.Length];
        field.CopyTo(copy);
        copy[comma] = '.';
        return double.TryParse(copy, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw Unreadable(field, source, where, column, null);
    }

    private InvalidValueException Unreadable(ReadOnlySpan<char> field, string source, long where, string column, string? why)
    {
        var read = _delimiterDescription is null ? $"Numbers were read with a {Description}" : $"The file was read as {_delimiterDescription}, numbers with a {Description}";
        return new InvalidValueException(
            $"{source} {where}: column {column} holds '{field}', which is not a number{(why is null ? "" : $": {why}")}. {read}; if that is wrong, set " +
            $"PanelReadOptions {{ {(_delimiter is null ? "" : "Delimiter = ..., ")}DecimalSeparator = ... }}. Missing values may be empty, NA, NaN or '.'.");
    }
}
