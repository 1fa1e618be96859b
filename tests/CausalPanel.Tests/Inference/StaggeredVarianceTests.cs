using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Inference;

/// <summary>Replicate methods on staggered adoption: units carry (bootstrap, jackknife) or take over (placebo) adoption periods.</summary>
public class StaggeredVarianceTests
{
    private static readonly int[] Adoption = [-1, -1, -1, -1, -1, -1, -1, -1, 5, 5, 7];
    private static readonly PanelData Data = RandomPanels.Staggered(7, Adoption, 10);

    /// <summary>The panel of original rows <paramref name="rows"/>, row r treated from <paramref name="adoption"/>[r] (−1 = never).</summary>
    private static PanelData Build(int[] rows, int[] adoption)
    {
        var y = new double[rows.Length, 10];
        var w = new bool[rows.Length, 10];
        for (var r = 0; r < rows.Length; r++)
            for (var s = 0; s < 10; s++)
            {
                y[r, s] = Data.Outcomes[rows[r], s];
                w[r, s] = adoption[r] >= 0 && s >= adoption[r];
            }
        return PanelData.FromMatrices(y, w, rows.Select((i, r) => $"{Data.Units[i]}#{r}"), Data.Periods);
    }

    [Fact]
    public void Unit_placebo_gives_the_treated_adoption_periods_to_the_last_permuted_controls()
    {
        static IReadOnlyList<int> Rotation(int b, int n0) => Enumerable.Range(0, n0).Select(k => (k + b) % n0).ToArray();
        var result = new DifferenceInDifferences().Estimate(Data)
            .WithVariance(new UnitPlaceboVariance { Replications = 8, Permutations = Rotation });

        var expected = Enumerable.Range(0, 8).Select(b =>
        {
            var rows = Rotation(b, 8).ToArray();
            return new DifferenceInDifferences().Estimate(Build(rows, [-1, -1, -1, -1, -1, 5, 5, 7])).Att;
        });
        result.IsDefined.Should().BeTrue();
        result.Replicates.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Bootstrap_draws_keep_each_units_adoption_period()
    {
        int[][] draws = [[0, 0, 2, 3, 5, 7, 7, 8, 9, 9, 10], [1, 2, 2, 4, 4, 6, 8, 8, 8, 10, 10]];
        var result = new DifferenceInDifferences().Estimate(Data)
            .WithVariance(new BootstrapVariance { Replications = 2, Draws = (b, _) => draws[b] });

        var expected = draws.Select(rows => new DifferenceInDifferences().Estimate(Build(rows, rows.Select(i => Adoption[i]).ToArray())).Att);
        result.Replicates.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Jackknife_leaves_out_each_unit_and_is_refused_for_per_cohort_synthetic_weights()
    {
        var result = new DifferenceInDifferences().Estimate(Data).WithVariance(new JackknifeVariance());
        var expected = Enumerable.Range(0, 11).Select(k =>
        {
            var rows = Enumerable.Range(0, 11).Where(i => i != k).ToArray();
            return new DifferenceInDifferences().Estimate(Build(rows, rows.Select(i => Adoption[i]).ToArray())).Att;
        });
        result.Replicates.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-12);

        var sdid = new SyntheticDifferenceInDifferences().Estimate(Data).WithVariance(new JackknifeVariance());
        sdid.IsDefined.Should().BeFalse();
        sdid.UndefinedReason.Should().Contain("cohort").And.Contain("BootstrapVariance");
    }

    [Fact]
    public void Synthetic_replicates_of_a_staggered_fit_refit_from_scratch()
    {
        static IReadOnlyList<int> Rotation(int b, int n0) => Enumerable.Range(0, n0).Select(k => (k + 3 * b) % n0).ToArray();
        var result = new SyntheticDifferenceInDifferences().Estimate(Data)
            .WithVariance(new UnitPlaceboVariance { Replications = 3, Permutations = Rotation });
        var expected = Enumerable.Range(0, 3).Select(b =>
            new SyntheticDifferenceInDifferences().Estimate(Build(Rotation(b, 8).ToArray(), [-1, -1, -1, -1, -1, 5, 5, 7])).Att);
        result.Replicates.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Time_window_methods_explain_that_they_need_one_adoption_period()
    {
        var fit = new DifferenceInDifferences().Estimate(Data);
        foreach (var method in new IVarianceEstimator[] { new TimePlaceboVariance(), new MarginalVariance() })
        {
            var result = fit.WithVariance(method);
            result.IsDefined.Should().BeFalse(method.Name);
            result.UndefinedReason.Should().Contain("2 adoption cohorts").And.Contain("UnitPlaceboVariance");
        }
    }

    [Fact]
    public void Switching_designs_are_refused_naming_the_switching_units()
    {
        var data = PatternPanels.Parse("0000 0000 0000 0110 0011");
        var result = new DifferenceInDifferences().Estimate(data).WithVariance(new UnitPlaceboVariance { Replications = 5 });
        result.IsDefined.Should().BeFalse();
        result.UndefinedReason.Should().Contain("unit3").And.Contain("stay treated");
    }
}
