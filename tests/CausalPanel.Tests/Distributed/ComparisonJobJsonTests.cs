using System.Text.Json;
using System.Text.Json.Nodes;

namespace CausalPanel.Tests.Distributed;

/// <summary>
/// Comparison jobs as data (issue 22, item 1): an <see cref="EstimatorComparison"/> on designs fitted to the bundled
/// California and CPS panels is written by <see cref="WorkJob.ToJson"/>, rebuilt by <see cref="WorkJob.FromJson"/> with the
/// same hash, and every item computed from the rebuilt job has the local run's bits; a callback cannot travel.
/// </summary>
public class ComparisonJobJsonTests
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();

    private static readonly FactorModel Cps = FactorModel.Fit(Datasets.Cps("log_wage", "min_wage"));

    /// <summary>
    /// Two designs as the samples build them (FactorModel.Fit of a bundled panel), chosen to carry every kind of number a
    /// design holds: California's synthetic-control assignment (its probabilities π) with the fitted two-way
    /// heteroskedasticity (the noise scales), and CPS's model with uniform assignment and independent noise.
    /// </summary>
    private static EstimatorComparison Comparison(IVarianceEstimator? variance = null) => new()
    {
        Estimators =
        [
            new DifferenceInDifferences(),
            new SyntheticControl(new SyntheticWeightingOptions { EtaOmega = 0.5 }).Named("SC ridge"),
            new SyntheticDifferenceInDifferences(),
        ],
        Designs =
        [
            SimulationDesign.ForTreatedUnit(California, AssignmentModel.SyntheticControl) with
                { Name = "California", TreatedPeriods = 5, Heteroskedasticity = Heteroskedasticity.TwoWay, HeteroskedasticityStrength = 1.5 },
            new SimulationDesign { Model = Cps, Name = "CPS", TreatedUnits = 5, TreatedPeriods = 4, Assignment = AssignmentModel.Uniform, Noise = NoiseModel.Independent },
        ],
        Replications = 2,
        Seed = 11,
        Variance = variance,
    };

    private static long? Bits(double? x) => x is { } v ? BitConverter.DoubleToInt64Bits(v) : null;

    [Fact]
    public void A_comparison_of_designs_fitted_to_California_and_CPS_travels_as_json_and_gives_the_local_bits()
    {
        var local = new RecordingExecutor();
        var localResult = (Comparison(new RegressionVariance { On = VarianceTarget.ConditionalOnUnits }) with { Executor = local }).Run();
        var worker = new JsonWorker();
        var remoteResult = (Comparison(new RegressionVariance { On = VarianceTarget.ConditionalOnUnits }) with { Executor = worker }).Run();

        worker.RebuiltHash.Should().Be(worker.SenderHash, "the worker rebuilds the sender's job");
        local.Items.Keys.Should().BeEquivalentTo(Enumerable.Range(0, 4));
        worker.Items.Keys.Should().BeEquivalentTo(Enumerable.Range(0, 4));
        var estimates = 0;
        foreach (var (index, mine) in local.Items)
        {
            var theirs = worker.Items[index];
            theirs.Failure.Should().Be(mine.Failure);
            theirs.Outcomes!.Select(o => (Bits(o.Estimate), o.Covered, o.Failure)).Should().Equal(mine.Outcomes!.Select(o => (Bits(o.Estimate), o.Covered, o.Failure)), $"item {index}");
            estimates += mine.Outcomes!.Count(o => o.Estimate is not null && o.Covered is not null);
        }
        estimates.Should().BeGreaterThan(8, "most estimates and intervals are defined, so bits are compared and not only nulls");
        remoteResult.ToCsv().Should().Be(localResult.ToCsv());

        // Outside check of the data form: the standard JSON parser reads every number of the sent designs back to the fitted bits.
        var sent = JsonDocument.Parse(worker.Sent!).RootElement;
        sent.GetProperty("kind").GetString().Should().Be("comparison");
        var designs = sent.GetProperty("designs");
        foreach (var (design, k) in Comparison().Designs.Select((d, k) => (d, k)))
        {
            var json = designs[k];
            var m = design.Model;
            var model = json.GetProperty("model");
            double[][] Rows(string name) => model.GetProperty(name).Deserialize<double[][]>()!;
            double[] Values(JsonElement e) => e.Deserialize<double[]>()!;
            var (additive, interactive, covariance, unitScales, periodScales) =
                (Rows("additive"), Rows("interactive"), Rows("noiseCovariance"), Rows("unitScales"), Rows("periodScales"));
            var numbers = new List<(double Sent, double Fitted)>();
            for (var i = 0; i < m.UnitCount; i++)
                for (var t = 0; t < m.PeriodCount; t++)
                {
                    numbers.Add((additive[i][t], m.Additive(i, t)));
                    numbers.Add((interactive[i][t], m.Interactive(i, t)));
                    // σ_it = a_i·b_t: the sent scales multiply to the model's (b ≡ 1 for Units, a ≡ 1 for Periods).
                    foreach (var h in Enum.GetValues<Heteroskedasticity>())
                        numbers.Add((unitScales[(int)h][i] * periodScales[(int)h][t], m.NoiseScale(h, i, t)));
                }
            for (var s = 0; s < m.PeriodCount; s++)
                for (var t = 0; t < m.PeriodCount; t++) numbers.Add((covariance[s][t], m.NoiseCovariance(s, t)));
            numbers.AddRange(Values(model.GetProperty("assignmentProbabilities")).Zip(m.AssignmentProbabilities));
            if (design.TreatmentProbabilities is { } pi) numbers.AddRange(Values(json.GetProperty("treatmentProbabilities")).Zip(pi));
            numbers.Add((json.GetProperty("heteroskedasticityStrength").GetDouble(), design.HeteroskedasticityStrength));
            numbers.Select(n => BitConverter.DoubleToInt64Bits(n.Sent)).Should().Equal(numbers.Select(n => BitConverter.DoubleToInt64Bits(n.Fitted)), $"design {design.Name}");
        }
        Comparison().Designs[0].TreatmentProbabilities!.Count(p => p > 0).Should().BeGreaterThan(1, "California's design carries its SC probabilities");
    }

    [Fact]
    public void A_changed_number_in_a_sent_design_is_refused_by_the_worker()
    {
        var worker = new JsonWorker();
        (Comparison() with { Executor = worker }).Run();
        var tampered = JsonNode.Parse(worker.Sent!)!;
        var cell = tampered["designs"]![1]!["model"]!["interactive"]![3]![2]!;
        cell.ReplaceWith(Math.BitIncrement(cell.GetValue<double>()));   // one ulp: the hash of the design's data sees it
        var rebuild = () => WorkJob.FromJson(tampered.ToJsonString());
        rebuild.Should().Throw<WorkJobMismatchException>().WithMessage("*differs from the sender's*");
    }

    [Fact]
    public void A_checkpoint_of_options_that_print_alike_but_differ_in_the_seventh_digit_is_refused()
    {
        var checkpoint = Path.Combine(Directory.CreateTempSubdirectory("causalpanel-options-").FullName, "ridge.jsonl");
        EstimatorComparison Ridge(double eta) => Comparison() with
        {
            Estimators = [new SyntheticControl(new SyntheticWeightingOptions { EtaOmega = eta })], Replications = 2, Checkpoint = checkpoint,
        };
        new SyntheticWeightingOptions { EtaOmega = 0.5 }.ToString().Should().Be(new SyntheticWeightingOptions { EtaOmega = 0.5000001 }.ToString(), "the text rounds to six digits");
        Ridge(0.5).Run();
        var other = () => Ridge(0.5000001).Run();
        other.Should().Throw<WorkJobMismatchException>().WithMessage("*ridge.jsonl*another job*");
    }

    /// <summary>An estimator of the user's own with an options record: described well enough for a checkpoint, but no worker can rebuild it.</summary>
    private sealed class OwnDiD : IEstimator
    {
        public DifferenceInDifferencesOptions Options { get; } = new();

        public string Name => "own DiD";

        public EstimationResult Estimate(PanelData data, CancellationToken ct = default) => new DifferenceInDifferences(Options).Estimate(data, ct);
    }

    [Fact]
    public void A_comparison_holding_a_callback_cannot_travel_and_names_it()
    {
        var own = () => (Comparison() with { Estimators = [new OwnDiD()], Replications = 2, Executor = new JsonWorker() }).Run();
        own.Should().Throw<WorkNotPortableException>().WithMessage("*cannot rebuild the estimator 'own DiD' (OwnDiD)*");

        var draws = new BootstrapVariance { Replications = 4, Draws = (b, n) => Enumerable.Range(0, n).ToArray() };
        var clustered = new BootstrapVariance { Replications = 4, Cluster = unit => unit[..1] };
        foreach (var (variance, callback) in new[] { (draws, "Draws"), (clustered, "Cluster") })
        {
            var sent = () => (Comparison(variance) with { Replications = 2, Executor = new JsonWorker() }).Run();
            sent.Should().Throw<WorkNotPortableException>().WithMessage($"*Bootstrap* has a callback as its {callback}*");
            var checkpointed = () => (Comparison(variance) with { Replications = 2, Checkpoint = Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}.jsonl") }).Run();
            checkpointed.Should().Throw<WorkNotPortableException>().WithMessage($"*{callback}*");
        }
    }
}
