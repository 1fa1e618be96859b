using System.Text.Json.Nodes;

namespace CausalPanel;

/// <summary>
/// An event study: leads and lags on one event-time axis with the onset between −1 and 0, each point with its
/// pointwise interval (error bar) over the simultaneous sup-t band (shaded ribbon, leads, anticipation window and lags apart), the zero line,
/// and the pre-trend tests in the subtitle — the chart of R <c>did</c>'s <c>ggdid</c> and <c>fect</c>'s gap plot.
/// </summary>
internal static class EventStudyChart
{
    public const string Lag = "#0072B2", Lead = "#D55E00", Anticipation = "#CC79A7", Band = "#56B4E9", Onset = "#999999";

    public static string Render(EventStudyResult result, string? title)
    {
        ArgumentNullException.ThrowIfNull(result);
        var points = result.Points.OrderBy(p => p.EventTime).ToArray();
        if (points.Length == 0) throw new InvalidOperationException($"This {result.Fit.Estimator} event study has no event times to plot.");
        int first = Math.Min(points[0].EventTime, -1), last = points[^1].EventTime;
        var level = Percent(result.Level);
        var hasBand = HasBand(result);
        var leads = points.Count(p => p.IsLead);

        List<Svg.Key> keys = [new(LagLabel(result), Lag, Svg.Swatch.PointRange)];
        if (leads > 0) keys.Add(new(LeadLabel(result), Lead, Svg.Swatch.PointRange));
        if (points.Any(p => p.IsAnticipation)) keys.Add(new(AnticipationLabel(result), Anticipation, Svg.Swatch.PointRange));
        if (hasBand) keys.Add(new(BandLabel(result), Band, Svg.Swatch.Band));
        keys.Add(new("onset, between event times −1 and 0", Onset, Svg.Swatch.Rule, "2 3"));

        var plot = new LinePlot(Enumerable.Range(first, last - first + 1).Select(e => e.ToString(Svg.Inv)).ToArray(),
            points.SelectMany(p => new[] { p.Effect, p.Lower, p.Upper, p.UniformLower, p.UniformUpper }), zero: true,
            title ?? $"{result.Fit.Estimator} event study: effects by periods since adoption",
            Subtitle(result),
            $"effect on {result.Fit.Data.OutcomeName}", "periods since adoption (event time)", [(-first - 0.5, "", Onset)], keys, keepLabel: -first);
        double X(int eventTime) => plot.X(eventTime - first);

        // The band: one ribbon per run of consecutive event times with a band, leads, anticipation window and lags apart, widened by
        // a third of a step at the ends so that a run of one shows.
        var half = (X(1) - X(0)) / 3;
        foreach (var run in Runs(points, p => double.IsFinite(p.UniformLower) && double.IsFinite(p.UniformUpper)))
        {
            var xs = run.Select(p => X(p.EventTime)).Prepend(X(run[0].EventTime) - half).Append(X(run[^1].EventTime) + half).ToArray();
            var ends = run.Prepend(run[0]).Append(run[^1]).ToArray();
            var upper = xs.Select((x, k) => (X: x, Y: ends[k].UniformUpper));
            var lower = xs.Select((x, k) => (X: x, Y: ends[k].UniformLower)).Reverse();
            var outline = upper.Concat(lower).Select(v => string.Create(Svg.Inv, $"{v.X:F1},{plot.Y(v.Y):F1}"));
            plot.Content.AppendLine(Svg.Inv, $"<polygon class=\"uniform-band\" points=\"{string.Join(" ", outline)}\" fill=\"{Band}\" fill-opacity=\"0.35\" stroke=\"none\"/>");
        }

        foreach (var p in points)
        {
            var x = X(p.EventTime);
            var colour = p.IsLead ? Lead : p.IsAnticipation ? Anticipation : Lag;
            if (double.IsFinite(p.Lower) && double.IsFinite(p.Upper))
            {
                double y0 = plot.Y(p.Lower), y1 = plot.Y(p.Upper);
                plot.Content.AppendLine(Svg.Inv, $"<path class=\"pointwise\" d=\"M{x - 4:F1},{y0:F1}H{x + 4:F1}M{x:F1},{y0:F1}V{y1:F1}M{x - 4:F1},{y1:F1}H{x + 4:F1}\" stroke=\"{colour}\" stroke-width=\"1.5\" fill=\"none\"/>");
            }
            plot.Content.AppendLine(Svg.Inv, $"<circle cx=\"{x:F1}\" cy=\"{plot.Y(p.Effect):F1}\" r=\"3.5\" fill=\"{colour}\"><title>{Svg.Escape(Tooltip(p, level))}</title></circle>");
        }
        return plot.Finish();
    }

