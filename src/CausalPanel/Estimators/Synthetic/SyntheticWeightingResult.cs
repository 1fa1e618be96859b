using System.Globalization;
using System.Text;

namespace CausalPanel;

/// <summary>A weight attached to a unit or a period.</summary>
/// <param name="Label">Unit or period label.</param>
/// <param name="Index">Row (unit) or column (period) in the panel.</param>
/// <param name="Weight">The weight.</param>
public readonly record struct LabelledWeight(string Label, int Index, double Weight)
{
    /// <summary>Weight k attached to label k (index k).</summary>
    internal static IReadOnlyList<LabelledWeight> Over(IReadOnlyList<string> labels, IEnumerable<double> weights) =>
        weights.Select((w, k) => new LabelledWeight(labels[k], k, w)).ToArray();
}

/// <summary>
/// The weights and estimate for one adoption cohort: the cohort's units against the
/// never-treated units over the periods before the cohort's adoption (a block design; the whole
/// panel when adoption is simultaneous).
/// </summary>
public sealed record SyntheticCohortFit
{
    /// <summary>Label of the cohort's first treated period.</summary>
    public required string AdoptionPeriod { get; init; }

    /// <summary>Labels of the cohort's treated units.</summary>
    public required IReadOnlyList<string> TreatedUnits { get; init; }

    /// <summary>The cohort's estimate τ̂_c (Arkhangelsky et al. 2021, Eq. 1.1).</summary>
    public required double Att { get; init; }

    /// <summary>N1·T1, the cohort's treated cells from adoption on (its weight in the aggregate ATT).</summary>
    public required int TreatedCells { get; init; }

    /// <summary>ω̂ over the never-treated units, in panel order (zeros included).</summary>
    public required IReadOnlyList<LabelledWeight> UnitWeights { get; init; }

    /// <summary>λ̂ over the cohort's pre-periods, before its anticipation window if any (all zero for SC, uniform for DIFP).</summary>
    public required IReadOnlyList<LabelledWeight> TimeWeights { get; init; }

    /// <summary>Effective number of controls 1/Σω².</summary>
    public double EffectiveControls => 1 / UnitWeights.Sum(w => w.Weight * w.Weight);

    /// <summary>Effective number of pre-periods 1/Σλ²; null when there are no time weights (SC).</summary>
    public double? EffectivePrePeriods => TimeWeights.Sum(w => w.Weight * w.Weight) is var s && s > 0 ? 1 / s : null;

    /// <summary>σ̂, the noise level the regularisation was scaled by; null when it could not be computed and every ζ was given.</summary>
    public required double? NoiseLevel { get; init; }

    /// <summary>ζ_ω used.</summary>
    public required double ZetaOmega { get; init; }

    /// <summary>ζ_λ used.</summary>
    public required double ZetaLambda { get; init; }

    /// <summary>The Frank–Wolfe stopping threshold used (min.decrease).</summary>
    public required double MinDecrease { get; init; }

    /// <summary>β̂ per covariate (original units): the estimate uses Y − Σ_k β̂_k X_k. Empty without covariates.</summary>
    public IReadOnlyDictionary<string, double> CovariateCoefficients { get; init; } = new Dictionary<string, double>();

    /// <summary>How the unit-weight solve ended (with covariates: the joint ω, λ, β iteration; null when the weights were fixed).</summary>
    public SolverDiagnostics? UnitWeightSolver { get; init; }

    /// <summary>How the time-weight solve ended (null when the weights were fixed).</summary>
    public SolverDiagnostics? TimeWeightSolver { get; init; }

    /// <summary>Treated mean and synthetic counterfactual (ω-weighted controls shifted by the λ-weighted pre-period gap) over all periods.</summary>
    public required IReadOnlyList<TrajectoryPoint> Trajectory { get; init; }

