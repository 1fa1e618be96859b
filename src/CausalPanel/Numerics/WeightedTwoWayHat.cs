namespace CausalPanel.Numerics;

/// <summary>
/// Rows of the hat matrix of weighted two-way fixed effects with optional unpenalised regressors: the fit
/// min Σ_k v_k (y_k − α_i − β_t − Σ_c γ_c X_c,k)² (<see cref="WeightedLowRankRegression"/> at λ = ∞) is linear in y, so a
/// fitted value α̂_i + β̂_t + x_itᵀγ̂ and a coefficient γ̂_c are Σ_k h_k y_k, and this gives h. By Frisch–Waugh–Lovell
/// (<see cref="UnpenalisedRegressors"/>: X̃ the regressors net of the weighted effects, G = X̃ᵀVX̃) γ̂ = G⁺X̃ᵀVy and
/// α̂_i + β̂_t + x_itᵀγ̂ = (α̂_i + β̂_t)(y) + x̃_itᵀγ̂, whose effects part has weights v_k (g_j + h_s) with (g, h) solving the
/// normal equations for the right-hand side (e_i, e_t) (the adjoint; <see cref="TwoWayFixedEffects.Solve"/>). Rows are
/// added, scaled, into a row-major n×t array (entries where v = 0 are left alone). A fitted value is defined only when unit
/// i and period t share a component of the weighted cells and the regressors are identified; the caller checks that.
/// </summary>
internal sealed class WeightedTwoWayHat
{
    private readonly double[] _v;
    private readonly int _n, _t;
    private readonly TwoWayFixedEffects _effects;
    private readonly UnpenalisedRegressors? _regressors;
    private readonly double[] _unitRhs, _periodRhs, _g, _h, _direction, _combination;

    /// <param name="v">Cell weights ≥ 0, row-major n×t (read in place while this instance is used).</param>
    /// <param name="n">Rows (units).</param>
    /// <param name="t">Columns (periods).</param>
    /// <param name="x">Optional unpenalised regressors, row-major n×t, finite on every cell whose fitted value is asked for.</param>
    public WeightedTwoWayHat(double[] v, int n, int t, IReadOnlyList<double[]>? x = null)
    {
        (_v, _n, _t) = (v, n, t);
        _effects = new TwoWayFixedEffects(v, n, t);
        if (x is { Count: > 0 }) _regressors = new UnpenalisedRegressors(x, v, n, t, effects: _effects);
        (_unitRhs, _periodRhs, _g, _h) = (new double[n], new double[t], new double[n], new double[t]);
        var count = x?.Count ?? 0;
        (_direction, _combination) = (new double[count], new double[count]);
    }

    /// <summary>Adds <paramref name="scale"/> times the weights of the fitted value α̂_i + β̂_t (+ x_itᵀγ̂) at cell (i, s) to <paramref name="a"/>.</summary>
    public void AddFitted(int i, int s, double scale, Span<double> a)
    {
        _unitRhs[i] = 1;
        _periodRhs[s] = 1;
        _effects.Solve(_unitRhs, _periodRhs, _g, _h);
        _unitRhs[i] = 0;
        _periodRhs[s] = 0;
        for (var j = 0; j < _n; j++)
            for (var q = 0; q < _t; q++)
            {
                var k = j * _t + q;
                if (_v[k] > 0) a[k] += scale * _v[k] * (_g[j] + _h[q]);
            }
        if (_regressors is null) return;
        for (var c = 0; c < _direction.Length; c++) _direction[c] = _regressors.Residuals[c][i * _t + s];
        AddRegressorPart(scale, a);
    }

    /// <summary>Adds <paramref name="scale"/> times the weights of the coefficient γ̂_c (G⁺X̃ᵀV, row c) to <paramref name="a"/>.</summary>
    public void AddCoefficient(int c, double scale, Span<double> a)
    {
        if (_regressors is null) throw new InvalidOperationException("The fit has no regressors.");
        Array.Clear(_direction);
        _direction[c] = 1;
        AddRegressorPart(scale, a);
    }

    /// <summary>a += scale · V X̃ G⁺ d, d = <see cref="_direction"/> (G⁺ is symmetric).</summary>
    private void AddRegressorPart(double scale, Span<double> a)
    {
        _regressors!.Coefficients(_direction, _combination);
        for (var c = 0; c < _combination.Length; c++)
        {
            var xc = _regressors.Residuals[c];
            var factor = scale * _combination[c];
            for (var k = 0; k < _v.Length; k++)
                if (_v[k] > 0) a[k] += factor * _v[k] * xc[k];
        }
    }
}
