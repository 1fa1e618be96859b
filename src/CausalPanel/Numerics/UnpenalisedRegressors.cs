using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel.Numerics;

/// <summary>
/// Unpenalised regressors X_1..X_C beside unit and period effects, profiled out by Frisch–Waugh–Lovell
/// (Borusyak, Jaravel and Spiess 2024, REStud, Eq. 5 with covariates; Athey et al. 2021, JASA, §8): each regressor is
/// centred and residualised on the effects over the weighted cells once, X̃_c = X_c − a_c,i − b_c,t. X̃ is orthogonal
/// to every unit and period effect under the weights, so for any residual r the least-squares coefficients of the
/// regressors given the rest of a model are γ = G⁺ X̃ᵀ V r with G = X̃ᵀ V X̃, whatever the effects are. G is scaled
/// to a unit diagonal and eigendecomposed once; a regressor whose residual is at most <see cref="AbsorbedTolerance"/>
/// of its own centred norm is absorbed by the effects, and a direction of the scaled G whose eigenvalue is at most
/// <see cref="CollinearTolerance"/> of the largest is a collinear combination. Either makes
/// <see cref="Identified"/> false and γ the minimum-norm solution (no weight on those directions). The verdicts are
/// invariant to rescaling and shifting a regressor. Row-major n×t arrays.
/// </summary>
internal sealed class UnpenalisedRegressors
{
    /// <summary>A regressor whose effects-residual norm is at most this share of its centred norm is absorbed.</summary>
    public const double AbsorbedTolerance = 1e-8;

    /// <summary>An eigenvalue of the unit-diagonal Gram matrix at most this share of the largest is a collinear direction (singular-value ratio 1e-6).</summary>
    public const double CollinearTolerance = 1e-12;

    private readonly double[] _v;
    private readonly double[] _inverse;   // C×C pseudo-inverse of G, row-major
    private readonly double[] _products;  // scratch of Solve

    /// <param name="x">Regressors, row-major n×t (entries where v = 0 are not used and may be NaN).</param>
    /// <param name="v">Cell weights ≥ 0.</param>
    /// <param name="n">Rows (units).</param>
    /// <param name="t">Columns (periods).</param>
    /// <param name="unitEffects">The model has unit effects.</param>
    /// <param name="periodEffects">The model has period effects.</param>
    /// <param name="effects">The weighted two-way fit for <paramref name="v"/>, when the caller has one (both effects).</param>
    public UnpenalisedRegressors(IReadOnlyList<double[]> x, double[] v, int n, int t, bool unitEffects = true, bool periodEffects = true, TwoWayFixedEffects? effects = null)
    {
        _v = v;
        var count = x.Count;
        Residuals = new double[count][];
        UnitParts = new double[count][];
        PeriodParts = new double[count][];
        RelativeResiduals = new double[count];
        if (unitEffects && periodEffects) effects ??= new TwoWayFixedEffects(v, n, t);
        for (var c = 0; c < count; c++)
            RelativeResiduals[c] = Residualise(x[c], n, t, unitEffects, periodEffects, effects, Residuals[c] = new double[n * t],
                UnitParts[c] = new double[n], PeriodParts[c] = new double[t]);

        // G = X̃ᵀVX̃ over the regressors that are not absorbed, scaled to a unit diagonal (S G S, S = diag(G)^(−1/2)).
        var gram = new double[count * count];
        for (var c = 0; c < count; c++)
            for (var d = 0; d <= c; d++)
            {
                double sum = 0;
                var (xc, xd) = (Residuals[c], Residuals[d]);
                for (var k = 0; k < v.Length; k++)
                    if (v[k] > 0) sum += v[k] * xc[k] * xd[k];
                gram[c * count + d] = gram[d * count + c] = sum;
            }
        var kept = Enumerable.Range(0, count).Where(c => RelativeResiduals[c] > AbsorbedTolerance && gram[c * count + c] > 0).ToArray();
        Absorbed = Enumerable.Range(0, count).Except(kept).ToArray();
        var scale = kept.Select(c => 1 / Math.Sqrt(gram[c * count + c])).ToArray();
        var scaled = Matrix<double>.Build.Dense(kept.Length, kept.Length, (p, q) => scale[p] * gram[kept[p] * count + kept[q]] * scale[q]);
        _inverse = new double[count * count];
        Collinear = [];
        if (kept.Length > 0)
        {
            var evd = scaled.Evd(Symmetricity.Symmetric);
            var values = evd.EigenValues.Select(e => e.Real).ToArray();
            var largest = values.Max();
            var weakest = Array.IndexOf(values, values.Min());
            if (values[weakest] <= CollinearTolerance * largest)
            {
                var direction = evd.EigenVectors.Column(weakest);
                var peak = direction.AbsoluteMaximum();
                Collinear = Enumerable.Range(0, kept.Length).Where(p => Math.Abs(direction[p]) > 1e-6 * peak).Select(p => kept[p]).ToArray();
            }
            for (var e = 0; e < values.Length; e++)
            {
                if (values[e] <= CollinearTolerance * largest) continue;
                var q = evd.EigenVectors.Column(e);
                for (var p = 0; p < kept.Length; p++)
                    for (var r = 0; r < kept.Length; r++)
                        _inverse[kept[p] * count + kept[r]] += scale[p] * q[p] * q[r] * scale[r] / values[e];
            }
        }
        Identified = Absorbed.Count == 0 && Collinear.Count == 0;
        _products = new double[count];
    }

