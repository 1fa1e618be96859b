using System.Text.Json.Nodes;

namespace CausalPanel;

/// <summary>
/// Heat map of a panel's treatment pattern, periods across: one row per unit, or, for many units, one band per
/// treatment history (an adoption cohort, the never-treated units, each switching path) labelled with its unit count,
/// as R <c>panelView</c>'s <c>collapse.history</c> draws it. Column width and row height are chosen separately, so a
/// long panel (5 × 500) gets thin columns and readable rows, and period labels are thinned to fit.
/// </summary>
internal static class PatternChart
{
    /// <summary>Above this many units the rows are grouped by treatment history unless told otherwise.</summary>
    public const int MaxUnitRows = 60;

    private const string Treated = "#D55E00", Untreated = "#E8EEF4", Unobserved = "#FFFFFF";

    /// <summary>A row of the chart: its label, its unit count and, per period, how many of its units are treated and how many unobserved.</summary>
    private sealed record Row(string Label, int Units, int[] Treated, int[] Missing);

    public static string Render(PanelData data, bool? byHistory, string? title)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.UnitCount, t = data.PeriodCount;
        var (grouped, rows) = Rows(data, byHistory);

        double cw, rh;
        var square = Math.Min(Math.Min(720.0 / t, 600.0 / rows.Length), 24);
        if (!grouped && square >= 8) cw = rh = square;
        else
        {
            cw = Math.Clamp(720.0 / t, 0.5, grouped ? 60 : 24);
            rh = grouped ? 24 : Math.Clamp(600.0 / rows.Length, 0.5, 24);
        }
        var showRows = rh >= 8;
        var labelWidth = showRows ? Math.Min(260, rows.Max(r => Svg.TextWidth(r.Label, Math.Min(12, rh)))) : 0;
        var left = (int)Math.Ceiling(30 + labelWidth + 8);
        const int right = 24;
        var plotWidth = t * cw;
        var width = (int)Math.Ceiling(Math.Max(640, left + plotWidth + right));
        var p = data.Pattern;
        var partly = rows.Any(r => Enumerable.Range(0, t).Any(s => Kind(r, s) == 2));

        var heading = Svg.Head(width, Math.Min(left, 64), title ?? "Treatment pattern", Subtitle(data, grouped, rows));
        List<Svg.Key> keys = [new("treated", Treated, Svg.Swatch.Box), new("untreated", Untreated, Svg.Swatch.OutlinedBox)];
        if (data.Outcomes.UnobservedCount > 0) keys.Add(new("unobserved", Unobserved, Svg.Swatch.OutlinedBox));
        if (partly) keys.Add(new("untreated, some units unobserved", "url(#partly)", Svg.Swatch.OutlinedBox));
        var top = heading.Bottom + 4;
        var bottom = top + rows.Length * rh;
        var legendTop = bottom + 58;
        var height = (int)Math.Ceiling(legendTop + Svg.LegendHeight(keys, left, width - left - right) + 4);

