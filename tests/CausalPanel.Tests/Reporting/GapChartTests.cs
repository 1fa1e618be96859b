using System.Text.Json;
using System.Xml.Linq;
using static CausalPanel.Tests.Reporting.SvgReading;

namespace CausalPanel.Tests.Reporting;

public class GapChartTests
{
    /// <summary>The Vega-Lite spec's lines: per series name, its values by x position (full precision).</summary>
    internal static Dictionary<string, double[]> SpecLines(string spec) =>
        JsonDocument.Parse(spec).RootElement.GetProperty("layer")[0].GetProperty("data").GetProperty("values").EnumerateArray()
            .GroupBy(v => v.GetProperty("series").GetString()!)
            .ToDictionary(g => g.Key, g => g.OrderBy(v => v.GetProperty("index").GetInt32())
                .Select(v => v.GetProperty("value").ValueKind == JsonValueKind.Null ? double.NaN : v.GetProperty("value").GetDouble()).ToArray());

    /// <summary>Σ_j ω_j Y_jt over the never-treated units, from the fit's weights.</summary>
    private static double[] Synthetic(PanelData data, IReadOnlyList<LabelledWeight> omega) =>
        Enumerable.Range(0, data.PeriodCount).Select(t => omega.Sum(w => w.Weight * data.Outcomes[w.Index, t])).ToArray();

    [Fact]
    public void California_SC_gap_is_California_minus_the_weighted_donors_in_every_period()
    {
        var data = Datasets.CaliforniaSmoking();
        var fit = new SyntheticControl().Estimate(data);
        var california = data.UnitIndex("California");
        var synthetic = Synthetic(data, fit.UnitWeights);
        var expected = Enumerable.Range(0, 31).Select(t => data.Outcomes[california, t] - synthetic[t]).ToArray();

        var gap = SpecLines(VegaLite.Gap(fit)).Single().Value;
        for (var t = 0; t < 31; t++) gap[t].Should().BeApproximately(expected[t], 1e-9);
        gap[19..].Average().Should().BeApproximately(fit.Att, 1e-9);                  // the mean post-treatment gap is τ̂

        var svg = XDocument.Parse(Charts.Gap(fit));
        var drawn = Values(svg, Lines(svg).Single());
        var range = expected.Max() - expected.Min();
        for (var t = 0; t < 31; t++) drawn[t].Should().BeApproximately(expected[t], 0.002 * range);
        Texts(svg).Should().Contain(["treated from 1989", "California − synthetic California", "treatment onset", "period"]);
    }

    [Fact]
    public void California_SDID_gap_is_shifted_by_the_time_weighted_pre_treatment_gap()
    {
        var data = Datasets.CaliforniaSmoking();
        var fit = new SyntheticDifferenceInDifferences().Estimate(data);
        var california = data.UnitIndex("California");
        var synthetic = Synthetic(data, fit.UnitWeights);
        var raw = Enumerable.Range(0, 31).Select(t => data.Outcomes[california, t] - synthetic[t]).ToArray();
        var shift = fit.TimeWeights.Sum(l => l.Weight * raw[l.Index]);                 // Arkhangelsky et al. (2021), Eq. 1.1

        var gap = SpecLines(VegaLite.Gap(fit)).Single().Value;
        for (var t = 0; t < 31; t++) gap[t].Should().BeApproximately(raw[t] - shift, 1e-9);
        gap[19..].Average().Should().BeApproximately(fit.Att, 1e-9);
        fit.TimeWeights.Sum(l => l.Weight * gap[l.Index]).Should().BeApproximately(0, 1e-9);
    }

    [Fact]
    public void Staggered_gaps_by_event_time_average_the_cohorts_weighted_by_their_units()
    {
        var data = Support.RandomPanels.Staggered(8, [.. Enumerable.Repeat(-1, 12), 5, 5, 5, 8, 8], periods: 12);
        var fit = new SyntheticDifferenceInDifferences().Estimate(data);
        var calendar = SpecLines(VegaLite.Gap(fit));
        calendar.Keys.Should().BeEquivalentTo("cohort 6 (3 units): treated − synthetic", "cohort 9 (2 units): treated − synthetic");
        // Each cohort's gap from its onset on averages to its τ̂.
        calendar["cohort 6 (3 units): treated − synthetic"][5..].Average().Should().BeApproximately(fit.Cohorts[0].Att, 1e-9);
        calendar["cohort 9 (2 units): treated − synthetic"][8..].Average().Should().BeApproximately(fit.Cohorts[1].Att, 1e-9);

        var aligned = SpecLines(VegaLite.Gap(fit, byEventTime: true));
        var mean = aligned["mean gap over cohorts, weighted by their unit counts"];
        mean.Should().HaveCount(8 + 7);                                               // event times −8 … 6
        double At(string cohort, int onset, int e) => onset + e is var t && t >= 0 && t < 12 ? calendar[cohort][t] : double.NaN;
        for (var e = -8; e <= 6; e++)
        {
            var a = At("cohort 6 (3 units): treated − synthetic", 5, e);
            var b = At("cohort 9 (2 units): treated − synthetic", 8, e);
            var expected = double.IsNaN(a) ? b : double.IsNaN(b) ? a : (3 * a + 2 * b) / 5;
            mean[e + 8].Should().BeApproximately(expected, 1e-12);
        }
        var svg = XDocument.Parse(Charts.Gap(fit, byEventTime: true));
        Lines(svg).Should().HaveCount(3);
        Texts(svg).Should().Contain(["periods since adoption (event time)", "0", "mean gap over cohorts (unit-weighted)"]);
    }
}
