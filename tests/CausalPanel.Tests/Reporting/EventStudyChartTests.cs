using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using static CausalPanel.Tests.Reporting.SvgReading;

namespace CausalPanel.Tests.Reporting;

public class EventStudyChartTests
{
    /// <summary>
    /// An event study built by hand (the computation is tested where it is made): the lags of a DiD fit on a staggered
    /// panel, four made-up leads, made-up standard errors, 90% pointwise intervals and a wider band.
    /// </summary>
    private static EventStudyResult Study(bool withTest = true)
    {
        var fit = new DifferenceInDifferences().Estimate(Support.RandomPanels.Staggered(4, [.. Enumerable.Repeat(-1, 10), 6, 6, 9, 9], periods: 14));
        const double z = 1.6448536269514722, band = 2.5;
        var points = Enumerable.Range(-4, 4).Select(e => (E: e, Effect: 0.05 * e, Cells: 4))
            .Concat(fit.EffectsByEventTime.Select(e => (E: e.EventTime, e.Effect, Cells: e.TreatedCells)))
            .Select(p =>
            {
                var se = 0.2 + 0.01 * p.E;
                return new EventStudyPoint(p.E, p.Effect, se, p.Effect - z * se, p.Effect + z * se, p.Effect - band * se, p.Effect + band * se, p.Cells);
            }).ToArray();
        return new EventStudyResult
        {
            Fit = fit, Method = "Bootstrap", Level = 0.9, Points = points,
            PreTrendTest = withTest ? new PreTrendTest("Joint Wald test that all 4 leads are 0", 2.1, 4, 0.717, "no evidence against parallel pre-trends") : null,
        };
    }

    [Fact]
    public void Every_event_time_has_its_point_and_pointwise_bar_over_the_uniform_ribbon()
    {
        var study = Study();
        var svg = XDocument.Parse(Charts.EventStudy(study));
        var value = ValueAxis(svg);
        var circles = svg.Descendants(Ns + "circle").Where(c => c.Element(Ns + "title") is not null).ToArray();
        circles.Should().HaveCount(study.Points.Count);
        var bars = svg.Descendants(Ns + "path").Where(p => p.Attribute("class")?.Value == "pointwise").ToArray();
        bars.Should().HaveCount(study.Points.Count);
        for (var k = 0; k < study.Points.Count; k++)
        {
            var p = study.Points[k];
            var scale = 0.003 * (study.Points.Max(q => q.UniformUpper) - study.Points.Min(q => q.UniformLower));
            value(Number(circles[k], "cy")).Should().BeApproximately(p.Effect, scale);
            // "M x−4,y0 H x+4 M x,y0 V y1 M x−4,y1 H x+4": the bar runs from the lower to the upper end.
            var d = bars[k].Attribute("d")!.Value.Split('M', 'H', 'V', ',').Where(s => s.Length > 0).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            value(d[1]).Should().BeApproximately(p.Lower, scale);
            value(d[5]).Should().BeApproximately(p.Upper, scale);
            circles[k].Attribute("fill")!.Value.Should().Be(p.IsLead ? "#D55E00" : "#0072B2");
        }
        // The band: one ribbon for the leads, one for the lags, each enclosing its points' uniform ends.
        var ribbons = svg.Descendants(Ns + "polygon").Where(p => p.Attribute("class")?.Value == "uniform-band").ToArray();
        ribbons.Should().HaveCount(2);
        var leadRibbon = ribbons[0].Attribute("points")!.Value.Split(' ').Select(v => value(double.Parse(v.Split(',')[1], CultureInfo.InvariantCulture))).ToArray();
        leadRibbon.Max().Should().BeApproximately(study.Leads.Max(p => p.UniformUpper), 0.01);
        leadRibbon.Min().Should().BeApproximately(study.Leads.Min(p => p.UniformLower), 0.01);
        // The onset rule lies halfway between event times −1 and 0.
        var x = circles.Select(c => Number(c, "cx")).ToArray();
        var rule = svg.Descendants(Ns + "line").Single(l => l.Attribute("stroke-dasharray")?.Value == "2 3" && Number(l, "y2") - Number(l, "y1") > 100);
        Number(rule, "x1").Should().BeApproximately((x[3] + x[4]) / 2, 0.1);
    }

    [Fact]
    public void The_legend_states_the_level_and_the_subtitle_the_pre_trend_verdict()
    {
        var text = string.Join(" ", Texts(XDocument.Parse(Charts.EventStudy(Study()))));
        text.Should().Contain("90% pointwise interval").And.Contain("90% uniform band (sup-t)").And.Contain("no evidence against parallel pre-trends")
            .And.Contain("p = 0.717").And.Contain("effect on outcome").And.Contain("periods since adoption (event time)").And.NotContain("95%");
        string.Join(" ", Texts(XDocument.Parse(Charts.EventStudy(Study() with { Points = Study().Lags, PreTrendTest = null }))))
            .Should().Contain("No leads, so no pre-trend test.");
    }

    [Fact]
    public void Points_without_standard_errors_are_drawn_without_bars_or_band()
    {
        var study = Study();
        var bare = study with { Points = study.Points.Select(p => p with { StandardError = double.NaN, Lower = double.NaN, Upper = double.NaN, UniformLower = double.NaN, UniformUpper = double.NaN }).ToArray() };
        var svg = XDocument.Parse(Charts.EventStudy(bare));
        svg.Descendants(Ns + "circle").Count(c => c.Element(Ns + "title") is not null).Should().Be(study.Points.Count);
        svg.Descendants(Ns + "polygon").Should().BeEmpty();
        svg.Descendants(Ns + "path").Should().BeEmpty();
        Texts(svg).Should().NotContain(t => t.Contains("uniform band"));
    }

    [Fact]
    public void The_Vega_Lite_event_study_carries_every_point_and_names_the_level()
    {
        var study = Study();
        var spec = JsonDocument.Parse(VegaLite.EventStudy(study)).RootElement;
        var values = spec.GetProperty("data").GetProperty("values").EnumerateArray().ToArray();
        values.Select(v => v.GetProperty("eventTime").GetInt32()).Should().Equal(study.Points.Select(p => p.EventTime));
        values.Select(v => v.GetProperty("uniformUpper").GetDouble()).Should().Equal(study.Points.Select(p => p.UniformUpper));
        spec.GetProperty("layer").GetArrayLength().Should().Be(5);
        spec.GetProperty("title").GetProperty("subtitle").EnumerateArray().Select(s => s.GetString()).Should().Contain(s => s!.Contains("no evidence"));
        VegaLite.EventStudy(study).Should().Contain("90% uniform band (sup-t)");
    }
}
