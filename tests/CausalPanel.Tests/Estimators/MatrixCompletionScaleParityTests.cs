using System.Globalization;
using CausalPanel.Benchmarks;
using CausalPanel.Numerics;
using CausalPanel.Tests.Support;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Estimators;

/// <summary>
/// MC-NNM with <c>mcnnm_cv</c> defaults against R MCPanel on generated block panels (FactorPanels.Block(n, t, n/10, t/5),
/// the benchmarks' seeded generator): λ_max, the λ grid, the chosen λ, the minimum CV RMSE and the ATT. MCPanel's numbers
/// are in TestData/reference/mcpanel_generated.csv, made by mcpanel_generated.sh/.R beside it.
/// </summary>
public class MatrixCompletionScaleParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("100x20")]
    [InlineData("500x50")]
    [InlineData("1000x50")]
    public void Generated_panel_matches_MCPanel_mcnnm_cv(string size) => MatchesMCPanel(size);

    [Fact]
    [Trait("Category", "Slow")]
    public void Generated_5000x100_panel_matches_MCPanel_mcnnm_cv() => MatchesMCPanel("5000x100");

    private void MatchesMCPanel(string size)
    {
        var reference = File.ReadLines(Reference.PathOf("mcpanel_generated.csv")).Skip(1).Select(l => l.Split(',')).Single(f => f[0] == size);
        double R(int column) => double.Parse(reference[column], CultureInfo.InvariantCulture);
        var (n, t) = (int.Parse(size.Split('x')[0], CultureInfo.InvariantCulture), int.Parse(size.Split('x')[1], CultureInfo.InvariantCulture));
        var panel = FactorPanels.Block(n, t, n / 10, t / 5);

        var fit = new MatrixCompletion().Estimate(panel);
        var grid = fit.CrossValidation.Select(p => p.Lambda).ToArray();
        var best = Array.IndexOf(grid, fit.Lambda);
        var lambdaMax = LambdaMaxOfUntreatedCells(panel);
        output.WriteLine(FormattableString.Invariant(
            $"{size}: λ_max {lambdaMax:R} (R {R(1):R}), grid {grid[0]:R} … {grid[^2]:R} (R {R(2):R} … {R(3):R}), λ {fit.Lambda:R} at {best} (R {R(5):R} at {R(4)}), min RMSE {fit.CrossValidation.Min(p => p.Rmse):R} (R {R(6):R}), ATT {fit.Att:R} (R {R(7):R})"));

        Relative(lambdaMax, R(1)).Should().BeLessThan(1e-8, "λ_max on all untreated cells (mcnnm_lam_range)");
        Relative(grid[0], R(2)).Should().BeLessThan(1e-8, "the grid's first λ (the largest fold λ_max)");
        Relative(grid[^2], R(3)).Should().BeLessThan(1e-8, "the grid's smallest nonzero λ");
        best.Should().Be((int)R(4));
        Relative(fit.Lambda, R(5)).Should().BeLessThan(1e-8, "the chosen λ");
        Relative(fit.CrossValidation.Min(p => p.Rmse), R(6)).Should().BeLessThan(1e-8, "the minimum CV RMSE");
        fit.Att.Should().BeApproximately(R(7), 1e-8);
    }

    private static double Relative(double ours, double theirs) => Math.Abs(ours - theirs) / Math.Abs(theirs);

    /// <summary>MCPanel's <c>mcnnm_lam_range</c> on the untreated cells (rows never-treated first, as MatrixCompletion orders them).</summary>
    private static double LambdaMaxOfUntreatedCells(PanelData panel)
    {
        int n = panel.UnitCount, t = panel.PeriodCount;
        var rows = panel.Pattern.NeverTreatedUnitIndices.Concat(panel.Pattern.TreatedUnitIndices).ToArray();
        var m = new double[n * t];
        var mask = new bool[n * t];
        for (var r = 0; r < n; r++)
            for (var s = 0; s < t; s++)
            {
                mask[s * n + r] = !panel.Treatment[rows[r], s];
                m[s * n + r] = mask[s * n + r] ? panel.Outcomes[rows[r], s] : 0;
            }
        var o = new MatrixCompletionOptions();
        var lambdaMax = double.NaN;   // the path's initialisation reports λ_max; an empty path fits nothing else
        NuclearNormCrossValidation.Path(m, null, mask, n, t,
            new NuclearNormCrossValidation.Settings(o.LambdaCount, o.Folds, o.CvRatio, 1000, o.Tolerance, true, true, () => true),
            max => { lambdaMax = max; return []; }, CancellationToken.None);
        return lambdaMax;
    }
}
