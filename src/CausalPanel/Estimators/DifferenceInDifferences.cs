using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// Difference-in-differences in imputation form: fit unit and period effects α_i + β_t by least
/// squares on the untreated observed cells, impute Ŷ_it(0) = α̂_i + β̂_t for every treated cell and
/// average Y_it − Ŷ_it(0) (Borusyak, Jaravel and Spiess 2024, REStud, Eq. 4–5; Gardner 2022).
/// On a balanced block design it equals the two-way fixed-effects coefficient, the 2×2 difference of
/// means and R <c>synthdid::did_estimate</c> (Arkhangelsky et al. 2021, AER, Eq. 1 with uniform
/// weights). Staggered and switching designs and unobserved cells are handled; each treated cell's
/// counterfactual must be identified (see <see cref="NotIdentifiedException"/>). Time-varying
/// covariates attached to the panel enter the imputation model linearly,
/// Ŷ_it(0) = α̂_i + β̂_t + X_it γ̂, fitted on the untreated cells (Borusyak et al. 2024, Assumption 1′); a
/// covariate the fixed effects absorb, or a collinear set, is refused (<see cref="CollinearCovariatesException"/>).
/// </summary>
public sealed class DifferenceInDifferences : IEstimator
{
    /// <inheritdoc/>
    public string Name => "DiD";

    /// <inheritdoc cref="IEstimator.Estimate"/>
    public DifferenceInDifferencesResult Estimate(PanelData data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ct.ThrowIfCancellationRequested();
        PanelRequirements.RequireEstimable(data, Name);

        int n = data.UnitCount, t = data.PeriodCount;
        var w = data.UntreatedObservedWeights();
        var fixedEffects = new TwoWayFixedEffects(w, n, t);
        var component = fixedEffects.Component.ToArray();
        PanelRequirements.RequireIdentified(data, Name, component);
        var (alpha, beta, xGamma, coefficients) = Impute(data, w, fixedEffects, Name);

        var treated = new List<(int, int, double)>(data.Treatment.TreatedCount);
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                if (data.Treatment[i, s]) treated.Add((i, s, alpha[i] + beta[s] + xGamma[i * t + s]));

        return new DifferenceInDifferencesResult(Name, data, treated, alpha, beta, coefficients)
        {
            Source = this,
            Trajectory = Trajectories.OfFit(data, (i, s) => component[i] == component[n + s] && data.Outcomes.IsObserved(i, s) ? alpha[i] + beta[s] + xGamma[i * t + s] : null),
            Diagnostics = new SolverDiagnostics("weighted two-way fixed effects, Cholesky (exact)", 1, true),
        };
    }

    EstimationResult IEstimator.Estimate(PanelData data, CancellationToken ct) => Estimate(data, ct);

    /// <summary>
    /// The imputation model fitted to the cells with positive <paramref name="w"/> (row-major N×T), whose two-way normal
    /// equations <paramref name="fixedEffects"/> has factorised: α, β and, with covariates, γ from the
    /// two-way-residualised covariates (Frisch–Waugh–Lovell) and the fixed effects of Y − Xγ. The imputed outcome of a
    /// cell (i, t) whose unit and period share a component of <see cref="TwoWayFixedEffects.Component"/> is
    /// α_i + β_t + (Xγ)_it. The estimate fits the untreated observed cells; the event study's leads fit them less the
    /// held-out cells.
    /// </summary>
    internal static (double[] Alpha, double[] Beta, double[] XGamma, Dictionary<string, double> Coefficients) Impute(
        PanelData data, double[] w, TwoWayFixedEffects fixedEffects, string name)
    {
        int n = data.UnitCount, t = data.PeriodCount;
        var y = data.Outcomes.Values;
        var alpha = new double[n];
        var beta = new double[t];
        fixedEffects.Fit(y, alpha, beta);
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
            fixedEffects.Fit(adjusted, alpha, beta);
        }
        return (alpha, beta, xGamma, coefficients);
    }
}