    /// <summary>
    /// The cohort's summary: τ̂ and its size; effective controls and pre-periods and the regularisation;
    /// the largest weights; covariate coefficients; how the weight solvers finished.
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        AppendSummary(sb, "", header: true, solvers: true);
        return sb.ToString().TrimEnd();
    }

    /// <summary>
    /// The lines of <see cref="ToString"/> at <paramref name="indent"/>: with <paramref name="header"/> a first
    /// line naming the cohort and τ̂ (the others one step further in), with <paramref name="solvers"/> the
    /// weight solvers' lines (a result prints its solver once for all cohorts).
    /// </summary>
    internal void AppendSummary(StringBuilder sb, string indent, bool header, bool solvers)
    {
        var inv = CultureInfo.InvariantCulture;
        if (header)
        {
            sb.AppendLine(inv, $"{indent}cohort {AdoptionPeriod} ({SummaryText.Count(TreatedUnits.Count, "unit")}, {SummaryText.Count(TreatedCells, "treated cell")}): τ̂ = {SummaryText.Number(Att)}");
            indent += "  ";
        }
        sb.Append(inv, $"{indent}effective controls {EffectiveControls:F1} of {UnitWeights.Count}");
        if (EffectivePrePeriods is { } e) sb.Append(inv, $", effective pre-periods {e:F1} of {TimeWeights.Count}");
        if (NoiseLevel is { } sigma) sb.Append(inv, $"; σ̂ = {SummaryText.Number(sigma)}");
        sb.Append(inv, $"{(NoiseLevel is null ? ";" : ",")} ζ_ω = {SummaryText.Number(ZetaOmega)}");
        if (TimeWeightSolver is not null) sb.Append(inv, $", ζ_λ = {SummaryText.Number(ZetaLambda)}");
        sb.AppendLine();
        sb.AppendLine(inv, $"{indent}top unit weights: {Top(UnitWeights)}");
        if (TimeWeights.Any(w => w.Weight > 0) && EffectivePrePeriods is { } t && t < TimeWeights.Count - 0.5)
            sb.AppendLine(inv, $"{indent}top time weights: {Top(TimeWeights)}");
        SummaryText.AppendCoefficients(sb, indent, "β̂", CovariateCoefficients);
        if (!solvers) return;
        if (UnitWeightSolver is { } u) sb.AppendLine(inv, $"{indent}unit-weight solver: {u}");
        if (TimeWeightSolver is { } l) sb.AppendLine(inv, $"{indent}time-weight solver: {l}");
    }

    private static string Top(IReadOnlyList<LabelledWeight> weights) =>
        string.Join(", ", weights.OrderByDescending(w => w.Weight).Take(5).Where(w => w.Weight > 0).Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Label} {w.Weight:F3}")));
}

/// <summary>An adoption cohort a staggered synthetic fit left out (<see cref="SyntheticWeightingOptions.DropUnfittableCohorts"/>).</summary>
/// <param name="AdoptionPeriod">Label of the cohort's first treated period.</param>
/// <param name="Units">Labels of the cohort's units.</param>
/// <param name="TreatedCells">The cohort's treated cells, which the ATT leaves out.</param>
/// <param name="Reason">Why the cohort cannot be fitted (no pre-period, or too few for the noise level σ̂).</param>
public sealed record DroppedCohort(string AdoptionPeriod, IReadOnlyList<string> Units, int TreatedCells, string Reason)
{
    /// <summary>"cohort 2004 (20 units, 80 treated cells): reason".</summary>
    public override string ToString() => $"cohort {AdoptionPeriod} ({Units.Count} unit{(Units.Count == 1 ? "" : "s")}, {TreatedCells} treated cells): {Reason}";
}

