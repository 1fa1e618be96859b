using System.Globalization;

namespace CausalPanel.Benchmarks;

/// <summary>The panels the benchmarks run on.</summary>
internal static class Panels
{
    /// <summary>California Proposition 99 (39 × 31, one treated unit).</summary>
    public static PanelData California() => Datasets.CaliforniaSmoking();

    /// <summary>CPS log wages, 50 states × 40 years, the minimum-wage states treated over the last 10 years (the TROP paper's panel).</summary>
    public static PanelData Cps() => Datasets.Cps("log_wage", "min_wage", treatedPeriods: 10);

    /// <summary>
    /// Germany's reunification panel (Abadie, Diamond and Hainmueller 2015, bundled as <see cref="Datasets.Germany"/>) on the
    /// log scale, as the TROP paper uses it: log GDP per capita of 17 OECD countries × 1960–2003, West Germany from 1990.
    /// </summary>
    public static PanelData Germany() => LogOutcomes(Datasets.Germany(), "log GDP per capita");

    /// <summary>The panel with its outcomes replaced by their logarithms.</summary>
    private static PanelData LogOutcomes(PanelData data, string name)
    {
        var y = new double[data.UnitCount, data.PeriodCount];
        var w = new bool[data.UnitCount, data.PeriodCount];
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++)
                (y[i, s], w[i, s]) = (Math.Log(data.Outcomes[i, s]), data.Treatment[i, s]);
        return PanelData.FromMatrices(y, w, data.Units, data.Periods, name);
    }

    /// <summary>
    /// The 1000 × 200 panel the R timings were taken on (<c>../shared/reference/synthetic_1000x200.csv</c>, looked for
    /// upwards from the working directory); if it is not there, a generated panel of the same design (low rank 4,
    /// 100 units treated over the last 20 periods, effect 1).
    /// </summary>
    public static PanelData Synthetic1000x200()
    {
        var path = FindUpwards(Path.Combine("shared", "reference", "synthetic_1000x200.csv"));
        return path is null ? Generated(1000, 200) : PanelData.ReadCsv(path, "unit", "time", "outcome", "treated");
    }

    private static string? FindUpwards(string relative)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        return null;
    }

    /// <summary>
    /// A generated low-rank panel: Y = a_i + 0.01 t + Σ_k u_ik v_tk (rank 4) + uniform noise, the last n/10 units
    /// treated over the last t/10 periods with effect 1. Seeded: the same panel on every run.
    /// </summary>
    public static PanelData Generated(int n, int t)
    {
        const int rank = 4;
        var random = new Random(42);
        var u = new double[n, rank];
        for (var i = 0; i < n; i++)
            for (var k = 0; k < rank; k++) u[i, k] = 2 * random.NextDouble() - 1;
        var y = new double[n, t];
        var w = new bool[n, t];
        for (var i = 0; i < n; i++)
        {
            var a = random.NextDouble();
            for (var s = 0; s < t; s++)
            {
                var level = a + 0.01 * s;
                for (var k = 0; k < rank; k++) level += u[i, k] * Math.Sin(0.05 * s * (k + 1) + k);
                w[i, s] = i >= n - n / 10 && s >= t - t / 10;
                y[i, s] = level + 0.5 * (random.NextDouble() - 0.5) + (w[i, s] ? 1 : 0);
            }
        }
        return PanelData.FromMatrices(y, w);
    }
}