    /// <summary>Number of regressors C.</summary>
    public int Count => Residuals.Length;

    /// <summary>X̃_c = X_c − (its fitted effects) on every cell (0 where X_c is NaN).</summary>
    public double[][] Residuals { get; }

    /// <summary>
    /// The unit part of each regressor's effects fit (its weighted mean included, or in the period part when the model has
    /// no unit effects): X_c − X̃_c = UnitParts[c][i] + PeriodParts[c][t] on every cell; the parts are the weighted
    /// two-way fit of X_c (0 for a unit or period without weight, apart from the mean).
    /// </summary>
    public double[][] UnitParts { get; }

    /// <summary>The period part of each regressor's effects fit.</summary>
    public double[][] PeriodParts { get; }

    /// <summary>√(Σ v X̃_c²) / √(Σ v (X_c − mean)²) per regressor (the uncentred norm when the model has no effects; 0 for a regressor that is constant, or zero, on the weighted cells).</summary>
    public double[] RelativeResiduals { get; }

    /// <summary>Regressors the effects absorb (relative residual ≤ <see cref="AbsorbedTolerance"/>).</summary>
    public IReadOnlyList<int> Absorbed { get; }

    /// <summary>The regressors in the weakest combination of the others, when its eigenvalue is below <see cref="CollinearTolerance"/>; else empty.</summary>
    public IReadOnlyList<int> Collinear { get; }

    /// <summary>Every coefficient is identified: nothing absorbed, no collinear combination.</summary>
    public bool Identified { get; }

    /// <summary>products_c = Σ_k v_k X̃_c,k r_k over the weighted cells (r may be NaN where v = 0).</summary>
    public void Products(ReadOnlySpan<double> r, Span<double> products)
    {
        for (var c = 0; c < Residuals.Length; c++)
        {
            var xc = Residuals[c];
            double sum = 0;
            for (var k = 0; k < _v.Length; k++)
                if (_v[k] > 0) sum += _v[k] * xc[k] * r[k];
            products[c] = sum;
        }
    }

    /// <summary>γ = G⁺ · products.</summary>
    public void Coefficients(ReadOnlySpan<double> products, Span<double> gamma)
    {
        var count = Residuals.Length;
        for (var c = 0; c < count; c++)
        {
            double sum = 0;
            for (var d = 0; d < count; d++) sum += _inverse[c * count + d] * products[d];
            gamma[c] = sum;
        }
    }

    /// <summary>γ = G⁺ X̃ᵀ V r: the regressors' least-squares coefficients for residual <paramref name="r"/> (one instance per thread).</summary>
    public void Solve(ReadOnlySpan<double> r, Span<double> gamma)
    {
        Products(r, _products);
        Coefficients(_products, gamma);
    }

    /// <summary>Fills the residual and parts of one regressor; returns its relative residual.</summary>
    private double Residualise(double[] x, int n, int t, bool unitEffects, bool periodEffects, TwoWayFixedEffects? effects,
        double[] residual, double[] unitPart, double[] periodPart)
    {
        var v = _v;
        double weight = 0, sum = 0;
        for (var k = 0; k < v.Length; k++)
            if (v[k] > 0) { weight += v[k]; sum += v[k] * x[k]; }
        // Centring first keeps the rounding of the effects fit relative to the regressor's spread, not to its level.
        var mean = unitEffects || periodEffects ? sum / Math.Max(weight, double.Epsilon) : 0;
        double spread = 0;
        for (var k = 0; k < v.Length; k++)
        {
            residual[k] = v[k] > 0 ? x[k] - mean : 0;
            if (v[k] > 0) spread += v[k] * residual[k] * residual[k];
        }
        if (unitEffects && periodEffects) effects!.Fit(residual, unitPart, periodPart);
        else if (unitEffects) Means(residual, v, n, t, unitPart, byUnit: true);
        else if (periodEffects) Means(residual, v, n, t, periodPart, byUnit: false);

        // (X − mean) − a − b, not X − (mean + a) − b: the level would round away the spread of a regressor far from 0.
        double remaining = 0;
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                var k = i * t + s;
                residual[k] = double.IsNaN(x[k]) ? 0 : x[k] - mean - unitPart[i] - periodPart[s];
                if (v[k] > 0) remaining += v[k] * residual[k] * residual[k];
            }
        // The level joins the unit part (or the period part in a model without unit effects), so that
        // X − X̃ = unit part + period part on every cell.
        if (unitEffects)
            for (var i = 0; i < n; i++) unitPart[i] += mean;
        else
            for (var s = 0; s < t; s++) periodPart[s] += mean;
        return spread > 0 ? Math.Sqrt(remaining / spread) : 0;
    }

    /// <summary>Weighted means of y per unit (or per period) over the weighted cells; 0 where there is none.</summary>
    private static void Means(double[] y, double[] v, int n, int t, double[] means, bool byUnit)
    {
        var weights = new double[means.Length];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                var k = i * t + s;
                if (!(v[k] > 0)) continue;
                var g = byUnit ? i : s;
                means[g] += v[k] * y[k];
                weights[g] += v[k];
            }
        for (var g = 0; g < means.Length; g++) means[g] = weights[g] > 0 ? means[g] / weights[g] : 0;
    }
}
