using System.Globalization;
using System.Xml.Linq;

namespace CausalPanel.Tests.Reporting;

/// <summary>Reads a chart back: its elements, the values of its lines through the value axis' tick labels, text extents.</summary>
internal static class SvgReading
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    public static double Number(XElement e, string attribute) => double.Parse(e.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);

    public static string[] Texts(XDocument svg) => svg.Descendants(Ns + "text").Select(t => t.Value).ToArray();

    /// <summary>The polylines whose tooltip starts with <paramref name="title"/> (all when null).</summary>
    public static XElement[] Lines(XDocument svg, string? title = null) =>
        svg.Descendants(Ns + "polyline").Where(l => title is null || (l.Element(Ns + "title")?.Value.StartsWith(title, StringComparison.Ordinal) ?? false)).ToArray();

    /// <summary>(screen x, screen y) of a polyline's points.</summary>
    public static (double X, double Y)[] Points(XElement polyline) =>
        polyline.Attribute("points")!.Value.Split(' ').Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture))).ToArray();

    /// <summary>
    /// The value at a screen y, from the value axis: its tick labels (right-aligned numbers left of the plot) sit 4 px
    /// below their grid lines; the two farthest apart fix the linear map.
    /// </summary>
    public static Func<double, double> ValueAxis(XDocument svg)
    {
        var ticks = svg.Descendants(Ns + "text")
            .Where(t => t.Attribute("text-anchor")?.Value == "end" && t.Attribute("transform") is null
                && double.TryParse(t.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .Select(t => (Y: Number(t, "y") - 4, V: double.Parse(t.Value, CultureInfo.InvariantCulture))).OrderBy(t => t.Y).ToArray();
        ticks.Length.Should().BeGreaterThanOrEqualTo(2, "a value axis has tick labels");
        var (top, bottom) = (ticks[0], ticks[^1]);
        return y => top.V + (y - top.Y) * (bottom.V - top.V) / (bottom.Y - top.Y);
    }

    /// <summary>The values a polyline draws, read through the value axis.</summary>
    public static double[] Values(XDocument svg, XElement polyline)
    {
        var value = ValueAxis(svg);
        return Points(polyline).Select(p => value(p.Y)).ToArray();
    }

    /// <summary>
    /// The advance width of text in DejaVu Sans (what rsvg and Linux browsers fall back to for Helvetica), from the
    /// font's metrics (units per em 2048), in pixels at <paramref name="size"/>; characters not listed count as an em.
    /// </summary>
    public static double DejaVuWidth(string text, double size = 12)
    {
        var units = 0;
        foreach (var c in text)
            units += c switch
            {
                >= '0' and <= '9' => 1303, ' ' => 651, '.' or ',' => 651, '(' or ')' => 799, '-' => 739, ':' => 690,
                'a' => 1255, 'b' or 'd' or 'g' or 'p' or 'q' => 1300, 'c' => 1126, 'e' => 1260, 'f' => 721, 'h' or 'n' or 'u' => 1298,
                'i' or 'j' or 'l' => 569, 'k' => 1186, 'm' => 1995, 'o' => 1253, 'r' => 842, 's' => 1067, 't' => 803,
                'v' or 'x' or 'y' => 1212, 'w' => 1675, 'z' => 1075,
                _ => 2048,
            };
        return units / 2048.0 * size;
    }

    /// <summary>The horizontal extent of a text element (anchor start, middle or end) at 12 px.</summary>
    public static (double Left, double Right, double Baseline) Box(XElement text)
    {
        var x = Number(text, "x");
        var w = DejaVuWidth(text.Value, text.Attribute("font-size") is { } f ? double.Parse(f.Value, CultureInfo.InvariantCulture) : 12);
        var left = text.Attribute("text-anchor")?.Value switch { "middle" => x - w / 2, "end" => x - w, _ => x };
        return (left, left + w, Number(text, "y"));
    }

    /// <summary>True when two text boxes on the same baseline (within a line) overlap horizontally.</summary>
    public static bool Overlap((double Left, double Right, double Baseline) a, (double Left, double Right, double Baseline) b) =>
        Math.Abs(a.Baseline - b.Baseline) < 12 && a.Left < b.Right && b.Left < a.Right;
}