        var svg = Svg.Begin(width, height, heading);
        if (partly)
            svg.AppendLine($"<defs><pattern id=\"partly\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\"><rect width=\"4\" height=\"4\" fill=\"{Untreated}\"/><path d=\"M0,4 L4,0\" stroke=\"#9AA8B5\" stroke-width=\"1\"/></pattern></defs>");
        for (var r = 0; r < rows.Length; r++)
        {
            var row = rows[r];
            var y = top + r * rh;
            // Runs of equal cells (equal counts too) as one rectangle keep the file small.
            for (var s = 0; s < t;)
            {
                var kind = Kind(row, s);
                var end = s + 1;
                while (end < t && Kind(row, end) == kind && row.Treated[end] == row.Treated[s] && row.Missing[end] == row.Missing[s]) end++;
                var fill = kind switch { 1 => Treated, 0 => Untreated, 2 => "url(#partly)", _ => Unobserved };
                var stroke = kind < 0 ? " stroke=\"#cccccc\" stroke-width=\"0.5\"" : "";
                var tip = grouped ? $"<title>{Svg.Escape(Tip(data, row, s, end))}</title>" : "";
                svg.AppendLine(Svg.Inv, $"<rect x=\"{left + s * cw:0.##}\" y=\"{y:0.##}\" width=\"{(end - s) * cw:0.##}\" height=\"{rh:0.##}\" fill=\"{fill}\"{stroke}>{tip}</rect>");
                s = end;
            }
            if (showRows) svg.AppendLine(Svg.Inv, $"<line x1=\"{left}\" y1=\"{y + rh:0.##}\" x2=\"{left + plotWidth:0.##}\" y2=\"{y + rh:0.##}\" stroke=\"white\" stroke-width=\"1\"/>");   // row separators
            if (showRows)
                svg.AppendLine(Svg.Inv, $"<text x=\"{left - 6}\" y=\"{y + rh / 2 + Math.Min(12, rh) * 0.35:0.##}\" text-anchor=\"end\" font-size=\"{Math.Min(12, rh):0.#}\">{Svg.Escape(row.Label)}</text>");
        }
        Svg.XLabels(svg, Enumerable.Range(0, t).Select(s => (left + (s + 0.5) * cw, data.Periods[s])).ToArray(), bottom + 16);
        Svg.XTitle(svg, "period", left, left + plotWidth, bottom + 36);
        Svg.YTitle(svg, grouped ? "treatment history (units)" : "unit", 16, (top + bottom) / 2);
        Svg.Legend(svg, keys, left, legendTop, width - left - right);
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    /// <summary>The design, its size and counts; how the rows are grouped.</summary>
    private static string?[] Subtitle(PanelData data, bool grouped, Row[] rows)
    {
        var p = data.Pattern;
        return
        [
            $"{p.Design.ToString().ToLowerInvariant()} design: {data.UnitCount} units × {data.PeriodCount} periods; {p.TreatedUnitCount} treated unit(s), {data.Treatment.TreatedCount} treated cell(s), {data.Outcomes.UnobservedCount} unobserved",
            grouped ? $"Units grouped by treatment history: {rows.Length} row(s), each with its unit count." : null,
        ];
    }

    /// <summary>The chart's rows: one per unit, or per treatment history when asked or when there are more than <see cref="MaxUnitRows"/> units.</summary>
    private static (bool Grouped, Row[] Rows) Rows(PanelData data, bool? byHistory)
    {
        var grouped = byHistory ?? data.UnitCount > MaxUnitRows;
        return (grouped, grouped ? Histories(data) : Enumerable.Range(0, data.UnitCount).Select(i => UnitRow(data, i)).ToArray());
    }

