using CausalPanel.Tests.Support;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Estimators;

/// <summary>A solver that stops at its iteration cap says so in <see cref="EstimationResult.Warnings"/>, for every estimator.</summary>
public class SolverWarningTests(ITestOutputHelper output)
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();

    public static TheoryData<string> Synthetic() => ["SC", "DIFP", "SDID"];

    private static SyntheticWeightingEstimator Make(string name, SyntheticWeightingOptions? options = null) => name switch
    {
        "SC" => new SyntheticControl(options ?? new()),
        "DIFP" => new SyntheticControlWithIntercept(options ?? new()),
        _ => new SyntheticDifferenceInDifferences(options ?? new()),
    };

    [Theory]
    [MemberData(nameof(Synthetic))]
    public void The_Frank_Wolfe_cap_on_California_is_a_warning(string name)
    {
        // Spec §1.5 (R synthdid on California): the unit-weight stage 2 ends at max.iter = 10,000 for SC, DIFP and SDID;
        // SDID's time weights stop by the min.decrease rule after 5 steps, so only the unit weights are capped.
        var fit = Make(name).Estimate(California);
        output.WriteLine(string.Join("\n", fit.Warnings));

        fit.Cohorts[0].UnitWeightSolver!.Converged.Should().BeFalse();
        fit.Warnings.Should().ContainSingle().Which.Should().Match("*unit weights*cohort adopting in '1989'*MaxIterations = 10000*Solver = WeightSolver.Converged*");
    }

    [Theory]
    [InlineData("DIFP")]
    [InlineData("SDID")]
    public void A_converged_fit_has_no_warning(string name)
    {
        var fit = Make(name, new SyntheticWeightingOptions { Solver = WeightSolver.Converged }).Estimate(California);
        fit.Cohorts[0].UnitWeightSolver!.Converged.Should().BeTrue();
        fit.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void The_converged_solver_at_its_own_cap_is_a_warning_too()
    {
        // SC's unit-weight problem on California has a vanishing ridge (ζ = 1e-6 σ̂) and 38 weights for 19 pre-periods:
        // accelerated projected gradient does not reach its 1e-13 duality-gap certificate within 200,000 steps.
        var fit = Make("SC", new SyntheticWeightingOptions { Solver = WeightSolver.Converged }).Estimate(California);
        fit.Cohorts[0].UnitWeightSolver!.Converged.Should().BeFalse();
        fit.Warnings.Should().ContainSingle().Which.Should().Match("*converged solver*unit weights*'1989'*duality-gap certificate*");
    }

    [Fact]
    public void Each_capped_cohort_of_a_staggered_fit_is_named()
    {
        var data = RandomPanels.Staggered(seed: 4, [-1, -1, -1, -1, -1, -1, 4, 4, 6, -1], periods: 9);
        var fit = new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { MaxIterations = 1, MaxIterationsBeforeSparsify = 1 }).Estimate(data);
        output.WriteLine(string.Join("\n", fit.Warnings));

        // Period labels are "1".."9": adoption at column 4 is period '5', at column 6 period '7'.
        fit.Warnings.Should().Contain(w => w.Contains("cohort adopting in '5'") && w.Contains("unit weights"))
            .And.Contain(w => w.Contains("cohort adopting in '7'") && w.Contains("unit weights"))
            .And.Contain(w => w.Contains("cohort adopting in '5'") && w.Contains("time weights"));
    }

    [Fact]
    public void The_covariate_joint_iteration_at_its_cap_is_a_warning()
    {
        var rng = new Random(3);
        var x = new double[39, 31];
        for (var i = 0; i < 39; i++) for (var s = 0; s < 31; s++) x[i, s] = rng.NextDouble();
        var fit = new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { MaxIterations = 5 }).Estimate(California.WithCovariates(("x", x)));
        fit.Warnings.Should().ContainSingle().Which.Should().Match("*joint*unit weights, time weights and covariate coefficients*MaxIterations = 5*");
    }

    [Fact]
    public void MC_and_both_DWCP_modes_warn_when_a_fit_stops_at_its_cap()
    {
        var mc = new MatrixCompletion(new MatrixCompletionOptions { Lambda = 0.001, MaxIterations = 2, Tolerance = 1e-15 }).Estimate(California);
        mc.Warnings.Should().ContainSingle().Which.Should().Match("*MaxIterations = 2*");

        var perCell = new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.5, LambdaTime = 0.2, LambdaNuclear = 0.05, MaxIterations = 2 }).Estimate(California);
        perCell.Warnings.Should().Contain(w => w.Contains("MaxIterations = 2"));

        var block = new DoublyWeightedCausalPanel(new DwcpOptions { Mode = DwcpMode.Block, LambdaUnit = 0.5, LambdaTime = 0.2, LambdaNuclear = 0.05, MaxIterations = 2 }).Estimate(California);
        block.Diagnostics!.Converged.Should().BeFalse();
        block.Warnings.Should().ContainSingle().Which.Should().Match("*MaxIterations = 2*");

        new DoublyWeightedCausalPanel(new DwcpOptions { Mode = DwcpMode.Block, LambdaUnit = 0.5, LambdaTime = 0.2, LambdaNuclear = 0.05 }).Estimate(California).Warnings.Should().BeEmpty();
    }

    [Fact]
    public void DWCP_tuning_fits_at_the_cap_are_counted_in_a_warning()
    {
        var data = RandomPanels.Staggered(seed: 6, [-1, -1, -1, -1, -1, -1, 5, 5], periods: 7);
        var fit = new DoublyWeightedCausalPanel(new DwcpOptions
        {
            LambdaUnit = 0, LambdaTime = 0, LambdaNuclearGrid = [0.01], MaxIterations = 1, TuningCells = 10,
        }).Estimate(data);
        output.WriteLine(string.Join("\n", fit.Warnings));
        fit.Warnings.Should().Contain(w => w.Contains("tuning") && w.Contains("MaxIterations = 1"));
    }
}
