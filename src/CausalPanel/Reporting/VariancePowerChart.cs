using System.Text.Json.Nodes;

namespace CausalPanel;

/// <summary>
/// Size-and-power chart of a <see cref="VarianceComparisonResult"/>: a grid of small panels, one row per design and one
/// column per estimator; in each, one point per variance method at (size, mean power over the effect sizes), a
/// horizontal whisker from its smallest to its largest size by tercile of the treated cells' noise (long whiskers =
/// miscalibrated for quiet or noisy cells), the nominal size dashed inside its Monte-Carlo tolerance band (shaded), and
/// the recommended method ringed. The best method sits high inside the band with a short whisker. Plain SVG 1.1;
/// Okabe–Ito colours by method; <see cref="Spec"/> is the same chart in Vega-Lite.
/// </summary>
internal static class VariancePowerChart
{
    public static string Render(VarianceComparisonResult result, string? title)
    {
        RequirePower(result);
        var inv = Svg.Inv;
        var designs = result.Designs;
        var estimators = result.Estimators;
        var methods = result.Methods;
        const int panel = 150, gap = 14, right = 16;
        var left = Math.Max(110, (int)designs.Max(d => Svg.TextWidth(d)) + 40);
        var width = left + estimators.Count * (panel + gap) + right;
        var heading = Svg.Head(width, 16, title ?? "Size and power of each variance method",
            $"{result.Replications} simulated panels per design; x: size (whisker: its range over noise terciles), y: mean power over the effect sizes;",
            string.Create(inv, $"dashed: nominal {result.NominalSize}, shaded: ±{VarianceComparisonResult.CalibrationStandardErrors} Monte-Carlo s.e.; ringed: the recommended method"));
        var top = heading.Bottom - 2;   // the estimators' names just above the panels
        // Past the palette's eight colours, the methods repeat them with hollow points.
        var keys = methods.Select((m, k) => new Svg.Key(m, Svg.Palette[k % Svg.Palette.Length], k < Svg.Palette.Length ? Svg.Swatch.PointRange : Svg.Swatch.HollowPointRange)).ToArray();
        var legendTop = top + designs.Count * (panel + gap) + 36;
        var height = legendTop + Svg.LegendHeight(keys, 16, width - 32) + 8;

        var defined = result.Rows.Where(r => r.Valid > 0).ToArray();
        var largest = defined.SelectMany(r => r.SizeByTercile.Append(r.Size)).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        var xMax = Math.Max(4 * result.NominalSize, Math.Min(1, Math.Ceiling(largest * 20) / 20));

        var svg = Svg.Begin(width, height, heading);
        for (var e = 0; e < estimators.Count; e++)
            svg.AppendLine(inv, $"<text x=\"{left + e * (panel + gap) + panel / 2}\" y=\"{top - 8}\" text-anchor=\"middle\" font-weight=\"bold\">{Svg.Escape(estimators[e])}</text>");
        for (var d = 0; d < designs.Count; d++)
        {
            var y0 = top + d * (panel + gap);
            svg.AppendLine(inv, $"<text x=\"{left - 30}\" y=\"{y0 + panel / 2}\" text-anchor=\"end\">{Svg.Escape(designs[d])}</text>");
            for (var e = 0; e < estimators.Count; e++)
            {
                var x0 = left + e * (panel + gap);
                double X(double size) => x0 + panel * Math.Min(size, xMax) / xMax;
                double Y(double power) => y0 + panel * (1 - power);
                svg.AppendLine(inv, $"<rect x=\"{x0}\" y=\"{y0}\" width=\"{panel}\" height=\"{panel}\" fill=\"none\" stroke=\"#bbbbbb\"/>");
                var cell = result.Rows.Where(r => r.Design == designs[d] && r.Estimator == estimators[e]).ToArray();
                if (cell.Length == 0) continue;
                var tolerance = result.Tolerance(cell.Max(r => r.Replications));
                var (bandLow, bandHigh) = (X(Math.Max(0, result.NominalSize - tolerance)), X(Math.Min(xMax, result.NominalSize + tolerance)));   // inside the panel
                svg.AppendLine(inv, $"<rect x=\"{bandLow:F1}\" y=\"{y0}\" width=\"{bandHigh - bandLow:F1}\" height=\"{panel}\" fill=\"#999999\" fill-opacity=\"0.25\"/>");
                svg.AppendLine(inv, $"<line x1=\"{X(result.NominalSize):F1}\" y1=\"{y0}\" x2=\"{X(result.NominalSize):F1}\" y2=\"{y0 + panel}\" stroke=\"#333333\" stroke-dasharray=\"4 3\"/>");
                if (e == 0)
                    foreach (var p in new[] { 0.0, 0.5, 1.0 })
                        svg.AppendLine(inv, $"<text x=\"{x0 - 4}\" y=\"{Y(p) + 4:F1}\" text-anchor=\"end\" font-size=\"10\">{p:0.#}</text>");
                if (d == designs.Count - 1)
                {
                    svg.AppendLine(inv, $"<text x=\"{X(result.NominalSize):F1}\" y=\"{y0 + panel + 12}\" text-anchor=\"middle\" font-size=\"10\">{result.NominalSize:0.###}</text>");
                    svg.AppendLine(inv, $"<text x=\"{X(xMax):F1}\" y=\"{y0 + panel + 12}\" text-anchor=\"end\" font-size=\"10\">{xMax:0.###}</text>");
                }
                var recommended = result.Recommend(designs[d], estimators[e]);
                for (var m = 0; m < methods.Count; m++)
                {
                    if (result.Rows.FirstOrDefault(r => r.Design == designs[d] && r.Estimator == estimators[e] && r.Method == methods[m]) is not { Valid: > 0 } row
                        || row.Power.Count == 0 || !double.IsFinite(row.Size))
                        continue;
                    var colour = keys[m].Colour;
                    var power = row.Power.Average();
                    var terciles = row.SizeByTercile.Where(double.IsFinite).DefaultIfEmpty(row.Size).ToArray();
                    svg.AppendLine(inv, $"<line x1=\"{X(terciles.Min()):F1}\" y1=\"{Y(power):F1}\" x2=\"{X(terciles.Max()):F1}\" y2=\"{Y(power):F1}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>");
                    if (row == recommended)
                        svg.AppendLine(inv, $"<circle cx=\"{X(row.Size):F1}\" cy=\"{Y(power):F1}\" r=\"7\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1.5\"/>");
                    svg.AppendLine(inv, $"<circle cx=\"{X(row.Size):F1}\" cy=\"{Y(power):F1}\" r=\"3.5\" {Svg.PointFill(colour, keys[m].Swatch == Svg.Swatch.HollowPointRange)}><title>{Svg.Escape(row.ToString())}</title></circle>");
                }
            }
        }
        svg.AppendLine(inv, $"<text x=\"{left + estimators.Count * (panel + gap) / 2}\" y=\"{legendTop - 14}\" text-anchor=\"middle\">size (share rejecting a true zero effect)</text>");
        svg.AppendLine(inv, $"<text transform=\"translate(14 {top + designs.Count * (panel + gap) / 2}) rotate(-90)\" text-anchor=\"middle\">power</text>");
        Svg.Legend(svg, keys, 16, legendTop + 8, width - 32);
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    /// <summary>
    /// The chart as a Vega-Lite v5 spec: faceted by design (rows) and estimator (columns); records of kind "method" (one per
    /// defined row: size, its smallest and largest by tercile, mean power, calibrated, recommended) and of kind "band" (one
    /// per panel: the nominal size and its tolerance at the panel's replications).
    /// </summary>
    public static string Spec(VarianceComparisonResult result, string? title)
    {
        RequirePower(result);
        var records = new List<JsonNode>();
        foreach (var group in result.Rows.GroupBy(r => (r.Design, r.Estimator)))
        {
            var tolerance = result.Tolerance(group.Max(r => r.Replications));
            records.Add(new JsonObject
            {
                ["kind"] = "band", ["design"] = group.Key.Design, ["estimator"] = group.Key.Estimator, ["nominal"] = result.NominalSize,
                ["low"] = Math.Max(0, result.NominalSize - tolerance), ["high"] = result.NominalSize + tolerance,
            });
            var recommended = result.Recommend(group.Key.Design, group.Key.Estimator);
            foreach (var r in group.Where(r => r.Valid > 0 && r.Power.Count > 0 && double.IsFinite(r.Size)))
            {
                var terciles = r.SizeByTercile.Where(double.IsFinite).DefaultIfEmpty(r.Size).ToArray();
                records.Add(new JsonObject
                {
                    ["kind"] = "method", ["design"] = r.Design, ["estimator"] = r.Estimator, ["method"] = r.Method, ["size"] = r.Size,
                    ["sizeLow"] = terciles.Min(), ["sizeHigh"] = terciles.Max(), ["power"] = r.Power.Average(), ["replications"] = r.Replications,
                    ["calibrated"] = result.IsCalibrated(r), ["recommended"] = r == recommended,
                });
            }
        }
        JsonObject Layer(string filter, JsonNode mark, JsonObject encoding) => new()
        {
            ["transform"] = new JsonArray(new JsonObject { ["filter"] = filter }), ["mark"] = mark, ["encoding"] = encoding,
        };
        const string bands = "datum.kind === 'band'", points = "datum.kind === 'method'";
        var sizeAxis = new JsonObject { ["field"] = "size", ["type"] = "quantitative", ["title"] = "size" };
        var powerAxis = new JsonObject { ["field"] = "power", ["type"] = "quantitative", ["title"] = "mean power", ["scale"] = new JsonObject { ["domain"] = new JsonArray(0, 1) } };
        var method = new JsonObject { ["field"] = "method", ["type"] = "nominal", ["sort"] = null, ["legend"] = new JsonObject { ["labelLimit"] = 0, ["orient"] = "bottom", ["columns"] = 2 } };
        return VegaLite.Spec(title ?? "Size and power of each variance method", new JsonObject
        {
            ["data"] = new JsonObject { ["values"] = new JsonArray([.. records]) },
            ["facet"] = new JsonObject
            {
                ["row"] = new JsonObject { ["field"] = "design", ["type"] = "nominal", ["sort"] = null, ["title"] = null },
                ["column"] = new JsonObject { ["field"] = "estimator", ["type"] = "nominal", ["sort"] = null, ["title"] = null },
            },
            ["spec"] = new JsonObject
            {
                ["width"] = 160, ["height"] = 160,
                ["layer"] = new JsonArray(
                    Layer(bands, new JsonObject { ["type"] = "rect", ["color"] = "#999999", ["opacity"] = 0.25 },
                        new JsonObject { ["x"] = new JsonObject { ["field"] = "low", ["type"] = "quantitative" }, ["x2"] = new JsonObject { ["field"] = "high" } }),
                    Layer(bands, new JsonObject { ["type"] = "rule", ["strokeDash"] = new JsonArray(4, 3), ["color"] = "#333333" },
                        new JsonObject { ["x"] = new JsonObject { ["field"] = "nominal", ["type"] = "quantitative" } }),
                    Layer(points, "rule", new JsonObject
                    {
                        ["x"] = new JsonObject { ["field"] = "sizeLow", ["type"] = "quantitative" }, ["x2"] = new JsonObject { ["field"] = "sizeHigh" },
                        ["y"] = powerAxis.DeepClone(), ["color"] = method.DeepClone(),
                    }),
                    Layer(points, new JsonObject { ["type"] = "point", ["filled"] = true, ["size"] = 50 }, new JsonObject
                    {
                        ["x"] = sizeAxis, ["y"] = powerAxis, ["color"] = method,
                        ["tooltip"] = new JsonArray(
                            new JsonObject { ["field"] = "method" }, new JsonObject { ["field"] = "size", ["format"] = ".3f" },
                            new JsonObject { ["field"] = "sizeLow", ["title"] = "smallest size by tercile", ["format"] = ".3f" },
                            new JsonObject { ["field"] = "sizeHigh", ["title"] = "largest size by tercile", ["format"] = ".3f" },
                            new JsonObject { ["field"] = "power", ["format"] = ".3f" }, new JsonObject { ["field"] = "calibrated" }),
                    }),
                    Layer(points + " && datum.recommended", new JsonObject { ["type"] = "point", ["filled"] = false, ["size"] = 220, ["color"] = "#000000", ["strokeWidth"] = 1.5 },
                        new JsonObject
                        {
                            ["x"] = new JsonObject { ["field"] = "size", ["type"] = "quantitative" }, ["y"] = new JsonObject { ["field"] = "power", ["type"] = "quantitative" },
                        })),
            },
        }, $"{result.Replications} simulated panels per design; x: size, the share of intervals rejecting a true zero effect (rule: its range over noise terciles), y: mean power over the effect sizes; dashed: nominal {result.NominalSize.ToString(Svg.Inv)}, shaded: ±{VarianceComparisonResult.CalibrationStandardErrors} Monte-Carlo s.e.; ringed: the recommended method");
    }

    private static void RequirePower(VarianceComparisonResult result)
    {
        if (result.Rows.All(r => r.Power.Count == 0))
            throw new InvalidOperationException("The size-and-power chart plots power; run the VarianceComparison with EffectSizes.");
    }
}
