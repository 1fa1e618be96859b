using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// DiD's model of the untreated outcome, Y_it(0) = α_i + β_t (+ X_it γ), fitted by least squares to the fit cells
/// (untreated, observed, outside the anticipation window) and used to impute any cell it identifies:
/// <list type="bullet">
/// <item><see cref="ControlGroup.NotYetTreated"/>: α, β (and γ) from all fit cells at once (Borusyak, Jaravel and Spiess
/// 2024, REStud, Eq. 4–5); a cell is identified when its unit and period are linked through fit cells.</item>
/// <item><see cref="ControlGroup.NeverTreated"/>: two steps, so that the period effects come from the never-treated units
/// alone — β (and γ) from the never-treated units' fit cells; then each treated unit's α_i = the mean of
/// Y_is − β_s (− X_is γ) over its own fit cells (Xu 2017, Political Analysis, Eq. 3–5, the generalised synthetic control
/// without factors). On a balanced panel the effect of a treated cell is then
/// (Y_it − Ȳ_i,pre) − (Ȳ_NT,t − Ȳ_NT,pre), the pre-periods being the unit's fit cells: Callaway and Sant'Anna's
/// never-treated ATT(g, t) (2021, J. Econometrics, Eq. 2.5) with the mean of the pre-periods as the base instead of
/// g − 1 − k, and exactly theirs for a unit with one pre-period. A cell is identified when its period and one of the
/// unit's fit cells lie in the same component of the never-treated cells.</item>
/// </list>
/// </summary>
internal sealed class TwoWayImputation
{
    private readonly int _t;
    private readonly int[] _component;                                   // of units then periods, in the cells β comes from
    private readonly Dictionary<(int Unit, int Component), double>? _own; // NeverTreated: α_i per component of the unit's fit cells

    private TwoWayImputation(int t, double[] alpha, double[] beta, double[] xGamma, Dictionary<string, double> coefficients,
        int[] component, Dictionary<(int, int), double>? own)
    {
        (_t, Alpha, Beta, XGamma, Coefficients, _component, _own) = (t, alpha, beta, xGamma, coefficients, component, own);
    }

    /// <summary>α̂ per unit (NeverTreated: a treated unit's from its fit cells in the component of its first treated period; 0 where none).</summary>
    public double[] Alpha { get; }

    /// <summary>β̂ per period, centred within each component.</summary>
    public double[] Beta { get; }

    /// <summary>X γ̂ per cell, row-major (zeros without covariates).</summary>
    public double[] XGamma { get; }

    /// <summary>γ̂ by covariate name (empty without covariates).</summary>
    public Dictionary<string, double> Coefficients { get; }

    /// <summary>The imputed untreated outcome of cell (i, s), or null when the fit does not identify it.</summary>
    public double? Predict(int i, int s)
    {
        var n = _component.Length - _t;
        var c = _component[n + s];
        if (c < 0) return null;
        if (_own is not null && _component[i] < 0)   // NeverTreated: a treated unit's own α in the period's component
            return _own.TryGetValue((i, c), out var own) ? own + Beta[s] + XGamma[i * _t + s] : null;
        return _component[i] == c ? Alpha[i] + Beta[s] + XGamma[i * _t + s] : null;
    }

    /// <summary>The model fitted to the cells with positive <paramref name="fitWeights"/> (row-major N×T); the token is checked within the passes over the cells.</summary>
    /// <exception cref="CollinearCovariatesException">Covariates absorbed by the effects, or collinear, on the cells β comes from.</exception>
    public static TwoWayImputation Fit(PanelData data, double[] fitWeights, ControlGroup controlGroup, string name, CancellationToken ct = default)
    {
        int n = data.UnitCount, t = data.PeriodCount;
        if (controlGroup == ControlGroup.NotYetTreated)
        {
            var effects = new TwoWayFixedEffects(fitWeights, n, t, storage: fitWeights, ct: ct);   // read in place: no N×T copy
            var (alpha, beta, xGamma, coefficients) = Impute(data, fitWeights, effects, name, ct);
            return new TwoWayImputation(t, alpha, beta, xGamma, coefficients, effects.Component.ToArray(), null);
        }

        var never = (double[])fitWeights.Clone();
        foreach (var i in data.Pattern.TreatedUnitIndices) Array.Clear(never, i * t, t);
        var neverEffects = new TwoWayFixedEffects(never, n, t, storage: never, ct: ct);
        var (a, b, xg, coef) = Impute(data, never, neverEffects, name, ct);
        var component = neverEffects.Component.ToArray();
        var y = data.Outcomes.Values;
        var own = new Dictionary<(int, int), double>();
        var sums = new Dictionary<int, (double Sum, int Count)>();
        foreach (var i in data.Pattern.TreatedUnitIndices)
        {
            sums.Clear();
            for (var s = 0; s < t; s++)
            {
                var k = i * t + s;
                if (fitWeights[k] <= 0 || component[n + s] < 0) continue;
                var (sum, count) = sums.GetValueOrDefault(component[n + s]);
                sums[component[n + s]] = (sum + y[k] - b[s] - xg[k], count + 1);
            }
            foreach (var (c, (sum, count)) in sums) own[(i, c)] = sum / count;
            var first = data.Pattern.FirstTreatedPeriodIndex(i)!.Value;
            a[i] = component[n + first] >= 0 && own.TryGetValue((i, component[n + first]), out var alpha) ? alpha : 0;
        }
        return new TwoWayImputation(t, a, b, xg, coef, component, own);
    }

    /// <summary>
    /// The two-way model fitted to the cells with positive <paramref name="w"/> (row-major N×T), whose normal equations
    /// <paramref name="fixedEffects"/> has factorised: α, β and, with covariates, γ from the two-way-residualised covariates
    /// (Frisch–Waugh–Lovell) and the fixed effects of Y − Xγ.
    /// </summary>
    public static (double[] Alpha, double[] Beta, double[] XGamma, Dictionary<string, double> Coefficients) Impute(
        PanelData data, double[] w, TwoWayFixedEffects fixedEffects, string name, CancellationToken ct = default)
    {
        int n = data.UnitCount, t = data.PeriodCount;
        var y = data.Outcomes.Values;
        var alpha = new double[n];
        var beta = new double[t];
        fixedEffects.Fit(y, alpha, beta, ct);
        var coefficients = new Dictionary<string, double>();
        var xGamma = new double[n * t];
        if (CovariateDesign.Require(data, name, w, effects: fixedEffects) is { } design)
        {
            var gamma = new double[design.Names.Count];
            design.Regressors.Solve(y, gamma);
            for (var c = 0; c < gamma.Length; c++)
            {
                coefficients[design.Names[c]] = gamma[c];
                var x = design.Values[c];
                for (var k = 0; k < xGamma.Length; k++) xGamma[k] += gamma[c] * x[k];
            }
            var adjusted = new double[n * t];
            for (var k = 0; k < adjusted.Length; k++) adjusted[k] = w[k] > 0 ? y[k] - xGamma[k] : 0;
            fixedEffects.Fit(adjusted, alpha, beta, ct);
        }
        return (alpha, beta, xGamma, coefficients);
    }
}
