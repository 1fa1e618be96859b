using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Reporting;

/// <summary>The structural LaTeX check that the table tests rely on finds what it is meant to find.</summary>
public class LatexStructureTests
{
    private const string Good = """
        \begin{tabular}{l*{2}{r}}
        \toprule
         & A\textsuperscript{a} & B\_1 \\
        \midrule
        Estimate & $-1.50$ & $[0.1, 2]$ \\
        \multicolumn{3}{l}{\textit{Leads}} \\
        100\% \& \# & 1 & 2 \\
        \bottomrule
        \end{tabular}
        """;

    [Fact]
    public void A_well_formed_booktabs_table_passes() => LatexStructure.Problems(Good).Should().BeEmpty();

    [Theory]
    [InlineData("l*{2}{r}", 3)]
    [InlineData("@{}lp{2cm}rr@{}", 4)]
    [InlineData("|l|c|", 2)]
    public void Column_specifications_are_counted(string spec, int columns) => LatexStructure.ColumnCount(spec).Should().Be(columns);

    [Theory]
    [InlineData("Estimate & $-1.50$ & $[0.1, 2]$ \\\\", "Estimate & $-1.50$ \\\\", "a row of 2 cells")]
    [InlineData("100\\% \\& \\# & 1 & 2", "100% \\& \\# & 1 & 2", "unescaped %")]
    [InlineData("B\\_1", "B_1", "outside math")]
    [InlineData("100\\% \\& \\#", "100\\% \\& #", "unescaped #")]
    [InlineData("\\textit{Leads}", "\\textit{Leads", "unclosed")]
    [InlineData("$-1.50$", "$-1.50", "unclosed $")]
    [InlineData("\\end{tabular}", "\\end{tabularx}", "closes no matching")]
    [InlineData("$-1.50$", "−1.50", "pdflatex does not read")]
    public void Each_kind_of_error_is_found(string part, string broken, string problem) =>
        LatexStructure.Problems(Good.Replace(part, broken, StringComparison.Ordinal)).Should().Contain(p => p.Contains(problem));
}
