using CausalPanel.Tests.Support;
using FluentAssertions;
using Xunit;

namespace CausalPanel.Tests.Reliability;

/// <summary>
/// The entries of docs/errors.md that no other test covers, and the check that the catalogue lists every
/// exception type the library defines and names only tests that exist.
/// </summary>
public class ErrorCatalogueTests
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();
    private static readonly PanelData Block = ReliabilityPanels.Block();

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Zero_or_negative_replications_are_refused_by_name(int replications)
    {
        var fit = new DifferenceInDifferences().Estimate(Block);
        IVarianceEstimator[] methods =
        [
            new BootstrapVariance { Replications = replications }, new UnitPlaceboVariance { Replications = replications },
            new MarginalVariance { Replications = replications }, new ConditionalVariance { Replications = replications },
        ];
        foreach (var method in methods)
            FluentActions.Invoking(() => fit.WithVariance(method)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Replications must be at least 2*");
        if (replications >= 0) return;
        FluentActions.Invoking(() => fit.WithVariance(new ConditionalVariance { RescalingDraws = replications }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*RescalingDraws must be null (the default), 0 (the fixed-weight formula) or positive*");
        FluentActions.Invoking(() => fit.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods, SimulationDraws = replications }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*SimulationDraws must be 0 (the fixed-weight formula) or positive*");
    }

    [Fact]
    public void Zero_degrees_of_parallelism_are_refused()
    {
        var fit = new DifferenceInDifferences().Estimate(Block);
        FluentActions.Invoking(() => fit.WithVariance(new JackknifeVariance { MaxDegreeOfParallelism = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*MaxDegreeOfParallelism must be −1 (all cores) or at least 1*");
    }

    [Theory]
    [MemberData(nameof(ReliabilityPanels.EstimatorIndices), MemberType = typeof(ReliabilityPanels))]
    public void A_cancelled_token_stops_every_estimator(int estimator)
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        FluentActions.Invoking(() => ReliabilityPanels.Estimators()[estimator].Estimate(Block, cancelled.Token)).Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Exhaustive_placebo_with_several_treated_units_is_refused()
    {
        var fit = new DifferenceInDifferences().Estimate(Block);
        FluentActions.Invoking(() => fit.WithVariance(new UnitPlaceboVariance { Exhaustive = true }))
            .Should().Throw<ArgumentException>().WithMessage("*needs one treated unit; this panel has 4*Leave Exhaustive unset*");
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(-0.5, 1.5)]
    [InlineData(0.3, 0.3)]
    [InlineData(double.NaN, 1.0)]
    public void Given_unit_weights_must_be_a_point_of_the_simplex(double first, double rest)
    {
        var weights = new double[38];
        weights[0] = first;
        weights[1] = rest;
        FluentActions.Invoking(() => new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { UnitWeights = weights, UpdateUnitWeights = false }).Estimate(California))
            .Should().Throw<ArgumentException>().WithMessage("*UnitWeights*");
    }

    [Fact]
    public void Empty_dwcp_grids_are_refused() =>
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnitGrid = [] }))
            .Should().Throw<ArgumentException>().WithMessage("*grids must not be empty*");

    [Theory]
    [MemberData(nameof(ReliabilityPanels.EstimatorIndices), MemberType = typeof(ReliabilityPanels))]
    public void Constant_outcomes_give_a_zero_effect_not_an_error(int estimator)
    {
        var y = new double[16, 12];
        var w = new bool[16, 12];
        for (var i = 0; i < 16; i++)
            for (var s = 0; s < 12; s++) (y[i, s], w[i, s]) = (4.2, i >= 12 && s >= 8);
        var fit = ReliabilityPanels.Estimators()[estimator].Estimate(PanelData.FromMatrices(y, w));
        fit.Att.Should().BeApproximately(0, 1e-10);
        fit.WithVariance(new UnitPlaceboVariance { Replications = 10, Seed = 1 }).StandardError.Should().BeApproximately(0, 1e-10);
    }

    [Fact]
    public void A_jackknife_with_one_treated_unit_is_undefined_with_the_reason()
    {
        var result = new SyntheticDifferenceInDifferences().Estimate(California).WithVariance(new JackknifeVariance());
        result.IsDefined.Should().BeFalse();
        result.UndefinedReason.Should().Contain("at least two treated units");
        double.IsNaN(result.StandardError).Should().BeTrue("an undefined result carries no number, only the reason");
    }

    [Fact]
    public void The_catalogue_lists_every_exception_type_and_only_existing_tests()
    {
        var catalogue = File.ReadAllText(CataloguePath());
        var types = typeof(CausalPanelException).Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && typeof(CausalPanelException).IsAssignableFrom(t));
        foreach (var type in types) catalogue.Should().Contain($"`{type.Name}`", "every exception the library defines has an entry");

        var tests = typeof(ErrorCatalogueTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods().Select(m => $"{t.Name}.{m.Name}")).ToHashSet();
        var referenced = System.Text.RegularExpressions.Regex.Matches(catalogue, @"`(\w+Tests)\.(\w+)`").Select(m => $"{m.Groups[1].Value}.{m.Groups[2].Value}").ToList();
        referenced.Should().HaveCountGreaterThanOrEqualTo(30);
        referenced.Where(r => !tests.Contains(r)).Should().BeEmpty("every test the catalogue names exists");
        var entries = System.Text.RegularExpressions.Regex.Matches(catalogue, @"^\| E\d\d ", System.Text.RegularExpressions.RegexOptions.Multiline).Count;
        entries.Should().BeGreaterThanOrEqualTo(30);
    }

    private static string CataloguePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CausalPanel.sln"))) return Path.Combine(dir.FullName, "docs", "errors.md");
        throw new FileNotFoundException("docs/errors.md not found above the test binaries.");
    }
}
