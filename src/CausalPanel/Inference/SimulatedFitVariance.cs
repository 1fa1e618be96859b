using MathNet.Numerics.Distributions;

namespace CausalPanel;

/// <summary>
/// The variance of a fit's ATT under the two-way noise model σ²_it = v_i b²_t, by simulation: the fit's estimator re-run on
/// noise-only panels of the fit's rows and treatment paths. For an estimator whose weights follow the noise — SDID's time
/// weights, fitted to the controls' post-period means with as many pre-periods as there are controls — the fixed-weight
/// variance Σ_it c²_it σ²_it counts every control's noise at full weight, though the weights absorb much of it in sample: on a
/// two-way 10 × 10 block under strong noise SDID's control part has a quarter of that variance, and a placebo fit, with fewer
/// controls, less than its real fit (docs/simulations/rescaled-placebo-bias.md). Its callers require an ATT invariant to additive
/// unit and period effects (<see cref="EstimationResult.InvariantToTwoWayEffects"/>), so that noise-only panels stand for panels
/// with any such effects; not for the panel's interactive factors, which the weights also fit: the simulation then takes them for
/// noise the weights absorb — the plug-in's absolute variance comes out too small there, the rescaling's ratios hold
/// (docs/simulations/simulated-variance.md); the plug-in's use is opt-in, the rescaling's SDID's default with more than one treated unit. Each draw k's noise is the same
/// in every fit (common random numbers), so that ratios of these variances vary less than the variances.
/// </summary>
internal static class SimulatedFitVariance
{
    /// <summary>
    /// E τ̂² of each fit (its panel layout and the noise panels to draw) under the noise model, from its draws: τ̂²_k − T²_k + Σ_{treated i,t} c²_it σ²_it per draw, T_k =
    /// Σ_{treated i,t} c_it y_it the treated units' part of τ̂_k at its fitted linear weights c (<see cref="EstimationResult.LinearWeights"/>).
    /// The treated part's variance is exact in expectation (the weights are fitted without the treated units' post-period noise), so
    /// only the control part and the cross term are left to the draws; for an estimator without linear weights, τ̂²_k. With each
    /// mean, its Monte-Carlo variance (the draws' sample variance over their number). <paramref name="progress"/> counts finished fits.
    /// </summary>
    public static (double Mean, double MonteCarloVariance)[] Of(EstimationResult fit, IReadOnlyList<(UnitPlaceboVariance.PlaceboLayout Layout, int Draws)> fits, double[] unitVariances, double[] periodVariances,
        int seed, int maxDegreeOfParallelism, IProgress<int>? progress, CancellationToken ct)
    {
        var data = fit.Data;
        int n = data.UnitCount, t = data.PeriodCount;
        var periodSd = periodVariances.Select(Math.Sqrt).ToArray();
        return Replicates.Run(fits.Count, f =>
        {
            var (layout, draws) = fits[f];
            var rows = layout.Rows;
            var estimator = fit.ForReplicate(rows[..layout.Controls], fixWeights: false);
            var unitSd = rows.Select(i => Math.Sqrt(unitVariances[i])).ToArray();
            var noise = new double[n * t];
            double sum = 0, sumOfSquares = 0;
            for (var k = 0; k < draws; k++)
            {
                ct.ThrowIfCancellationRequested();
                Normal.Samples(Replicates.Stream(seed, k), noise, 0, 1);
                var panel = Replicates.Panel(data, rows, r => layout.Adoption[r], outcome: (r, s) => unitSd[r] * periodSd[s] * noise[rows[r] * t + s]);
                var replicate = estimator.Estimate(panel, ct);
                var square = replicate.Att * replicate.Att;
                if (replicate.LinearWeights() is { } c)
                {
                    double part = 0, variance = 0;
                    for (var r = layout.Controls; r < rows.Length; r++)   // the treated rows
                        for (var s = 0; s < t; s++)
                        {
                            part += c[r * t + s] * panel.Outcomes[r, s];
                            variance += c[r * t + s] * c[r * t + s] * unitSd[r] * unitSd[r] * periodVariances[s];
                        }
                    square += variance - part * part;
                }
                sum += square;
                sumOfSquares += square * square;
            }
            var mean = sum / draws;
            return (mean, draws > 1 ? Math.Max(0, sumOfSquares - draws * mean * mean) / (draws - 1) / draws : 0);
        }, maxDegreeOfParallelism, progress, ct);
    }
}
