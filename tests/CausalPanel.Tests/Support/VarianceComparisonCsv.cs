using System.Globalization;

namespace CausalPanel.Tests.Support;

/// <summary>
/// Reads back the rows <see cref="VarianceComparisonResult.ToCsv"/> wrote, so that a simulation re-running some parts can keep
/// the committed rows of the others. The tercile counts are not in the file: each is the count near a third of the valid
/// replications at which the tercile's size is a whole number of rejections.
/// </summary>
internal static class VarianceComparisonCsv
{
    public static IReadOnlyList<VarianceComparisonRow> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = Fields(lines[0]);
        int Column(string name) => Array.IndexOf(header, name);
        var rows = new List<VarianceComparisonRow>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = Fields(line);
            double D(string name) => double.Parse(f[Column(name)], CultureInfo.InvariantCulture);
            int I(string name) => int.Parse(f[Column(name)], CultureInfo.InvariantCulture);
            var valid = I("valid");
            var terciles = new[] { D("size_low"), D("size_mid"), D("size_high") };
            var effects = Enumerable.Range(1, 9).TakeWhile(k => Column($"effect_{k}") >= 0 && f[Column($"effect_{k}")].Length > 0).ToArray();
            rows.Add(new VarianceComparisonRow
            {
                Design = f[0], Estimator = f[1], Method = f[2],
                Replications = I("replications"), Valid = valid, Undefined = I("undefined"),
                Size = valid == 0 ? double.NaN : D("size"),
                SizeByTercile = terciles,
                TercileCounts = terciles.Select(p => Count(p, valid)).ToArray(),
                EffectSizes = effects.Select(k => D($"effect_{k}")).ToArray(),
                Power = effects.Select(k => D($"power_{k}")).ToArray(),
                SizeAdjustedPower = effects.Select(k => D($"sa_power_{k}")).ToArray(),
                MinimumDetectableEffect = f[Column("mde80")].Length > 0 ? D("mde80") : null,
                MdeIsExact = f[Column("mde_exact")] == "true",
                MeanIntervalLength = D("ci_length"),
            });
        }
        return rows;
    }

    private static int Count(double size, int valid)
    {
        var third = valid / 3;
        if (double.IsNaN(size)) return third;
        for (var d = 0; d <= 3; d++)
            foreach (var c in new[] { third + d, third - d })
                if (c > 0 && Math.Abs(size * c - Math.Round(size * c)) < 1e-9) return c;
        return third;
    }

    private static string[] Fields(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var k = 0; k < line.Length; k++)
        {
            var c = line[k];
            if (quoted)
            {
                if (c == '"' && k + 1 < line.Length && line[k + 1] == '"') { current.Append('"'); k++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return [.. fields];
    }
}
