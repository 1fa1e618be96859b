using System.Globalization;
using System.Text;

namespace CausalPanel;

/// <summary>
/// Estimates side by side, one column per fit — the layout of Arkhangelsky et al. (2021, AER) Table 1 — with their
/// standard errors, two-sided p-values and intervals at the level the variance results carry, and the design of
/// each fit (N, T, N1, T1, treated cells); as text, HTML, Markdown, LaTeX (booktabs) or CSV. Every number of the
/// estimate rows has the same decimals (<see cref="Decimals"/>); one note per distinct variance method (or reason a
/// method is undefined), referenced from the column headings by marks when the columns differ.
/// </summary>
[TypeFormatterSource(typeof(NotebookFormatterSource))]
public sealed class EstimateTable
{
    private EstimateTable(IReadOnlyList<EstimationResult> fits, IReadOnlyList<VarianceResult?> variances, IReadOnlyList<string> names, int decimals) =>
        (Fits, Variances, Names, Decimals) = (fits, variances, names, decimals);

    /// <summary>The fits, in column order.</summary>
    public IReadOnlyList<EstimationResult> Fits { get; }

    /// <summary>The variance result of each fit (null where none was given).</summary>
    public IReadOnlyList<VarianceResult?> Variances { get; }

    /// <summary>The column headings: each fit's <see cref="EstimationResult.Estimator"/> unless other names were given.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// The decimals of every estimate, standard error and interval end: by default enough for the smallest standard
    /// error to show three significant digits (without standard errors, the smallest estimate); see <see cref="WithDecimals"/>.
    /// </summary>
    public int Decimals { get; }

    /// <summary>The level of the intervals (<see cref="VarianceResult.ConfidenceLevel"/>, the same for every column); null without variance results.</summary>
    public double? ConfidenceLevel => Variances.FirstOrDefault(v => v is not null)?.ConfidenceLevel;

    /// <summary>
    /// A table of <paramref name="fits"/>, with the matching <paramref name="variances"/> (same order, null for none)
    /// and column <paramref name="names"/> when given. For 90% intervals give variance results at that level:
    /// <c>fit.WithVariance(method) with { ConfidenceLevel = 0.9 }</c>.
    /// </summary>
    /// <exception cref="ArgumentException">No fit; a list whose length differs from the fits'; a variance result of another
    /// estimate than its column's fit; variance results at different confidence levels (the message names the columns).</exception>
    public static EstimateTable Of(IReadOnlyList<EstimationResult> fits, IReadOnlyList<VarianceResult?>? variances = null, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(fits);
        if (fits.Count == 0) throw new ArgumentException("Give at least one fit.", nameof(fits));
        if (fits.Any(f => f is null)) throw new ArgumentException("A fit is null.", nameof(fits));
        if (variances is not null && variances.Count != fits.Count)
            throw new ArgumentException($"{variances.Count} variance results for {fits.Count} fits; give one per fit (null for none).", nameof(variances));
        if (names is not null && (names.Count != fits.Count || names.Any(n => n is null)))
            throw new ArgumentException($"{names.Count} names for {fits.Count} fits; give one per fit.", nameof(names));
        variances ??= new VarianceResult?[fits.Count];
        names ??= fits.Select(f => f.Estimator).ToArray();

        string Column(int k) => $"column {k + 1} ({names[k]})";
        for (var k = 0; k < fits.Count; k++)
            if (variances[k] is { } v && Math.Abs(v.Estimate - fits[k].Att) > 1e-9 * Math.Max(1, Math.Abs(fits[k].Att)))
                throw new ArgumentException(
                    $"The variance result of {Column(k)} is for an estimate of {SummaryText.Number(v.Estimate)}, but that fit's ATT is {SummaryText.Number(fits[k].Att)}; give each fit's own variance (fit.WithVariance(method)).",
                    nameof(variances));
        var given = Enumerable.Range(0, fits.Count).Where(k => variances[k] is not null).ToArray();
        if (given.Select(k => variances[k]!.ConfidenceLevel).Distinct().Count() > 1)
            throw new ArgumentException(
                $"The intervals would be at different levels: {string.Join(", ", given.Select(k => $"{Column(k)} at {TableNumbers.Percent(variances[k]!.ConfidenceLevel)}"))}. "
                + "Give every variance result the same level, e.g. v with { ConfidenceLevel = 0.9 }.", nameof(variances));

        var decimals = TableNumbers.Decimals(variances.Where(v => v is { IsDefined: true }).Select(v => v!.StandardError), fits.Select(f => f.Att));
        return new EstimateTable(fits.ToArray(), variances.ToArray(), names.ToArray(), decimals);
    }

    /// <summary>The same table with <paramref name="decimals"/> decimals (0 to 10) for the estimate rows.</summary>
    public EstimateTable WithDecimals(int decimals) => new(Fits, Variances, Names, TableNumbers.Checked(decimals, nameof(decimals)));

    /// <summary>Fixed-width text: the estimate rows, the design rows, then the notes.</summary>
    public override string ToString() => Layout().ToText();

    /// <summary>An HTML table (for notebooks and reports), the notes in its caption.</summary>
    public string ToHtml() => Layout().ToHtml("causalpanel-estimates");

    /// <summary>A Markdown (GitHub) pipe table, then the notes.</summary>
    public string ToMarkdown() => Layout().ToMarkdown();

    /// <summary>
    /// A LaTeX booktabs <c>tabular</c> (needs <c>\usepackage{booktabs}</c>), numbers in math, labels escaped, then the
    /// notes in <c>\footnotesize</c>; for <c>\input</c> inside a <c>table</c> environment.
    /// </summary>
    public string ToLatex() => Layout().ToLatex();

