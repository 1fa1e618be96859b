namespace CausalPanel;

/// <summary>
/// How a reader (<see cref="PanelData.ReadCsv(string, string, string, string, string?, string?, IReadOnlyList{string}?, PanelReadOptions?)"/>,
/// <see cref="PanelData.FromDataReader"/>, <c>PanelData.FromLong</c>) interprets the file: null for any property means
/// "detect", and what was detected is recorded in <see cref="PanelData.Notes"/>. Give a property when detection is wrong
/// or refuses (e.g. <see cref="AmbiguousPeriodOrderException"/>).
/// </summary>
public sealed record PanelReadOptions
{
    /// <summary>The defaults: detect everything.</summary>
    public static PanelReadOptions Default { get; } = new();

    /// <summary>
    /// The adoption values that mean "never treated" when <see cref="NeverTreatedCodes"/> is null: empty, <c>NA</c>,
    /// <c>NaN</c>, <c>.</c> (Stata), <c>0</c> (R <c>did</c>'s <c>first.treat</c>) and <c>Inf</c>/<c>Infinity</c>
    /// (<c>fect</c>, <c>diff-diff</c>), compared ignoring case; a number equal to one of them (0.0, +∞, NaN) matches too.
    /// </summary>
    public static IReadOnlyList<string> DefaultNeverTreatedCodes { get; } = ["", "NA", "NaN", ".", "0", "Inf", "Infinity"];

    /// <summary>
    /// CSV only: the field delimiter. Null = detect ',', ';', tab or '|' from the header and the first lines (the one
    /// that splits every line into the header's number of fields).
    /// </summary>
    public char? Delimiter { get; init; }

    /// <summary>
    /// The decimal separator of numbers held as text, '.' or ','. Null = '.', or ',' when the CSV is not
    /// comma-separated and its numbers are written with a comma (<c>1,5</c>); a file that mixes both is refused.
    /// Thousands separators are never read.
    /// </summary>
    public char? DecimalSeparator { get; init; }

    /// <summary>
    /// The periods in time order, by label (periods of the panel must all be listed; extra labels are allowed and
    /// place adoption values that fall outside the panel). Sets <see cref="PanelData.PeriodOrdering"/> to
    /// <see cref="PeriodOrdering.Given"/>. At most one of <see cref="PeriodOrder"/>, <see cref="PeriodComparer"/> and
    /// <see cref="PeriodFormat"/>.
    /// </summary>
    public IReadOnlyList<string>? PeriodOrder { get; init; }

    /// <summary>Orders period labels (and places adoption values among them). Two distinct labels must not compare equal.</summary>
    public IComparer<string>? PeriodComparer { get; init; }

    /// <summary>
    /// A .NET date format every period label (and adoption value) follows, e.g. <c>"dd/MM/yyyy"</c>; periods are then
    /// ordered in time (<see cref="PeriodOrdering.Chronological"/>).
    /// </summary>
    public string? PeriodFormat { get; init; }

    /// <summary>
    /// The adoption values that mean "never treated" (null = <see cref="DefaultNeverTreatedCodes"/>). Null values and
    /// database NULLs always do, and so does a period after the panel's last. A code that is also a period of the panel
    /// (e.g. <c>0</c> when periods start at 0) is refused: remove it from this list.
    /// </summary>
    public IReadOnlyList<string>? NeverTreatedCodes { get; init; }

    /// <summary>
    /// <see cref="PanelData.ReadCsv(string, string, string, string, string?, string?, IReadOnlyList{string}?, PanelReadOptions?)"/>
    /// and <see cref="PanelData.FromDataReader"/> only: the column holding each unit's cluster (e.g. the state of a
    /// county), the same on all the unit's rows (else <see cref="InconsistentClusterException"/>). The panel keeps the
    /// map in <see cref="PanelData.Clusters"/>; a variance method clusters only when given it, as
    /// <c>new BootstrapVariance { Cluster = data.ClusterOf }</c>, so no method ignores it silently. Null (default): none.
    /// </summary>
    public string? Cluster { get; init; }

    /// <summary>The options that are set, e.g. <c>PanelReadOptions { Delimiter = ';', DecimalSeparator = ',' }</c>.</summary>
    public override string ToString()
    {
        var set = new List<string>();
        if (Delimiter is { } c) set.Add($"Delimiter = {(c == '\t' ? "'\\t'" : $"'{c}'")}");
        if (DecimalSeparator is { } d) set.Add($"DecimalSeparator = '{d}'");
        if (PeriodOrder is { } order) set.Add($"PeriodOrder = [{CausalPanelException.List(order, 6)}]");
        if (PeriodComparer is { } comparer) set.Add($"PeriodComparer = {comparer.GetType().Name}");
        if (PeriodFormat is { } format) set.Add($"PeriodFormat = \"{format}\"");
        if (Cluster is { } cluster) set.Add($"Cluster = \"{cluster}\"");
        if (NeverTreatedCodes is { } codes) set.Add($"NeverTreatedCodes = [{CausalPanelException.List(codes, codes.Count)}]");
        return set.Count == 0 ? "PanelReadOptions (detect everything)" : $"PanelReadOptions {{ {string.Join(", ", set)} }}";
    }

    /// <summary>Throws when the options contradict each other.</summary>
    internal PanelReadOptions Validated()
    {
        if ((PeriodOrder is null ? 0 : 1) + (PeriodComparer is null ? 0 : 1) + (PeriodFormat is null ? 0 : 1) > 1)
            throw new ArgumentException("Give at most one of PanelReadOptions.PeriodOrder, PeriodComparer and PeriodFormat.", nameof(PeriodOrder));
        if (DecimalSeparator is { } d && d is not ('.' or ','))
            throw new ArgumentException($"PanelReadOptions.DecimalSeparator must be '.' or ',', not '{d}'.", nameof(DecimalSeparator));
        if (Delimiter is { } c && (c is '"' or '\r' or '\n' or ' ' || c == DecimalSeparator))
            throw new ArgumentException($"PanelReadOptions.Delimiter cannot be '{c}' (a quote, a line break, a space or the decimal separator).", nameof(Delimiter));
        if (PeriodOrder is { } order && order.GroupBy(p => p, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"PanelReadOptions.PeriodOrder lists '{twice.Key}' more than once. List each period once.", nameof(PeriodOrder));
        return this;
    }
}