    /// <summary>
    /// The same chart as a Vega-Lite spec: one rect per row and period (<c>unit</c> is the row's label, a unit or a
    /// treatment history with its count), coloured by the cell kind, with the counts in the tooltip.
    /// </summary>
    public static string Spec(PanelData data, bool? byHistory, string? title)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (grouped, rows) = Rows(data, byHistory);
        var values = new JsonArray();
        for (var r = 0; r < rows.Length; r++)
            for (var s = 0; s < data.PeriodCount; s++)
            {
                var record = new JsonObject
                {
                    ["unit"] = rows[r].Label, ["unitIndex"] = r, ["period"] = data.Periods[s], ["periodIndex"] = s, ["cell"] = KindName(Kind(rows[r], s)),
                };
                if (grouped)
                {
                    record["units"] = rows[r].Units;
                    record["treated"] = rows[r].Treated[s];
                    record["unobserved"] = rows[r].Missing[s];
                }
                values.Add(record);
            }
        (string Kind, string Colour)[] palette = [("treated", Treated), ("untreated", Untreated), ("unobserved", Unobserved), ("untreated, some units unobserved", "#B8C4CF")];
        var present = palette.Where(k => values.Any(v => (string?)v!["cell"] == k.Kind)).ToArray();
        var thin = data.PeriodCount > 60;
        return VegaLite.Spec(title ?? "Treatment pattern", new JsonObject
        {
            ["height"] = Math.Clamp(rows.Length * (grouped ? 24 : 20), 100, 1200),
            ["data"] = new JsonObject { ["values"] = values },
            ["mark"] = "rect",
            ["encoding"] = new JsonObject
            {
                ["x"] = new JsonObject
                {
                    ["field"] = "period", ["type"] = "ordinal", ["sort"] = new JsonObject { ["field"] = "periodIndex" },
                    ["axis"] = new JsonObject { ["labelOverlap"] = "greedy", ["labelAngle"] = 0, ["ticks"] = !thin },
                },
                ["y"] = new JsonObject
                {
                    ["field"] = "unit", ["type"] = "ordinal", ["sort"] = new JsonObject { ["field"] = "unitIndex" }, ["title"] = grouped ? "treatment history (units)" : "unit",
                    ["axis"] = new JsonObject { ["labelOverlap"] = true, ["labelLimit"] = 260 },
                },
                ["color"] = new JsonObject
                {
                    ["field"] = "cell", ["type"] = "nominal", ["title"] = null, ["legend"] = new JsonObject { ["orient"] = "bottom" },
                    ["scale"] = new JsonObject
                    {
                        ["domain"] = new JsonArray(present.Select(k => (JsonNode)k.Kind).ToArray()), ["range"] = new JsonArray(present.Select(k => (JsonNode)k.Colour).ToArray()),
                    },
                },
                ["stroke"] = new JsonObject { ["value"] = thin ? "transparent" : "#ffffff" },
                ["strokeWidth"] = new JsonObject { ["value"] = thin ? 0 : 0.5 },
                ["tooltip"] = grouped
                    ? new JsonArray(new JsonObject { ["field"] = "unit" }, new JsonObject { ["field"] = "period" }, new JsonObject { ["field"] = "treated" }, new JsonObject { ["field"] = "unobserved" })
                    : new JsonArray(new JsonObject { ["field"] = "unit" }, new JsonObject { ["field"] = "period" }, new JsonObject { ["field"] = "cell" }),
            },
        }, Subtitle(data, grouped, rows));
    }

    /// <summary>1 treated (some unit of the row is), −1 unobserved (all its units are), 2 untreated with some units unobserved, 0 untreated.</summary>
    private static int Kind(Row row, int s) =>
        row.Treated[s] > 0 ? 1 : row.Missing[s] == row.Units ? -1 : row.Missing[s] > 0 ? 2 : 0;

    private static string KindName(int kind) => kind switch { 1 => "treated", 0 => "untreated", 2 => "untreated, some units unobserved", _ => "unobserved" };

    /// <summary>"treated from 2004 (20 units), 2004–2007: 20 treated, 0 unobserved" (a run has the same counts throughout).</summary>
    private static string Tip(PanelData data, Row row, int from, int end) =>
        $"{row.Label}, {(end - from > 1 ? $"{data.Periods[from]}–{data.Periods[end - 1]}" : data.Periods[from])}: {row.Treated[from]} treated, {row.Missing[from]} unobserved";

    private static Row UnitRow(PanelData data, int i)
    {
        int t = data.PeriodCount;
        var treated = new int[t];
        var missing = new int[t];
        for (var s = 0; s < t; s++)
        {
            treated[s] = data.Treatment[i, s] ? 1 : 0;
            missing[s] = data.Outcomes.IsObserved(i, s) ? 0 : 1;
        }
        return new Row(data.Units[i], 1, treated, missing);
    }

    /// <summary>
    /// One row per adoption cohort (by adoption period), then one per distinct path of the units that switch
    /// treatment off, then one for the never-treated units; each counts its units and, per period, its treated and
    /// unobserved units.
    /// </summary>
    private static Row[] Histories(PanelData data)
    {
        var p = data.Pattern;
        var switching = p.SwitchingUnitIndices.ToHashSet();
        return Enumerable.Range(0, data.UnitCount)
            .GroupBy(i => switching.Contains(i)
                ? (Order: 1, First: p.FirstTreatedPeriodIndex(i)!.Value, Path: string.Concat(Enumerable.Range(0, data.PeriodCount).Select(s => data.Treatment[i, s] ? '1' : '0')))
                : p.FirstTreatedPeriodIndex(i) is { } first ? (Order: 0, First: first, Path: "") : (Order: 2, First: 0, Path: ""))
            .OrderBy(g => g.Key.Order).ThenBy(g => g.Key.First).ThenBy(g => g.Key.Path, StringComparer.Ordinal)
            .Select(g =>
            {
                var units = g.Select(i => UnitRow(data, i)).ToArray();
                var label = g.Key.Order switch
                {
                    0 => $"treated from {data.Periods[g.Key.First]}",
                    1 => $"switching, first treated {data.Periods[g.Key.First]}",
                    _ => "never treated",
                };
                return new Row($"{label} ({SummaryText.Count(units.Length, "unit")})", units.Length,
                    Enumerable.Range(0, data.PeriodCount).Select(s => units.Sum(u => u.Treated[s])).ToArray(),
                    Enumerable.Range(0, data.PeriodCount).Select(s => units.Sum(u => u.Missing[s])).ToArray());
            }).ToArray();
    }
}
