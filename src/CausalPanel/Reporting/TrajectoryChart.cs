using System.Text.Json.Nodes;

namespace CausalPanel;

/// <summary>
/// Line chart of the treated units' mean outcome (solid) and its estimated counterfactual (dashed) with the onsets
/// marked: one panel for a block design (or pooled over all treated units), one small panel per adoption cohort for a
/// staggered design, each with its own onset and y scale.
/// </summary>
internal static class TrajectoryChart
{
    private const string Observed = "#0072B2", Counterfactual = "#D55E00", Onset = "#999999";

    public static string Render(EstimationResult fit, bool byCohort, string? title)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return byCohort && fit.Data.Pattern.Design == TreatmentDesign.Staggered ? ByCohort(fit, title) : PooledChart(fit, RequireTrajectory(fit), title).ToSvg();
    }

    /// <summary>The pooled trajectory as a line chart: treated mean and counterfactual, every cohort's onset.</summary>
    private static LineChart PooledChart(EstimationResult fit, IReadOnlyList<TrajectoryPoint> points, string? title)
    {
        var pattern = fit.Data.Pattern;
        var index = points.Select((p, k) => (p.PeriodIndex, k)).ToDictionary(e => e.PeriodIndex, e => e.k);
        var onsets = pattern.Cohorts.Where(c => index.ContainsKey(c.PeriodIndex))
            .Select(c => (Position: index[c.PeriodIndex] - 0.5, Label: pattern.Cohorts.Count == 1 ? $"treated from {c.Period}" : c.Period, Colour: Onset)).ToArray();
        return new LineChart(title ?? $"{fit.Estimator}: treated units and their estimated counterfactual",
            [string.Create(Svg.Inv, $"ATT = {Svg.Number(fit.Att)} over {SummaryText.Count(fit.CellEffects.Count, "treated cell")}; {pattern.TreatedUnitCount} treated unit(s), {pattern.NeverTreatedCount} never treated")],
            fit.Data.OutcomeName, "period", points.Select(p => p.Period).ToArray(),
            [
                new LineSeries("treated (mean)", "treated (mean)", points.Select(p => p.Treated).ToArray(), Observed),
                new LineSeries($"counterfactual ({fit.Estimator})", $"counterfactual ({fit.Estimator})", points.Select(p => p.Counterfactual).ToArray(), Counterfactual, Dash: "6 4"),
            ],
            onsets, pattern.Cohorts.Count == 1 ? "treatment onset" : $"adoption of each of the {pattern.Cohorts.Count} cohorts", Zero: false);
    }

    /// <summary>The fit's pooled trajectory.</summary>
    /// <exception cref="InvalidOperationException">It has fewer than two periods (a staggered synthetic-weighting fit has none).</exception>
    private static IReadOnlyList<TrajectoryPoint> RequireTrajectory(EstimationResult fit) => fit.Trajectory.Count >= 2 ? fit.Trajectory
        : throw new InvalidOperationException(fit switch
        {
            SyntheticWeightingResult { Cohorts.Count: > 1 } => $"This {fit.Estimator} fit has one synthetic control per adoption cohort and no pooled counterfactual; draw it by cohort (byCohort: true).",
            DwcpResult => $"{fit.Estimator} fits each treated cell with its own unit and time weights, so it has no one counterfactual path over the untreated periods to draw; the effects chart shows its treated cells.",
            _ => $"This {fit.Estimator} result has no trajectory to plot (it needs the treated units' mean over at least two periods).",
        });

    /// <summary>Small multiples: one panel per cohort (at most three across), each with its own y scale and onset.</summary>
    private static string ByCohort(EstimationResult fit, string? title)
    {
        var paths = CohortPaths.Of(fit);
        var data = fit.Data;
        var columns = paths.Count == 4 ? 2 : Math.Min(3, paths.Count);
        var rows = (paths.Count + columns - 1) / columns;
        var axes = paths.Select(p => Svg.NiceAxis(p.Points.SelectMany(q => new[] { q.Treated, q.Counterfactual }))).ToArray();
        var tickRoom = (int)Math.Ceiling(axes.Max(a => a.LabelWidth)) + 10;
        const int right = 24, panelGap = 24, plotWidth = 260, plotHeight = 170, rowGap = 78;
        var titleLength = rows * (plotHeight + rowGap) - rowGap;
        var outer = 30 + Svg.LineHeight * (Svg.YTitleLines(data.OutcomeName, titleLength) - 1);
        var panelWidth = tickRoom + plotWidth;
        var gridRight = outer + columns * panelWidth + (columns - 1) * panelGap;
        var width = Math.Max(640, gridRight + right);

        var dropped = fit is SyntheticWeightingResult { DroppedCohorts.Count: > 0 } s
            ? $"Left out (cannot be fitted): {string.Join("; ", s.DroppedCohorts.Select(c => $"cohort {c.AdoptionPeriod}"))}." : null;
        var noPre = paths.Any(p => p.Points.Any(q => q.PeriodIndex < p.Onset && double.IsNaN(q.Counterfactual)))
            ? $"{fit.Estimator} imputes treated cells only, so the counterfactual starts at each onset." : null;
        var heading = Svg.Head(width, outer, title ?? $"{fit.Estimator}: each adoption cohort and its estimated counterfactual",
            string.Create(Svg.Inv, $"ATT = {Svg.Number(fit.Att)} over {SummaryText.Count(fit.CellEffects.Count, "treated cell")}; {paths.Count} cohorts against {data.Pattern.NeverTreatedCount} never-treated units; each panel has its own y scale."),
            noPre, dropped);
        Svg.Key[] keys =
        [
            new("cohort mean", Observed, Svg.Swatch.Line),
            new($"counterfactual ({fit.Estimator})", Counterfactual, Svg.Swatch.Line, "6 4"),
            new("the cohort's treatment onset", Onset, Svg.Swatch.Rule, "2 3"),
        ];
        var gridTop = heading.Bottom + 10;
        var gridBottom = gridTop + rows * (plotHeight + rowGap) - rowGap + 40;
        var legendTop = gridBottom + 26;
        var height = legendTop + Svg.LegendHeight(keys, outer, width - outer - right) + 4;

        var svg = Svg.Begin(width, height, heading);
        for (var c = 0; c < paths.Count; c++)
        {
            var path = paths[c];
            var axis = axes[c];
            double left = outer + (c % columns) * (panelWidth + panelGap) + tickRoom, top = gridTop + (c / columns) * (plotHeight + rowGap) + 8;
            double plotRight = left + plotWidth, bottom = top + plotHeight;
            double X(int t) => left + 6 + (plotWidth - 12) * t / (double)Math.Max(1, data.PeriodCount - 1);
            double Y(double v) => top + plotHeight * (1 - (v - axis.Min) / (axis.Max - axis.Min));
            svg.AppendLine(Svg.Inv, $"<text x=\"{left:F1}\" y=\"{top - 8:F1}\" font-weight=\"bold\">{Svg.Escape(path.Label)}</text>");
            Svg.Frame(svg, axis, Y, left, plotRight, top, bottom, "", 0);
            Svg.XLabels(svg, Enumerable.Range(0, data.PeriodCount).Select(t => (X(t), data.Periods[t])).ToArray(), bottom + 16);
            var onsetX = path.Onset > 0 ? (X(path.Onset - 1) + X(path.Onset)) / 2 : X(0);
            Svg.VerticalRule(svg, onsetX, top, bottom, Onset);
            Svg.Polyline(svg, path.Points.Select(p => (X(p.PeriodIndex), Y(p.Treated))), Observed, tooltip: $"{path.Label}: mean {data.OutcomeName}");
            Svg.Polyline(svg, path.Points.Select(p => (X(p.PeriodIndex), Y(p.Counterfactual))), Counterfactual, "6 4", tooltip: $"{path.Label}: counterfactual ({fit.Estimator})");
        }
        Svg.YTitle(svg, data.OutcomeName, 16, (gridTop + gridBottom - 40) / 2.0, titleLength);
        Svg.XTitle(svg, "period", outer + tickRoom, gridRight, gridBottom);
        Svg.Legend(svg, keys, outer, legendTop, width - outer - right);
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    /// <summary>The same chart as a Vega-Lite spec: lines per series, rules at the onsets; facets per cohort (independent y) when staggered.</summary>
    public static string Spec(EstimationResult fit, bool byCohort, string? title)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var data = fit.Data;
        JsonObject Y() => new() { ["field"] = "outcome", ["type"] = "quantitative", ["scale"] = new JsonObject { ["zero"] = false }, ["title"] = data.OutcomeName };
        var counterfactual = $"counterfactual ({fit.Estimator})";
        JsonObject Series() => new()
        {
            ["field"] = "series", ["type"] = "nominal", ["title"] = null, ["legend"] = new JsonObject { ["labelLimit"] = 320, ["orient"] = "bottom" },
            ["scale"] = new JsonObject { ["domain"] = new JsonArray("cohort mean", counterfactual), ["range"] = new JsonArray(Observed, Counterfactual) },
        };
        var x = VegaLite.PositionAxis(data.Periods, "period");

        if (!(byCohort && data.Pattern.Design == TreatmentDesign.Staggered)) return PooledChart(fit, RequireTrajectory(fit), title).ToVegaLite();

        var paths = CohortPaths.Of(fit);
        var records = new JsonArray();
        for (var c = 0; c < paths.Count; c++)
        {
            foreach (var p in paths[c].Points)
            {
                foreach (var (series, value) in new[] { ("cohort mean", p.Treated), (counterfactual, p.Counterfactual) })
                    records.Add(new JsonObject
                    {
                        ["cohort"] = paths[c].Label, ["cohortIndex"] = c, ["period"] = p.Period, ["index"] = p.PeriodIndex, ["series"] = series, ["outcome"] = VegaLite.Finite(value),
                    });
            }
            records.Add(new JsonObject { ["cohort"] = paths[c].Label, ["cohortIndex"] = c, ["period"] = paths[c].Period, ["index"] = paths[c].Onset - 0.5, ["onset"] = true });
        }
        return VegaLite.Spec(title ?? $"{fit.Estimator}: each adoption cohort and its estimated counterfactual", new JsonObject
        {
            ["data"] = new JsonObject { ["values"] = records },
            ["facet"] = new JsonObject { ["field"] = "cohort", ["type"] = "nominal", ["sort"] = new JsonObject { ["field"] = "cohortIndex" }, ["title"] = null },
            ["columns"] = paths.Count == 4 ? 2 : Math.Min(3, paths.Count),
            ["spec"] = new JsonObject
            {
                ["width"] = 260,
                ["height"] = 170,
                ["layer"] = new JsonArray(
                    new JsonObject
                    {
                        ["transform"] = new JsonArray(new JsonObject { ["filter"] = "!datum.onset" }),
                        ["mark"] = "line",
                        ["encoding"] = new JsonObject
                        {
                            ["x"] = x, ["y"] = Y(), ["color"] = Series(),
                            ["strokeDash"] = new JsonObject { ["field"] = "series", ["type"] = "nominal", ["legend"] = null, ["scale"] = new JsonObject { ["range"] = new JsonArray(new JsonArray(1, 0), new JsonArray(6, 4)) } },
                        },
                    },
                    new JsonObject
                    {
                        ["transform"] = new JsonArray(new JsonObject { ["filter"] = "datum.onset" }),
                        ["mark"] = new JsonObject { ["type"] = "rule", ["strokeDash"] = new JsonArray(2, 3), ["color"] = Onset },
                        ["encoding"] = new JsonObject { ["x"] = new JsonObject { ["field"] = "index", ["type"] = "quantitative" } },
                    }),
            },
            ["resolve"] = new JsonObject { ["scale"] = new JsonObject { ["y"] = "independent" } },
        }, string.Create(Svg.Inv, $"ATT = {Svg.Number(fit.Att)}; {paths.Count} cohorts against {data.Pattern.NeverTreatedCount} never-treated units; each panel has its own y scale; dotted rule: the cohort's onset."));
    }
}
