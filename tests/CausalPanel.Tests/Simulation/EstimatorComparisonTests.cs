using System.Xml.Linq;

namespace CausalPanel.Tests.Simulation;

public class EstimatorComparisonTests
{
    private static readonly FactorModel Model = FactorModel.Fit(Datasets.Cps("log_wage", "min_wage"));

    [Fact]
    public void DiD_on_independent_noise_has_the_closed_form_RMSE()
    {
        // Y = ε, ε iid with variance σ² = ‖Σ‖_F/√T; uniform assignment of 50 units almost always draws
        // more than 10, cut to N1 = 10: Var(τ̂_DiD) = σ²(1/N1 + 1/N0)(1/T1 + 1/T0).
        var design = new SimulationDesign { Model = Model, Name = "noise", Additive = false, Interactive = false, Noise = NoiseModel.Independent, Assignment = AssignmentModel.Uniform };
        var result = new EstimatorComparison { Estimators = [new DifferenceInDifferences()], Designs = [design], Replications = 400, Seed = 11 }.Run();

        int t = Model.PeriodCount;
        var sigma2 = Math.Sqrt(Enumerable.Range(0, t).Sum(s => Enumerable.Range(0, t).Sum(q => Math.Pow(Model.NoiseCovariance(s, q), 2)))) / Math.Sqrt(t);
        var expected = Math.Sqrt(sigma2 * (1 / 10.0 + 1 / 40.0) * (1 / 10.0 + 1 / 30.0));
        var row = result["noise", "DiD"];
        row.Valid.Should().Be(400);
        row.Rmse.Should().BeApproximately(expected, 4 * row.RmseStandardError);
        row.Bias.Should().BeApproximately(0, 4 * expected / Math.Sqrt(400));
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count_and_render_as_text_csv_and_svg()
    {
        var designs = new[]
        {
            new SimulationDesign { Model = Model, Name = "baseline" },
            new SimulationDesign { Model = Model, Name = "no M", Interactive = false },
        };
        IEstimator[] estimators = [new DifferenceInDifferences(), new SyntheticControl(), new SyntheticDifferenceInDifferences(), new SyntheticControl(new SyntheticWeightingOptions { EtaOmega = 1 }).Named("SC ridge")];
        var comparison = new EstimatorComparison { Estimators = estimators, Designs = designs, Replications = 12, Seed = 5, MaxDegreeOfParallelism = 1 };
        var serial = comparison.Run();
        var parallel = (comparison with { MaxDegreeOfParallelism = 2 }).Run();
        parallel.Rows.Select(r => r.Estimates).Should().BeEquivalentTo(serial.Rows.Select(r => r.Estimates), o => o.WithStrictOrdering());

        serial.Rows.Should().HaveCount(8);
        serial.Best("baseline").Should().BeOneOf("DiD", "SC", "SDID", "SC ridge");
        serial.Rows.Where(r => r.Design == "baseline").Min(serial.NormalisedRmse).Should().Be(1);
        serial.ToString().Should().Contain("SC ridge").And.Contain("no M").And.Contain("bias");
        var csv = serial.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        csv[0].Should().Be("design,estimator,replications,valid,failed,rmse,rmse_se,normalised_rmse,bias,coverage,coverage_count");
        csv.Should().HaveCount(9);

        var reloaded = ComparisonResult.ReadCsv(new StringReader(serial.ToCsv()));
        reloaded.Rows.Select(r => (r.Design, r.Estimator, r.Rmse, r.Bias)).Should().Equal(serial.Rows.Select(r => (r.Design, r.Estimator, r.Rmse, r.Bias)));

        var svg = XDocument.Parse(Charts.Comparison(serial, "test chart"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        svg.Root!.Name.Should().Be(ns + "svg");
        svg.Descendants(ns + "rect").Count(r => r.Element(ns + "title") is not null).Should().Be(8);
        svg.Descendants(ns + "text").Select(x => x.Value).Should().Contain(["test chart", "baseline", "no M", "SC ridge"]);
    }

    [Fact]
    public void Coverage_uses_the_variance_method_and_invalid_setups_are_refused()
    {
        var design = new SimulationDesign { Model = Model, Name = "baseline" };
        var result = new EstimatorComparison
        {
            Estimators = [new DifferenceInDifferences()], Designs = [design], Replications = 8, Seed = 2,
            Variance = new JackknifeVariance { MaxDegreeOfParallelism = 1 },
        }.Run();
        result["baseline", "DiD"].Coverage.Should().NotBeNull();
        result["baseline", "DiD"].CoverageCount.Should().Be(8);

        FluentActions.Invoking(() => new EstimatorComparison { Estimators = [new DifferenceInDifferences(), new DifferenceInDifferences()], Designs = [design] }.Run())
            .Should().Throw<ArgumentException>().WithMessage("*\"DiD\"*Named*");
        FluentActions.Invoking(() => new EstimatorComparison { Estimators = [new DifferenceInDifferences()], Designs = [design], Replications = 1 }.Run())
            .Should().Throw<ArgumentOutOfRangeException>();
    }
}
