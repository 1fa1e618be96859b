using System.Globalization;

namespace CausalPanel.Benchmarks;

/// <summary>
/// Generated panels at users' sizes for the scale benchmarks and the MCPanel parity tests (the test project links this
/// file): Y_it = a_i + 0.01 t + Σ_{k&lt;3} A_ik B_tk + 0.2 (e1 + e2 + e3 + e4 − 2) + W_it, every draw uniform from
/// <see cref="Random"/> with a fixed seed (its seeded sequence is the same on every platform and runtime), and only
/// additions and multiplications after it, so that a panel is bit-identical wherever it is generated. The treated units
/// are the last ones; R reads the CSV written by <see cref="WriteCsv"/> exactly from its hexadecimal column.
/// </summary>
internal static class FactorPanels
{
    /// <summary>
    /// Block design: the last <paramref name="treatedUnits"/> units treated over the last <paramref name="treatedPeriods"/>
    /// periods with effect 1 (5,000 × 100: 500 units × 20 periods).
    /// </summary>
    public static PanelData Block(int n, int t, int treatedUnits, int treatedPeriods, int seed = 2026) =>
        Generate(n, t, seed, i => i >= n - treatedUnits ? t - treatedPeriods : null);

    /// <summary>
    /// Staggered design: the last <paramref name="treatedUnits"/> units split into <paramref name="cohorts"/> equal cohorts
    /// (in unit order) adopting at periods t − <paramref name="firstOnset"/>·(cohorts − c)/cohorts, c = 0.., with effect 1.
    /// </summary>
    public static PanelData Staggered(int n, int t, int treatedUnits, int cohorts, int firstOnset, int seed = 2026) =>
        Generate(n, t, seed, i =>
        {
            if (i < n - treatedUnits) return null;
            var cohort = (i - (n - treatedUnits)) * cohorts / treatedUnits;
            return t - firstOnset * (cohorts - cohort) / cohorts;
        });

    private static PanelData Generate(int n, int t, int seed, Func<int, int?> adoption)
    {
        const int rank = 3;
        var random = new Random(seed);
        double Uniform() => 2 * random.NextDouble() - 1;
        var b = new double[t, rank];
        for (var s = 0; s < t; s++)
            for (var k = 0; k < rank; k++) b[s, k] = Uniform();
        var y = new double[n, t];
        var w = new bool[n, t];
        var a = new double[rank];
        for (var i = 0; i < n; i++)
        {
            var unit = Uniform();
            for (var k = 0; k < rank; k++) a[k] = Uniform();
            var onset = adoption(i);
            for (var s = 0; s < t; s++)
            {
                var value = unit + 0.01 * s;
                for (var k = 0; k < rank; k++) value += a[k] * b[s, k];
                var noise = random.NextDouble() + random.NextDouble() + random.NextDouble() + random.NextDouble() - 2;
                w[i, s] = s >= onset;
                y[i, s] = value + 0.2 * noise + (w[i, s] ? 1 : 0);
            }
        }
        return PanelData.FromMatrices(y, w);
    }

    /// <summary>
    /// Writes the panel as a long CSV: unit, time, outcome (shortest round-trip decimal, which .NET reads back exactly),
    /// outcome_hex (C99 hexadecimal, <c>-0x1.8p+3</c>: R's <c>as.numeric</c> reads it exactly, while R's decimal parser
    /// misreads about 1 in 10,000 of the decimals by an ulp), treated (0/1).
    /// </summary>
    public static void WriteCsv(PanelData panel, string path)
    {
        using var writer = new StreamWriter(path);
        writer.Write("unit,time,outcome,outcome_hex,treated\n");
        for (var i = 0; i < panel.UnitCount; i++)
            for (var s = 0; s < panel.PeriodCount; s++)
            {
                var y = panel.Outcomes[i, s];
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{panel.Units[i]},{panel.Periods[s]},{y:R},{Hexadecimal(y)},{(panel.Treatment[i, s] ? 1 : 0)}\n"));
            }
    }

    /// <summary>A finite double in C99 <c>%a</c> notation (exact).</summary>
    private static string Hexadecimal(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        var sign = bits < 0 ? "-" : "";
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0x7FF) throw new ArgumentException($"{value} has no hexadecimal notation.", nameof(value));
        return exponent == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{sign}0x0.{mantissa:x13}p-1022")
            : string.Create(CultureInfo.InvariantCulture, $"{sign}0x1.{mantissa:x13}p{exponent - 1023:+0;-0}");
    }
}
