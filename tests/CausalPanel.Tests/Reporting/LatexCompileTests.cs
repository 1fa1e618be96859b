using System.Diagnostics;

namespace CausalPanel.Tests.Reporting;

/// <summary>
/// The LaTeX tables compile: pdflatex (Debian: <c>apt-get install texlive-latex-base texlive-latex-recommended</c>, the
/// second for booktabs) on a minimal document that <c>\input</c>s them in <c>table</c> floats, with lost characters
/// made errors. Slow (a TeX run per test) and skipped, saying what to install, where pdflatex is not on the PATH;
/// the fast suite checks the same output's structure (<see cref="Support.LatexStructure"/>).
/// </summary>
public class LatexCompileTests
{
    [PdflatexFact]
    [Trait("Category", "Slow")]
    public void Estimate_and_event_study_tables_compile_with_pdflatex_and_show_90_percent()
    {
        var data = Datasets.CaliforniaSmoking();
        var fits = new IEstimator[] { new DifferenceInDifferences(), new SyntheticControl(), new SyntheticDifferenceInDifferences() }.Select(e => e.Estimate(data)).ToArray();
        var variances = new VarianceResult?[]
        {
            fits[0].WithVariance(new UnitPlaceboVariance()) with { ConfidenceLevel = 0.9 },
            fits[1].WithVariance(new BootstrapVariance()) with { ConfidenceLevel = 0.9 },   // undefined: its reason becomes a note
            fits[2].WithVariance(new MarginalVariance { Replications = 20, Seed = 1 }) with { ConfidenceLevel = 0.9 },   // "Unit×time placebo"
        };
        var table = EstimateTable.Of(fits, variances, ["DiD_2 100% & #1 $x$", "SC {λ} ≥ 0", @"τ̂ \ SDID ~^ <|>"]);
        var study = EventStudyTable.Of(new EventStudyResult
        {
            Fit = fits[2], Method = "Unit×time placebo", Level = 0.9,
            Points = [new(-1, 0.5, 1.2, -1.5, 2.5, -2.9, 3.9, 1), new(0, -15.6, 9.1, -30.6, -0.6, -36.2, 5.0, 1)],
            PreTrendTest = new PreTrendTest("Joint Wald test that all 1 leads are 0", 0.17, 1, 0.68, "no evidence against parallel pre-trends (χ² p = 0.68)"),
        });

        var latex = table.ToLatex();
        latex.Should().Contain(@"90\% CI").And.NotContain("95");
        var log = Compile(latex, study.ToLatex());
        log.Should().NotContain("Missing character").And.NotContain("! ");
    }

    /// <summary>Runs pdflatex on a document holding each table in a float; returns its log (the test fails on a non-zero exit).</summary>
    private static string Compile(params string[] tables)
    {
        var work = Directory.CreateTempSubdirectory("causalpanel-latex-");
        try
        {
            for (var k = 0; k < tables.Length; k++) File.WriteAllText(Path.Combine(work.FullName, $"table{k}.tex"), tables[k]);
            File.WriteAllText(Path.Combine(work.FullName, "doc.tex"), $$"""
                \documentclass{article}
                \usepackage{booktabs}
                \tracinglostchars=3
                \begin{document}
                {{string.Concat(tables.Select((_, k) => $"\\begin{{table}}[h]\\centering\n\\input{{table{k}.tex}}\n\\end{{table}}\n"))}}
                \end{document}
                """);
            var run = Process.Start(new ProcessStartInfo("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "doc.tex"])
            {
                WorkingDirectory = work.FullName, RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var output = run.StandardOutput.ReadToEnd() + run.StandardError.ReadToEnd();
            run.WaitForExit();
            run.ExitCode.Should().Be(0, output);
            File.Exists(Path.Combine(work.FullName, "doc.pdf")).Should().BeTrue();
            return File.ReadAllText(Path.Combine(work.FullName, "doc.log"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}

/// <summary>A fact that needs pdflatex on the PATH: skipped, saying what to install, when it is absent.</summary>
public sealed class PdflatexFactAttribute : FactAttribute
{
    public PdflatexFactAttribute()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "pdflatex")));
        if (!found) Skip = "Needs pdflatex on the PATH (Debian: apt-get install texlive-latex-base texlive-latex-recommended).";
    }
}
