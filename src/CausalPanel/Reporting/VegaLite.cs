using System.Text.Json;
using System.Text.Json.Nodes;

namespace CausalPanel;

/// <summary>
/// The charts of <see cref="Charts"/> as Vega-Lite v5 specifications (JSON, data inline), for users who
/// restyle them in the Vega editor, Observable, Altair or a notebook. Each spec carries its data as
/// tidy records, so it is also a convenient export of what the chart shows.
/// </summary>
public static class VegaLite
{
    private const string Schema = "https://vega.github.io/schema/vega-lite/v5.json";

    /// <summary>
    /// Treated mean and counterfactual per period (lines) with a rule at each adoption period; on a staggered design
    /// one facet per cohort with independent y scales unless <paramref name="byCohort"/> is false (see <see cref="Charts.Trajectory"/>).
    /// </summary>
    /// <param name="fit">The fit.</param>
    /// <param name="title">The chart title.</param>
    /// <param name="byCohort">On a staggered design, one facet per cohort (default) or the pooled path.</param>
    /// <exception cref="InvalidOperationException">The pooled path of a fit that has none.</exception>
    public static string Trajectory(EstimationResult fit, string? title = null, bool byCohort = true) => TrajectoryChart.Spec(fit, byCohort, title);

    /// <inheritdoc cref="Charts.EventStudy"/>
    public static string EventStudy(EventStudyResult result, string? title = null) => EventStudyChart.Spec(result, title);

    /// <inheritdoc cref="Charts.Gap"/>
    public static string Gap(SyntheticWeightingResult fit, string? title = null, bool byEventTime = false) => GapChart.Spec(fit, byEventTime, title);

    /// <inheritdoc cref="Charts.PlaceboGaps"/>
    public static string PlaceboGaps(SyntheticWeightingResult fit, double? maxPreMspeRatio = null, int cohort = 0, string? title = null) =>
        PlaceboGapChart.Spec(InSpacePlacebos.Compute(fit, cohort, maxPreMspeRatio), fit, title);

