using System.Text;

namespace CausalPanel;

/// <summary>
/// Text as LaTeX source that pdflatex compiles: the ten characters LaTeX reads as syntax (<c>\ { } $ &amp; # % _ ^ ~</c>)
/// and <c>&lt; &gt; |</c> (which the default OT1 font prints as other glyphs) escaped; Greek letters, math symbols
/// (− × ± ≤ ≥ ∞ …), super- and subscript digits and combining hats (τ̂) set in math; dashes, ellipses and quotes
/// as LaTeX ligatures. Latin letters with accents pass through (LaTeX reads UTF-8); any other character is left
/// as it is, for xelatex or lualatex.
/// </summary>
internal static class LatexText
{
    private static readonly Dictionary<char, string> TextSymbols = new()
    {
        ['\\'] = @"\textbackslash{}", ['{'] = @"\{", ['}'] = @"\}", ['$'] = @"\$", ['&'] = @"\&", ['#'] = @"\#",
        ['%'] = @"\%", ['_'] = @"\_", ['^'] = @"\textasciicircum{}", ['~'] = @"\textasciitilde{}",
        ['<'] = @"\textless{}", ['>'] = @"\textgreater{}", ['|'] = @"\textbar{}",
        ['—'] = "---", ['–'] = "--", ['…'] = @"\ldots{}", ['\u00a0'] = "~", ['“'] = "``", ['”'] = "''", ['‘'] = "`", ['’'] = "'",
        ['°'] = @"\textdegree{}", ['§'] = @"\S{}",
    };

    private static readonly Dictionary<char, string> MathSymbols = new()
    {
        ['−'] = "-", ['×'] = @"\times", ['÷'] = @"\div", ['±'] = @"\pm", ['≤'] = @"\leq", ['≥'] = @"\geq", ['≠'] = @"\neq",
        ['≈'] = @"\approx", ['∞'] = @"\infty", ['·'] = @"\cdot", ['→'] = @"\to", ['←'] = @"\leftarrow", ['∑'] = @"\sum",
        ['√'] = @"\surd", ['‖'] = @"\|", ['∈'] = @"\in", ['∼'] = @"\sim",
        ['⁰'] = "^{0}", ['¹'] = "^{1}", ['²'] = "^{2}", ['³'] = "^{3}", ['⁴'] = "^{4}", ['⁵'] = "^{5}", ['⁶'] = "^{6}",
        ['⁷'] = "^{7}", ['⁸'] = "^{8}", ['⁹'] = "^{9}", ['⁻'] = "^{-}",
        ['₀'] = "_{0}", ['₁'] = "_{1}", ['₂'] = "_{2}", ['₃'] = "_{3}", ['₄'] = "_{4}", ['₅'] = "_{5}", ['₆'] = "_{6}",
        ['₇'] = "_{7}", ['₈'] = "_{8}", ['₉'] = "_{9}",
    };

    private static readonly string[] GreekLower =
    [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi",
        "o", "pi", "rho", "varsigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
    ];

    private static readonly string[] GreekUpper =
    [
        "A", "B", "Gamma", "Delta", "E", "Z", "H", "Theta", "I", "K", "Lambda", "M", "N", "Xi", "O", "Pi", "P", "",
        "Sigma", "T", "Upsilon", "Phi", "X", "Psi", "Omega",
    ];

    private static readonly Dictionary<char, string> Accents = new() { ['\u0302'] = "hat", ['\u0303'] = "tilde", ['\u0304'] = "bar", ['\u0307'] = "dot" };

    /// <summary><paramref name="text"/> as LaTeX text-mode source.</summary>
    public static string Escape(string text)
    {
        var pieces = new List<(bool IsMath, string Source)>();
        var s = text.Normalize(NormalizationForm.FormC);
        for (var k = 0; k < s.Length; k++)
        {
            var c = s[k];
            if (k + 1 < s.Length && Accents.TryGetValue(s[k + 1], out var accent) && (MathSymbol(c) ?? (char.IsAsciiLetterOrDigit(c) ? c.ToString() : null)) is { } accented)
            {
                pieces.Add((true, $@"\{accent}{{{accented}}}"));
                k++;
            }
            else if (MathSymbol(c) is { } math) pieces.Add((true, math));
            else pieces.Add((false, TextSymbols.TryGetValue(c, out var escaped) ? escaped : c.ToString()));
        }
        return Join(pieces);
    }

    /// <summary>Pieces joined, adjacent math pieces in one <c>$…$</c> (two would make <c>$$</c>, display math).</summary>
    private static string Join(List<(bool IsMath, string Source)> pieces)
    {
        var sb = new StringBuilder();
        for (var k = 0; k < pieces.Count; k++)
        {
            if (!pieces[k].IsMath) { sb.Append(pieces[k].Source); continue; }
            sb.Append('$');
            for (; k < pieces.Count && pieces[k].IsMath; k++)
            {
                if (char.IsAsciiLetter(sb[^1]) && char.IsAsciiLetter(pieces[k].Source[0])) sb.Append(' ');
                sb.Append(pieces[k].Source);
            }
            sb.Append('$');
            k--;
        }
        return sb.ToString();
    }

    /// <summary>The math-mode source of a Greek letter or math symbol; null for anything else.</summary>
    private static string? MathSymbol(char c) => c switch
    {
        'ο' => "o",
        >= 'α' and <= 'ω' => @"\" + GreekLower[c - 'α'],
        >= 'Α' and <= 'Ω' when GreekUpper[c - 'Α'] is { Length: > 0 } upper => upper.Length == 1 ? upper : @"\" + upper,
        _ => MathSymbols.TryGetValue(c, out var m) ? m : null,
    };

    /// <summary>
    /// A number or interval in math mode, so that a minus sign is a minus: <c>$-27.35$</c>, <c>$[-61.23,\ 6.53]$</c>
    /// (the space after an interval's comma kept, which math mode would drop).
    /// </summary>
    public static string Number(string text) => "$" + text.Replace(", ", @",\ ", StringComparison.Ordinal) + "$";
}
