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

    [Fact]
    public void Variance_power_spec_has_a_record_per_method_and_a_tolerance_band_per_panel()
    {
        var model = FactorModel.Fit(Datasets.CaliforniaSmoking());
        var result = new VarianceComparison
        {
            Estimators = [new DifferenceInDifferences(), new SyntheticDifferenceInDifferences()],
            Methods = [new RegressionVariance(), new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods }],
            Designs = [new SimulationDesign { Model = model, Name = "two-way", Heteroskedasticity = Heteroskedasticity.TwoWay, TreatedUnits = 3, TreatedPeriods = 4 }],
            EffectSizes = [0.1, 0.2], Replications = 12, Seed = 2, PowerFromShift = true,
        }.Run();
        var spec = Parse(VegaLite.VariancePower(result));
        var values = spec.GetProperty("data").GetProperty("values").EnumerateArray().ToArray();
        var methods = values.Where(v => v.GetProperty("kind").GetString() == "method").ToArray();
        methods.Select(v => (v.GetProperty("estimator").GetString(), v.GetProperty("method").GetString(), v.GetProperty("size").GetDouble(), v.GetProperty("power").GetDouble()))
            .Should().Equal(result.Rows.Select(r => ((string?)r.Estimator, (string?)r.Method, r.Size, (r.Power[0] + r.Power[1]) / 2)));
        methods.Select(v => v.GetProperty("sizeHigh").GetDouble()).Should().Equal(result.Rows.Select(r => r.SizeByTercile.Max()));
        // The band: nominal ± 2.5 binomial s.e. at 12 replications, clipped at 0.
        var band = values.Where(v => v.GetProperty("kind").GetString() == "band").ToArray();
        band.Should().HaveCount(2);
        band[0].GetProperty("high").GetDouble().Should().BeApproximately(0.05 + 2.5 * Math.Sqrt(0.05 * 0.95 / 12), 1e-15);
        band[0].GetProperty("low").GetDouble().Should().Be(0);
        spec.GetProperty("facet").GetProperty("column").GetProperty("field").GetString().Should().Be("estimator");
    }
}

