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
    /// Germany's reunification panel (Abadie, Diamond and Hainmueller 2015): log GDP per capita of 17 OECD countries ×
    /// 1960–2003, West Germany treated from 1990, read from pysyncon's <c>data/germany.csv</c> (MIT licence; not bundled)
    /// at the path in <c>CAUSALPANEL_GERMANY_CSV</c>, else <c>shared/data/germany.csv</c> looked for upwards from the
    /// working directory.
    /// </summary>
    public static PanelData Germany()
    {
        var path = Environment.GetEnvironmentVariable("CAUSALPANEL_GERMANY_CSV") ?? FindUpwards(Path.Combine("shared", "data", "germany.csv"))
            ?? throw new FileNotFoundException("germany.csv not found: set CAUSALPANEL_GERMANY_CSV to pysyncon's data/germany.csv (see benchmarks/README.md).");
        var rows = File.ReadLines(path).Skip(1).Select(line => line.Split(',')).Select(f =>
            (Country: f[1], Year: int.Parse(f[2], CultureInfo.InvariantCulture), Gdp: double.Parse(f[3], CultureInfo.InvariantCulture)));
        return PanelData.FromLong(rows.ToList(), r => r.Country, r => r.Year, r => Math.Log(r.Gdp), r => r.Country == "West Germany" && r.Year >= 1990,
            outcomeName: "log GDP per capita");
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
