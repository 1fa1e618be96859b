namespace CausalPanel;

/// <summary>Histogram of a variance method's replicate estimates with the point estimate marked (a placebo or bootstrap distribution).</summary>
internal static class PlaceboChart
{
    public static string Render(VarianceResult result, string? title)
    {
        ArgumentNullException.ThrowIfNull(result);
        var values = result.Replicates.Where(double.IsFinite).ToArray();
        if (values.Length < 2)
            throw new InvalidOperationException($"The {result.Method} result has {values.Length} replicate estimate(s); a distribution needs at least two{(result.IsDefined ? "" : $" (the method was undefined: {result.UndefinedReason})")}.");
        const int left = 64, right = 24, top = 64, plotHeight = 280, bottomMargin = 80, width = 640;
        var height = top + plotHeight + bottomMargin;

        var lo = Math.Min(values.Min(), result.Estimate);
        var hi = Math.Max(values.Max(), result.Estimate);
        var bins = Math.Clamp((int)Math.Ceiling(2 * Math.Sqrt(values.Length)), 8, 40);
        var xStep = Svg.NiceStep((hi - lo) / bins);
        var xMin = Math.Floor(lo / xStep) * xStep;
        var xMax = Math.Ceiling(hi / xStep) * xStep;
        if (xMax <= xMin) xMax = xMin + xStep;
        var count = (int)Math.Round((xMax - xMin) / xStep);
        var counts = new int[count];
        foreach (var v in values) counts[Math.Min(count - 1, (int)((v - xMin) / xStep))]++;
        var yStep = Math.Max(1, Svg.NiceStep(counts.Max() / 5.0));
        var yMax = Math.Ceiling((counts.Max() + 0.5) / yStep) * yStep;
        double X(double v) => left + (width - right - left) * (v - xMin) / (xMax - xMin);
        double Y(double c) => top + plotHeight * (1 - c / yMax);

        var svg = Svg.Begin(width, height, left, title ?? $"{result.Method}: distribution of the {values.Length} replicate estimates",
            string.Create(Svg.Inv, $"estimate {result.Estimate:G4}, SE {result.StandardError:G4}{(result.PlaceboPValue is { } p ? string.Create(Svg.Inv, $", placebo p-value {p:G3}") : "")}"));
        Svg.Frame(svg, 0, yMax, yStep, Y, left, width - right, top, top + plotHeight, "replicates");
        for (var b = 0; b < count; b++)
        {
            if (counts[b] == 0) continue;
            double x0 = X(xMin + b * xStep), x1 = X(xMin + (b + 1) * xStep);
            svg.AppendLine(Svg.Inv, $"<rect x=\"{x0 + 1:F1}\" y=\"{Y(counts[b]):F1}\" width=\"{x1 - x0 - 2:F1}\" height=\"{top + plotHeight - Y(counts[b]):F1}\" fill=\"{Svg.Palette[4]}\"><title>{counts[b]} in [{xMin + b * xStep:G4}, {xMin + (b + 1) * xStep:G4})</title></rect>");
        }
        var labelEvery = Math.Max(1, (int)Math.Ceiling(count / 8.0));
        for (var b = 0; b <= count; b += labelEvery)
            svg.AppendLine(Svg.Inv, $"<text x=\"{X(xMin + b * xStep):F1}\" y=\"{top + plotHeight + 16}\" text-anchor=\"middle\">{xMin + b * xStep:0.###}</text>");
        Svg.XTitle(svg, result.ReplicatesArePlaceboEffects ? "placebo estimate" : "replicate estimate", left, width - right, top + plotHeight + 36);
        var xe = X(result.Estimate);
        svg.AppendLine(Svg.Inv, $"<line x1=\"{xe:F1}\" y1=\"{top}\" x2=\"{xe:F1}\" y2=\"{top + plotHeight}\" stroke=\"{Svg.Palette[5]}\" stroke-width=\"2\"/>");
        Svg.LegendEntry(svg, left, height - 18, Svg.Palette[4], result.ReplicatesArePlaceboEffects ? "placebo estimates" : "replicate estimates");
        Svg.LegendEntry(svg, left + 180, height - 18, Svg.Palette[5], "the estimate", line: true);
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