/// <summary>
/// The result of <see cref="SyntheticControl"/>, <see cref="SyntheticControlWithIntercept"/> and
/// <see cref="SyntheticDifferenceInDifferences"/>: the common result plus each cohort's weights.
/// On a block design there is one cohort and <see cref="UnitWeights"/>, <see cref="TimeWeights"/>,
/// <see cref="EffectiveControls"/> and <see cref="EffectivePrePeriods"/> describe it. On a staggered
/// design the ATT is the treated-cell-weighted mean of the cohort estimates (Clarke et al. 2023,
/// Stata <c>sdid</c>) and the weights are per cohort in <see cref="Cohorts"/>.
/// </summary>
public sealed record SyntheticWeightingResult : EstimationResult
{
    internal SyntheticWeightingResult(string estimator, PanelData data, IEnumerable<(int, int, double)> counterfactuals, IReadOnlyList<SyntheticCohortFit> cohorts)
        : base(estimator, data, counterfactuals) => Cohorts = cohorts;

    /// <summary>One fit per adoption cohort, earliest first (without the <see cref="DroppedCohorts"/>).</summary>
    public IReadOnlyList<SyntheticCohortFit> Cohorts { get; }

    /// <summary>
    /// Cohorts left out because they cannot be fitted (<see cref="SyntheticWeightingOptions.DropUnfittableCohorts"/>); their
    /// treated cells are not in <see cref="EstimationResult.CellEffects"/> or the ATT. Empty otherwise.
    /// </summary>
    public IReadOnlyList<DroppedCohort> DroppedCohorts { get; init; } = [];

    /// <summary>ω̂ over the never-treated units (block designs; see <see cref="Cohorts"/> otherwise).</summary>
    public IReadOnlyList<LabelledWeight> UnitWeights => Single.UnitWeights;

    /// <summary>λ̂ over the pre-periods (block designs).</summary>
    public IReadOnlyList<LabelledWeight> TimeWeights => Single.TimeWeights;

    /// <summary>Effective number of controls 1/Σω² (block designs).</summary>
    public double EffectiveControls => Single.EffectiveControls;

    /// <summary>Effective number of pre-periods 1/Σλ², null for SC (block designs).</summary>
    public double? EffectivePrePeriods => Single.EffectivePrePeriods;

    /// <summary>
    /// synthdid's replicate rule (R <c>vcov.R</c>): the original ζ_ω, ζ_λ and min.decrease; ω started from
    /// the original weights of the replicate's controls renormalised (uniform if they sum to 0), λ from
    /// the original λ; with <paramref name="fixWeights"/> both held fixed (the jackknife). A staggered fit
    /// has one set of weights and ζ per cohort, which a replicate's cohorts need not match, so its
    /// replicates refit from scratch (as Stata <c>sdid</c> does), with the same options: cohorts left out here
    /// (<see cref="DroppedCohorts"/>) are left out of the replicates too.
    /// </summary>
    internal override IEstimator ForReplicate(IReadOnlyList<int>? controls, bool fixWeights)
    {
        var producer = (SyntheticWeightingEstimator)Source!;
        if (Data.Pattern.Cohorts.Count > 1)
            return fixWeights ? throw new InvalidOperationException("A staggered synthetic-weighting fit has one set of weights per cohort; they cannot be held fixed in a replicate.") : producer;
        var fit = Single;
        if (controls is null)
            return producer.With(producer.Options with
            {
                ZetaOmega = fit.ZetaOmega, ZetaLambda = fit.ZetaLambda, MinDecrease = fit.MinDecrease,
                UnitWeights = null, UpdateUnitWeights = true, TimeWeights = null, UpdateTimeWeights = true,
            });
        var weightOf = fit.UnitWeights.ToDictionary(w => w.Index, w => w.Weight);
        var omega = controls.Select(c => weightOf.TryGetValue(c, out var w) ? w : 0).ToArray();
        var sum = omega.Sum();
        for (var j = 0; j < omega.Length; j++) omega[j] = sum > 0 ? omega[j] / sum : 1.0 / omega.Length;
        return producer.With(producer.Options with
        {
            ZetaOmega = fit.ZetaOmega,
            ZetaLambda = fit.ZetaLambda,
            MinDecrease = fit.MinDecrease,
            UnitWeights = omega,
            UpdateUnitWeights = !fixWeights && producer.Options.UpdateUnitWeights,
            TimeWeights = fit.TimeWeights.Select(w => w.Weight).ToArray(),
            UpdateTimeWeights = !fixWeights && producer.Options.UpdateTimeWeights,
        });
    }

