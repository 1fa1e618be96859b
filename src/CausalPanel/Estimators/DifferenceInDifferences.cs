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
/// <see cref="DifferenceInDifferencesOptions.Anticipation"/> leaves the k periods before adoption out of the fit and
/// reports their effects apart; <see cref="DifferenceInDifferencesOptions.ControlGroup"/> =
/// <see cref="ControlGroup.NeverTreated"/> takes the period effects from the never-treated units alone (two steps: β
/// from them, then each treated unit's α_i from its own pre-adoption cells), which on a unit with one pre-period is
/// Callaway and Sant'Anna's (2021) never-treated ATT(g, t) exactly, and otherwise differs from it only by the base:
/// the mean of the unit's pre-periods instead of period g − 1 − k.
/// </summary>
public sealed class DifferenceInDifferences : IEstimator
{
    /// <summary>DiD with the reference defaults: no anticipation, not-yet-treated units as controls.</summary>
    public DifferenceInDifferences() : this(new DifferenceInDifferencesOptions()) { }

    /// <summary>DiD with the given anticipation window and control group.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative <see cref="DifferenceInDifferencesOptions.Anticipation"/>.</exception>
    public DifferenceInDifferences(DifferenceInDifferencesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        AnticipationWindow.Validate(options.Anticipation);
        Options = options;
    }

    /// <summary>The options.</summary>
    public DifferenceInDifferencesOptions Options { get; }

    /// <inheritdoc/>
    public string Name => "DiD";

    /// <inheritdoc cref="IEstimator.Estimate"/>
    public DifferenceInDifferencesResult Estimate(PanelData data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ct.ThrowIfCancellationRequested();
        PanelRequirements.RequireEstimable(data, Name);

        int n = data.UnitCount, t = data.PeriodCount, k = Options.Anticipation;
        var w = AnticipationWindow.FitWeights(data, k, ct);   // this, the components, the checks and the fit check the token every few thousand rows
        var component = new int[n + t];
        TwoWayFixedEffects.Components(w, n, t, component, ct);
        if (Options.ControlGroup == ControlGroup.NeverTreated) PanelRequirements.RequireNeverTreatedControls(data, Name);
        PanelRequirements.RequireIdentified(data, Name, component, k, ct);
        ct.ThrowIfCancellationRequested();
        var model = TwoWayImputation.Fit(data, w, Options.ControlGroup, Name, ct);

        var treated = new List<(int, int, double)>(data.Treatment.TreatedCount);
        var unlinked = new List<(int, int)>();
        for (var i = 0; i < n; i++)
        {
            if (i % TwoWayFixedEffects.RowsPerCheck == 0) ct.ThrowIfCancellationRequested();
            for (var s = 0; s < t; s++)
                if (data.Treatment[i, s])
                {
                    if (model.Predict(i, s) is { } y0) treated.Add((i, s, y0));
                    else unlinked.Add((i, s));
                }
        }
        ct.ThrowIfCancellationRequested();
        if (unlinked.Count > 0)   // with NeverTreated: the never-treated cells do not link the unit's own pre-periods to these periods
            throw new NotIdentifiedException(
                $"{Name}: with ControlGroup = NeverTreated the untreated outcomes of cells {data.Cells(unlinked)} are not identified: the never-treated units observed in those periods are not linked to any of the unit's own pre-adoption periods. Use ControlGroup = NotYetTreated, or drop the cells.",
                unlinked.Select(c => data.Units[c.Item1]).Distinct().ToList(), unlinked.Select(c => data.Periods[c.Item2]).Distinct().ToList());
        var (anticipation, warning) = EstimationResult.Anticipating(Name, data,
            AnticipationWindow.Cells(data, k).Select(c => (c.Unit, c.Period, c.EventTime, model.Predict(c.Unit, c.Period))));

        return new DifferenceInDifferencesResult(Name, data, treated, model.Alpha, model.Beta, model.Coefficients)
        {
            Source = this,
            Anticipation = k,
            ControlGroup = Options.ControlGroup,
            AnticipationEffects = anticipation,
            Warnings = warning is null ? [] : [warning],
            Trajectory = Trajectories.OfFit(data, (i, s) => data.Outcomes.IsObserved(i, s) ? model.Predict(i, s) : null),
            Diagnostics = new SolverDiagnostics(Options.ControlGroup == ControlGroup.NeverTreated
                ? "weighted two-way fixed effects on the never-treated units, Cholesky (exact), then each treated unit's mean" : "weighted two-way fixed effects, Cholesky (exact)", 1, true),
        };
    }

    EstimationResult IEstimator.Estimate(PanelData data, CancellationToken ct) => Estimate(data, ct);
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

    /// <inheritdoc/>
    internal override bool InvariantToTwoWayEffects => true;

