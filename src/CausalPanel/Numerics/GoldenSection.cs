namespace CausalPanel.Numerics;

/// <summary>
/// Golden-section search for a minimum of a one-dimensional function inside a bracket a &lt; x &lt; b with
/// f(x) ≤ f(a), f(b) (Kiefer 1953; the form that starts from any interior point: each probe goes into the larger of
/// [a, x] and [x, b], a fraction (3 − √5)/2 of its length from x, and the bracket keeps the best point inside).
/// After a few steps the points sit at golden ratios and every evaluation shrinks the bracket by 0.618.
/// </summary>
internal static class GoldenSection
{
    private static readonly double Fraction = (3 - Math.Sqrt(5)) / 2;

    /// <summary>
    /// The best point found and its value once b − a ≤ <paramref name="tolerance"/>; <paramref name="fx"/> is f(x),
    /// already known. Ties keep the earlier point, so the result depends on nothing but f.
    /// </summary>
    public static (double X, double Fx) Minimise(Func<double, double> f, double a, double x, double fx, double b, double tolerance)
    {
        while (b - a > tolerance)
        {
            var u = x - a > b - x ? x - Fraction * (x - a) : x + Fraction * (b - x);
            var fu = f(u);
            if (fu < fx)
            {
                if (u < x) b = x; else a = x;
                (x, fx) = (u, fu);
            }
            else if (u < x) a = u;
            else b = u;
        }
        return (x, fx);
    }
}
