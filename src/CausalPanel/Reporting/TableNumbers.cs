using System.Globalization;

namespace CausalPanel;

/// <summary>
/// How the tables write numbers: one number of decimals for a whole table, chosen so that its smallest standard
/// error shows three significant digits (the precision the estimate's own uncertainty warrants), rather than a
/// number of significant digits per cell, which lines up badly and implies different precisions side by side.
/// </summary>
internal static class TableNumbers
{
    /// <summary>The most decimals a table shows (standard errors below 10⁻⁸ still get three significant digits up to here).</summary>
    public const int MaxDecimals = 10;

    /// <summary>
    /// Decimals that give the smallest positive finite standard error three significant digits (0.01468 → 4, 9.117 → 2,
    /// 1234 → 0); without one, the smallest nonzero estimate three; without either, 2.
    /// </summary>
    public static int Decimals(IEnumerable<double> standardErrors, IEnumerable<double> estimates)
    {
        static double? Smallest(IEnumerable<double> xs)
        {
            var positive = xs.Select(Math.Abs).Where(x => double.IsFinite(x) && x > 0).ToArray();
            return positive.Length > 0 ? positive.Min() : null;
        }
        return (Smallest(standardErrors) ?? Smallest(estimates)) is { } x
            ? Math.Clamp(2 - (int)Math.Floor(Math.Log10(x)), 0, MaxDecimals)
            : 2;
    }

    /// <summary>Checks a requested number of decimals.</summary>
    public static int Checked(int decimals, string name) =>
        decimals is >= 0 and <= MaxDecimals ? decimals
            : throw new ArgumentOutOfRangeException(name, decimals, $"Decimals must be between 0 and {MaxDecimals}.");

    /// <summary><paramref name="x"/> with <paramref name="decimals"/> decimals ("—" for NaN, ∞ for infinities, no "-0.00").</summary>
    public static TableCell Fixed(double x, int decimals) => x switch
    {
        double.NaN => TableCell.Missing,
        double.PositiveInfinity => new("∞", false, null, @"$\infty$"),
        double.NegativeInfinity => new("-∞", false, null, @"$-\infty$"),
        _ => new(Text(x, decimals), IsNumber: true),
    };

    /// <summary>"[lower, upper]" ("—" when either end is NaN).</summary>
    public static TableCell Interval(double lower, double upper, int decimals) =>
        double.IsNaN(lower) || double.IsNaN(upper) ? TableCell.Missing
            : double.IsInfinity(lower) || double.IsInfinity(upper) ? new($"[{Fixed(lower, decimals).Text}, {Fixed(upper, decimals).Text}]")
            : new($"[{Text(lower, decimals)}, {Text(upper, decimals)}]", IsNumber: true);

    /// <summary>A p-value to three decimals, "&lt;0.001" below 0.0005 ("—" for NaN).</summary>
    public static TableCell PValue(double p) =>
        double.IsNaN(p) ? TableCell.Missing : new(p < 0.0005 ? "<0.001" : p.ToString("F3", CultureInfo.InvariantCulture), IsNumber: true);

    /// <summary>A count.</summary>
    public static TableCell Count(int n) => new(n.ToString(CultureInfo.InvariantCulture), IsNumber: true);

    /// <summary>"90%", "97.5%".</summary>
    public static string Percent(double level) => string.Create(CultureInfo.InvariantCulture, $"{level * 100:0.##}%");

    private static string Text(double x, int decimals) =>
        (Math.Round(x, decimals) == 0 ? 0.0 : x).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
