using System.Text;

namespace CausalPanel.Tests.Support;

/// <summary>
/// A LaTeX-aware structural check of generated table code, for the fast suite (the Slow suite compiles it with
/// pdflatex): braces balance, every <c>\begin{x}</c> has its <c>\end{x}</c> in order, <c>$</c> math closes, no
/// character that LaTeX reads as syntax (<c>% _ ^ # &amp;</c>) appears unescaped where it would be syntax, every row of
/// a <c>tabular</c> has as many cells (counting <c>\multicolumn</c> spans) as its column specification, and no
/// character outside ASCII and Latin-1/Latin Extended-A letters (which pdflatex's default UTF-8 input reads) remains.
/// </summary>
internal static class LatexStructure
{
    /// <summary>What is wrong with <paramref name="latex"/>; empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(string latex)
    {
        var problems = new List<string>();
        var environments = new Stack<string>();
        var depth = 0;
        var math = false;
        for (var k = 0; k < latex.Length; k++)
        {
            var c = latex[k];
            switch (c)
            {
                case '\\':
                    var name = ControlSequence(latex, k);
                    if (name is "begin" or "end" && Argument(latex, k + 1 + name.Length) is { } env)
                    {
                        if (name == "begin") environments.Push(env);
                        else if (environments.Count == 0 || environments.Pop() != env) problems.Add($"\\end{{{env}}} at {k} closes no matching \\begin");
                    }
                    k += name.Length;
                    break;
                case '{': depth++; break;
                case '}':
                    if (--depth < 0) { problems.Add($"unbalanced '}}' at {k}"); depth = 0; }
                    break;
                case '$': math = !math; break;
                case '%': problems.Add($"unescaped % (a comment) at {k}: …{Around(latex, k)}…"); break;
                case '#': problems.Add($"unescaped # at {k}: …{Around(latex, k)}…"); break;
                case '_' or '^' when !math: problems.Add($"'{c}' outside math at {k}: …{Around(latex, k)}…"); break;
                case '&' when !environments.Contains("tabular"): problems.Add($"'&' outside a tabular at {k}"); break;
                case > '\u007f' when c is < '\u00c0' or > '\u017f' or '\u00d7' or '\u00f7':
                    problems.Add($"character U+{(int)c:X4} '{c}' that pdflatex does not read at {k}: …{Around(latex, k)}…");
                    break;
            }
        }
        if (depth != 0) problems.Add($"{depth} unclosed '{{'");
        if (math) problems.Add("an unclosed $");
        problems.AddRange(environments.Select(e => $"\\begin{{{e}}} without \\end"));
        if (problems.Count == 0) problems.AddRange(TabularProblems(latex));
        return problems;
    }

    /// <summary>The columns that a tabular specification such as <c>l*{3}{r}@{}p{2cm}</c> declares.</summary>
    public static int ColumnCount(string spec)
    {
        var count = 0;
        for (var k = 0; k < spec.Length; k++)
        {
            switch (spec[k])
            {
                case 'l' or 'r' or 'c': count++; break;
                case 'p' or 'm' or 'b': count++; k = SkipGroup(spec, k + 1) - 1; break;
                case '@' or '!' or '>' or '<': k = SkipGroup(spec, k + 1) - 1; break;
                case '*':
                    var times = Argument(spec, k + 1)!;
                    var after = SkipGroup(spec, k + 1);
                    var inner = Argument(spec, after)!;
                    count += int.Parse(times, System.Globalization.CultureInfo.InvariantCulture) * ColumnCount(inner);
                    k = SkipGroup(spec, after) - 1;
                    break;
            }
        }
        return count;
    }