    private static bool HasBand(EventStudyResult result) => result.Points.Any(p => double.IsFinite(p.UniformLower) && double.IsFinite(p.UniformUpper));

    private static bool HasIntervals(EventStudyResult result) => result.Points.Any(p => double.IsFinite(p.Lower) && double.IsFinite(p.Upper));

    /// <summary>"lag: effect ± 90% pointwise interval".</summary>
    private static string LagLabel(EventStudyResult result) => $"lag: effect{(HasIntervals(result) ? $" ± {Percent(result.Level)} pointwise interval" : "")}";

    /// <summary>"lead: placebo effect ± 90% pointwise interval".</summary>
    private static string LeadLabel(EventStudyResult result) => $"lead: placebo effect{(HasIntervals(result) ? $" ± {Percent(result.Level)} pointwise interval" : "")}";

    /// <summary>"anticipation window (2 periods): effect ± 90% pointwise interval".</summary>
    private static string AnticipationLabel(EventStudyResult result) =>
        $"anticipation window ({SummaryText.Count(result.Fit.Anticipation, "period")}): effect{(HasIntervals(result) ? $" ± {Percent(result.Level)} pointwise interval" : "")}";

    /// <summary>"90% uniform band (sup-t), all event times jointly".</summary>
    private static string BandLabel(EventStudyResult result) => $"{Percent(result.Level)} uniform band (sup-t), all event times jointly";

    /// <summary>The method and ATT, the numbers of leads and lags, the pre-trend and equivalence tests.</summary>
    private static string?[] Subtitle(EventStudyResult result)
    {
        int leads = result.Points.Count(p => p.IsLead), window = result.Points.Count(p => p.IsAnticipation), lags = result.Points.Count - leads - window;
        return
        [
            $"{result.Method} standard errors; ATT = {Svg.Number(result.Fit.Att)}; {SummaryText.Count(leads, "lead")}{(window > 0 ? $", {window} in the anticipation window" : "")} and {SummaryText.Count(lags, "lag")}.",
            result.PreTrendTest is { } wald ? Test(wald) : leads == 0 ? "No leads, so no pre-trend test." : null,
            result.EquivalenceTest is { } tost ? Test(tost) : null,
        ];
    }

