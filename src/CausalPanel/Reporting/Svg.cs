using System.Globalization;
using System.Security;
using System.Text;

namespace CausalPanel;

/// <summary>What the SVG charts share: palette, escaping, text widths, axes, tick labels, headings, legends and onset labels.</summary>
internal static class Svg
{
    /// <summary>Okabe–Ito colours (colour-blind safe).</summary>
    public static readonly string[] Palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#000000"];

    public static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Height of one line of 12-px text (legend rows, onset-label rows, subtitle lines).</summary>
    public const int LineHeight = 16;

    public static string Escape(string s) => SecurityElement.Escape(s) ?? "";

    /// <summary>
    /// A width in pixels that the text does not exceed at <paramref name="fontSize"/>: generous per-character
    /// widths that cover DejaVu Sans (what rsvg and most Linux browsers fall back to, the widest of the usual
    /// sans-serif fonts) as well as Helvetica and Arial.
    /// </summary>
    public static double TextWidth(string text, double fontSize = 12)
    {
        double em = 0;
        foreach (var c in text)
            em += c switch
            {
                ' ' or '.' or ',' or ':' or ';' or '\'' or '|' or '!' or 'i' or 'j' or 'l' or 'I' => 0.4,
                '(' or ')' or '[' or ']' or 'f' or 't' or 'r' or '/' or '-' or '"' => 0.48,
                'm' or 'w' or 'M' or 'W' or '%' or '—' or '−' or '@' or '×' => 1.0,
                _ when char.IsUpper(c) => 0.8,
                _ => 0.64,
            };
        return em * fontSize;
    }

    /// <summary>A number for a chart's text: four significant digits (whole numbers from 10⁴ to 10¹⁵), invariant culture, ∞ for infinities.</summary>
    public static string Number(double x) =>
        !double.IsFinite(x) ? SummaryText.Number(x) : Math.Abs(x) >= 1e4 && Math.Abs(x) < 1e15 ? x.ToString("F0", Inv) : x.ToString("G4", Inv);

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="raw"/>.</summary>
    public static double NiceStep(double raw)
    {
        if (!(raw > 0)) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var m = raw / power;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
    }

