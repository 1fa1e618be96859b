using System.Net;
using System.Text;

namespace CausalPanel;

/// <summary>
/// Rich display in .NET Interactive (Polyglot Notebooks) without referencing its packages: the kernel
/// looks for an attribute <em>named</em> <c>TypeFormatterSourceAttribute</c> on a value's type (or a base
/// type), creates its <c>FormatterSourceType</c> and asks it for formatters, each with a <c>MimeType</c>
/// and a <c>bool Format(object, TextWriter)</c> (the convention-based formatter API).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    public Type FormatterSourceType { get; } = formatterSourceType;

    public string[] PreferredMimeTypes { get; set; } = ["text/html"];
}

/// <summary>The formatters for results, tables and comparisons: HTML (summary and chart) and plain text.</summary>
internal sealed class NotebookFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => [new Html(), new PlainText()];

    /// <summary>HTML for a value, or null when it is not one of ours.</summary>
    internal static string? ToHtml(object value) => value switch
    {
        EstimateTable table => table.ToHtml(),
        EventStudyTable table => table.ToHtml(),
        EventStudyResult study => EventStudyTable.Of(study).ToHtml() + Chart(Charts.EventStudy(study), "event study"),
        CohortPeriodEffects effects => Pre(effects.ToString()),
        EstimationResult fit => Pre(fit.Summary()) + (fit.Trajectory.Count >= 2 ? Chart(Charts.Trajectory(fit), "treated and counterfactual trajectories") : ""),
        VarianceResult variance => Pre(variance.ToString()) + (variance.Replicates.Count(double.IsFinite) >= 2 ? Chart(Charts.Placebo(variance), "replicate distribution") : ""),
        ComparisonResult comparison => Pre(comparison.ToString()) + Chart(Charts.Comparison(comparison), "estimator comparison"),
        VarianceComparisonResult variances => Pre(variances.ToString()) + (variances.Rows.Any(r => r.Power.Count > 0) ? Chart(Charts.VariancePower(variances), "size and power") : ""),
        _ => null,
    };

    private static string Pre(string text) => $"<pre>{WebUtility.HtmlEncode(text)}</pre>";

    /// <summary>
    /// A chart as an image of its SVG (a base64 <c>data:</c> URI) rather than inline <c>&lt;svg&gt;</c>: HTML sanitizers
    /// — JupyterLab's for an untrusted notebook, GitHub's and nbviewer's for a committed one — strip inline SVG, and
    /// keep an image, which cannot run script.
    /// </summary>
    internal static string Chart(string svg, string description) =>
        $"<img alt=\"{WebUtility.HtmlEncode(description)}\" src=\"data:image/svg+xml;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes(svg))}\"/>";

    internal sealed class Html
    {
        public string MimeType => "text/html";

        public bool Format(object instance, TextWriter writer)
        {
            if (ToHtml(instance) is not { } html) return false;
            writer.Write(html);
            return true;
        }
    }

    internal sealed class PlainText
    {
        public string MimeType => "text/plain";

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not (EstimateTable or EventStudyTable or EventStudyResult or CohortPeriodEffects or EstimationResult or VarianceResult or ComparisonResult or VarianceComparisonResult)) return false;
            writer.Write(instance.ToString());
            return true;
        }
    }
}
