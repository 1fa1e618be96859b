using System.Text.Json.Nodes;
using System.Text;

namespace CausalPanel;

/// <summary>
/// The frame of a one-panel chart over an ordered, evenly spaced x axis (periods or event times): heading, value
/// axis with grid and title, thinned x labels and title, optional zero line, onset markers with labels stacked so
/// they never overprint, and a legend flowed under the plot. Charts draw their series between construction and
/// <see cref="Finish"/>, with <see cref="X"/> and <see cref="Y"/>.
/// </summary>
internal sealed class LinePlot
{
    private const int Right = 24;
    private readonly IReadOnlyList<Svg.Key> _keys;
    private readonly Svg.Axis _axis;
    private readonly int _count, _legendTop;

    /// <param name="x">The x labels, one per position 0, 1, ….</param>
    /// <param name="values">The values to show (sets the value axis).</param>
    /// <param name="zero">Include 0 in the value axis and draw the zero line.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="subtitle">Subtitle sentences (nulls skipped), wrapped to the width.</param>
    /// <param name="yTitle">Value-axis title.</param>
    /// <param name="xTitle">X-axis title.</param>
    /// <param name="onsets">Marker positions (fractional: −0.5 lies between positions −1 and 0 … here between 0 and 1 at 0.5), labels and colours.</param>
    /// <param name="keys">Legend entries.</param>
    /// <param name="keepLabel">An x position whose label the thinning keeps (e.g. event time 0).</param>
    /// <param name="plotHeight">Height of the plot area.</param>
    public LinePlot(IReadOnlyList<string> x, IEnumerable<double> values, bool zero, string title, IEnumerable<string?> subtitle, string yTitle, string xTitle,
        IReadOnlyList<(double Position, string Label, string Colour)> onsets, IReadOnlyList<Svg.Key> keys, int? keepLabel = null, int plotHeight = 300)
    {
        _count = x.Count;
        _keys = keys;
        _axis = Svg.NiceAxis(values, zero);
        Left = Svg.LeftMargin(_axis, Svg.YTitleLines(yTitle, plotHeight));
        Width = Math.Max(640, Left + Right + (int)Math.Min(900, 18 * _count));
        PlotRight = Width - Right;
        var markers = onsets.Select(o => (X(o.Position), o.Label, o.Colour)).ToArray();
        var placed = Svg.StackLabels(markers, Left, PlotRight);
        var heading = Svg.Head(Width, Left, title, subtitle);
        Top = heading.Bottom + Svg.Rows(placed) * Svg.LineHeight;
        Bottom = Top + plotHeight;
        _legendTop = Bottom + 58;
        Height = _legendTop + Svg.LegendHeight(keys, Left, PlotRight - Left) + 4;

        Content = Svg.Begin(Width, Height, heading);
        Svg.Frame(Content, _axis, Y, Left, PlotRight, Top, Bottom, yTitle, 16);
        Svg.XLabels(Content, x.Select((label, k) => (X(k), label)).ToArray(), Bottom + 16, keepLabel is { } keep ? k => k == keep : null);
        Svg.XTitle(Content, xTitle, Left, PlotRight, Bottom + 36);
        if (zero) Svg.HorizontalRule(Content, Y(0), Left, PlotRight);
        Svg.Onsets(Content, markers, placed, Top, Bottom);
    }

    /// <summary>The SVG so far.</summary>
    public StringBuilder Content { get; }

    /// <summary>Chart width and height.</summary>
    public int Width { get; }

    /// <inheritdoc cref="Width"/>
    public int Height { get; }

    /// <summary>The plot area.</summary>
    public int Left { get; }

    /// <inheritdoc cref="Left"/>
    public int PlotRight { get; }

    /// <inheritdoc cref="Left"/>
    public int Top { get; }

    /// <inheritdoc cref="Left"/>
    public int Bottom { get; }

    /// <summary>Screen x of x position <paramref name="k"/> (fractional between positions).</summary>
    public double X(double k)
    {
        var pad = Math.Clamp((PlotRight - Left) / (2.0 * _count), 10, 30);   // half a step, so marks at the ends fit
        return Left + pad + (PlotRight - Left - 2 * pad) * (_count == 1 ? 0.5 : k / (_count - 1));
    }

    /// <summary>Screen y of value <paramref name="v"/>.</summary>
    public double Y(double v) => Top + (Bottom - Top) * (1 - (v - _axis.Min) / (_axis.Max - _axis.Min));

    /// <summary>The legend and the closing tag.</summary>
    public string Finish()
    {
        Svg.Legend(Content, _keys, Left, _legendTop, PlotRight - Left);
        Content.AppendLine("</svg>");
        return Content.ToString();
    }
}

/// <summary>One line of a <see cref="LineChart"/>: a value per x position (NaN = none) and its look.</summary>
/// <param name="Group">The legend entry it belongs to (several lines may share one, e.g. the placebos).</param>
/// <param name="Name">The line's own name (its tooltip).</param>
/// <param name="Values">One value per x position.</param>
/// <param name="Colour">Stroke colour.</param>
/// <param name="Width">Stroke width.</param>
/// <param name="Dash">Dash pattern, or null for solid.</param>
internal sealed record LineSeries(string Group, string Name, IReadOnlyList<double> Values, string Colour, double Width = 2, string? Dash = null);

