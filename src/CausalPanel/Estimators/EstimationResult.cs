using System.Globalization;
using System.Text;

namespace CausalPanel;

/// <summary>
/// What every estimator returns: the estimated untreated outcome and the effect of every
/// treated cell, their average (the ATT, paper notation τ̂ = Σ W_it τ̂_it / Σ W_it), effects by
/// calendar period and by event time, the treated-vs-counterfactual trajectory and solver
/// diagnostics. Estimators derive from it to add their own details (weights, fixed effects,
/// tuning), so code written against this type works for all of them.
/// </summary>
[TypeFormatterSource(typeof(NotebookFormatterSource))]
public record EstimationResult
{
    /// <summary>
    /// Builds a result from the estimated untreated outcome of treated cells; the effects,
    /// ATT and aggregates follow from them.
    /// </summary>
    /// <param name="estimator">Name of the estimator.</param>
    /// <param name="data">The panel estimated on.</param>
    /// <param name="counterfactuals">(unit row, period column, Ŷ_it(0)) for each treated cell with an estimate.</param>
    /// <exception cref="NumericalFailureException">A counterfactual is not finite.</exception>
    /// <exception cref="ArgumentException">A cell is not treated, repeats, or none is given.</exception>
    public EstimationResult(string estimator, PanelData data, IEnumerable<(int Unit, int Period, double Counterfactual)> counterfactuals)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(counterfactuals);
        Estimator = estimator;
        Data = data;
        var cells = new List<TreatedCellEffect>();
        var seen = new bool[data.UnitCount * data.PeriodCount];
        foreach (var (i, t, counterfactual) in counterfactuals)
        {
            if (!data.Treatment[i, t] || seen[i * data.PeriodCount + t])
                throw new ArgumentException($"Cell ({data.Units[i]}, {data.Periods[t]}) is not a treated cell or is given twice.", nameof(counterfactuals));
            seen[i * data.PeriodCount + t] = true;
            cells.Add(new TreatedCellEffect(data.Units[i], data.Periods[t], i, t, data.Pattern.EventTime(i, t)!.Value, data.Outcomes[i, t], counterfactual));
        }
        if (cells.Count == 0)
            throw new ArgumentException("A result needs at least one treated cell with an estimate.", nameof(counterfactuals));
        var bad = cells.Where(c => !double.IsFinite(c.Counterfactual)).ToList();
        if (bad.Count > 0)
            throw new NumericalFailureException(
                $"{estimator} produced non-finite untreated outcomes at {data.Cells(bad.Select(c => (c.UnitIndex, c.PeriodIndex)))}. Rescale the outcomes (e.g. to units near 1) and report this panel as a bug if it persists.",
                bad.Select(c => c.Unit).Distinct().ToList(), bad.Select(c => c.Period).Distinct().ToList());

