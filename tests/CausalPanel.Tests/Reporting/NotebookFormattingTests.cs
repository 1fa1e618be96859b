using System.Reflection;

namespace CausalPanel.Tests.Reporting;

/// <summary>Looks up formatters the way .NET Interactive's convention-based API does: by attribute name, through reflection only.</summary>
public class NotebookFormattingTests
{
    private static string? Format(object value, string mimeType)
    {
        var attribute = value.GetType().GetCustomAttributes(inherit: true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = (Type)attribute.GetType().GetProperty("FormatterSourceType")!.GetValue(attribute)!;
        var source = Activator.CreateInstance(sourceType, nonPublic: true)!;
        var formatters = (IEnumerable<object>)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!;
        foreach (var formatter in formatters)
        {
            if ((string)formatter.GetType().GetProperty("MimeType")!.GetValue(formatter)! != mimeType) continue;
            using var writer = new StringWriter();
            var handled = (bool)formatter.GetType().GetMethod("Format", BindingFlags.Public | BindingFlags.Instance)!.Invoke(formatter, [value, writer])!;
            return handled ? writer.ToString() : null;
        }
        return null;
    }

    /// <summary>The SVG documents of the charts embedded as <c>img</c> data URIs.</summary>
    private static string[] Charts(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "<img alt=\"[^\"]+\" src=\"data:image/svg\\+xml;base64,([A-Za-z0-9+/=]+)\"/>")
            .Select(m => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value))).ToArray();

    [Fact]
    public void An_event_study_renders_as_its_table_and_chart_and_cohort_period_effects_as_their_table()
    {
        var fit = new DifferenceInDifferences().Estimate(Support.RandomPanels.Staggered(7, [-1, -1, -1, -1, -1, -1, -1, -1, 3, 3, 7, 7], 10));
        var study = fit.EventStudy(new JackknifeVariance());
        var html = Format(study, "text/html")!;
        html.Should().StartWith(EventStudyTable.Of(study).ToHtml());
        Charts(html).Should().ContainSingle().Which.Should().Be(CausalPanel.Charts.EventStudy(study));
        Format(study, "text/plain").Should().Be(study.ToString());

        var effects = fit.CohortPeriodEffects(new JackknifeVariance());
        Format(effects, "text/html").Should().Contain(System.Net.WebUtility.HtmlEncode(effects.ToString()));
        Format(effects, "text/plain").Should().Be(effects.ToString());
    }

    [Fact]
    public void Results_tables_and_variances_render_as_html_with_their_charts_as_svg_images()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Datasets.CaliforniaSmoking());
        var html = Format(fit, "text/html")!;
        html.Should().Contain("<pre>SDID: ATT = -15.6038").And.NotContain("<svg", "sanitizers strip inline SVG");
        Charts(html).Should().ContainSingle().Which.Should().Be(CausalPanel.Charts.Trajectory(fit));

        var placebo = fit.WithVariance(new UnitPlaceboVariance());
        var placeboHtml = Format(placebo, "text/html")!;
        placeboHtml.Should().Contain("Unit placebo");
        Charts(placeboHtml).Should().ContainSingle().Which.Should().Be(CausalPanel.Charts.Placebo(placebo));
        Format(EstimateTable.Of([fit], [placebo]), "text/html").Should().StartWith("<table");
        Format(fit, "text/plain").Should().Be(fit.Summary());

        var twoWay = fit.WithVariance(new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods });
        Format(twoWay, "text/html").Should().Contain(System.Net.WebUtility.HtmlEncode("caveat: " + twoWay.Caveat));
        Format(twoWay, "text/plain").Should().Contain("caveat: experimental");
    }

    [Fact]
    public void Staggered_synthetic_fits_render_their_cohort_summaries()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Support.RandomPanels.Staggered(7, [-1, -1, -1, -1, -1, -1, -1, -1, 5, 5, 7], 10));
        var cohort = $"cohort {fit.Cohorts[0].AdoptionPeriod} (2 units";
        Format(fit, "text/plain").Should().Be(fit.Summary()).And.Contain(cohort);
        Format(fit, "text/html").Should().StartWith("<pre>SDID: ATT = ").And.Contain(cohort);
    }
}
