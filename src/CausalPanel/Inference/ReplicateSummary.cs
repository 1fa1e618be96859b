using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace CausalPanel;

/// <summary>
/// A method's replicates of several quantities at once (event times, ATT(g, t) cells, aggregates; each a cell-weighted
/// mean over the replicate's <see cref="EffectGrid"/>), and what their joint distribution gives: a standard error per
/// quantity (the method's own formula, <see cref="ReplicateSet.StandardError"/>), the sup-t critical value of a
/// simultaneous band, and the covariance behind a joint Wald test. A replicate without some quantity (a bootstrap draw
/// without the only cohort that reaches an event time) is left out of that quantity's standard error and of every joint
/// statement about it.
/// </summary>
internal sealed class ReplicateSummary
{
    /// <summary>Gaussian draws behind the jackknife's sup-t critical value.</summary>
    internal const int MultiplierDraws = 10_000;

    private readonly ReplicateSet _set;
    private readonly double[][] _draws;      // [replicate][quantity], NaN where the replicate lacks it
    private readonly double[] _centre;       // x̄ per quantity (0 for placebo effects, which are 0 by construction)

    public ReplicateSummary(ReplicateSet set, IReadOnlyList<Func<int, int, bool>> quantities)
    {
        _set = set;
        _draws = set.Values.Select(v => quantities.Select(q => v.Grid.Mean(q).Effect).ToArray()).ToArray();
        StandardErrors = Enumerable.Range(0, quantities.Count).Select(j => set.StandardError(_draws.Select(d => d[j]))).ToArray();
        _centre = Enumerable.Range(0, quantities.Count).Select(j => set.Spread == ReplicateSpread.Uncentred ? 0
            : _draws.Select(d => d[j]).Where(x => !double.IsNaN(x)).DefaultIfEmpty(double.NaN).Average()).ToArray();
    }

    /// <summary>The standard error of each quantity.</summary>
    public IReadOnlyList<double> StandardErrors { get; }

    /// <summary>Replicates that lack quantity <paramref name="j"/>.</summary>
    public int Missing(int j) => _draws.Count(d => double.IsNaN(d[j]));

    /// <summary>Replicates that have every quantity of <paramref name="quantities"/>.</summary>
    public int[] Complete(IReadOnlyList<int> quantities) =>
        Enumerable.Range(0, _draws.Length).Where(b => quantities.All(j => !double.IsNaN(_draws[b][j]))).ToArray();

    /// <summary>The two-sided pointwise critical value at <paramref name="level"/>: normal, or Student t with the method's degrees of freedom.</summary>
    public double PointwiseCriticalValue(double level) => _set.DegreesOfFreedom is { } df
        ? StudentT.InvCDF(0, 1, df, 0.5 + level / 2) : Normal.InvCDF(0, 1, 0.5 + level / 2);

    /// <summary>
    /// The sup-t critical value c of a band θ̂_j ± c·se_j over <paramref name="quantities"/> (Montiel Olea and
    /// Plagborg-Møller 2019, J. Applied Econometrics, §3): the <paramref name="level"/> quantile (R type 7) of
    /// max_j |θ_b,j − θ̄_j| / se_j over the replicates b that have every quantity (θ̄_j = 0 for placebo effects, which are
    /// centred at 0 by construction). The jackknife's leave-one-out estimates are not draws from a sampling distribution,
    /// so for it the maximum is taken over <see cref="MultiplierDraws"/> Gaussian vectors with the jackknife covariance,
    /// Σ_i ξ_i √((n − 1)/n)(θ_i − θ̄), ξ_i ~ N(0, 1) (the paper's plug-in band; a fixed stream, so deterministic).
    /// Quantities without spread (a zero standard error) or without a standard error (fewer than two replicates have
    /// them) are left out. Null when fewer than two replicates have every other quantity.
    /// </summary>
    public double? UniformCriticalValue(IReadOnlyList<int> quantities, double level)
    {
        var used = quantities.Where(j => StandardErrors[j] > 0).ToArray();
        var rows = Complete(used);
        if (rows.Length < 2) return null;
        if (used.Length == 0) return PointwiseCriticalValue(level);
        double[] maxima;
        if (_set.Spread == ReplicateSpread.Jackknife)
        {
            var mean = used.Select(j => rows.Average(b => _draws[b][j])).ToArray();
            var factor = Math.Sqrt((rows.Length - 1.0) / rows.Length);
            var deviations = rows.Select(b => used.Select((j, u) => factor * (_draws[b][j] - mean[u])).ToArray()).ToArray();
            var random = Replicates.Stream(0, 0);
            var z = new double[used.Length];
            maxima = new double[MultiplierDraws];
            for (var m = 0; m < MultiplierDraws; m++)
            {
                Array.Clear(z);
                foreach (var a in deviations)
                {
                    var xi = Normal.Sample(random, 0, 1);
                    for (var u = 0; u < z.Length; u++) z[u] += xi * a[u];
                }
                maxima[m] = used.Select((j, u) => Math.Abs(z[u]) / StandardErrors[j]).Max();
            }
        }
        else
            maxima = rows.Select(b => used.Max(j => Math.Abs(_draws[b][j] - _centre[j]) / StandardErrors[j])).ToArray();
        Array.Sort(maxima);
        return SortedArrayStatistics.QuantileCustom(maxima, level, QuantileDefinition.R7);
    }

    /// <summary>
    /// The replicate covariance V of <paramref name="quantities"/> over the replicates that have them all (the method's
    /// formula, so diag V = se² when no replicate lacks one), the number of those replicates, the degrees of freedom m of
    /// V as an estimate (centred: B − 1; jackknife: n − 1; placebo effects, uncentred: B) and the factor f that makes f·V
    /// unbiased (centred: B/(B − 1); otherwise 1), for Hotelling's T² (<see cref="PreTrendTests.Wald"/>).
    /// </summary>
    public (double[] Covariance, int Replicates, int DegreesOfFreedom, double Unbiased) Covariance(IReadOnlyList<int> quantities)
    {
        var rows = Complete(quantities);
        int k = quantities.Count, b = rows.Length;
        var mean = new double[k];
        if (_set.Spread != ReplicateSpread.Uncentred)
            for (var i = 0; i < k; i++) mean[i] = b > 0 ? rows.Average(r => _draws[r][quantities[i]]) : 0;
        var v = new double[k * k];
        foreach (var r in rows)
            for (var i = 0; i < k; i++)
                for (var j = 0; j < k; j++)
                    v[i * k + j] += (_draws[r][quantities[i]] - mean[i]) * (_draws[r][quantities[j]] - mean[j]);
        var (divisor, dof, unbiased) = _set.Spread switch
        {
            ReplicateSpread.Centred => (b, b - 1, b / (b - 1.0)),
            ReplicateSpread.Jackknife => (b / (b - 1.0), b - 1, 1.0),
            _ => (b, b, 1.0),
        };
        for (var i = 0; i < v.Length; i++) v[i] /= divisor;
        return (v, b, dof, unbiased);
    }
}
