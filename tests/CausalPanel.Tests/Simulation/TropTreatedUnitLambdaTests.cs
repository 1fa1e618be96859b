using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Simulation;

/// <summary>
/// λ's for TROP Table 1's "treated unit" designs (rows 12 Germany, 15 Basque, 18 Smoking), chosen by the authors' method:
/// placebo-block cross-validation of the block estimator on the real panel under that design — the panel cut to the real
/// treated unit's pre-treatment periods, that unit treated over the last 10 of them; the criterion drops it and
/// placebo-treats one of the other units over those 10 periods (<see cref="DwcpTuning.PlaceboBlock"/>, 100 seeded draws).
/// The paper publishes no λ for these rows. Slow:
/// <c>dotnet test tests/CausalPanel.Tests -c Release --filter "FullyQualifiedName~TropTreatedUnitLambda"</c>.
/// </summary>
public class TropTreatedUnitLambdaTests(ITestOutputHelper output)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The real panel under the treated-unit design: its first T0 periods, the real treated units treated over the last <paramref name="treatedPeriods"/> of them.</summary>
    internal static PanelData UnderTreatedUnitDesign(PanelData data, int treatedPeriods = 10)
    {
        var t0 = data.Pattern.Cohorts[0].PeriodIndex;
        var y = new double[data.UnitCount, t0];
        var w = new bool[data.UnitCount, t0];
        foreach (var i in Enumerable.Range(0, data.UnitCount))
            for (var s = 0; s < t0; s++)
                (y[i, s], w[i, s]) = (data.Outcomes[i, s], data.Pattern.TreatedUnitIndices.Contains(i) && s >= t0 - treatedPeriods);
        return PanelData.FromMatrices(y, w, data.Units, data.Periods.Take(t0), data.OutcomeName);
    }

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("Germany", 1.2, 0.2, 0.011)]
    [InlineData("Basque", 0, 0.35, 0.006)]
    [InlineData("Smoking", 0, 0.4, 0.0212)]
    public void Treated_unit_lambdas_by_placebo_block_cross_validation(string name, double unit, double time, double nuclear)
    {
        var data = name switch
        {
            "Germany" => TropTableReproductionTests.Germany.Value,
            "Basque" => Datasets.Basque(),
            _ => Datasets.CaliforniaSmoking(),
        };
        var panel = UnderTreatedUnitDesign(data);
        var options = new DwcpOptions { Mode = DwcpMode.Block, Standardise = false, Tuning = DwcpTuning.PlaceboBlock, LambdaNuclearRestarts = [0.02, 0.005] };
        var clock = Stopwatch.StartNew();
        var result = (DwcpResult)new DoublyWeightedCausalPanel(options).Estimate(panel);
        var best = result.Tuning.MinBy(p => p.Criterion);
        output.WriteLine(string.Create(Inv, $"{name}/treated unit, {panel.UnitCount} × {panel.PeriodCount}: λ = ({result.LambdaUnit:G4}, {result.LambdaTime:G4}, {result.LambdaNuclear:G4}), placebo RMSE {best.Criterion:G5}, {result.Tuning.Count} triples, {clock.Elapsed.TotalSeconds:F1} s"));
        foreach (var w in result.Warnings) output.WriteLine("warning: " + w);

        // The same criterion at the λ's Table 1 used before (the random design's; Smoking's from the authors' notebook):
        // λ_unit and λ_time given, λ_nuclear searched over that one value (and ∞, always searched).
        var before = (DwcpResult)new DoublyWeightedCausalPanel(options with
        {
            LambdaUnit = unit, LambdaTime = time, LambdaNuclearGrid = [nuclear], MaxGridExtensions = 0, LambdaNuclearRestarts = [],
        }).Estimate(panel);
        var atBefore = before.Tuning.Single(p => p.LambdaNuclear == nuclear).Criterion;
        output.WriteLine(string.Create(Inv, $"placebo RMSE at ({unit}, {time}, {nuclear}): {atBefore:G5}"));
        best.Criterion.Should().BeLessThanOrEqualTo(atBefore, "the search's minimum is no higher than the criterion at any other triple");

        // The panel is the one the simulation design draws from (same periods, same treated unit); the cycles converged.
        var design = SimulationDesign.ForTreatedUnit(data, AssignmentModel.TreatedUnit);
        panel.PeriodCount.Should().Be(design.TargetPeriods);
        panel.Pattern.TreatedUnitIndices.Should().Equal(design.TargetUnits);
        result.Warnings.Should().NotContain(w => w.Contains("MaxTuningCycles"));
    }
}