    /// <summary>
    /// The same chart as a Vega-Lite spec: the band as an area per side (leads, lags), the pointwise intervals as rules,
    /// the effects as points, rules at 0 and at event time −0.5; one colour legend for the three.
    /// </summary>
    public static string Spec(EventStudyResult result, string? title)
    {
        ArgumentNullException.ThrowIfNull(result);
        string lag = LagLabel(result), lead = LeadLabel(result), window = AnticipationLabel(result), band = BandLabel(result);
        var anticipating = result.Points.Any(p => p.IsAnticipation);
        var values = new JsonArray(result.Points.OrderBy(p => p.EventTime).Select(p => (JsonNode)new JsonObject
        {
            ["eventTime"] = p.EventTime, ["effect"] = VegaLite.Finite(p.Effect), ["standardError"] = VegaLite.Finite(p.StandardError),
            ["lower"] = VegaLite.Finite(p.Lower), ["upper"] = VegaLite.Finite(p.Upper),
            ["uniformLower"] = VegaLite.Finite(p.UniformLower), ["uniformUpper"] = VegaLite.Finite(p.UniformUpper),
            ["cells"] = p.TreatedCells, ["side"] = p.IsLead ? lead : p.IsAnticipation ? window : lag,
        }).ToArray());
        int first = Math.Min(result.Points.Min(p => p.EventTime), -1), last = result.Points.Max(p => p.EventTime);
        JsonObject X() => new()
        {
            ["field"] = "eventTime", ["type"] = "quantitative", ["title"] = "periods since adoption (event time)",
            ["scale"] = new JsonObject { ["domain"] = new JsonArray(first - 0.5, last + 0.5), ["nice"] = false }, ["axis"] = new JsonObject { ["tickMinStep"] = 1, ["format"] = "d", ["grid"] = false },
        };
        JsonObject Y(string field) => new() { ["field"] = field, ["type"] = "quantitative", ["title"] = $"effect on {result.Fit.Data.OutcomeName}" };
        var colour = new JsonObject
        {
            ["field"] = "side", ["type"] = "nominal", ["title"] = null, ["legend"] = new JsonObject { ["orient"] = "bottom", ["direction"] = "vertical", ["labelLimit"] = 400 },
            ["scale"] = new JsonObject
            {
                ["domain"] = new JsonArray([lag, lead, .. anticipating ? [window] : Array.Empty<string>(), .. HasBand(result) ? [band] : Array.Empty<string>()]),
                ["range"] = new JsonArray([Lag, Lead, .. anticipating ? [Anticipation] : Array.Empty<string>(), .. HasBand(result) ? [Band] : Array.Empty<string>()]),
            },
        };
        JsonObject Rule(JsonObject encoding, int dash) => new()
        {
            ["mark"] = new JsonObject { ["type"] = "rule", ["color"] = dash == 2 ? Onset : "#333333", ["strokeDash"] = new JsonArray(dash, 3) },
            ["encoding"] = encoding,
        };
        return VegaLite.Spec(title ?? $"{result.Fit.Estimator} event study: effects by periods since adoption", new JsonObject
        {
            ["height"] = 300,
            ["data"] = new JsonObject { ["values"] = values },
            ["layer"] = new JsonArray(new JsonNode?[]
            {
                HasBand(result) ? new JsonObject
                {
                    ["mark"] = new JsonObject { ["type"] = "area", ["opacity"] = 0.35 },
                    ["encoding"] = new JsonObject
                    {
                        ["x"] = X(), ["y"] = Y("uniformLower"), ["y2"] = new JsonObject { ["field"] = "uniformUpper" },
                        ["detail"] = new JsonObject { ["field"] = "side" }, ["color"] = new JsonObject { ["datum"] = band, ["scale"] = colour["scale"]!.DeepClone() },
                    },
                } : null,
                HasIntervals(result) ? new JsonObject
                {
                    ["mark"] = new JsonObject { ["type"] = "rule", ["strokeWidth"] = 1.5 },
                    ["encoding"] = new JsonObject { ["x"] = X(), ["y"] = Y("lower"), ["y2"] = new JsonObject { ["field"] = "upper" }, ["color"] = colour.DeepClone() },
                } : null,
                new JsonObject
                {
                    ["mark"] = new JsonObject { ["type"] = "point", ["filled"] = true, ["size"] = 50 },
                    ["encoding"] = new JsonObject
                    {
                        ["x"] = X(), ["y"] = Y("effect"), ["color"] = colour,
                        ["tooltip"] = new JsonArray(new[] { "eventTime", "effect", "standardError", "lower", "upper", "uniformLower", "uniformUpper", "cells" }.Select(f => (JsonNode)new JsonObject { ["field"] = f }).ToArray()),
                    },
                },
                Rule(new JsonObject { ["y"] = new JsonObject { ["datum"] = 0 } }, 4),
                Rule(new JsonObject { ["x"] = new JsonObject { ["datum"] = -0.5 } }, 2),
            }.OfType<JsonNode>().ToArray()),
        }, [.. Subtitle(result), "Dotted rule: the onset, between event times −1 and 0."]);
    }

    /// <summary>The test as it prints (<see cref="PreTrendTest.ToString"/>), ending with a full stop.</summary>
    public static string Test(PreTrendTest test) => $"{test.ToString().TrimEnd('.')}.";

    /// <summary>"90%", "95%", "99.5%".</summary>
    public static string Percent(double level) => $"{Svg.Number(level * 100)}%";

    /// <summary>"event time −2: effect 0.31, SE 0.12, 90% pointwise [0.11, 0.51], uniform [−0.02, 0.64], 40 cells".</summary>
    public static string Tooltip(EventStudyPoint p, string level) =>
        $"event time {p.EventTime}: effect {Svg.Number(p.Effect)}, SE {Svg.Number(p.StandardError)}, {level} pointwise [{Svg.Number(p.Lower)}, {Svg.Number(p.Upper)}], uniform [{Svg.Number(p.UniformLower)}, {Svg.Number(p.UniformUpper)}], {SummaryText.Count(p.TreatedCells, "cell")}";

    /// <summary>Maximal runs of consecutive event times that satisfy <paramref name="has"/>, never mixing leads, the anticipation window and lags.</summary>
    private static IEnumerable<List<EventStudyPoint>> Runs(EventStudyPoint[] points, Func<EventStudyPoint, bool> has)
    {
        var run = new List<EventStudyPoint>();
        foreach (var p in points)
        {
            if (run.Count > 0 && (!has(p) || p.EventTime != run[^1].EventTime + 1 || p.IsLead != run[^1].IsLead || p.IsAnticipation != run[^1].IsAnticipation))
            {
                yield return run;
                run = [];
            }
            if (has(p)) run.Add(p);
        }
        if (run.Count > 0) yield return run;
    }
}