/// <summary>
/// A line chart over an ordered, evenly spaced x axis, described once and drawn both as SVG (<see cref="LinePlot"/>)
/// and as a Vega-Lite spec with the same lines, onsets, zero line, titles and legend.
/// </summary>
/// <param name="Title">Chart title.</param>
/// <param name="Subtitle">Subtitle sentences (nulls skipped).</param>
/// <param name="YTitle">Value-axis title.</param>
/// <param name="XTitle">X-axis title.</param>
/// <param name="X">The x labels.</param>
/// <param name="Series">The lines, drawn in order (the last on top).</param>
/// <param name="Onsets">Marker positions (fractional x positions), labels and colours.</param>
/// <param name="OnsetKey">The legend entry of the onset markers.</param>
/// <param name="Zero">Include 0 and draw the zero line.</param>
/// <param name="KeepLabel">An x position whose label the thinning keeps.</param>
internal sealed record LineChart(string Title, IReadOnlyList<string?> Subtitle, string YTitle, string XTitle, IReadOnlyList<string> X,
    IReadOnlyList<LineSeries> Series, IReadOnlyList<(double Position, string Label, string Colour)> Onsets, string OnsetKey, bool Zero, int? KeepLabel = null)
{
    private const string OnsetColour = "#999999";

    /// <summary>One legend entry per group, in order of first appearance, then the onsets'.</summary>
    private IEnumerable<LineSeries> Groups => Series.GroupBy(s => s.Group).Select(g => g.First());

    public string ToSvg()
    {
        var keys = Groups.Select(s => new Svg.Key(s.Group, s.Colour, Svg.Swatch.Line, s.Dash, s.Width)).Append(new Svg.Key(OnsetKey, OnsetColour, Svg.Swatch.Rule, "2 3")).ToArray();
        var plot = new LinePlot(X, Series.SelectMany(s => s.Values), Zero, Title, Subtitle, YTitle, XTitle, Onsets, keys, KeepLabel);
        foreach (var s in Series)
            Svg.Polyline(plot.Content, s.Values.Select((v, k) => (plot.X(k), plot.Y(v))), s.Colour, s.Dash, s.Width, tooltip: s.Name);
        return plot.Finish();
    }

    /// <summary>
    /// The Vega-Lite spec: x is the position (<c>index</c>) on a linear scale labelled with the x labels, so that the
    /// onset rules sit between positions as in the SVG; colour, width and dash per group; one record per line and position.
    /// </summary>
    public string ToVegaLite()
    {
        var lines = new JsonArray();
        foreach (var s in Series)
            for (var k = 0; k < X.Count; k++)
                lines.Add(new JsonObject { ["index"] = k, ["x"] = X[k], ["group"] = s.Group, ["series"] = s.Name, ["value"] = VegaLite.Finite(s.Values[k]), ["width"] = s.Width, ["style"] = s.Group });
        var groups = Groups.ToArray();
        JsonArray Range(Func<LineSeries, JsonNode?> f) => new(groups.Select(f).ToArray());
        var domain = Range(g => g.Group);
        var x = VegaLite.PositionAxis(X, XTitle);
        var layers = new JsonArray(
            new JsonObject
            {
                ["data"] = new JsonObject { ["values"] = lines },
                ["mark"] = new JsonObject { ["type"] = "line", ["tooltip"] = true },
                ["encoding"] = new JsonObject
                {
                    ["x"] = x,
                    ["y"] = new JsonObject { ["field"] = "value", ["type"] = "quantitative", ["title"] = YTitle, ["scale"] = new JsonObject { ["zero"] = Zero } },
                    ["detail"] = new JsonObject { ["field"] = "series" },
                    ["color"] = new JsonObject
                    {
                        ["field"] = "group", ["type"] = "nominal", ["title"] = null, ["legend"] = new JsonObject { ["orient"] = "bottom", ["labelLimit"] = 400, ["columns"] = 2 },
                        ["scale"] = new JsonObject { ["domain"] = domain, ["range"] = Range(g => g.Colour) },
                    },
                    ["strokeWidth"] = new JsonObject { ["field"] = "width", ["type"] = "quantitative", ["scale"] = null, ["legend"] = null },
                    ["strokeDash"] = new JsonObject
                    {
                        ["field"] = "style", ["type"] = "nominal", ["legend"] = null,
                        ["scale"] = new JsonObject { ["domain"] = domain.DeepClone(), ["range"] = Range(g => g.Dash is null ? new JsonArray(1, 0) : new JsonArray(g.Dash.Split(' ').Select(d => (JsonNode)double.Parse(d, Svg.Inv)).ToArray())) },
                    },
                },
            },
            new JsonObject
            {
                ["data"] = new JsonObject { ["values"] = new JsonArray(Onsets.Select(o => (JsonNode)new JsonObject { ["position"] = o.Position, ["period"] = o.Label.Length > 0 ? o.Label : null, ["colour"] = o.Colour }).ToArray()) },
                ["mark"] = new JsonObject { ["type"] = "rule", ["strokeDash"] = new JsonArray(2, 3) },
                ["encoding"] = new JsonObject
                {
                    ["x"] = new JsonObject { ["field"] = "position", ["type"] = "quantitative" },
                    ["color"] = new JsonObject { ["field"] = "colour", ["type"] = "nominal", ["scale"] = null, ["legend"] = null },
                    ["tooltip"] = new JsonObject { ["field"] = "period" },
                },
            });
        if (Zero)
            layers.Add(new JsonObject
            {
                ["data"] = new JsonObject { ["values"] = new JsonArray(new JsonObject()) },
                ["mark"] = new JsonObject { ["type"] = "rule", ["color"] = "#333333", ["strokeDash"] = new JsonArray(4, 3) },
                ["encoding"] = new JsonObject { ["y"] = new JsonObject { ["datum"] = 0 } },
            });
        return VegaLite.Spec(Title, new JsonObject
        {
            ["height"] = 300,
            ["layer"] = layers,
            ["resolve"] = new JsonObject { ["scale"] = new JsonObject { ["color"] = "independent" } },
        }, [.. Subtitle, $"Dotted rules: {OnsetKey}."]);
    }
}
