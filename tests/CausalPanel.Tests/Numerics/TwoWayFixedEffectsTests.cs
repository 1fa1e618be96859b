using CausalPanel.Numerics;

namespace CausalPanel.Tests.Numerics;

public class TwoWayFixedEffectsTests
{
    [Fact]
    public void Recovers_exact_two_way_data_when_weights_span_thirty_orders_of_magnitude()
    {
        // DWCP's block weights exp(−2λ_unit d_j)·exp(−2λ_time d_s) reach 1e-30 on far units and periods;
        // the fit must still reproduce y = a_i + b_t, which it fits exactly at any positive weights.
        const int n = 30, t = 40;
        var rng = new Random(4);
        var a = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 5).ToArray();
        var b = Enumerable.Range(0, t).Select(_ => rng.NextDouble() * 3).ToArray();
        var y = new double[n * t];
        var w = new double[n * t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                y[i * t + s] = a[i] + b[s];
                w[i * t + s] = Math.Exp(-1.2 * i - 1.5 * Math.Abs(s - 35));
            }

        var alpha = new double[n];
        var beta = new double[t];
        new TwoWayFixedEffects(w, n, t).Fit(y, alpha, beta);

        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                (alpha[i] + beta[s]).Should().BeApproximately(y[i * t + s], 1e-8);
        beta.Sum().Should().BeApproximately(0, 1e-9);
    }

    [Fact]
    public void Periods_without_weight_are_pinned_to_zero()
    {
        // Period 2 has no weighted cell: β_2 = 0; the others sum to 0.
        var w = new double[] { 1, 1, 0, 1, 2, 1, 0, 3, 1, 1, 0, 1 };
        var y = new double[] { 1, 2, 9, 4, 3, 4, 9, 6, 0, 1, 9, 3 };
        var alpha = new double[3];
        var beta = new double[4];
        new TwoWayFixedEffects(w, 3, 4).Fit(y, alpha, beta);
        beta[2].Should().Be(0);
        (beta[0] + beta[1] + beta[3]).Should().BeApproximately(0, 1e-12);
    }
}