    /// <summary>Effects by event time (line and points) with the pointwise band from <paramref name="variance"/>'s event-time standard errors.</summary>
    public static string Effects(EstimationResult fit, VarianceResult? variance = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var q = variance is null ? 0 : MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.5 + variance.ConfidenceLevel / 2);
        var values = new JsonArray(fit.EffectsByEventTime.Select(e =>
        {
            var record = new JsonObject { ["eventTime"] = e.EventTime, ["effect"] = e.Effect, ["cells"] = e.TreatedCells };
            if (variance is not null && variance.EventTimeStandardErrors.TryGetValue(e.EventTime, out var se))
            {
                record["lower"] = e.Effect - q * se;
                record["upper"] = e.Effect + q * se;
            }
            return (JsonNode)record;
        }).ToArray());
        JsonObject X() => new() { ["field"] = "eventTime", ["type"] = "quantitative", ["title"] = "periods since adoption" };
        return Spec(title ?? $"{fit.Estimator}: effect by periods since adoption", new JsonObject
        {
            ["data"] = new JsonObject { ["values"] = values },
            ["layer"] = new JsonArray(
                new JsonObject
                {
                    ["mark"] = new JsonObject { ["type"] = "area", ["opacity"] = 0.35, ["color"] = "#56B4E9" },
                    ["encoding"] = new JsonObject { ["x"] = X(), ["y"] = new JsonObject { ["field"] = "lower", ["type"] = "quantitative", ["title"] = $"effect on {fit.Data.OutcomeName}" }, ["y2"] = new JsonObject { ["field"] = "upper" } },
                },
                new JsonObject
                {
                    ["mark"] = new JsonObject { ["type"] = "line", ["point"] = true, ["color"] = "#0072B2" },
                    ["encoding"] = new JsonObject { ["x"] = X(), ["y"] = new JsonObject { ["field"] = "effect", ["type"] = "quantitative" } },
                }),
        });
    }

    /// <summary>Histogram of the replicate estimates with a rule at the estimate.</summary>
    public static string Placebo(VarianceResult result, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var values = new JsonArray(result.Replicates.Where(double.IsFinite).Select(r => (JsonNode)new JsonObject { ["estimate"] = r }).ToArray());
        return Spec(title ?? $"{result.Method}: distribution of the replicate estimates", new JsonObject
        {
            ["layer"] = new JsonArray(
                new JsonObject
                {
                    ["data"] = new JsonObject { ["values"] = values },
                    ["mark"] = "bar",
                    ["encoding"] = new JsonObject
                    {
                        ["x"] = new JsonObject { ["field"] = "estimate", ["type"] = "quantitative", ["bin"] = new JsonObject { ["maxbins"] = 20 } },
                        ["y"] = new JsonObject { ["aggregate"] = "count", ["type"] = "quantitative", ["title"] = "replicates" },
                    },
                },
                new JsonObject
                {
                    ["data"] = new JsonObject { ["values"] = new JsonArray(new JsonObject { ["estimate"] = Finite(result.Estimate) }) },
                    ["mark"] = new JsonObject { ["type"] = "rule", ["color"] = "#D55E00", ["size"] = 2 },
                    ["encoding"] = new JsonObject { ["x"] = new JsonObject { ["field"] = "estimate", ["type"] = "quantitative" } },
                }),
        });
    }

    /// <summary>The treatment pattern as a heat map, one row per unit or per treatment history (see <see cref="Charts.Pattern"/>).</summary>
    /// <param name="data">The panel.</param>
    /// <param name="title">The chart title.</param>
    /// <param name="byHistory">One row per unit (false), one per treatment history (true), or by the unit count (null).</param>
    public static string Pattern(PanelData data, string? title = null, bool? byHistory = null) => PatternChart.Spec(data, byHistory, title);

    /// <summary>Unit weights ω and time weights λ of one cohort of a synthetic-weighting fit, as two bar charts.</summary>
    public static string Weights(SyntheticWeightingResult fit, int cohort = 0, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (cohort < 0 || cohort >= fit.Cohorts.Count)
            throw new ArgumentOutOfRangeException(nameof(cohort), cohort, $"This fit has {fit.Cohorts.Count} cohort(s); give 0 to {fit.Cohorts.Count - 1}.");
        var c = fit.Cohorts[cohort];
        JsonObject Bars(IEnumerable<LabelledWeight> weights, string axis, string name, bool horizontal) => new()
        {
            ["title"] = name,
            ["data"] = new JsonObject { ["values"] = new JsonArray(weights.Select(w => (JsonNode)new JsonObject { ["label"] = w.Label, ["index"] = w.Index, ["weight"] = w.Weight }).ToArray()) },
            ["mark"] = "bar",
            ["encoding"] = new JsonObject
            {
                [horizontal ? "y" : "x"] = new JsonObject { ["field"] = "label", ["type"] = "ordinal", ["title"] = axis, ["sort"] = horizontal ? "-x" : new JsonObject { ["field"] = "index" } },
                [horizontal ? "x" : "y"] = new JsonObject { ["field"] = "weight", ["type"] = "quantitative" },
            },
        };
        return Spec(title ?? $"{fit.Estimator} weights (adoption {c.AdoptionPeriod})", new JsonObject
        {
            ["vconcat"] = new JsonArray(
                Bars(c.UnitWeights.Where(w => w.Weight > 0), "unit", "unit weights ω", horizontal: true),
                Bars(c.TimeWeights, "period", "time weights λ", horizontal: false)),
        });
    }

    /// <summary>RMSE relative to the best estimator, grouped by design.</summary>
    public static string Comparison(ComparisonResult result, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var values = new JsonArray(result.Rows.Where(r => r.Valid > 0).Select(r => (JsonNode)new JsonObject
        {
            ["design"] = r.Design, ["estimator"] = r.Estimator, ["rmse"] = r.Rmse, ["relativeRmse"] = result.NormalisedRmse(r), ["bias"] = Finite(r.Bias),
        }).ToArray());
        return Spec(title ?? "RMSE relative to the best estimator per design", new JsonObject
        {
            ["data"] = new JsonObject { ["values"] = values },
            ["mark"] = "bar",
            ["encoding"] = new JsonObject
            {
                ["x"] = new JsonObject { ["field"] = "design", ["type"] = "nominal", ["sort"] = null },
                ["xOffset"] = new JsonObject { ["field"] = "estimator", ["type"] = "nominal" },
                ["y"] = new JsonObject { ["field"] = "relativeRmse", ["type"] = "quantitative", ["title"] = "RMSE / best RMSE" },
                ["color"] = new JsonObject { ["field"] = "estimator", ["type"] = "nominal" },
                ["tooltip"] = new JsonArray(new JsonObject { ["field"] = "rmse", ["type"] = "quantitative" }, new JsonObject { ["field"] = "bias", ["type"] = "quantitative" }),
            },
        });
    }

    /// <summary>
    /// Size against mean power of each variance method, faceted by design and estimator, with the nominal size, its
    /// Monte-Carlo tolerance band and the recommended method ringed (see <see cref="Charts.VariancePower"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The comparison was run without effect sizes (no power to plot).</exception>
    public static string VariancePower(VarianceComparisonResult result, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return VariancePowerChart.Spec(result, title);
    }

    /// <summary>A number, or JSON null for NaN and infinities (which JSON cannot hold).</summary>
    internal static JsonNode? Finite(double v) => double.IsFinite(v) ? v : null;

    /// <summary>
    /// An x axis over positions 0, 1, … (field <c>index</c>) on a linear scale labelled with <paramref name="labels"/>, so
    /// that marks can sit between positions (an onset at −0.5 from its period) as in the SVG charts.
    /// </summary>
    internal static JsonObject PositionAxis(IReadOnlyList<string> labels, string title) => new()
    {
        ["field"] = "index", ["type"] = "quantitative", ["title"] = title,
        ["scale"] = new JsonObject { ["domain"] = new JsonArray(-0.5, labels.Count - 0.5), ["nice"] = false },
        ["axis"] = new JsonObject
        {
            ["tickMinStep"] = 1, ["grid"] = false, ["labelOverlap"] = true,
            ["labelExpr"] = $"[{string.Join(",", labels.Select(l => JsonSerializer.Serialize(l)))}][datum.value] || ''",
        },
    };

    /// <summary>
    /// The spec: schema, title (with the subtitle lines wrapped to the 600-px width, when given), width 600 unless the
    /// body concatenates or facets views or sets its own, then the body's properties.
    /// </summary>
    internal static string Spec(string title, JsonObject body, params IEnumerable<string?> subtitle)
    {
        var lines = subtitle.OfType<string>().SelectMany(line => Svg.Wrap(line, 640, 11)).ToArray();
        var spec = new JsonObject
        {
            ["$schema"] = Schema,
            ["title"] = lines.Length == 0 ? title
                : new JsonObject { ["text"] = title, ["subtitle"] = new JsonArray(lines.Select(l => (JsonNode)l!).ToArray()), ["anchor"] = "start" },
        };
        if (!body.ContainsKey("vconcat") && !body.ContainsKey("facet") && !body.ContainsKey("width")) spec["width"] = 600;
        foreach (var (key, value) in body.ToArray())
        {
            body.Remove(key);
            spec[key] = value;
        }
        return spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
