namespace CausalPanel;

/// <summary>Writing CSV fields (RFC 4180).</summary>
internal static class CsvText
{
    /// <summary>The field as it is, or in double quotes (inner quotes doubled) when it holds a comma, a quote or a line break.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
}
