using System.Globalization;
using System.Net;
using System.Text;

namespace CausalPanel;

/// <summary>
/// Estimates side by side with their standard errors and intervals, one column per estimator — the
/// layout of Arkhangelsky et al. (2021, AER) Table 1 — as text, HTML or CSV.
/// </summary>
[TypeFormatterSource(typeof(NotebookFormatterSource))]
public sealed class EstimateTable
{
    private EstimateTable(IReadOnlyList<EstimationResult> fits, IReadOnlyList<VarianceResult?> variances) =>
        (Fits, Variances) = (fits, variances);

    /// <summary>The fits, in column order.</summary>
    public IReadOnlyList<EstimationResult> Fits { get; }

    /// <summary>The variance result of each fit (null where none was given).</summary>
    public IReadOnlyList<VarianceResult?> Variances { get; }

    /// <summary>A table of <paramref name="fits"/>, with the matching <paramref name="variances"/> (same order) when given.</summary>
    public static EstimateTable Of(IReadOnlyList<EstimationResult> fits, IReadOnlyList<VarianceResult?>? variances = null)
    {
        ArgumentNullException.ThrowIfNull(fits);
        if (fits.Count == 0) throw new ArgumentException("Give at least one fit.", nameof(fits));
        if (variances is not null && variances.Count != fits.Count)
            throw new ArgumentException($"{variances.Count} variance results for {fits.Count} fits; give one per fit (null for none).", nameof(variances));
        return new EstimateTable(fits, variances ?? new VarianceResult?[fits.Count]);
    }

    private IEnumerable<(string Label, string[] Cells)> Rows()
    {
        var inv = CultureInfo.InvariantCulture;
        yield return ("Estimate", Fits.Select(f => f.Att.ToString("G4", inv)).ToArray());
        if (Variances.All(v => v is null)) yield break;
        yield return ("Std. error", Variances.Select(v => v is { IsDefined: true } ? v.StandardError.ToString("G4", inv) : "—").ToArray());
        yield return ("95% CI", Variances.Select(v => v is { IsDefined: true } ? string.Create(inv, $"[{v.ConfidenceInterval.Lower:G4}, {v.ConfidenceInterval.Upper:G4}]") : "—").ToArray());
    }

    private string Footnote()
    {
        var given = Variances.OfType<VarianceResult>().ToArray();
        if (given.Length == Fits.Count && given.All(v => v.IsDefined) && given.Select(v => v.Method).Distinct().Count() == 1)
            return $"{given[0].Method} for every estimator";
        return string.Join("; ", Variances.Select((v, k) => v is null ? null : v.IsDefined ? $"{Fits[k].Estimator}: {v.Method}" : $"{Fits[k].Estimator}: {v.Method} undefined ({v.UndefinedReason})").OfType<string>());
    }

    /// <summary>Fixed-width text.</summary>
    public override string ToString()
    {
        var rows = Rows().ToArray();
        var width = Math.Max(10, Math.Max(Fits.Max(f => f.Estimator.Length), rows.Max(r => r.Cells.Max(c => c.Length))) + 2);
        var sb = new StringBuilder();
        sb.Append(new string(' ', 12));
        foreach (var f in Fits) sb.Append(f.Estimator.PadLeft(width));
        sb.AppendLine();
        foreach (var (label, cells) in rows)
        {
            sb.Append(label.PadRight(12));
            foreach (var c in cells) sb.Append(c.PadLeft(width));
            sb.AppendLine();
        }
        if (Footnote() is { Length: > 0 } note) sb.AppendLine($"Standard errors — {note}.");
        return sb.ToString().TrimEnd();
    }

    /// <summary>An HTML table (for notebooks and reports).</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder("<table class=\"causalpanel-estimates\">\n<thead><tr><th></th>");
        foreach (var f in Fits) sb.Append($"<th>{WebUtility.HtmlEncode(f.Estimator)}</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var (label, cells) in Rows())
        {
            sb.Append($"<tr><th>{label}</th>");
            foreach (var c in cells) sb.Append($"<td style=\"text-align:right\">{WebUtility.HtmlEncode(c)}</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n");
        if (Footnote() is { Length: > 0 } note) sb.Append($"<caption style=\"caption-side:bottom\">Standard errors — {WebUtility.HtmlEncode(note)}.</caption>\n");
        return sb.Append("</table>").ToString();
    }

    /// <summary>CSV, one row per estimator: estimator, att, se, ci_lower, ci_upper, variance_method.</summary>
    public string ToCsv()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("estimator,att,se,ci_lower,ci_upper,variance_method\n");
        for (var k = 0; k < Fits.Count; k++)
        {
            var v = Variances[k];
            var defined = v is { IsDefined: true };
            sb.Append(inv, $"{Fits[k].Estimator},{Fits[k].Att:R},{(defined ? v!.StandardError.ToString("R", inv) : "")},{(defined ? v!.ConfidenceInterval.Lower.ToString("R", inv) : "")},{(defined ? v!.ConfidenceInterval.Upper.ToString("R", inv) : "")},{v?.Method}\n");
        }
        return sb.ToString();
    }
}
