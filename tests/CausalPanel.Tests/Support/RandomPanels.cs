namespace CausalPanel.Tests.Support;

/// <summary>Random panels with known structure, for tests that compare against closed forms.</summary>
internal static class RandomPanels
{
    /// <summary>
    /// Y = a_i + b_t + effect·W + noise, with units adopting treatment at the given periods
    /// (−1 = never). Optionally some untreated cells are unobserved (NaN).
    /// </summary>
    public static PanelData Staggered(int seed, int[] adoption, int periods, double effect = 2.0, double missingShare = 0)
    {
        var rng = new Random(seed);
        int n = adoption.Length;
        var y = new double[n, periods];
        var w = new bool[n, periods];
        var a = Enumerable.Range(0, n).Select(_ => 5 * rng.NextDouble()).ToArray();
        var b = Enumerable.Range(0, periods).Select(_ => 3 * rng.NextDouble()).ToArray();
        for (var i = 0; i < n; i++)
            for (var t = 0; t < periods; t++)
            {
                w[i, t] = adoption[i] >= 0 && t >= adoption[i];
                y[i, t] = a[i] + b[t] + (w[i, t] ? effect + rng.NextDouble() : 0) + rng.NextDouble() - 0.5;
                if (!w[i, t] && rng.NextDouble() < missingShare) y[i, t] = double.NaN;
            }
        return PanelData.FromMatrices(y, w);
    }

    /// <summary>An N×T panel with every listed cell treated and Gaussian-ish outcomes.</summary>
    public static PanelData WithTreatment(int seed, bool[,] w)
    {
        var rng = new Random(seed);
        int n = w.GetLength(0), periods = w.GetLength(1);
        var y = new double[n, periods];
        for (var i = 0; i < n; i++)
            for (var t = 0; t < periods; t++)
                y[i, t] = 10 * rng.NextDouble() + i * 0.3 + t * 0.7 + (w[i, t] ? 1.5 : 0);
        return PanelData.FromMatrices(y, w);
    }
}
