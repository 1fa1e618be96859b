using System.Globalization;
using System.Security;
using System.Text;

namespace CausalPanel;

/// <summary>What the SVG charts share: palette, escaping, tick steps and the axis frame.</summary>
internal static class Svg
{
    /// <summary>Okabe–Ito colours (colour-blind safe).</summary>
    public static readonly string[] Palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#000000"];

    public static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Escape(string s) => SecurityElement.Escape(s) ?? "";

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="raw"/>.</summary>
    public static double NiceStep(double raw)
    {
        if (!(raw > 0)) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var m = raw / power;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
    }

    /// <summary>The opening tag, white background, title and subtitle.</summary>
    public static StringBuilder Begin(int width, int height, int left, string title, string? subtitle)
    {
        var svg = new StringBuilder();
        svg.AppendLine(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">");
        svg.AppendLine(Inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        svg.AppendLine(Inv, $"<text x=\"{left}\" y=\"24\" font-size=\"16\" font-weight=\"bold\">{Escape(title)}</text>");
        if (subtitle is not null) svg.AppendLine(Inv, $"<text x=\"{left}\" y=\"42\" fill=\"#555555\">{Escape(subtitle)}</text>");
        return svg;
    }

    /// <summary>
    /// Horizontal grid lines with y tick labels from <paramref name="min"/> to <paramref name="max"/> (multiples of
    /// <paramref name="step"/>), the left and bottom axes and the rotated y-axis title.
    /// </summary>
    public static void Frame(StringBuilder svg, double min, double max, double step, Func<double, double> y, int left, int right, int top, int bottom, string yTitle)
    {
        for (var v = min; v <= max + step / 2; v += step)
        {
            var yv = y(v);
            svg.AppendLine(Inv, $"<line x1=\"{left}\" y1=\"{yv:F1}\" x2=\"{right}\" y2=\"{yv:F1}\" stroke=\"#e5e5e5\"/>");
            svg.AppendLine(Inv, $"<text x=\"{left - 6}\" y=\"{yv + 4:F1}\" text-anchor=\"end\">{v:0.##}</text>");
        }
        svg.AppendLine(Inv, $"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{bottom}\" stroke=\"#333333\"/>");
        svg.AppendLine(Inv, $"<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{right}\" y2=\"{bottom}\" stroke=\"#333333\"/>");
        svg.AppendLine(Inv, $"<text transform=\"translate(16 {(top + bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(yTitle)}</text>");
    }

    /// <summary>A legend entry: a swatch (filled box, or a line with an optional dash pattern) and its label.</summary>
    public static void LegendEntry(StringBuilder svg, int x, int y, string colour, string label, string? dash = null, bool line = false)
    {
        svg.AppendLine(line
            ? string.Create(Inv, $"<line x1=\"{x}\" y1=\"{y - 4}\" x2=\"{x + 20}\" y2=\"{y - 4}\" stroke=\"{colour}\" stroke-width=\"2\"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")}/>")
            : string.Create(Inv, $"<rect x=\"{x}\" y=\"{y - 10}\" width=\"12\" height=\"12\" fill=\"{colour}\"/>"));
        svg.AppendLine(Inv, $"<text x=\"{x + (line ? 26 : 16)}\" y=\"{y + 1}\">{Escape(label)}</text>");
    }
}
