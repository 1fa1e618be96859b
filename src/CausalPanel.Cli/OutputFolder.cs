using System.Globalization;
using System.Text;

namespace CausalPanel.Cli;

/// <summary>
/// Writes a command's files into --out: tables (CSV, Markdown, LaTeX, HTML, text) through the library's Reporting,
/// effects as CSV, results.json, and charts as SVG with their Vega-Lite specifications (charts/). A chart the library
/// cannot draw for a result (e.g. a placebo histogram without replicates) is skipped with a note saying why.
/// </summary>
internal sealed class OutputFolder
{
    private readonly string _path;
    private readonly List<string> _written = [];
    private readonly List<string> _skipped = [];

    public OutputFolder(string path)
    {
        _path = path;
        try
        {
            Directory.CreateDirectory(Path.Combine(path, "charts"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot create the output folder '{path}': {e.Message}");
        }
    }

    /// <summary>The files written, relative to the folder.</summary>
    public IReadOnlyList<string> Written => _written;

    /// <summary>Charts not drawn, with the library's reason.</summary>
    public IReadOnlyList<string> Skipped => _skipped;

    public void Write(string name, string text)
    {
        File.WriteAllText(Path.Combine(_path, name), text, new UTF8Encoding(false));
        _written.Add(name);
    }

    /// <summary>Writes a chart as charts/NAME.svg and charts/NAME.vl.json, or notes why the library cannot draw it.</summary>
    public void Chart(string name, Func<string> svg, Func<string> vegaLite)
    {
        string drawn, spec;
        try
        {
            (drawn, spec) = (svg(), vegaLite());
        }
        catch (InvalidOperationException e)
        {
            _skipped.Add($"{name}: {e.Message}");
            return;
        }
        Write(Path.Combine("charts", name + ".svg"), drawn);
        Write(Path.Combine("charts", name + ".vl.json"), spec);
    }

    /// <summary>The estimate table in every format the library writes.</summary>
    public void Table(string name, EstimateTable table)
    {
        Write(name + ".txt", table.ToString());
        Write(name + ".csv", table.ToCsv());
        Write(name + ".md", table.ToMarkdown());
        Write(name + ".tex", table.ToLatex());
        Write(name + ".html", table.ToHtml());
    }

    /// <summary>The treatment pattern chart.</summary>
    public void Pattern(PanelData data) => Chart("pattern", () => Charts.Pattern(data), () => VegaLite.Pattern(data));

    /// <summary>Every fit's charts: trajectory, effects by event time (with the variance band), replicate histogram, weights.</summary>
    public void FitCharts(EstimationResult fit, VarianceResult? variance)
    {
        var name = FileName(fit.Estimator);
        Chart($"{name}-trajectory", () => Charts.Trajectory(fit), () => VegaLite.Trajectory(fit));
        Chart($"{name}-effects", () => Charts.Effects(fit, variance), () => VegaLite.Effects(fit, variance));
        if (variance is not null)
            Chart($"{name}-replicates", () => Charts.Placebo(variance), () => VegaLite.Placebo(variance));
        if (fit is SyntheticWeightingResult weighted)
            Chart($"{name}-weights", () => Charts.Weights(weighted), () => VegaLite.Weights(weighted));
    }

    /// <summary>Cell effects of every fit: estimator, unit, period, event time, observed, counterfactual, effect.</summary>
    public static string CellEffects(IEnumerable<EstimationResult> fits)
    {
        var sb = new StringBuilder("estimator,unit,period,event_time,observed,counterfactual,effect,anticipation\n");
        foreach (var fit in fits)
        {
            foreach (var c in fit.CellEffects) Cell(sb, fit, c, false);
            foreach (var c in fit.AnticipationEffects) Cell(sb, fit, c, true);
        }
        return sb.ToString();
    }

    /// <summary>Effects by event time of every fit, with the variance method's standard error where it gives one.</summary>
    public static string EventTimeEffects(IReadOnlyList<EstimationResult> fits, IReadOnlyList<VarianceResult?> variances)
    {
        var sb = new StringBuilder("estimator,event_time,effect,treated_cells,se\n");
        for (var k = 0; k < fits.Count; k++)
            foreach (var e in fits[k].EffectsByEventTime)
            {
                var se = variances[k] is { } v && v.EventTimeStandardErrors.TryGetValue(e.EventTime, out var s) ? R(s) : "";
                sb.Append(CultureInfo.InvariantCulture, $"{Quote(fits[k].Estimator)},{e.EventTime},{R(e.Effect)},{e.TreatedCells},{se}\n");
            }
        return sb.ToString();
    }

    private static void Cell(StringBuilder sb, EstimationResult fit, TreatedCellEffect c, bool anticipation) =>
        sb.Append(CultureInfo.InvariantCulture,
            $"{Quote(fit.Estimator)},{Quote(c.Unit)},{Quote(c.Period)},{c.EventTime},{R(c.Observed)},{R(c.Counterfactual)},{R(c.Effect)},{(anticipation ? 1 : 0)}\n");

    private static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : s;

    /// <summary>A fit's name as a file name: lower case, letters and digits.</summary>
    public static string FileName(string estimator) =>
        new(estimator.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
