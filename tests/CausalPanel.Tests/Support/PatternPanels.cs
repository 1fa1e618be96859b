namespace CausalPanel.Tests.Support;

/// <summary>
/// Small panels drawn as text: one word per unit, one character per period — '1' treated,
/// '0' untreated, '.' unobserved. Units are "unit0".., periods 2000, 2001, ...
/// </summary>
internal static class PatternPanels
{
    public static PanelData Parse(string pattern, int seed = 5)
    {
        var lines = pattern.Split(' ');
        int n = lines.Length, t = lines[0].Length;
        var y = new double[n, t];
        var w = new bool[n, t];
        var rng = new Random(seed);
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                w[i, s] = lines[i][s] == '1';
                y[i, s] = lines[i][s] == '.' ? double.NaN : i + s + rng.NextDouble();
            }
        return PanelData.FromMatrices(y, w, Enumerable.Range(0, n).Select(i => $"unit{i}"), Enumerable.Range(2000, t).Select(s => s.ToString()));
    }
}