    /// <inheritdoc/>
    internal override bool InvariantToTwoWayEffects => Source is SyntheticWeightingEstimator { InvariantToTwoWayEffects: true };

    /// <inheritdoc/>
    internal override bool FitsTimeWeights => Source is SyntheticWeightingEstimator { FitsTimeWeights: true };

    /// <summary>
    /// a = Σ_c (N1c·T1c / Σ N1·T1) ũ_c ṽ_cᵀ with ũ_c = (−ω̂ on the never-treated units, 1/N1c on the cohort's
    /// units) and ṽ_c = (−λ̂ on the cohort's pre-periods, 0 in its anticipation window, 1/T1c from adoption on): each cohort's estimate is
    /// the bilinear form ũᵀYṽ of Arkhangelsky et al. (2021, Eq. 1.1; synthdid computes it so), with the
    /// weights (and covariate coefficients) held fixed.
    /// </summary>
    internal override double[] LinearWeights()
    {
        int t = Data.PeriodCount;
        var a = new double[Data.UnitCount * t];
        double cells = Cohorts.Sum(c => c.TreatedCells);
        foreach (var cohort in Cohorts)
        {
            var units = Data.Pattern.Cohorts.First(c => c.Period == cohort.AdoptionPeriod);
            int start = units.PeriodIndex, n1 = units.UnitIndices.Count, t1 = t - start;
            var v = new double[t];
            foreach (var l in cohort.TimeWeights) v[l.Index] = -l.Weight;
            for (var s = start; s < t; s++) v[s] = 1.0 / t1;
            var share = cohort.TreatedCells / cells;
            void Add(int row, double u)
            {
                for (var s = 0; s < t; s++) a[row * t + s] += share * u * v[s];
            }
            foreach (var w in cohort.UnitWeights) Add(w.Index, -w.Weight);
            foreach (var i in units.UnitIndices) Add(i, 1.0 / n1);
        }
        return a;
    }

    /// <summary>
    /// Leads as Stata <c>sdid_event</c> (Clarke, Pailañir, Athey and Imbens 2023; Ciccia 2024): for each cohort, with its
    /// fitted unit weights ω̂ and time weights λ̂ and its (covariate-adjusted) outcomes, at each period before its
    /// anticipation window (event times −k−1, −k−2, … for Anticipation = k) the pre-treatment gap
    /// d_t = Ȳ_tr,t − ω̂ᵀY_co,t relative to the λ̂-weighted pre-period baseline, d_t − Σ_s λ̂_s d_s (Arkhangelsky et al.
    /// 2021, Eq. 1.1 read period by period; the lags are the same expression after adoption) — the treated mean minus
    /// the counterfactual of the cohort's <see cref="SyntheticCohortFit.Trajectory"/>. SC (λ̂ = 0) gives the raw gap,
    /// DIFP (λ̂ uniform) the gap less its pre-period mean. Each cohort's cells are its units.
    /// </summary>
    internal override IReadOnlyList<LeadEffect> LeadEffects(int count, CancellationToken ct)
    {
        var leads = new List<LeadEffect>();
        foreach (var cohort in Cohorts)
        {
            var g = Data.PeriodIndex(cohort.AdoptionPeriod);
            var fitted = g - Anticipation;   // the periods the weights were fitted on
            for (var k = 1; k <= Math.Min(count, fitted); k++)
            {
                var point = cohort.Trajectory[fitted - k];
                leads.Add(new LeadEffect(g, fitted - k, point.Treated - point.Counterfactual, cohort.TreatedUnits.Count));
            }
        }
        return leads;
    }

