using System.Globalization;
using System.Xml.Linq;

namespace CausalPanel.Tests.Reporting;

public class ChartTests
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    [Fact]
    public void Trajectory_chart_draws_Californias_observed_path_and_the_onset()
    {
        var data = Datasets.CaliforniaSmoking();
        var fit = new SyntheticDifferenceInDifferences().Estimate(data);
        var svg = XDocument.Parse(Charts.Trajectory(fit));

        var lines = svg.Descendants(Ns + "polyline").ToArray();
        lines.Should().HaveCount(2);
        var treated = lines[0].Attribute("points")!.Value.Split(' ')
            .Select(p => double.Parse(p.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        treated.Should().HaveCount(31);
        // Screen y falls as the outcome rises, linearly: California's packs per capita, 1970–2000.
        var california = Enumerable.Range(0, 31).Select(t => data.Outcomes[data.Units.ToList().IndexOf("California"), t]).ToArray();
        var slope = (treated[30] - treated[0]) / (california[30] - california[0]);
        slope.Should().BeNegative();
        for (var t = 0; t < 31; t++) treated[t].Should().BeApproximately(treated[0] + slope * (california[t] - california[0]), 0.11);
        svg.Descendants(Ns + "text").Select(x => x.Value).Should().Contain(["treated from 1989", "treated (mean)", "counterfactual (SDID)", "1970"]);
    }

    [Fact]
    public void Placebo_chart_counts_every_placebo_once_and_marks_the_estimate()
    {
        var fit = new DifferenceInDifferences().Estimate(Datasets.CaliforniaSmoking());
        var placebo = fit.WithVariance(new UnitPlaceboVariance());
        var svg = XDocument.Parse(Charts.Placebo(placebo));
        var bins = svg.Descendants(Ns + "title").Select(t => t.Value.Split(' ')).ToArray();
        bins.Sum(b => int.Parse(b[0], CultureInfo.InvariantCulture)).Should().Be(38);   // every control state once
        // Each placebo falls in the bin its title names.
        foreach (var b in bins)
        {
            var lo = double.Parse(b[2].TrimStart('[').TrimEnd(','), CultureInfo.InvariantCulture);
            var hi = double.Parse(b[3].TrimEnd(')'), CultureInfo.InvariantCulture);
            placebo.Replicates.Count(r => r >= lo - 1e-9 && r < hi + 1e-9).Should().BeGreaterThanOrEqualTo(int.Parse(b[0], CultureInfo.InvariantCulture));
        }
        svg.Descendants(Ns + "text").Select(x => x.Value).Should().Contain(["placebo estimates", "the estimate"]);
        FluentActions.Invoking(() => Charts.Placebo(fit.WithVariance(new BootstrapVariance()))).Should().Throw<InvalidOperationException>().WithMessage("*undefined*");
    }

    [Fact]
    public void Pattern_chart_covers_every_cell_with_its_kind()
    {
        var data = Support.PatternPanels.Parse("0000000 0000.00 0001111 0011111 0.00000");
        var svg = XDocument.Parse(Charts.Pattern(data));
        var rects = svg.Descendants(Ns + "rect").Where(r => r.Attribute("y") is not null).ToArray();
        var size = double.Parse(rects.First(r => r.Attribute("fill")!.Value == "#D55E00").Attribute("height")!.Value, CultureInfo.InvariantCulture);
        var cells = rects.Where(r => double.Parse(r.Attribute("height")!.Value, CultureInfo.InvariantCulture) == size).ToArray();   // not the 12-px legend swatches
        double Covered(string fill) => cells.Where(r => r.Attribute("fill")!.Value == fill).Sum(r => double.Parse(r.Attribute("width")!.Value, CultureInfo.InvariantCulture)) / size;
        Covered("#D55E00").Should().Be(data.Treatment.TreatedCount);                     // 9 treated cells
        Covered("#FFFFFF").Should().Be(data.Outcomes.UnobservedCount);                  // 2 unobserved
        Covered("#E8EEF4").Should().Be(5 * 7 - 9 - 2);
        svg.Descendants(Ns + "text").Select(x => x.Value).Should().Contain(["unit3", "2000", "treated", "unobserved"]);
    }

    [Fact]
    public void Weights_chart_shows_Rs_largest_unit_weights_and_every_nonzero_time_weight()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Datasets.CaliforniaSmoking());
        var titles = XDocument.Parse(Charts.Weights(fit)).Descendants(Ns + "title").Select(t => t.Value).ToArray();
        var reference = Support.Reference.Weights("california_sdid_weights.csv");
        var omega = reference.Where(r => r.Type == "omega" && r.Weight > 0).OrderByDescending(r => r.Weight).Take(25)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Label}: ω = {r.Weight:G4}"));
        var lambda = reference.Where(r => r.Type == "lambda" && r.Weight > 0)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Label}: λ = {r.Weight:G4}"));
        titles.Should().Equal(omega.Concat(lambda));
        FluentActions.Invoking(() => Charts.Weights(fit, cohort: 1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*1 cohort*");
    }

    [Fact]
    public void Effects_chart_band_is_the_estimate_plus_minus_q_times_the_event_time_error()
    {
        var fit = new DifferenceInDifferences().Estimate(Datasets.CaliforniaSmoking());
        var placebo = fit.WithVariance(new UnitPlaceboVariance());
        var titles = XDocument.Parse(Charts.Effects(fit, placebo)).Descendants(Ns + "title").Select(t => t.Value).ToArray();
        titles.Should().HaveCount(12);
        var e0 = fit.EffectsByEventTime[0];
        var half = 1.959963984540054 * placebo.EventTimeStandardErrors[0];
        titles[0].Should().Be(string.Create(CultureInfo.InvariantCulture, $"event time 0: {e0.Effect:G4} (1 cells), band [{e0.Effect - half:G4}, {e0.Effect + half:G4}]"));
        XDocument.Parse(Charts.Effects(fit)).Descendants(Ns + "polygon").Should().BeEmpty();   // no variance, no band
    }

    [Fact]
    public void Comparison_chart_has_one_bar_per_estimator_and_design()
    {
        var model = FactorModel.Fit(Datasets.Cps("log_wage", "min_wage"));
        var result = new EstimatorComparison
        {
            Estimators = [new DifferenceInDifferences(), new SyntheticControl()],
            Designs = [new SimulationDesign { Model = model, Name = "a" }, new SimulationDesign { Model = model, Name = "b", Interactive = false }],
            Replications = 4, Seed = 1,
        }.Run();
        var svg = XDocument.Parse(Charts.Comparison(result, "t"));
        svg.Descendants(Ns + "rect").Count(r => r.Element(Ns + "title") is not null).Should().Be(4);
    }
}