        CellEffects = cells;
        Att = cells.Average(c => c.Effect);
        // Means per period and per event time (both below T), summed in cell order.
        var periodSum = new double[data.PeriodCount];
        var eventSum = new double[data.PeriodCount];
        var periodCount = new int[data.PeriodCount];
        var eventCount = new int[data.PeriodCount];
        foreach (var c in cells)
        {
            periodSum[c.PeriodIndex] += c.Effect;
            periodCount[c.PeriodIndex]++;
            eventSum[c.EventTime] += c.Effect;
            eventCount[c.EventTime]++;
        }
        EffectsByPeriod = Enumerable.Range(0, data.PeriodCount).Where(k => periodCount[k] > 0)
            .Select(k => new PeriodEffect(data.Periods[k], k, periodSum[k] / periodCount[k], periodCount[k])).ToArray();
        EffectsByEventTime = Enumerable.Range(0, data.PeriodCount).Where(k => eventCount[k] > 0)
            .Select(k => new EventTimeEffect(k, eventSum[k] / eventCount[k], eventCount[k])).ToArray();
    }

    /// <summary>Name of the estimator that produced the result.</summary>
    public string Estimator { get; }

    /// <summary>The panel the estimate is for.</summary>
    public PanelData Data { get; }

    /// <summary>The average effect on the treated cells: the mean of <see cref="CellEffects"/>.</summary>
    public double Att { get; }

    /// <summary>Observed outcome, estimated untreated outcome and effect of every estimated treated cell (row-major order).</summary>
    public IReadOnlyList<TreatedCellEffect> CellEffects { get; }

    /// <summary>Mean effect per calendar period with treated cells.</summary>
    public IReadOnlyList<PeriodEffect> EffectsByPeriod { get; }

    /// <summary>Mean effect per event time (periods since adoption).</summary>
    public IReadOnlyList<EventTimeEffect> EffectsByEventTime { get; }

    /// <summary>
    /// The anticipation window k the estimator was given (its options' <c>Anticipation</c>): the k periods before each
    /// unit's adoption were not used as untreated information, and their cells' effects are in
    /// <see cref="AnticipationEffects"/>, outside <see cref="Att"/>, <see cref="CellEffects"/> and the aggregates by period
    /// and event time (Callaway and Sant'Anna 2021, J. Econometrics, Assumption 3; R <c>did</c>'s <c>anticipation</c>).
    /// </summary>
    public int Anticipation { get; init; }

    /// <summary>
    /// The units the treated units were compared with: all untreated cells (<see cref="ControlGroup.NotYetTreated"/>, the
    /// imputation estimators' default) or the never-treated units only (<see cref="ControlGroup.NeverTreated"/>, always so
    /// for SC, DIFP and SDID).
    /// </summary>
    public ControlGroup ControlGroup { get; init; }

    /// <summary>
    /// The cells of the anticipation window (event times −<see cref="Anticipation"/>..−1, row-major order): observed
    /// outcome, estimated untreated outcome and effect, which under limited anticipation may be nonzero. They are not
    /// placebo effects (leads) and not part of the ATT. Empty without anticipation; a cell whose untreated outcome the
    /// fit does not identify is left out, with a warning.
    /// </summary>
    public IReadOnlyList<TreatedCellEffect> AnticipationEffects { get; init; } = [];

    /// <summary>Mean effect per event time of the anticipation window (−k..−1), from <see cref="AnticipationEffects"/>.</summary>
    public IReadOnlyList<EventTimeEffect> AnticipationEffectsByEventTime =>
        AnticipationEffects.GroupBy(c => c.EventTime).OrderBy(g => g.Key).Select(g => new EventTimeEffect(g.Key, g.Average(c => c.Effect), g.Count())).ToArray();

    /// <summary>
    /// The anticipation cells of <paramref name="data"/> with the counterfactuals an estimator gives them (null where its fit
    /// does not identify the cell), and the warning for the cells left out (null when none is).
    /// </summary>
    /// <exception cref="NumericalFailureException">A counterfactual is not finite.</exception>
    internal static (IReadOnlyList<TreatedCellEffect> Effects, string? Warning) Anticipating(string estimator, PanelData data,
        IEnumerable<(int Unit, int Period, int EventTime, double? Counterfactual)> cells)
    {
        var effects = new List<TreatedCellEffect>();
        var missing = new List<(int, int)>();
        foreach (var (i, s, e, counterfactual) in cells)
        {
            if (counterfactual is not { } c) { missing.Add((i, s)); continue; }
            if (!double.IsFinite(c))
                throw new NumericalFailureException($"{estimator} produced a non-finite untreated outcome at {data.Cells([(i, s)])} (anticipation window). Rescale the outcomes (e.g. to units near 1) and report this panel as a bug if it persists.",
                    [data.Units[i]], [data.Periods[s]]);
            effects.Add(new TreatedCellEffect(data.Units[i], data.Periods[s], i, s, e, data.Outcomes[i, s], c));
        }
        return (effects, missing.Count == 0 ? null
            : $"{SummaryText.Count(missing.Count, "cell")} of the anticipation window ({data.Cells(missing)}) have no untreated outcome the fit identifies (nothing links their unit to their period), so they are left out of AnticipationEffects; the ATT does not use them.");
    }

    /// <summary>The treated units' mean outcome and estimated untreated mean over all periods (empty if the estimator has none).</summary>
    public IReadOnlyList<TrajectoryPoint> Trajectory { get; init; } = [];

    /// <summary>How the solver finished.</summary>
    public SolverDiagnostics? Diagnostics { get; init; }

    /// <summary>Things a user should know about this estimate (e.g. a solver that hit its iteration cap).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The estimator that produced this result (variance methods re-run it on replicate panels).</summary>
    public IEstimator? Source { get; init; }

    /// <summary>
    /// The re-estimation hook of the variance methods: the estimator to run on a replicate panel whose
    /// never-treated units are this fit's units <paramref name="controls"/> (row indices of <see cref="Data"/>,
    /// in the replicate's order, repeats allowed), or, when <paramref name="controls"/> is null, on a panel
    /// whose periods differ (a time placebo). By default the original estimator as it is; the synthdid
    /// family overrides it to keep the original regularisation and start from (or, with
    /// <paramref name="fixWeights"/>, hold) the original weights, as R synthdid's vcov does — and, for other
    /// periods, to keep only the regularisation, as <c>synthdid_placebo</c> does.
    /// </summary>
    internal virtual IEstimator ForReplicate(IReadOnlyList<int>? controls, bool fixWeights) =>
        Source ?? throw new InvalidOperationException($"This {Estimator} result does not record its estimator; variance methods need it.");

    /// <summary>
    /// The estimator's linear representation, for <see cref="RegressionVariance"/>: row-major N×T weights a
    /// with ATT = Σ_it a_it Y_it when everything the estimator fitted besides the counterfactual (unit and
    /// time weights, covariate coefficients) is held at its fitted value (spec variance.md §4.4); null for
    /// estimators that are not linear in the outcomes (MC-NNM; DWCP with a finite λ_nuclear), <see cref="NotLinearReason"/> saying why.
    /// </summary>
    internal virtual double[]? LinearWeights() => null;

    /// <summary>
    /// Whether the ATT of the fit's replicate estimator (<see cref="ForReplicate"/>, its regularisation held) is unchanged by adding
    /// a_i + b_t to every outcome (DiD, DIFP, SDID): its variance under a noise model can then be simulated on noise-only panels
    /// (<see cref="SimulatedFitVariance"/>).
    /// </summary>
    internal virtual bool InvariantToTwoWayEffects => false;

    /// <summary>
    /// Whether it fits time weights to the outcomes (SDID): they absorb part of the controls' noise in sample, which a fixed-weight
    /// variance counts at full weight (<see cref="ConditionalVariance.RescalingDraws"/>).
    /// </summary>
    internal virtual bool FitsTimeWeights => false;

    /// <summary>Why <see cref="LinearWeights"/> is null, as the start of a sentence.</summary>
    internal virtual string NotLinearReason => $"{Estimator} is not linear in the outcomes";

    /// <summary>
    /// The event-study hook: the pre-treatment placebo effects ("leads") at event times −1..−<paramref name="count"/>
    /// per adoption cohort and period, as the estimator's literature defines them — leave-one-period-out refits at the
    /// fit's tuning for the imputation estimators (<see cref="HeldOutLeads"/>; R <c>fect</c>'s placebo test), the fitted
    /// weights' pre-treatment gaps for the synthdid family (Stata <c>sdid_event</c>) — or null when the estimator defines
    /// none (<see cref="NoLeadsReason"/> says why). A lead without a cell is absent.
    /// </summary>
    internal virtual IReadOnlyList<LeadEffect>? LeadEffects(int count, CancellationToken ct) => null;

    /// <summary>Why <see cref="LeadEffects"/> is null.</summary>
    internal virtual string NoLeadsReason => $"{Estimator} results carry no definition of pre-treatment placebo effects (leads)";

    /// <summary>
    /// A compact multi-line summary: the estimator and ATT; the design (N, N1, N0, T, and T0 and T1 for a
    /// block, the cohorts for staggered adoption); the estimator's tuning and weights; how the solver
    /// finished; and every warning. It is also <see cref="ToString"/>, so <c>Console.WriteLine(fit)</c> prints it.
    /// </summary>
    public virtual string Summary()
    {
        var inv = CultureInfo.InvariantCulture;
        var p = Data.Pattern;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"{Estimator}: ATT = {SummaryText.Number(Att)} over {SummaryText.Count(CellEffects.Count, "treated cell")}");
        sb.Append(inv, $"  {p.Design.ToString().ToLowerInvariant()} design: N = {Data.UnitCount} units (N1 = {p.TreatedUnitCount} treated, N0 = {p.NeverTreatedCount} never treated), ");
        sb.Append(inv, $"T = {Data.PeriodCount} periods {Data.Periods[0]}–{Data.Periods[^1]}");
        if (p.Design == TreatmentDesign.Block)
            sb.Append(inv, $" (T0 = {p.PrePeriodCount} before {p.Cohorts[0].Period}, T1 = {Data.PeriodCount - p.PrePeriodCount} from it)");
        else if (p.Cohorts.Count > 1)
            sb.Append(inv, $"; {p.Cohorts.Count} adoption cohorts ({string.Join(", ", p.Cohorts.Take(8).Select(c => c.Period))}{(p.Cohorts.Count > 8 ? ", …" : "")})");
        if (p.SwitchingUnitIndices.Count > 0) sb.Append(inv, $"; {SummaryText.Count(p.SwitchingUnitIndices.Count, "unit")} switch treatment off");
        if (!Data.IsBalanced) sb.Append(inv, $"; {SummaryText.Count(Data.Outcomes.UnobservedCount, "unobserved cell")}");
        sb.AppendLine();
        if (Anticipation > 0)
        {
            sb.Append(inv, $"  anticipation window: the {SummaryText.Count(Anticipation, "period")} before adoption are not used as untreated (Anticipation = {Anticipation})");
            sb.AppendLine(AnticipationEffects.Count > 0 ? string.Create(inv, $"; their {SummaryText.Count(AnticipationEffects.Count, "cell")} have mean effect {SummaryText.Number(AnticipationEffects.Average(c => c.Effect))}, outside the ATT") : "");
        }
        if (ControlGroup == ControlGroup.NeverTreated && p.Design != TreatmentDesign.Block)
            sb.AppendLine(inv, $"  control group: the {SummaryText.Count(p.NeverTreatedCount, "never-treated unit")} only (ControlGroup = NeverTreated)");
        AppendDetails(sb);
        if (Diagnostics is { } d) sb.AppendLine(inv, $"  solver: {d}");
        foreach (var w in Warnings) sb.AppendLine(inv, $"  warning: {w}");
        return sb.ToString().TrimEnd();
    }

    /// <summary>Estimator-specific lines of <see cref="Summary"/> (weights, tuning), after the design lines.</summary>
    private protected virtual void AppendDetails(StringBuilder sb) { }

    /// <summary>
    /// The human <see cref="Summary"/>. Sealed so that the derived result records do not synthesise their
    /// own <c>ToString</c> (a dump of every property, which prints lists as type names and reads
    /// <see cref="SyntheticWeightingResult.UnitWeights"/> of a staggered fit, which throws).
    /// </summary>
    public sealed override string ToString() => Summary();
}
