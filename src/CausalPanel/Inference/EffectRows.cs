using System.Globalization;
using System.Text;

namespace CausalPanel;

/// <summary>
/// The plain-text tables of the event-study results (<see cref="EventStudyResult"/>, <see cref="CohortPeriodEffects"/>,
/// <see cref="AggregatedEffects"/>): one number of decimals per table, chosen from its standard errors, and aligned columns.
/// </summary>
internal static class EffectRows
{
    /// <summary>
    /// Decimals that show the smallest positive standard error to three significant digits (without standard errors, the
    /// largest effect to four), between 0 and 8.
    /// </summary>
    public static int Decimals(IEnumerable<double> effects, IEnumerable<double> standardErrors)
    {
        var se = standardErrors.Where(s => s > 0 && double.IsFinite(s)).DefaultIfEmpty(double.NaN).Min();
        var magnitude = double.IsNaN(se) ? effects.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max() : se;
        if (!(magnitude > 0)) return 2;
        var digits = double.IsNaN(se) ? 4 : 3;
        return Math.Clamp(digits - 1 - (int)Math.Floor(Math.Log10(magnitude)), 0, 8);
    }

    /// <summary>A number with <paramref name="decimals"/> decimals (invariant culture), "—" for NaN.</summary>
    public static string Number(double x, int decimals) =>
        double.IsNaN(x) ? "—" : x.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>"[lower, upper]" with <paramref name="decimals"/> decimals, "—" when undefined.</summary>
    public static string Interval(double lower, double upper, int decimals) =>
        double.IsNaN(lower) || double.IsNaN(upper) ? "—" : $"[{Number(lower, decimals)}, {Number(upper, decimals)}]";

    /// <summary>Appends the rows under <paramref name="header"/>, each column right-aligned to its widest cell, indented by two spaces.</summary>
    public static void Append(StringBuilder sb, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Count).Select(c => all.Max(r => r[c].Length)).ToArray();
        foreach (var row in all)
            sb.Append("  ").AppendJoin("  ", row.Select((cell, c) => cell.PadLeft(widths[c]))).AppendLine();
    }
}