    private static IEnumerable<string> TabularProblems(string latex)
    {
        const string open = "\\begin{tabular}";
        for (var start = latex.IndexOf(open, StringComparison.Ordinal); start >= 0; start = latex.IndexOf(open, start + 1, StringComparison.Ordinal))
        {
            var spec = Argument(latex, start + open.Length)!;
            var columns = ColumnCount(spec);
            var bodyStart = SkipGroup(latex, start + open.Length);
            var bodyEnd = latex.IndexOf("\\end{tabular}", bodyStart, StringComparison.Ordinal);
            foreach (var row in Rows(latex[bodyStart..bodyEnd]))
            {
                var cells = Cells(row);
                var spanned = cells.Sum(cell => cell.TrimStart().StartsWith("\\multicolumn", StringComparison.Ordinal)
                    ? int.Parse(Argument(cell.TrimStart(), "\\multicolumn".Length)!, System.Globalization.CultureInfo.InvariantCulture) : 1);
                if (spanned != columns) yield return $"a row of {spanned} cells in a tabular of {columns} columns ({spec}): {row.Trim()}";
            }
        }
    }

    /// <summary>The rows of a tabular body: split at <c>\\</c>, rules and spacing commands removed, empty rows skipped.</summary>
    private static IEnumerable<string> Rows(string body)
    {
        var rows = new List<string>();
        var current = new StringBuilder();
        for (var k = 0; k < body.Length; k++)
        {
            if (body[k] == '\\' && k + 1 < body.Length && body[k + 1] == '\\') { rows.Add(current.ToString()); current.Clear(); k++; continue; }
            if (body[k] == '\\')
            {
                var name = ControlSequence(body, k);
                if (name is "toprule" or "midrule" or "bottomrule" or "hline" or "addlinespace")
                {
                    k += name.Length;
                    continue;
                }
                if (name is "cmidrule")
                {
                    k += name.Length + 1;
                    if (k < body.Length && body[k] == '(') k = body.IndexOf(')', k) + 1;
                    k = SkipGroup(body, k) - 1;
                    continue;
                }
                current.Append(body, k, name.Length + 1);
                k += name.Length;
                continue;
            }
            current.Append(body[k]);
        }
        if (current.ToString().Trim().Length > 0) rows.Add(current.ToString() + "  % (no closing \\\\)");
        return rows.Where(r => r.Trim().Length > 0);
    }

    /// <summary>The cells of a row: split at unescaped <c>&amp;</c> outside braces.</summary>
    private static List<string> Cells(string row)
    {
        var cells = new List<string>();
        var depth = 0;
        var last = 0;
        for (var k = 0; k < row.Length; k++)
        {
            if (row[k] == '\\') { k++; continue; }
            if (row[k] == '{') depth++;
            else if (row[k] == '}') depth--;
            else if (row[k] == '&' && depth == 0) { cells.Add(row[last..k]); last = k + 1; }
        }
        cells.Add(row[last..]);
        return cells;
    }

    /// <summary>The name after the backslash at <paramref name="at"/>: letters, or the one symbol that follows.</summary>
    private static string ControlSequence(string s, int at)
    {
        var k = at + 1;
        if (k >= s.Length) return "";
        if (!char.IsAsciiLetter(s[k])) return s[k].ToString();
        while (k < s.Length && char.IsAsciiLetter(s[k])) k++;
        return s[(at + 1)..k];
    }

    /// <summary>The content of the brace group starting at <paramref name="at"/> (after spaces), or null.</summary>
    private static string? Argument(string s, int at)
    {
        while (at < s.Length && s[at] == ' ') at++;
        if (at >= s.Length || s[at] != '{') return null;
        var end = SkipGroup(s, at);
        return s[(at + 1)..(end - 1)];
    }

    /// <summary>The index after the brace group starting at <paramref name="at"/> (after spaces).</summary>
    private static int SkipGroup(string s, int at)
    {
        while (at < s.Length && s[at] == ' ') at++;
        if (at >= s.Length || s[at] != '{') return at;
        var depth = 0;
        for (var k = at; k < s.Length; k++)
        {
            if (s[k] == '\\') { k++; continue; }
            if (s[k] == '{') depth++;
            else if (s[k] == '}' && --depth == 0) return k + 1;
        }
        return s.Length;
    }

    private static string Around(string s, int k) => s[Math.Max(0, k - 20)..Math.Min(s.Length, k + 20)].ReplaceLineEndings(" ");
}
