using System.Globalization;
using CausalPanel.Tests.Support;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Inference;

/// <summary>synthdid's placebo, jackknife and bootstrap SEs, replaying R's random draws (../shared/reference).</summary>
public class SynthdidVarianceTests(ITestOutputHelper output)
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();

    private static int[][] ReadDraws(string file) =>
        File.ReadLines(Reference.PathOf(file)).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture) - 1).ToArray()).ToArray();

    private static IEstimator Make(string name) => name switch
    {
        "did" => new DifferenceInDifferences(),
        "sc" => new SyntheticControl(),
        "sdid" => new SyntheticDifferenceInDifferences(),
        "difp" => new SyntheticControlWithIntercept(),
        // R's synthdid runs mc_estimate (mcnnm_cv) again on every replicate panel.
        _ => new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 20, RetuneLambdaInReplicates = true }),
    };

    [Theory]
    [InlineData("did", 17.7402669743148)]
    [InlineData("sc", 9.917425548873)]
    [InlineData("sdid", 8.36799308138054)]
    [InlineData("difp", 9.45565983430266)]
    [InlineData("mc_paper", 11.5098643775236)]
    public void California_placebo_SE_replays_R(string name, double expected)
    {
        // california.json estimates.<name>.placebo_se; permutations: california_placebo_permutations.csv.
        var permutations = ReadDraws("california_placebo_permutations.csv");
        var result = new UnitPlaceboVariance { Replications = 200, Permutations = (b, _) => permutations[b] }.Estimate(Make(name), California);
        output.WriteLine($"{name}: {result.StandardError:R} (R {expected:R})");

        result.IsDefined.Should().BeTrue();
        result.StandardError.Should().BeApproximately(expected, 1e-6 * expected);
        result.Replicates.Should().HaveCount(200);
    }

    [Theory]
    [InlineData("did")]
    [InlineData("sc")]
    [InlineData("sdid")]
    [InlineData("difp")]
    public void Cps_jackknife_and_replayed_bootstrap_match_R(string name)
    {
        var data = Reference.CpsMinWageBlock();
        var json = Reference.Json("cps_minwage_block.json");
        var method = json.GetProperty("methods").GetProperty(name);
        var fit = Make(name).Estimate(data);

        var jackknife = fit.WithVariance(new JackknifeVariance());
        jackknife.StandardError.Should().BeApproximately(method.GetProperty("jackknife_se").GetDouble(), 1e-8);

        // R's accepted draws index units_order (controls first); ours orders never-treated then treated units, each
        // in panel order, which is the same list here.
        var unitsOrder = json.GetProperty("units_order").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var ours = data.Pattern.NeverTreatedUnits.Concat(data.Pattern.TreatedUnits).ToArray();
        ours.Should().Equal(unitsOrder);
        var draws = ReadDraws("cps_minwage_bootstrap_draws.csv");
        var bootstrap = fit.WithVariance(new BootstrapVariance { Replications = 200, Draws = (b, _) => draws[b] });
        output.WriteLine($"{name}: jackknife {jackknife.StandardError:R}, bootstrap {bootstrap.StandardError:R}");
        bootstrap.StandardError.Should().BeApproximately(method.GetProperty("bootstrap_se").GetDouble(), 1e-6 * bootstrap.StandardError);
    }

    [Fact]
    public void Stratified_bootstrap_keeps_the_treated_share_and_discards_nothing()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Reference.CpsMinWageBlock());
        var plain = fit.WithVariance(new BootstrapVariance { Replications = 30, Seed = 2 });
        var stratified = fit.WithVariance(new BootstrapVariance { Replications = 30, Seed = 2, Stratified = true });

        stratified.Method.Should().Be("Stratified bootstrap");
        stratified.DiscardedReplications.Should().Be(0);
        stratified.Replicates.Should().HaveCount(30).And.OnlyContain(e => double.IsFinite(e));
        stratified.StandardError.Should().BeGreaterThan(0).And.NotBe(plain.StandardError);
    }

    [Fact]
    public void Seeded_replicates_do_not_depend_on_the_thread_count()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(California);
        var runs = new[] { 1, 2, 8 }.Select(dop => fit.WithVariance(new UnitPlaceboVariance { Exhaustive = false, Replications = 24, Seed = 7, MaxDegreeOfParallelism = dop })).ToList();
        runs[1].Replicates.Should().Equal(runs[0].Replicates);
        runs[2].Replicates.Should().Equal(runs[0].Replicates);
        runs[0].StandardError.Should().Be(runs[2].StandardError);
        fit.WithVariance(new UnitPlaceboVariance { Exhaustive = false, Replications = 24, Seed = 8 }).StandardError.Should().NotBe(runs[0].StandardError);
    }

    [Fact]
    public void Cancellation_stops_the_replicates()
    {
        using var cts = new CancellationTokenSource();
        var progress = new Progress<int>();
        var fit = new SyntheticDifferenceInDifferences().Estimate(California);
        cts.Cancel();
        FluentActions.Invoking(() => fit.WithVariance(new UnitPlaceboVariance { Progress = progress }, cts.Token))
            .Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Methods_undefined_for_the_design_say_why_instead_of_failing()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(California);
        var bootstrap = fit.WithVariance(new BootstrapVariance());
        bootstrap.IsDefined.Should().BeFalse();
        bootstrap.UndefinedReason.Should().Contain("two treated units").And.Contain("UnitPlaceboVariance");
        fit.WithVariance(new JackknifeVariance()).IsDefined.Should().BeFalse();

        var fewControls = new DifferenceInDifferences().Estimate(PatternPanels.Parse("0000 0011 0011 0011"));
        var placebo = fewControls.WithVariance(new UnitPlaceboVariance());
        placebo.IsDefined.Should().BeFalse();
        placebo.UndefinedReason.Should().Contain("N0 = 1, N1 = 3");
        FluentActions.Invoking(() => fewControls.WithVariance(new UnitPlaceboVariance { Replications = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Replications*");
    }

    [Fact]
    public void Normal_interval_and_p_value_follow_from_the_standard_error()
    {
        var permutations = ReadDraws("california_placebo_permutations.csv");
        var result = new UnitPlaceboVariance { Permutations = (b, _) => permutations[b] }.Estimate(new SyntheticDifferenceInDifferences(), California);
        // τ ± z·SE with z = Φ⁻¹(0.975) = 1.959963984540054; the synthdid vignette printed "95% CI (-32.01, 0.80)"
        // using 1.96, which moves the bounds by 3e-4.
        const double z = 1.959963984540054;
        result.ConfidenceInterval.Lower.Should().BeApproximately(result.Estimate - z * result.StandardError, 1e-9).And.BeApproximately(-32.01, 0.01);
        result.ConfidenceInterval.Upper.Should().BeApproximately(result.Estimate + z * result.StandardError, 1e-9).And.BeApproximately(0.80, 0.01);
        result.PValue.Should().BeApproximately(2 * (1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, 15.603827872733866 / 8.36799308138054)), 1e-9);
    }
}