    /// <summary>
    /// A value axis covering the finite <paramref name="values"/> (and 0 with <paramref name="zero"/>) in about
    /// <paramref name="ticks"/> steps of 1, 2 or 5 times a power of ten, from and to multiples of the step.
    /// </summary>
    public static Axis NiceAxis(IEnumerable<double> values, bool zero = false, int ticks = 5)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (zero || finite.Count == 0) finite.Add(0);
        double lo = finite.Min(), hi = finite.Max();
        var step = NiceStep((hi - lo) / ticks);
        if (hi == lo) step = NiceStep(Math.Abs(hi) / ticks);
        var min = Math.Floor(lo / step) * step;
        var max = Math.Ceiling(hi / step) * step;
        if (max <= min) max = min + step;
        return new Axis(min, max, step);
    }

    /// <summary>A value axis: from <see cref="Min"/> to <see cref="Max"/> with ticks every <see cref="Step"/>.</summary>
    public readonly record struct Axis(double Min, double Max, double Step)
    {
        /// <summary>The tick values, rounded to the step's decimals (no −0, no 0.30000000000000004).</summary>
        public IEnumerable<double> Ticks()
        {
            var count = (int)Math.Round((Max - Min) / Step);
            var decimals = Decimals;
            for (var k = 0; k <= count; k++)
            {
                var v = Math.Round(Min + k * Step, Math.Min(15, decimals + 1));
                yield return Math.Abs(v) < Step * 1e-9 ? 0 : v;
            }
        }

        /// <summary>Decimals that tell the ticks apart (0 for a step of 1 or more).</summary>
        public int Decimals => Math.Max(0, -(int)Math.Floor(Math.Log10(Step) + 1e-9));

        /// <summary>A tick value as its label, with the step's decimals.</summary>
        public string Label(double v) => v.ToString("F" + Decimals.ToString(Inv), Inv);

        /// <summary>The widest tick label, in pixels.</summary>
        public double LabelWidth
        {
            get
            {
                var axis = this;
                return Ticks().Max(v => TextWidth(axis.Label(v)));
            }
        }
    }

    /// <summary>
    /// The left margin a plot with value axis <paramref name="axis"/> needs: the rotated axis title, its tick labels
    /// and a gap (at least 64 px, the margin of the charts' text).
    /// </summary>
    public static int LeftMargin(Axis axis, int titleLines = 1) => Math.Max(64, (int)Math.Ceiling(30 + axis.LabelWidth + 10)) + LineHeight * (titleLines - 1);

    /// <summary>The title and subtitle lines of a chart, wrapped to its width, and the y below them.</summary>
    public sealed record Heading(int Left, IReadOnlyList<string> Title, IReadOnlyList<string> Subtitle)
    {
        /// <summary>Baseline of the first title line.</summary>
        public const int TitleY = 24;

        /// <summary>The y at which the content below the heading may start (with a gap).</summary>
        public int Bottom => TitleY + 20 * (Title.Count - 1) + (Subtitle.Count == 0 ? 0 : 18 + LineHeight * (Subtitle.Count - 1)) + 22;
    }

    /// <summary>The title (16 px bold) and subtitle lines (each wrapped at word boundaries) of a chart <paramref name="width"/> wide.</summary>
    public static Heading Head(int width, int left, string title, params IEnumerable<string?> subtitle)
    {
        var room = width - left - 12;
        return new Heading(left, Wrap(title, room, 16 * 1.08), subtitle.OfType<string>().Where(s => s.Length > 0).SelectMany(s => Wrap(s, room)).ToArray());
    }

    /// <summary>Text broken at spaces into lines no wider than <paramref name="width"/> (a word longer than that stands alone).</summary>
    public static IReadOnlyList<string> Wrap(string text, double width, double fontSize = 12)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' '))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && TextWidth(candidate, fontSize) > width)
            {
                lines.Add(line);
                line = word;
            }
            else line = candidate;
        }
        lines.Add(line);
        return lines;
    }

    /// <summary>The opening tag, white background, title and subtitle (one line each).</summary>
    public static StringBuilder Begin(int width, int height, int left, string title, string? subtitle) =>
        Begin(width, height, new Heading(left, [title], subtitle is null ? [] : [subtitle]));

    /// <summary>The opening tag, white background, and the heading's title and subtitle lines.</summary>
    public static StringBuilder Begin(int width, int height, Heading heading)
    {
        var svg = new StringBuilder();
        svg.AppendLine(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">");
        svg.AppendLine(Inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        var y = Heading.TitleY;
        foreach (var line in heading.Title)
        {
            svg.AppendLine(Inv, $"<text x=\"{heading.Left}\" y=\"{y}\" font-size=\"16\" font-weight=\"bold\">{Escape(line)}</text>");
            y += 20;
        }
        y -= 2;
        foreach (var line in heading.Subtitle)
        {
            svg.AppendLine(Inv, $"<text x=\"{heading.Left}\" y=\"{y}\" fill=\"#555555\">{Escape(line)}</text>");
            y += LineHeight;
        }
        return svg;
    }

    /// <summary>
    /// Horizontal grid lines with y tick labels from <paramref name="min"/> to <paramref name="max"/> (multiples of
    /// <paramref name="step"/>), the left and bottom axes and the rotated y-axis title.
    /// </summary>
    public static void Frame(StringBuilder svg, double min, double max, double step, Func<double, double> y, int left, int right, int top, int bottom, string yTitle) =>
        Frame(svg, new Axis(min, max, step), y, left, right, top, bottom, yTitle, 16);

    /// <summary>
    /// Horizontal grid lines with the axis' tick labels, the left and bottom axes and the y-axis title rotated at
    /// <paramref name="titleX"/> (none when empty).
    /// </summary>
    public static void Frame(StringBuilder svg, Axis axis, Func<double, double> y, double left, double right, double top, double bottom, string yTitle, double titleX)
    {
        foreach (var v in axis.Ticks())
        {
            var yv = y(v);
            svg.AppendLine(Inv, $"<line x1=\"{left:F1}\" y1=\"{yv:F1}\" x2=\"{right:F1}\" y2=\"{yv:F1}\" stroke=\"#e5e5e5\"/>");
            svg.AppendLine(Inv, $"<text x=\"{left - 6:F1}\" y=\"{yv + 4:F1}\" text-anchor=\"end\">{axis.Label(v)}</text>");
        }
        svg.AppendLine(Inv, $"<line x1=\"{left:F1}\" y1=\"{top:F1}\" x2=\"{left:F1}\" y2=\"{bottom:F1}\" stroke=\"#333333\"/>");
        svg.AppendLine(Inv, $"<line x1=\"{left:F1}\" y1=\"{bottom:F1}\" x2=\"{right:F1}\" y2=\"{bottom:F1}\" stroke=\"#333333\"/>");
        if (yTitle.Length > 0) YTitle(svg, yTitle, titleX, (top + bottom) / 2, bottom - top);
    }

    /// <summary>
    /// A y-axis title rotated to read upwards, centred at (<paramref name="x"/>, <paramref name="y"/>); one longer
    /// than <paramref name="length"/> is wrapped into lines that step right by <see cref="LineHeight"/> (see <see cref="YTitleLines"/>).
    /// </summary>
    public static void YTitle(StringBuilder svg, string title, double x, double y, double length = double.PositiveInfinity)
    {
        var lines = Wrap(title, length);
        for (var k = 0; k < lines.Count; k++)
            svg.AppendLine(Inv, $"<text transform=\"translate({x + k * LineHeight:F1} {y:F1}) rotate(-90)\" text-anchor=\"middle\">{Escape(lines[k])}</text>");
    }

    /// <summary>Lines a y-axis title takes along a plot <paramref name="length"/> high.</summary>
    public static int YTitleLines(string title, double length) => Wrap(title, length).Count;

    /// <summary>An x-axis title centred under the plot at baseline <paramref name="y"/>.</summary>
    public static void XTitle(StringBuilder svg, string title, double left, double right, double y) =>
        svg.AppendLine(Inv, $"<text x=\"{(left + right) / 2:F1}\" y=\"{y:F1}\" text-anchor=\"middle\">{Escape(title)}</text>");

    /// <summary>
    /// Labels under an x axis at baseline <paramref name="y"/>, centred on their positions and thinned to every k-th
    /// (k the smallest step at which the widest label and a gap fit between neighbours; always including the entries
    /// for which <paramref name="keep"/> is true when it fits the same step, e.g. event time 0).
    /// </summary>
    public static void XLabels(StringBuilder svg, IReadOnlyList<(double X, string Label)> labels, double y, Func<int, bool>? keep = null)
    {
        if (labels.Count == 0) return;
        var spacing = labels.Count < 2 ? double.PositiveInfinity : (labels[^1].X - labels[0].X) / (labels.Count - 1);
        var every = Math.Max(1, (int)Math.Ceiling((labels.Max(l => TextWidth(l.Label)) + 8) / spacing));
        var anchor = keep is null ? 0 : Enumerable.Range(0, labels.Count).FirstOrDefault(keep) % every;
        for (var k = anchor; k < labels.Count; k += every)
            svg.AppendLine(Inv, $"<text x=\"{labels[k].X:F1}\" y=\"{y:F1}\" text-anchor=\"middle\">{Escape(labels[k].Label)}</text>");
    }

    /// <summary>A polyline through the finite points (a gap in the data breaks nothing: the line joins its neighbours).</summary>
    public static void Polyline(StringBuilder svg, IEnumerable<(double X, double Y)> points, string colour, string? dash = null, double width = 2, double opacity = 1, string? tooltip = null) =>
        svg.AppendLine(Inv, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"{width:0.##}\"{(opacity < 1 ? string.Create(Inv, $" stroke-opacity=\"{opacity:0.##}\"") : "")}{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")} points=\"{string.Join(" ", points.Where(p => double.IsFinite(p.Y)).Select(p => string.Create(Inv, $"{p.X:F1},{p.Y:F1}")))}\">{(tooltip is null ? "" : $"<title>{Escape(tooltip)}</title>")}</polyline>");

    /// <summary>A dashed vertical line from <paramref name="top"/> to <paramref name="bottom"/>, with an optional tooltip.</summary>
    public static void VerticalRule(StringBuilder svg, double x, double top, double bottom, string colour = "#999999", string dash = "2 3", string? tooltip = null) =>
        svg.AppendLine(Inv, $"<line x1=\"{x:F1}\" y1=\"{top:F1}\" x2=\"{x:F1}\" y2=\"{bottom:F1}\" stroke=\"{colour}\" stroke-dasharray=\"{dash}\">{(tooltip is null ? "" : $"<title>{Escape(tooltip)}</title>")}</line>");

    /// <summary>A horizontal line across the plot at <paramref name="y"/> (the zero line of effects and gaps).</summary>
    public static void HorizontalRule(StringBuilder svg, double y, double left, double right, string colour = "#333333", string dash = "4 3") =>
        svg.AppendLine(Inv, $"<line x1=\"{left:F1}\" y1=\"{y:F1}\" x2=\"{right:F1}\" y2=\"{y:F1}\" stroke=\"{colour}\" stroke-dasharray=\"{dash}\"/>");

    /// <summary>A legend entry: a swatch (filled box, or a line with an optional dash pattern) and its label.</summary>
    public static void LegendEntry(StringBuilder svg, int x, int y, string colour, string label, string? dash = null, bool line = false)
    {
        svg.AppendLine(line
            ? string.Create(Inv, $"<line x1=\"{x}\" y1=\"{y - 4}\" x2=\"{x + 20}\" y2=\"{y - 4}\" stroke=\"{colour}\" stroke-width=\"2\"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")}/>")
            : string.Create(Inv, $"<rect x=\"{x}\" y=\"{y - 10}\" width=\"12\" height=\"12\" fill=\"{colour}\"/>"));
        svg.AppendLine(Inv, $"<text x=\"{x + (line ? 26 : 16)}\" y=\"{y + 1}\">{Escape(label)}</text>");
    }

    /// <summary>A point's fill attributes: its colour, or white ringed in it when hollow.</summary>
    public static string PointFill(string colour, bool hollow) =>
        hollow ? $"fill=\"#ffffff\" stroke=\"{colour}\" stroke-width=\"1.5\"" : $"fill=\"{colour}\"";

    /// <summary>How a legend key draws its swatch.</summary>
    public enum Swatch
    {
        /// <summary>A filled 12-px box.</summary>
        Box,
        /// <summary>A 2-px line, dashed when the key has a dash pattern.</summary>
        Line,
        /// <summary>A translucent box (a band or ribbon).</summary>
        Band,
        /// <summary>A point with a vertical error bar.</summary>
        PointRange,
        /// <summary>A hollow point with a vertical error bar (a second round of the palette).</summary>
        HollowPointRange,
        /// <summary>A thin vertical dashed rule (an onset marker).</summary>
        Rule,
        /// <summary>A box with a grey border (a white or pale cell).</summary>
        OutlinedBox,
    }

    /// <summary>One legend entry.</summary>
    public readonly record struct Key(string Label, string Colour, Swatch Swatch, string? Dash = null, double Width = 2);

    private static double KeyWidth(Key key) => 28 + TextWidth(key.Label);

    /// <summary>
    /// The legend's entries in a grid from <paramref name="left"/>: as many equal columns (as wide as the widest entry)
    /// as fit in <paramref name="width"/>, filled row by row.
    /// </summary>
    private static List<List<(Key Key, double X)>> LegendRows(IReadOnlyList<Key> keys, double left, double width)
    {
        var column = keys.Max(KeyWidth) + 18;
        var columns = Math.Max(1, (int)((width + 18) / column));
        return keys.Select((key, k) => (key, k)).GroupBy(e => e.k / columns)
            .Select(row => row.Select(e => (e.key, left + (e.k % columns) * column)).ToList()).ToList();
    }

    /// <summary>The height of the legend of <see cref="Legend"/>.</summary>
    public static int LegendHeight(IReadOnlyList<Key> keys, double left, double width) => LegendRows(keys, left, width).Count * (LineHeight + 4);

    /// <summary>A legend whose first row's baseline is <paramref name="y"/>; entries flow into rows no wider than <paramref name="width"/>.</summary>
    public static void Legend(StringBuilder svg, IReadOnlyList<Key> keys, double left, double y, double width)
    {
        foreach (var row in LegendRows(keys, left, width))
        {
            foreach (var (key, x) in row)
            {
                var dash = key.Dash is null ? "" : $" stroke-dasharray=\"{key.Dash}\"";
                svg.AppendLine(key.Swatch switch
                {
                    Swatch.Box => string.Create(Inv, $"<rect x=\"{x + 4:F1}\" y=\"{y - 10:F1}\" width=\"12\" height=\"12\" fill=\"{key.Colour}\"/>"),
                    Swatch.OutlinedBox => string.Create(Inv, $"<rect x=\"{x + 4:F1}\" y=\"{y - 10:F1}\" width=\"12\" height=\"12\" fill=\"{key.Colour}\" stroke=\"#999999\"/>"),
                    Swatch.Band => string.Create(Inv, $"<rect x=\"{x:F1}\" y=\"{y - 11:F1}\" width=\"20\" height=\"14\" fill=\"{key.Colour}\" fill-opacity=\"0.35\"/>"),
                    Swatch.Line => string.Create(Inv, $"<line x1=\"{x:F1}\" y1=\"{y - 4:F1}\" x2=\"{x + 20:F1}\" y2=\"{y - 4:F1}\" stroke=\"{key.Colour}\" stroke-width=\"{key.Width:0.##}\"{dash}/>"),
                    Swatch.Rule => string.Create(Inv, $"<line x1=\"{x + 10:F1}\" y1=\"{y - 12:F1}\" x2=\"{x + 10:F1}\" y2=\"{y + 3:F1}\" stroke=\"{key.Colour}\"{dash}/>"),
                    _ => string.Create(Inv, $"<line x1=\"{x + 10:F1}\" y1=\"{y - 12:F1}\" x2=\"{x + 10:F1}\" y2=\"{y + 3:F1}\" stroke=\"{key.Colour}\" stroke-width=\"1.5\"/><circle cx=\"{x + 10:F1}\" cy=\"{y - 4.5:F1}\" r=\"3\" {PointFill(key.Colour, key.Swatch == Swatch.HollowPointRange)}/>"),
                });
                svg.AppendLine(Inv, $"<text x=\"{x + 26:F1}\" y=\"{y + 1:F1}\">{Escape(key.Label)}</text>");
            }
            y += LineHeight + 4;
        }
    }

    /// <summary>An onset label placed by <see cref="StackLabels"/>: its text, centre x, row (0 = nearest the plot) and colour.</summary>
    public readonly record struct PlacedLabel(string Text, double X, int Row, string Colour);

    /// <summary>
    /// Places labels that belong at x positions (onset markers) in rows above a plot so that no two overlap: each is
    /// centred on its x (kept inside [<paramref name="minX"/>, <paramref name="maxX"/>]) and goes to the first row
    /// where its box, widened by a gap, meets no other. At most <paramref name="maxRows"/> rows: labels that fit in
    /// none are left out (null; their marker keeps the label as its tooltip), never overprinted. Empty labels take no room.
    /// </summary>
    public static PlacedLabel?[] StackLabels(IReadOnlyList<(double X, string Text, string Colour)> labels, double minX, double maxX, int maxRows = 4)
    {
        const double gap = 6;
        var placed = new PlacedLabel?[labels.Count];
        var rows = new List<List<(double L, double R)>>();
        foreach (var k in Enumerable.Range(0, labels.Count).Where(k => labels[k].Text.Length > 0).OrderBy(k => labels[k].X))
        {
            var (x, text, colour) = labels[k];
            var w = TextWidth(text);
            var l = Math.Clamp(x - w / 2, minX, Math.Max(minX, maxX - w));
            var r = l + w;
            var row = rows.FindIndex(boxes => boxes.All(b => r + gap <= b.L || l >= b.R + gap));
            if (row < 0)
            {
                if (rows.Count == maxRows) continue;
                rows.Add([]);
                row = rows.Count - 1;
            }
            rows[row].Add((l, r));
            placed[k] = new PlacedLabel(text, (l + r) / 2, row, colour);
        }
        return placed;
    }

    /// <summary>Rows <see cref="StackLabels"/> used.</summary>
    public static int Rows(IEnumerable<PlacedLabel?> labels) => labels.OfType<PlacedLabel>().Select(l => l.Row + 1).DefaultIfEmpty(0).Max();

    /// <summary>
    /// Onset markers: a dashed vertical rule through the plot at each x and its label (placed by
    /// <see cref="StackLabels"/>) in the rows above <paramref name="top"/>, row 0 nearest the plot.
    /// </summary>
    public static void Onsets(StringBuilder svg, IReadOnlyList<(double X, string Text, string Colour)> onsets, IReadOnlyList<PlacedLabel?> placed, double top, double bottom)
    {
        for (var k = 0; k < onsets.Count; k++)
        {
            VerticalRule(svg, onsets[k].X, top, bottom, onsets[k].Colour, tooltip: onsets[k].Text.Length > 0 ? onsets[k].Text : null);
            if (placed[k] is { } p)
                svg.AppendLine(Inv, $"<text class=\"onset-label\" x=\"{p.X:F1}\" y=\"{top - 6 - p.Row * LineHeight:F1}\" text-anchor=\"middle\" fill=\"{(p.Colour == "#999999" ? "#555555" : p.Colour)}\">{Escape(p.Text)}</text>");
        }
    }
}
