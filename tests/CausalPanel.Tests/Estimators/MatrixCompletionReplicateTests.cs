using Xunit.Abstractions;

namespace CausalPanel.Tests.Estimators;

/// <summary>
/// MC-NNM variance replicates keep the fit's λ and start from its L̂, û, v̂: checked against MCPanel's own way to fit at a
/// given λ (the warm-started path from λ_max, <c>mcnnm_fit</c>) on the same replicate panels built by hand.
/// </summary>
public class MatrixCompletionReplicateTests(ITestOutputHelper output)
{
    /// <summary>Y = a_i + 0.01 t + Σ_{k&lt;3} A_ik B_tk + noise + W: the last <paramref name="treated"/> units treated over the last <paramref name="post"/> periods.</summary>
    internal static PanelData FactorPanel(int n, int t, int treated, int post, int seed)
    {
        var random = new Random(seed);
        double Uniform() => 2 * random.NextDouble() - 1;
        var b = new double[t, 3];
        for (var s = 0; s < t; s++)
            for (var k = 0; k < 3; k++) b[s, k] = Uniform();
        var y = new double[n, t];
        var w = new bool[n, t];
        for (var i = 0; i < n; i++)
        {
            var (unit, a) = (Uniform(), new[] { Uniform(), Uniform(), Uniform() });
            for (var s = 0; s < t; s++)
            {
                w[i, s] = i >= n - treated && s >= t - post;
                y[i, s] = unit + 0.01 * s + a[0] * b[s, 0] + a[1] * b[s, 1] + a[2] * b[s, 2] + 0.2 * Uniform() + (w[i, s] ? 1 : 0);
            }
        }
        return PanelData.FromMatrices(y, w);
    }

    /// <summary>The unit placebo panel of permutation <paramref name="permutation"/> (indices into the never-treated units), built by hand.</summary>
    private static PanelData PlaceboPanel(PanelData data, IReadOnlyList<int> permutation)
    {
        var controls = data.Pattern.NeverTreatedUnitIndices;
        int n0 = controls.Count, n1 = data.Pattern.TreatedUnitCount, t = data.PeriodCount, adoption = data.Pattern.Cohorts[0].PeriodIndex;
        var y = new double[n0, t];
        var w = new bool[n0, t];
        for (var r = 0; r < n0; r++)
            for (var s = 0; s < t; s++)
            {
                y[r, s] = data.Outcomes[controls[permutation[r]], s];
                w[r, s] = r >= n0 - n1 && s >= adoption;
            }
        return PanelData.FromMatrices(y, w, permutation.Select(k => data.Units[controls[k]]), data.Periods);
    }

    [Fact]
    public void Placebo_replicates_keep_the_chosen_lambda_and_fit_it_by_the_path()
    {
        // A placebo-treated cell was fitted by the original fit, so its L̂ would carry the outcome into the replicate:
        // placebo replicates start from λ_max as MCPanel's mcnnm_fit does, at the fit's λ, and give its numbers exactly.
        var options = new MatrixCompletionOptions { LambdaCount = 10 };
        var data = FactorPanel(40, 12, 4, 3, seed: 1);
        var fit = new MatrixCompletion(options).Estimate(data);
        var replicate = (MatrixCompletion)fit.ForReplicate(data.Pattern.NeverTreatedUnitIndices.Take(32).ToArray(), fixWeights: false);
        replicate.Options.Lambda.Should().Be(fit.Lambda, "replicates keep the cross-validated λ");
        replicate.Options.RetuneLambdaInReplicates.Should().BeFalse();

        var permutations = Enumerable.Range(0, 3).Select(b => Enumerable.Range(0, 36).OrderBy(k => (k * 7 + b * 13) % 36).ToArray()).ToArray();
        var placebo = new UnitPlaceboVariance { Replications = 3, Permutations = (b, _) => permutations[b] }.Estimate(fit);
        var atFixedLambda = new MatrixCompletion(options with { Lambda = fit.Lambda });
        for (var b = 0; b < 3; b++)
            placebo.Replicates[b].Should().Be(atFixedLambda.Estimate(PlaceboPanel(data, permutations[b])).Att);
    }

    /// <summary>The bootstrap replicate of <paramref name="draw"/> (indices into never-treated then treated units), built by hand.</summary>
    private static PanelData BootstrapPanel(PanelData data, int[] draw)
    {
        var order = data.Pattern.NeverTreatedUnitIndices.Concat(data.Pattern.TreatedUnitIndices).ToArray();
        var y = new double[draw.Length, data.PeriodCount];
        var w = new bool[draw.Length, data.PeriodCount];
        for (var r = 0; r < draw.Length; r++)
            for (var s = 0; s < data.PeriodCount; s++) (y[r, s], w[r, s]) = (data.Outcomes[order[draw[r]], s], data.Treatment[order[draw[r]], s]);
        return PanelData.FromMatrices(y, w);
    }

    [Theory]
    [InlineData(1e-5, 1e-3)]      // MCPanel's stopping rule: the two stop apart by what it leaves unresolved, far below the noise (sd 0.115)
    [InlineData(1e-12, 1e-7)]     // stopped near rounding: both reach the one minimiser
    public void Bootstrap_replicates_start_from_the_fit_and_reach_the_paths_answer(double tolerance, double agreement)
    {
        // A replicate's copy "unit#2" starts from the original unit's row.
        // A given λ (the minimiser is unique for λ > 0); replicates start warm from it as from a cross-validated one.
        var options = new MatrixCompletionOptions { LambdaCount = 10, Tolerance = tolerance, MaxIterations = 50000, Lambda = 0.002 };
        var data = FactorPanel(30, 10, 6, 3, seed: 4);
        var fit = new MatrixCompletion(options).Estimate(data);
        var draw = new[] { 0, 0, 1, 2, 2, 2, 3, 5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 22, 23, 24, 25, 25, 27, 28, 29, 29 };
        var bootstrap = new BootstrapVariance { Replications = 2, Draws = (_, _) => draw }.Estimate(fit);
        var path = new MatrixCompletion(options).Estimate(BootstrapPanel(data, draw)).Att;
        output.WriteLine($"λ {fit.Lambda:G4}: warm start {bootstrap.Replicates[0]:R}, path {path:R}, difference {bootstrap.Replicates[0] - path:E2}");
        bootstrap.Replicates[0].Should().NotBe(path, "the replicate started from the fit, not from λ_max");
        bootstrap.Replicates[0].Should().BeApproximately(path, agreement);
    }

    [Fact]
    public void Retuning_in_replicates_runs_the_cross_validation_again()
    {
        var data = FactorPanel(40, 12, 4, 3, seed: 3);
        var estimator = new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 10, RetuneLambdaInReplicates = true });
        var fit = estimator.Estimate(data);
        fit.ForReplicate(null, fixWeights: false).Should().BeSameAs(estimator);
        var replicate = (MatrixCompletionResult)fit.ForReplicate(null, fixWeights: false).Estimate(PlaceboPanel(data, Enumerable.Range(0, 36).Reverse().ToArray()));
        replicate.CrossValidation.Should().HaveCount(10, "the replicate chose its own λ");
    }
}