    /// <summary>
    /// CSV, one row per column of the table, every number at full precision: estimator, att, se, ci_lower, ci_upper,
    /// variance_method, p_value, ci_level, n, t, n1, t1, treated_cells, interval_method, undefined_reason (empty where
    /// there is no value).
    /// </summary>
    public string ToCsv()
    {
        var inv = CultureInfo.InvariantCulture;
        string R(double x) => x.ToString("R", inv);
        var sb = new StringBuilder("estimator,att,se,ci_lower,ci_upper,variance_method,p_value,ci_level,n,t,n1,t1,treated_cells,interval_method,undefined_reason\n");
        for (var k = 0; k < Fits.Count; k++)
        {
            var (fit, v) = (Fits[k], Variances[k]);
            var defined = v is { IsDefined: true };
            var ci = defined ? v!.ConfidenceInterval : default;
            var design = Design(fit);
            sb.AppendJoin(',',
            [
                CsvText.Quote(Names[k]), R(fit.Att), defined ? R(v!.StandardError) : "", defined ? R(ci.Lower) : "", defined ? R(ci.Upper) : "",
                CsvText.Quote(v?.Method ?? ""), defined ? R(v!.PValue) : "", v is null ? "" : R(v.ConfidenceLevel),
                .. design.Select(n => n.ToString(inv)), defined ? CsvText.Quote(ci.Method) : "", CsvText.Quote(v?.UndefinedReason ?? ""),
            ]).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>N, T, N1 (units with an estimated treated cell), T1 (periods with one) and the treated cells of a fit.</summary>
    private static int[] Design(EstimationResult fit) =>
        [fit.Data.UnitCount, fit.Data.PeriodCount, fit.CellEffects.Select(c => c.UnitIndex).Distinct().Count(), fit.EffectsByPeriod.Count, fit.CellEffects.Count];

    private TableLayout Layout()
    {
        var d = Decimals;
        var (marks, notes) = Footnotes();
        var header = new List<TableCell> { "" };
        header.AddRange(Names.Select((n, k) => new TableCell(n, Mark: marks[k])));

        var lines = new List<TableLine> { Row("Estimate", null, Fits.Select(f => TableNumbers.Fixed(f.Att, d))) };
        if (Variances.Any(v => v is not null))
        {
            var defined = Variances.Select(v => v is { IsDefined: true } ? v : null).ToArray();
            var level = TableNumbers.Percent(ConfidenceLevel!.Value);
            lines.Add(Row("Std. error", @"Std.\ error", defined.Select(v => v is null ? TableCell.Missing : TableNumbers.Fixed(v.StandardError, d))));
            lines.Add(Row("p-value", "$p$-value", defined.Select(v => v is null ? TableCell.Missing : TableNumbers.PValue(v.PValue))));
            lines.Add(Row($"{level} CI", null, defined.Select(v => v is null ? TableCell.Missing : TableNumbers.Interval(v.ConfidenceInterval.Lower, v.ConfidenceInterval.Upper, d))));
        }
        lines.Add(new TableRule());
        var design = Fits.Select(Design).ToArray();
        string[] labels = ["N (units)", "T (periods)", "N1 (treated units)", "T1 (treated periods)", "Treated cells"];
        string?[] latex = ["$N$ (units)", "$T$ (periods)", "$N_1$ (treated units)", "$T_1$ (treated periods)", null];
        for (var r = 0; r < labels.Length; r++)
            lines.Add(Row(labels[r], latex[r], design.Select(x => TableNumbers.Count(x[r]))));
        // The design options, where they can differ: controls only when some unit is treated later than another
        // (so not-yet-treated cells exist), anticipation only when some column sets it.
        if (Fits.Any(f => f.Data.Pattern.Cohorts.Count > 1))
            lines.Add(Row("Controls", null, Fits.Select(f => new TableCell(f.ControlGroup == ControlGroup.NeverTreated ? "never treated" : "not yet treated"))));
        if (Fits.Any(f => f.Anticipation > 0))
            lines.Add(Row("Anticipation (periods)", null, Fits.Select(f => TableNumbers.Count(f.Anticipation))));
        return new TableLayout(header, lines, notes);
    }

    private static TableRow Row(string label, string? latexLabel, IEnumerable<TableCell> cells) =>
        new([new TableCell(label, Latex: latexLabel), .. cells]);

    /// <summary>
    /// One note per distinct variance method (with its interval) or undefined reason, in column order. When every
    /// column has the same one it is a single unmarked note; otherwise each column heading carries its note's mark.
    /// </summary>
    private (string?[] Marks, List<TableNote> Notes) Footnotes()
    {
        var texts = Variances.Select(v => v is null ? null
            : v.IsDefined ? $"{v.Method} standard errors, {v.ConfidenceInterval.Method} intervals"
            : $"{v.Method}: standard error undefined — {v.UndefinedReason?.TrimEnd('.')}").ToArray();
        var distinct = texts.OfType<string>().Distinct().ToList();
        if (distinct.Count == 1 && texts.All(t => t is not null))
            return (new string?[texts.Length], [new TableNote(null, $"{distinct[0]}, in every column.")]);
        static string Mark(int k) => k < 26 ? ((char)('a' + k)).ToString() : (k + 1).ToString(CultureInfo.InvariantCulture);
        return (texts.Select(t => t is null ? null : Mark(distinct.IndexOf(t))).ToArray(),
                distinct.Select((t, k) => new TableNote(Mark(k), t + ".")).ToList());
    }
}
