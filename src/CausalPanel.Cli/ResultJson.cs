using System.Text;
using System.Text.Json;

namespace CausalPanel.Cli;

/// <summary>
/// The machine-readable results (--json, and results.json in --out): one object with "schemaVersion" (docs/cli.md
/// documents version 1), the tool version, the command, the input, the panel and the command's results. Numbers are
/// written at full precision (they read back to the same doubles); a non-finite number is null.
/// </summary>
internal static class ResultJson
{
    /// <summary>The version of the layout documented in docs/cli.md; raised when a field changes meaning or is removed.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The tool's (and the library's) version.</summary>
    public static string ToolVersion => typeof(PanelData).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>A document: the common header, then <paramref name="body"/>'s properties.</summary>
    public static string Document(string command, object? input, PanelData? panel, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", SchemaVersion);
            w.WriteString("tool", "causalpanel");
            w.WriteString("version", ToolVersion);
            w.WriteString("command", command);
            if (input is not null)
            {
                w.WritePropertyName("input");
                JsonSerializer.Serialize(w, input);
            }
            if (panel is not null) Panel(w, panel);
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>"panel": the design as describe prints it.</summary>
    public static void Panel(Utf8JsonWriter w, PanelData data)
    {
        var p = data.Pattern;
        w.WriteStartObject("panel");
        w.WriteString("outcome", data.OutcomeName);
        w.WriteNumber("units", data.UnitCount);
        w.WriteNumber("periods", data.PeriodCount);
        w.WriteNumber("treatedUnits", p.TreatedUnitCount);
        w.WriteNumber("neverTreatedUnits", p.NeverTreatedCount);
        w.WriteNumber("treatedCells", p.TreatedCellCount);
        w.WriteNumber("unobservedCells", data.Outcomes.UnobservedCount);
        w.WriteString("design", p.Design.ToString());
        w.WriteString("periodOrdering", data.PeriodOrdering.ToString());
        Strings(w, "periodLabels", data.Periods);
        w.WriteStartArray("cohorts");
        foreach (var c in p.Cohorts)
        {
            w.WriteStartObject();
            w.WriteString("period", c.Period);
            Strings(w, "units", c.Units);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Strings(w, "notes", data.Notes);
        w.WriteEndObject();
    }

    /// <summary>One fit and its variance (null = none asked).</summary>
    public static void Estimate(Utf8JsonWriter w, EstimationResult fit, VarianceResult? variance)
    {
        w.WriteStartObject();
        w.WriteString("estimator", fit.Estimator);
        Number(w, "att", fit.Att);
        w.WriteNumber("anticipation", fit.Anticipation);
        w.WriteString("controlGroup", fit.ControlGroup.ToString());
        if (variance is null) w.WriteNull("variance");
        else Variance(w, variance);
        w.WriteStartArray("cellEffects");
        foreach (var c in fit.CellEffects) Cell(w, c);
        w.WriteEndArray();
        w.WriteStartArray("anticipationEffects");
        foreach (var c in fit.AnticipationEffects) Cell(w, c);
        w.WriteEndArray();
        w.WriteStartArray("effectsByPeriod");
        foreach (var e in fit.EffectsByPeriod)
        {
            w.WriteStartObject();
            w.WriteString("period", e.Period);
            Number(w, "effect", e.Effect);
            w.WriteNumber("treatedCells", e.TreatedCells);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("effectsByEventTime");
        foreach (var e in fit.EffectsByEventTime)
        {
            w.WriteStartObject();
            w.WriteNumber("eventTime", e.EventTime);
            Number(w, "effect", e.Effect);
            w.WriteNumber("treatedCells", e.TreatedCells);
            Number(w, "standardError", variance is not null && variance.EventTimeStandardErrors.TryGetValue(e.EventTime, out var se) ? se : double.NaN);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Penalties(w, fit);
        if (fit.Diagnostics is { } d)
        {
            w.WriteStartObject("solver");
            w.WriteString("name", d.Solver);
            w.WriteNumber("iterations", d.Iterations);
            w.WriteBoolean("converged", d.Converged);
            w.WriteEndObject();
        }
        Strings(w, "warnings", fit.Warnings);
        w.WriteEndObject();
    }

    /// <summary>
    /// "penalties": MC-NNM's λ or DWCP's three λ's as used (chosen by cross-validation or tuning, or given), the
    /// nuclear-norm λ "inf" when there is no low-rank term, so they can be passed back as --mc-lambda / --dwcp-lambdas.
    /// </summary>
    private static void Penalties(Utf8JsonWriter w, EstimationResult fit)
    {
        switch (fit)
        {
            case MatrixCompletionResult mc:
                w.WriteStartObject("penalties");
                Number(w, "lambda", mc.Lambda);
                w.WriteEndObject();
                break;
            case DwcpResult dwcp:
                w.WriteStartObject("penalties");
                Number(w, "lambdaUnit", dwcp.LambdaUnit);
                Number(w, "lambdaTime", dwcp.LambdaTime);
                if (double.IsPositiveInfinity(dwcp.LambdaNuclear)) w.WriteString("lambdaNuclear", "inf");
                else Number(w, "lambdaNuclear", dwcp.LambdaNuclear);
                w.WriteEndObject();
                break;
            default:
                w.WriteNull("penalties");
                break;
        }
    }

    /// <summary>The penalties as the command-line option that fixes them, e.g. "--dwcp-lambdas 0.4,0.1,inf"; null for other fits.</summary>
    public static string? PenaltyOption(EstimationResult fit) => fit switch
    {
        MatrixCompletionResult mc => FormattableString.Invariant($"--mc-lambda {mc.Lambda:R}"),
        DwcpResult d => FormattableString.Invariant($"--dwcp-lambdas {d.LambdaUnit:R},{d.LambdaTime:R},{(double.IsPositiveInfinity(d.LambdaNuclear) ? "inf" : d.LambdaNuclear.ToString("R", System.Globalization.CultureInfo.InvariantCulture))}"),
        _ => null,
    };

    /// <summary>"variance": the method's result; the replicates themselves are in the array "replicates".</summary>
    public static void Variance(Utf8JsonWriter w, VarianceResult v)
    {
        w.WriteStartObject("variance");
        w.WriteString("method", v.Method);
        w.WriteString("target", v.Target.ToString());
        w.WriteBoolean("isDefined", v.IsDefined);
        if (v.UndefinedReason is { } reason) w.WriteString("undefinedReason", reason);
        else w.WriteNull("undefinedReason");
        Number(w, "standardError", v.IsDefined ? v.StandardError : double.NaN);
        Number(w, "level", v.ConfidenceLevel);
        if (v.IsDefined)
        {
            var ci = v.ConfidenceInterval;
            Number(w, "lower", ci.Lower);
            Number(w, "upper", ci.Upper);
            w.WriteString("intervalMethod", ci.Method);
            Number(w, "pValue", v.PValue);
        }
        if (v.Seed is { } seed) w.WriteNumber("seed", seed);
        w.WriteNumber("requestedReplications", v.RequestedReplications);
        w.WriteNumber("validReplications", v.ValidReplications);
        w.WriteStartArray("replicates");
        foreach (var r in v.Replicates) Value(w, r);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Cell(Utf8JsonWriter w, TreatedCellEffect c)
    {
        w.WriteStartObject();
        w.WriteString("unit", c.Unit);
        w.WriteString("period", c.Period);
        w.WriteNumber("eventTime", c.EventTime);
        Number(w, "observed", c.Observed);
        Number(w, "counterfactual", c.Counterfactual);
        Number(w, "effect", c.Effect);
        w.WriteEndObject();
    }

    /// <summary>A finite number at full precision, or null.</summary>
    public static void Number(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        Value(w, value);
    }

    /// <summary>A nullable number (null when absent or not finite).</summary>
    public static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v) Number(w, name, v);
        else w.WriteNull(name);
    }

    private static void Value(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value)) w.WriteNumberValue(value);
        else w.WriteNullValue();
    }

    /// <summary>An array of numbers (null for those not finite).</summary>
    public static void Numbers(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) Value(w, v);
        w.WriteEndArray();
    }

    /// <summary>An array of strings.</summary>
    public static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
