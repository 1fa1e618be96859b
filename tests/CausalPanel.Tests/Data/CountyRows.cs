using System.Globalization;
using System.Text;

namespace CausalPanel.Tests.Data;

/// <summary>One row of a small county panel shaped like R did's mpdta (written here, not copied).</summary>
internal sealed record County(int Year, string Id, double Lpop, double Lemp, int FirstTreat);

/// <summary>
/// Twelve counties × 2003–2007 in long format, staggered: counties 1001–1002 adopt in 2004, 1003–1005 in 2006,
/// 1006–1007 in 2007, 1008–1012 never (first.treat 0, as in did). lpop is constant within a county, lemp varies.
/// </summary>
internal static class CountyRows
{
    public static readonly int[] Years = [2003, 2004, 2005, 2006, 2007];
    public static readonly string[] Ids = Enumerable.Range(1001, 12).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    public static int FirstTreat(int county) => county switch { < 2 => 2004, < 5 => 2006, < 7 => 2007, _ => 0 };

    /// <summary>The rows, years within counties (the order mpdta has); <paramref name="shuffled"/> mixes them.</summary>
    public static List<County> Rows(bool shuffled = false)
    {
        var rows = new List<County>();
        for (var i = 0; i < Ids.Length; i++)
            foreach (var year in Years)
                rows.Add(new County(year, Ids[i], 3 + 0.25 * i, 5 + 0.1 * i + 0.02 * (year - 2003) + 0.01 * Math.Sin(i * year), FirstTreat(i)));
        return shuffled ? rows.OrderBy(r => (r.Year * 7919 + int.Parse(r.Id, CultureInfo.InvariantCulture) * 31) % 101).ToList() : rows;
    }

    /// <summary>W_it = 1 for year ≥ first.treat > 0, computed from the definition (counties and years in order).</summary>
    public static bool[,] Treatment()
    {
        var w = new bool[Ids.Length, Years.Length];
        for (var i = 0; i < Ids.Length; i++)
            for (var s = 0; s < Years.Length; s++)
                w[i, s] = FirstTreat(i) > 0 && Years[s] >= FirstTreat(i);
        return w;
    }

    /// <summary>The rows as a CSV with mpdta's first five columns (year, countyreal, lpop, lemp, first.treat) and d, the 0/1 treatment W_it.</summary>
    public static string Csv(char delimiter = ',', char decimalSeparator = '.', Func<County, string>? firstTreat = null)
    {
        string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture).Replace('.', decimalSeparator);
        var sb = new StringBuilder();
        sb.AppendJoin(delimiter, "year", "countyreal", "lpop", "lemp", "first.treat", "d").Append('\n');
        foreach (var r in Rows())
            sb.AppendJoin(delimiter, r.Year.ToString(CultureInfo.InvariantCulture), r.Id, Number(r.Lpop), Number(r.Lemp),
                firstTreat?.Invoke(r) ?? r.FirstTreat.ToString(CultureInfo.InvariantCulture), r.FirstTreat > 0 && r.Year >= r.FirstTreat ? "1" : "0").Append('\n');
        return sb.ToString();
    }
}
