using System.Text.Json;

namespace CausalPanel.Tests.Reporting;

public class VegaLiteTests
{
    private static JsonElement Parse(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        root.GetProperty("$schema").GetString().Should().Be("https://vega.github.io/schema/vega-lite/v5.json");
        return root;
    }

    private static int Values(JsonElement layerOrSpec) => layerOrSpec.GetProperty("data").GetProperty("values").GetArrayLength();

    [Fact]
    public void Specs_carry_their_data_inline()
    {
        var data = Datasets.CaliforniaSmoking();
        var fit = new SyntheticDifferenceInDifferences().Estimate(data);

        var trajectory = Parse(VegaLite.Trajectory(fit));
        Values(trajectory.GetProperty("layer")[0]).Should().Be(2 * 31);
        var onset = trajectory.GetProperty("layer")[1].GetProperty("data").GetProperty("values")[0];
        onset.GetProperty("period").GetString().Should().Be("treated from 1989");
        onset.GetProperty("position").GetDouble().Should().Be(data.PeriodIndex("1989") - 0.5);   // between 1988 and 1989

        var placebo = fit.WithVariance(new UnitPlaceboVariance());
        Values(Parse(VegaLite.Placebo(placebo)).GetProperty("layer")[0]).Should().Be(38);

        var effects = Parse(VegaLite.Effects(fit, placebo));
        Values(effects).Should().Be(12);
        var first = effects.GetProperty("data").GetProperty("values")[0];
        (first.GetProperty("upper").GetDouble() - first.GetProperty("effect").GetDouble()).Should().BeApproximately(1.959963984540054 * placebo.EventTimeStandardErrors[0], 1e-9);

        var pattern = Parse(VegaLite.Pattern(data));
        Values(pattern).Should().Be(39 * 31);
        pattern.GetProperty("data").GetProperty("values").EnumerateArray().Count(v => v.GetProperty("cell").GetString() == "treated").Should().Be(12);

        var weights = Parse(VegaLite.Weights(fit)).GetProperty("vconcat");
        Values(weights[0]).Should().Be(fit.UnitWeights.Count(w => w.Weight > 0));
        Values(weights[1]).Should().Be(19);
        var nevada = weights[0].GetProperty("data").GetProperty("values").EnumerateArray().Single(v => v.GetProperty("label").GetString() == "Nevada");
        nevada.GetProperty("weight").GetDouble().Should().Be(fit.UnitWeights.Single(w => w.Label == "Nevada").Weight);
    }

    [Fact]
    public void Comparison_spec_has_one_record_per_row()
    {
        var model = FactorModel.Fit(Datasets.Cps("log_wage", "min_wage"));
        var result = new EstimatorComparison
        {
            Estimators = [new DifferenceInDifferences(), new SyntheticControl()],
            Designs = [new SimulationDesign { Model = model, Name = "a" }],
            Replications = 3, Seed = 1,
        }.Run();
        var spec = Parse(VegaLite.Comparison(result));
        Values(spec).Should().Be(2);
        spec.GetProperty("data").GetProperty("values").EnumerateArray().Min(v => v.GetProperty("relativeRmse").GetDouble()).Should().Be(1);
    }
}
