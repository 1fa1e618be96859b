using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel.Tests.Support;

/// <summary>
/// Brute-force least squares with explicit dummy columns, solved by dense QR: the independent
/// reference for two-way fixed-effects computations.
/// </summary>
internal static class DenseLeastSquares
{
    /// <summary>
    /// Regresses Y on an intercept, unit dummies (first dropped), period dummies (first dropped)
    /// and any extra columns, over the cells selected; returns the coefficients and a predictor.
    /// </summary>
    public static (Vector<double> Coefficients, Func<int, int, double> Fitted) TwoWay(
        PanelData data, Func<int, int, bool> include, params Func<int, int, double>[] extra)
    {
        int n = data.UnitCount, t = data.PeriodCount;
        var rows = new List<(int I, int T)>();
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                if (data.Outcomes.IsObserved(i, s) && include(i, s)) rows.Add((i, s));
        int p = 1 + (n - 1) + (t - 1) + extra.Length;
        var x = Matrix<double>.Build.Dense(rows.Count, p);
        var y = Vector<double>.Build.Dense(rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var (i, s) = rows[r];
            Fill(x, r, i, s, n, t, extra);
            y[r] = data.Outcomes[i, s];
        }
        var beta = x.QR().Solve(y);
        return (beta, (i, s) =>
        {
            var row = Matrix<double>.Build.Dense(1, p);
            Fill(row, 0, i, s, n, t, extra);
            return (row * beta)[0];
        });
    }

    private static void Fill(Matrix<double> x, int r, int i, int s, int n, int t, Func<int, int, double>[] extra)
    {
        x[r, 0] = 1;
        if (i > 0) x[r, i] = 1;
        if (s > 0) x[r, n - 1 + s] = 1;
        for (var e = 0; e < extra.Length; e++) x[r, n + t - 1 + e] = extra[e](i, s);
    }
}
