namespace CausalPanel;

/// <summary>Heat map of a panel's treatment pattern: one row per unit, one column per period; treated, untreated and unobserved cells.</summary>
internal static class PatternChart
{
    public static string Render(PanelData data, string? title)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.UnitCount, t = data.PeriodCount;
        var cell = Math.Clamp(720 / Math.Max(n, t), 2, 24);
        var showUnits = cell >= 8;
        var labelWidth = showUnits ? Math.Min(180, 7 * data.Units.Max(u => u.Length) + 10) : 20;
        int left = labelWidth + 12, top = 64, right = 24;
        var p = data.Pattern;
        var subtitle = $"{p.Design.ToString().ToLowerInvariant()} design: {n} units × {t} periods; {p.TreatedUnitCount} treated unit(s), {data.Treatment.TreatedCount} treated cell(s), {data.Outcomes.UnobservedCount} unobserved";
        var textLeft = Math.Min(left, 64);
        var width = Math.Max(Math.Max(480, left + t * cell + right), textLeft + 7 * subtitle.Length);
        var height = top + n * cell + 70;
        var svg = Svg.Begin(width, height, textLeft, title ?? "Treatment pattern", subtitle);
        const string treated = "#D55E00", untreated = "#E8EEF4", unobserved = "#FFFFFF";
        for (var i = 0; i < n; i++)
        {
            // Runs of equal cells as one rectangle keep the file small.
            for (var s = 0; s < t;)
            {
                var kind = Kind(data, i, s);
                var end = s + 1;
                while (end < t && Kind(data, i, end) == kind) end++;
                var fill = kind switch { 1 => treated, 0 => untreated, _ => unobserved };
                var stroke = kind < 0 ? " stroke=\"#cccccc\" stroke-width=\"0.5\"" : "";
                svg.AppendLine(Svg.Inv, $"<rect x=\"{left + s * cell}\" y=\"{top + i * cell}\" width=\"{(end - s) * cell}\" height=\"{cell}\" fill=\"{fill}\"{stroke}/>");
                s = end;
            }
            if (showUnits)
                svg.AppendLine(Svg.Inv, $"<text x=\"{left - 6}\" y=\"{top + i * cell + cell - 2}\" text-anchor=\"end\" font-size=\"{Math.Min(12, cell)}\">{Svg.Escape(data.Units[i])}</text>");
        }
        var every = Math.Max(1, (int)Math.Ceiling(t * 40.0 / (t * cell)));
        for (var s = 0; s < t; s += every)
            svg.AppendLine(Svg.Inv, $"<text x=\"{left + s * cell + cell / 2.0:F1}\" y=\"{top + n * cell + 16}\" text-anchor=\"middle\">{Svg.Escape(data.Periods[s])}</text>");
        var legendY = height - 18;
        Svg.LegendEntry(svg, left, legendY, treated, "treated");
        Svg.LegendEntry(svg, left + 100, legendY, untreated, "untreated");
        svg.AppendLine(Svg.Inv, $"<rect x=\"{left + 200}\" y=\"{legendY - 10}\" width=\"12\" height=\"12\" fill=\"{unobserved}\" stroke=\"#999999\"/>");
        svg.AppendLine(Svg.Inv, $"<text x=\"{left + 216}\" y=\"{legendY + 1}\">unobserved</text>");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static int Kind(PanelData data, int i, int s) =>
        data.Treatment[i, s] ? 1 : data.Outcomes.IsObserved(i, s) ? 0 : -1;
}