    /// <summary>
    /// The adjoint of the imputation, with covariate coefficients held fixed: a_it = 1/|treated| on treated cells, 0 in the
    /// anticipation window, and on the fit cells the weight each has in the ATT through α̂ and β̂. NotYetTreated:
    /// −(g_i + h_t), (g, h) solving the two-way normal equations with the treated cells' weights summed by unit and by
    /// period. NeverTreated: a treated unit's own pre-adoption cells carry −(its share)/(their number), and the
    /// never-treated cells −(g_j + h_t) for the period contrast c_t = Σ (treated share at t) − Σ (own-pre share at t)
    /// through which β̂ enters.
    /// </summary>
    internal override double[] LinearWeights()
    {
        int n = Data.UnitCount, t = Data.PeriodCount;
        var w = AnticipationWindow.FitWeights(Data, Anticipation);
        var treated = Data.Treatment.Values;
        var share = 1.0 / Data.Treatment.TreatedCount;
        var byUnit = new double[n];
        var byPeriod = new double[t];
        var a = new double[n * t];
        for (var k = 0; k < n * t; k++)
            if (treated[k]) { a[k] = share; byUnit[k / t] += share; byPeriod[k % t] += share; }
        if (ControlGroup == ControlGroup.NeverTreated)
        {
            // Treated cell (i, t) imputes α_i from the unit's fit cells in t's component of the never-treated cells.
            var never = (double[])w.Clone();
            foreach (var i in Data.Pattern.TreatedUnitIndices) Array.Clear(never, i * t, t);
            var component = new int[n + t];
            TwoWayFixedEffects.Components(never, n, t, component);
            var imputed = new Dictionary<int, int>();   // treated cells of a unit per component
            foreach (var i in Data.Pattern.TreatedUnitIndices)
            {
                imputed.Clear();
                for (var s = 0; s < t; s++)
                    if (treated[i * t + s]) imputed[component[n + s]] = imputed.GetValueOrDefault(component[n + s]) + 1;
                foreach (var (c, cells) in imputed)
                {
                    var own = Enumerable.Range(0, t).Where(s => w[i * t + s] > 0 && component[n + s] == c).ToArray();
                    foreach (var s in own)
                    {
                        a[i * t + s] -= share * cells / own.Length;
                        byPeriod[s] -= share * cells / own.Length;
                    }
                }
                byUnit[i] = 0;
            }
            w = never;
        }
        var g = new double[n];
        var h = new double[t];
        new TwoWayFixedEffects(w, n, t).Solve(byUnit, byPeriod, g, h);
        for (var k = 0; k < a.Length; k++)
            if (w[k] > 0) a[k] -= g[k / t] + h[k % t];
        return a;
    }

    /// <summary>
    /// Leave-one-period-out leads (<see cref="HeldOutLeads"/>): lead −k refits α, β (and γ) by least squares to the
    /// fit cells less every treated unit's cell k periods before its anticipation window (event time −k − Anticipation),
    /// with the fit's control group, and averages Y − α̂_i − β̂_t (− X γ̂) over those cells (Liu, Wang and Xu 2024, §4.1;
    /// the imputation of Borusyak, Jaravel and Spiess 2024, Eq. 4–5, out of sample).
    /// </summary>
    internal override IReadOnlyList<LeadEffect> LeadEffects(int count, CancellationToken ct) =>
        HeldOutLeads.Compute(Data, count, Anticipation, (training, cells, _) =>
        {
            var model = TwoWayImputation.Fit(Data, training, ControlGroup, Estimator);
            return cells.Select(c => model.Predict(c.I, c.T)).ToArray();
        }, ct);

    /// <summary>γ̂ per covariate of <see cref="PanelData.Covariates"/>: the imputed outcome is α̂_i + β̂_t + Σ_k γ̂_k X_kit. Empty without covariates.</summary>
    public IReadOnlyDictionary<string, double> CovariateCoefficients { get; }

    /// <summary>
    /// α̂_i for each unit (row order of <see cref="PanelData.Units"/>); 0 for a unit with no untreated cell. With
    /// <see cref="ControlGroup.NeverTreated"/> a treated unit's is the mean of Y − β̂ (− X γ̂) over its own fit cells.
    /// </summary>
    public IReadOnlyList<double> UnitFixedEffects { get; }

    /// <summary>β̂_t for each period, normalised to sum to zero over the periods linked by the cells it is fitted to (with <see cref="ControlGroup.NeverTreated"/>, the never-treated units' cells).</summary>
    public IReadOnlyList<double> PeriodFixedEffects { get; }

    /// <summary>The covariate coefficients γ̂, when there are covariates.</summary>
    private protected override void AppendDetails(System.Text.StringBuilder sb)
    {
        SummaryText.AppendCoefficients(sb, "  ", "γ̂", CovariateCoefficients);
    }
}
