using System.Globalization;
using System.Xml.Linq;
using static CausalPanel.Tests.Reporting.SvgReading;

namespace CausalPanel.Tests.Reporting;

public class PlaceboGapChartTests
{
    [Fact]
    public void California_spaghetti_has_one_path_per_donor_state_matching_the_unit_placebo_replicates()
    {
        var data = Datasets.CaliforniaSmoking();
        var fit = new SyntheticControl().Estimate(data);
        var lines = GapChartTests.SpecLines(VegaLite.PlaceboGaps(fit));
        lines.Should().HaveCount(38 + 1);
        var placebos = lines.Where(l => !l.Key.StartsWith("California", StringComparison.Ordinal)).ToDictionary(l => l.Key.Split(':')[0], l => l.Value);
        placebos.Keys.Should().BeEquivalentTo(data.Pattern.NeverTreatedUnits);
        // Each placebo's mean gap from 1989 on is the exhaustive unit placebo's replicate for that state (the same
        // re-estimation, ADH 2010 §4; Arkhangelsky et al. 2021, Algorithm 4).
        var variance = fit.WithVariance(new UnitPlaceboVariance());
        for (var b = 0; b < variance.Replicates.Count; b++)
            placebos[variance.ReplicateLabels[b]][19..].Average().Should().BeApproximately(variance.Replicates[b], 1e-9);

        // The post/pre MSPE ratio test of the subtitle, recomputed from the paths.
        static double Ratio(double[] g) => g[19..].Average(v => v * v) / g[..19].Average(v => v * v);
        var treated = Ratio(lines.Single(l => l.Key.StartsWith("California", StringComparison.Ordinal)).Value);
        var larger = placebos.Values.Count(g => Ratio(g) >= treated);
        var svg = XDocument.Parse(Charts.PlaceboGaps(fit));
        var rank = string.Create(CultureInfo.InvariantCulture, $"rank {larger + 1} of 39");
        string.Join(" ", Texts(svg)).Should().Contain(rank);   // the subtitle may wrap anywhere
        Lines(svg).Count(l => l.Attribute("stroke")!.Value == "#BBBBBB").Should().Be(38);
        Lines(svg, "California").Should().ContainSingle().Which.Attribute("stroke-width")!.Value.Should().Be("2.5");
    }

    [Fact]
    public void The_MSPE_screen_drops_exactly_the_placebos_fitted_worse_than_the_cut_off_before_treatment()
    {
        var data = Datasets.CaliforniaSmoking();
        var fit = new SyntheticControl().Estimate(data);
        var all = GapChartTests.SpecLines(VegaLite.PlaceboGaps(fit));
        static double PreMspe(double[] g) => g[..19].Average(v => v * v);
        var treated = PreMspe(all.Single(l => l.Key.StartsWith("California", StringComparison.Ordinal)).Value);
        var kept = all.Where(l => !l.Key.StartsWith("California", StringComparison.Ordinal) && PreMspe(l.Value) <= 5 * treated).Select(l => l.Key.Split(':')[0]).ToArray();
        kept.Length.Should().BeInRange(1, 37);                                            // the screen does something here

        var svg = XDocument.Parse(Charts.PlaceboGaps(fit, maxPreMspeRatio: 5));
        var drawn = Lines(svg).Where(l => l.Attribute("stroke")!.Value == "#BBBBBB").Select(l => l.Element(Ns + "title")!.Value.Split(':')[0]);
        drawn.Should().BeEquivalentTo(kept);
        var shown = $"{kept.Length} of 38 shown";
        string.Join(" ", Texts(svg)).Should().Contain(shown);
        FluentActions.Invoking(() => Charts.PlaceboGaps(fit, maxPreMspeRatio: 0.5)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*≥ 1*");
        FluentActions.Invoking(() => Charts.PlaceboGaps(fit, cohort: 1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*1 cohort*");
    }
}