    /// <summary>
    /// Leads as in-time placebos (<see cref="SyntheticLeads.InTimePlacebo"/>; Abadie, Diamond and Hainmueller 2010, JASA,
    /// §4; R <c>synthdid_placebo</c>): for each cohort, whose weights were fitted on the f = g − a periods before its
    /// anticipation window, and k = 1..min(<paramref name="count"/>, f − a − 1), the estimator is re-run on the
    /// never-treated units and the cohort's units over periods 0..f−1 (covariates with them) with the cohort
    /// placebo-treated from f − k, and the lead at f − k (event time −a−k) is the placebo fit's mean effect there, its
    /// first placebo-treated period. The re-run keeps the estimator's options and, as <c>synthdid_placebo</c> keeps its
    /// estimate's <c>opts</c>, the cohort's ζ_ω, ζ_λ and min.decrease (so every lead is the same penalised problem, and a
    /// window too short for σ̂ still fits), while its weights start afresh (<c>synthdid_placebo</c> passes none): given
    /// starting weights, or a jackknife replicate's held ones, are fitted here, not reused. Leads the cohort cannot fit
    /// (k &gt; f − a − 1) are absent. Each placebo fit's warnings (a weight solve at its cap) go to <paramref name="warnings"/>.
    /// </summary>
    internal IReadOnlyList<LeadEffect> InTimePlaceboLeads(int count, ICollection<string>? warnings, CancellationToken ct)
    {
        var producer = Source as SyntheticWeightingEstimator
            ?? throw new InvalidOperationException($"This {Estimator} result does not record its estimator, which in-time placebo leads re-run.");
        var controls = Data.Pattern.NeverTreatedUnitIndices;
        var leads = new List<LeadEffect>();
        foreach (var cohort in Cohorts)
        {
            var units = Data.Pattern.Cohorts.First(c => c.Period == cohort.AdoptionPeriod).UnitIndices;
            int g = Data.PeriodIndex(cohort.AdoptionPeriod), fitted = g - Anticipation, n0 = controls.Count;
            var rows = controls.Concat(units).ToArray();
            var estimator = producer.With(producer.Options with
            {
                ZetaOmega = cohort.ZetaOmega, ZetaLambda = cohort.ZetaLambda, MinDecrease = cohort.MinDecrease,
                UnitWeights = null, UpdateUnitWeights = true, TimeWeights = null, UpdateTimeWeights = true,
            });
            for (var k = 1; k <= Math.Min(count, fitted - Anticipation - 1); k++)
            {
                var start = fitted - k;
                var placebo = estimator.Estimate(Replicates.Panel(Data, rows, r => r < n0 ? null : start, fitted), ct);
                leads.Add(new LeadEffect(g, start, placebo.CellEffects.Where(c => c.PeriodIndex == start).Average(c => c.Effect), units.Count));
                foreach (var w in placebo.Warnings) warnings?.Add($"the in-time placebo of lead −{Anticipation + k} of the cohort adopting in '{cohort.AdoptionPeriod}' (placebo-treated from '{Data.Periods[start]}'): {w}");
            }
        }
        return leads;
    }

    /// <summary>
    /// Effective N0 and T0, the regularisation and the largest unit and time weights: of the one cohort of a
    /// block design, or per cohort (with its τ̂) of a staggered one.
    /// </summary>
    private protected override void AppendDetails(StringBuilder sb)
    {
        if (Cohorts.Count > 1)
            sb.AppendLine(CultureInfo.InvariantCulture, $"  ATT = the treated-cell-weighted mean of {Cohorts.Count} cohort estimates τ̂:");
        foreach (var c in Cohorts) c.AppendSummary(sb, "  ", header: Cohorts.Count > 1, solvers: false);
    }

    private SyntheticCohortFit Single => Cohorts.Count == 1 ? Cohorts[0]
        : throw new InvalidOperationException($"This {Data.Pattern.Design.ToString().ToLowerInvariant()} design has {Cohorts.Count} adoption cohorts, each with its own weights: read them from Cohorts.");
}