/// <summary>The result of <see cref="DifferenceInDifferences"/>: the common result plus the fitted fixed effects.</summary>
public sealed record DifferenceInDifferencesResult : EstimationResult
{
    internal DifferenceInDifferencesResult(string estimator, PanelData data, IEnumerable<(int, int, double)> counterfactuals,
        double[] unitEffects, double[] periodEffects, IReadOnlyDictionary<string, double> covariateCoefficients)
        : base(estimator, data, counterfactuals)
    {
        UnitFixedEffects = unitEffects;
        PeriodFixedEffects = periodEffects;
        CovariateCoefficients = covariateCoefficients;
    }

    /// <summary>
    /// a_it = 1/|treated| on treated cells and −(g_i + h_t) on untreated ones, (g, h) solving the two-way
    /// normal equations with the treated cells' weights summed by unit and by period (the adjoint of the
    /// imputation Ŷ_it(0) = α̂_i + β̂_t); covariate coefficients held fixed.
    /// </summary>
    internal override double[] LinearWeights()
    {
        int n = Data.UnitCount, t = Data.PeriodCount;
        var w = Data.UntreatedObservedWeights();
        var treated = Data.Treatment.Values;
        var share = 1.0 / Data.Treatment.TreatedCount;
        var byUnit = new double[n];
        var byPeriod = new double[t];
        for (var k = 0; k < n * t; k++)
            if (treated[k]) { byUnit[k / t] += share; byPeriod[k % t] += share; }
        var g = new double[n];
        var h = new double[t];
        new TwoWayFixedEffects(w, n, t).Solve(byUnit, byPeriod, g, h);
        var a = new double[n * t];
        for (var k = 0; k < a.Length; k++)
            a[k] = treated[k] ? share : w[k] > 0 ? -(g[k / t] + h[k % t]) : 0;
        return a;
    }

    /// <summary>
    /// Leave-one-period-out leads (<see cref="HeldOutLeads"/>): lead −k refits α, β (and γ) by least squares to the
    /// untreated cells less every treated unit's cell at event time −k, and averages Y − α̂_i − β̂_t (− X γ̂) over those
    /// cells (Liu, Wang and Xu 2024, §4.1; the imputation of Borusyak, Jaravel and Spiess 2024, Eq. 4–5, out of sample).
    /// </summary>
    internal override IReadOnlyList<LeadEffect> LeadEffects(int count, CancellationToken ct)
    {
        int n = Data.UnitCount, t = Data.PeriodCount;
        return HeldOutLeads.Compute(Data, count, (training, cells, _) =>
        {
            var (alpha, beta, xGamma, _) = DifferenceInDifferences.Impute(Data, training, new TwoWayFixedEffects(training, n, t), Estimator);
            return cells.Select(c => (double?)(alpha[c.I] + beta[c.T] + xGamma[c.I * t + c.T])).ToArray();
        }, ct);
    }

    /// <summary>γ̂ per covariate of <see cref="PanelData.Covariates"/>: the imputed outcome is α̂_i + β̂_t + Σ_k γ̂_k X_kit. Empty without covariates.</summary>
    public IReadOnlyDictionary<string, double> CovariateCoefficients { get; }

    /// <summary>α̂_i for each unit (row order of <see cref="PanelData.Units"/>); 0 for a unit with no untreated cell.</summary>
    public IReadOnlyList<double> UnitFixedEffects { get; }

    /// <summary>β̂_t for each period, normalised to sum to zero over the periods linked by untreated cells.</summary>
    public IReadOnlyList<double> PeriodFixedEffects { get; }

    /// <summary>The covariate coefficients γ̂, when there are covariates.</summary>
    private protected override void AppendDetails(System.Text.StringBuilder sb)
    {
        SummaryText.AppendCoefficients(sb, "  ", "γ̂", CovariateCoefficients);
    }
}
