using System.Globalization;

namespace CausalPanel.Tests.Support;

/// <summary>
/// Reads back the rows <see cref="VarianceComparisonResult.ToCsv"/> wrote, so that a simulation re-running some parts can keep
/// the committed rows of the others. The tercile counts are not in the file: each is the count near a third of the valid
/// replications at which the tercile's size is a whole number of rejections. Files written before the bias, rmse and
/// misfit_share columns read them as NaN.
/// </summary>
internal static class VarianceComparisonCsv
{
    public static IReadOnlyList<VarianceComparisonRow> Read(string path)
    {
        using var reader = File.OpenText(path);
        var table = CsvTable.Read(reader);
        var rows = new List<VarianceComparisonRow>();
        foreach (var (_, f) in table.Rows)
        {
            double D(string name) => double.Parse(f[table.Column(name)], CultureInfo.InvariantCulture);
            int I(string name) => int.Parse(f[table.Column(name)], CultureInfo.InvariantCulture);
            double Optional(string name) => CsvTable.Find(table.Header, name) >= 0 ? D(name) : double.NaN;
            var valid = I("valid");
            var terciles = new[] { D("size_low"), D("size_mid"), D("size_high") };
            var effects = Enumerable.Range(1, 9).TakeWhile(k => CsvTable.Find(table.Header, $"effect_{k}") >= 0 && f[table.Column($"effect_{k}")].Length > 0).ToArray();
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
                MinimumDetectableEffect = f[table.Column("mde80")].Length > 0 ? D("mde80") : null,
                MdeIsExact = f[table.Column("mde_exact")] == "true",
                MeanIntervalLength = D("ci_length"),
                Bias = Optional("bias"), RootMeanSquaredError = Optional("rmse"), MisfitShare = Optional("misfit_share"),
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
}
