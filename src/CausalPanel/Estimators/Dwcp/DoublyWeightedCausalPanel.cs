namespace CausalPanel;

/// <summary>
/// The doubly weighted causal panel estimator, DWCP (published as TROP: Athey, Imbens, Qu and Viviano
/// 2025, arXiv 2508.21536): for each treated cell, unit effects, period effects and a nuclear-norm
/// penalised low-rank term are fitted to the untreated cells with unit weights favouring units close
/// to the treated one and time weights favouring periods close to the treated period (Eqs. 2, 3, 13;
/// Algorithm 2), and the ATT averages the cell effects. With λ_unit = λ_time = 0 and λ_nuclear = ∞ it is
/// <see cref="DifferenceInDifferences"/>; with λ_unit = λ_time = 0 and finite λ_nuclear it is
/// <see cref="MatrixCompletion"/> at λ_MC = λ_nuclear / |O| (on the standardised outcome). Cells whose
/// untreated outcome is not identified under the weights are excluded and listed, never NaN.
/// Covariates attached to the panel enter as in §6.2, Eq. 14: the low-rank term is replaced by X·b + R with only
/// ‖R‖_* penalised, b an unpenalised block of every weighted fit (a weighted least-squares step in the solver); so
/// the special cases become DiD and MC-NNM with the same covariates. The same weights as without covariates are used
/// (distances on the outcome). A covariate the fixed effects absorb, or a collinear set, is refused
/// (<see cref="CollinearCovariatesException"/>). In per-cell mode <see cref="DwcpOptions.Anticipation"/> leaves the k
/// periods before adoption out of every fit and reports their effects apart, and <see cref="DwcpOptions.ControlGroup"/> =
/// <see cref="ControlGroup.NeverTreated"/> restricts each fit's donors to the never-treated units.
/// </summary>
public sealed class DoublyWeightedCausalPanel : IEstimator
{
    /// <summary>DWCP with tuned λ's (leave-one-out on 100 seeded untreated cells).</summary>
    public DoublyWeightedCausalPanel() : this(new DwcpOptions()) { }

    /// <summary>DWCP with the given options; giving all three λ's skips tuning.</summary>
    public DoublyWeightedCausalPanel(DwcpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        Options = options;
    }

    /// <summary>The options.</summary>
    public DwcpOptions Options { get; }

    /// <inheritdoc/>
    public string Name => "DWCP";

    /// <inheritdoc cref="IEstimator.Estimate"/>
    public DwcpResult Estimate(PanelData data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ct.ThrowIfCancellationRequested();
        var (fitWeights, x, y, mean, sd) = Inputs(data, ct);
        return Options.Mode == DwcpMode.Block
            ? DwcpBlock.Estimate(this, data, y, x, mean, sd, ct) with { ControlGroup = Options.ControlGroup }
            : EstimatePerCell(data, y, fitWeights, x, mean, sd, ct);
    }

    /// <summary>
    /// What every fit of <paramref name="data"/> starts from: the cells it fits on (checked, <see cref="PanelRequirements.RequireImputable"/>),
    /// the covariates (<see cref="CovariateDesign.Require"/>) and the outcomes as the fits see them (<see cref="Standardised"/>).
    /// </summary>
    private (double[] FitWeights, double[][]? X, double[] Y, double Mean, double Sd) Inputs(PanelData data, CancellationToken ct)
    {
        var fitWeights = PanelRequirements.RequireImputable(data, Name, Options.Anticipation, Options.ControlGroup, ct);
        var x = CovariateDesign.Require(data, Name, fitWeights)?.Values;
        var (y, mean, sd) = Standardised(data);
        return (fitWeights, x, y, mean, sd);
    }

    /// <summary>The outcomes the fits see (standardised by their overall mean and sd with <see cref="DwcpOptions.Standardise"/>), and that mean and sd.</summary>
    private (double[] Y, double Mean, double Sd) Standardised(PanelData data)
    {
        var (mean, sd) = Options.Standardise ? Moments(data.Outcomes.Values) : (0, 1);
        var y = data.Outcomes.Values.ToArray();
        for (var k = 0; k < y.Length; k++) y[k] = (y[k] - mean) / sd;
        return (y, mean, sd);
    }

    /// <summary>
    /// The linear form ATT = Σ_it a_it Y_it of a fit at λ_nuclear = ∞ (<see cref="DwcpResult"/>'s
    /// <c>LinearWeights</c>), with the unit and time weights (which depend on Y through the distances) held at their fitted
    /// values, as the synthetic estimators' weights are: per-cell mode, a = 1/m on the m estimated treated cells minus 1/m
    /// times each one's imputation weights (<see cref="DwcpCore.AddImputationWeights"/>); block mode, the weights of τ̂
    /// (<see cref="DwcpBlock.LinearWeights"/>). Standardising cancels: Ŷ(0) = mean + sd·Σ h (Y − mean)/sd = Σ h Y, as the
    /// hat row h of a fit with unit effects sums to 1 (and τ̂'s to 0).
    /// </summary>
    internal double[] LinearWeights(DwcpResult fit, CancellationToken ct = default)
    {
        var data = fit.Data;
        var (fitWeights, x, y, _, _) = Inputs(data, ct);
        if (fit.Mode == DwcpMode.Block) return DwcpBlock.LinearWeights(data, y, x, fit.LambdaUnit, fit.LambdaTime);
        var core = Core(data, y, fitWeights, x);
        int t = data.PeriodCount, m = fit.CellEffects.Count;
        var a = new double[data.UnitCount * t];
        var cells = fit.CellEffects.Select(c => (c.UnitIndex, c.PeriodIndex)).ToList();
        foreach (var (i, s) in cells) a[i * t + s] = 1.0 / m;
        core.AddImputationWeights(cells, fit.LambdaUnit, fit.LambdaTime, -1.0 / m, a, ct);
        return a;
    }

    /// <summary>The core over <paramref name="y"/> with every cell outside <paramref name="fitWeights"/> set aside, and the donors of the control group.</summary>
    private DwcpCore Core(PanelData data, double[] y, double[] fitWeights, double[][]? x) =>
        new(y, fitWeights.Select(v => !(v > 0)).ToArray(), data.UnitCount, data.PeriodCount, Options.MaxIterations, Options.Tolerance, x,
            Options.ControlGroup == ControlGroup.NeverTreated ? Enumerable.Range(0, data.UnitCount).Select(i => data.Pattern.FirstTreatedPeriodIndex(i) is null).ToArray() : null);

    EstimationResult IEstimator.Estimate(PanelData data, CancellationToken ct) => Estimate(data, ct);

    private DwcpResult EstimatePerCell(PanelData data, double[] y, double[] fitWeights, double[][]? x, double mean, double sd, CancellationToken ct)
    {
        var core = Core(data, y, fitWeights, x);
        var placeboUnconverged = 0;
        DwcpLambdaSearch.Bounded Criterion() => Options.Tuning == DwcpTuning.PlaceboBlock
            ? DwcpLambdaSearch.Unbounded(PlaceboCriterion(this, data, y, (_, rows, lu, lt, ln) =>
            {
                // The placebo-treated rows' last T1 periods (and their anticipation window), on the never-treated rows only.
                var (yc, wc, n0, post, xc) = PlaceboPanel(data, y, x, rows, Options.Anticipation);
                var placebo = new DwcpCore(yc, wc, n0, data.PeriodCount, Options.MaxIterations, Options.Tolerance, xc);
                var cells = rows.SelectMany(r => Enumerable.Range(data.PeriodCount - post, post).Select(s => (r, s))).ToList();
                var effects = placebo.PredictTreated(cells, lu, lt, ln, ct).Zip(cells, (p, c) => p.Value is { } v ? yc[c.r * data.PeriodCount + c.s] - v : (double?)null)
                    .OfType<double>().ToList();
                Interlocked.Add(ref placeboUnconverged, placebo.UnconvergedFits);
                return effects.Count > 0 ? effects.Average() : null;
            }, ct))
            : DwcpTuner.LeaveOneOut(Options, core, ct);
        var (lu, lt, ln, trace, tuningWarnings) = DwcpLambdaSearch.Choose(Options, Criterion, ct, loose: Options.Tuning != DwcpTuning.PlaceboBlock);
        var tuningUnconverged = core.UnconvergedFits + placeboUnconverged;
        var cells = new List<(int I, int T)>();
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++)
                if (data.Treatment[i, s]) cells.Add((i, s));
        var (predicted, cellsUnconverged) = DwcpCellWork.Predict(core, cells, lu, lt, ln, Options.Executor, ct);
        var window = AnticipationWindow.Cells(data, Options.Anticipation);
        var (windowPredicted, windowUnconverged) = DwcpCellWork.Predict(core, [.. window.Select(c => (c.Unit, c.Period))], lu, lt, ln, Options.Executor, ct);
        var finalUnconverged = cellsUnconverged + windowUnconverged;
        var (anticipation, anticipationWarning) = EstimationResult.Anticipating(Name, data,
            window.Select((c, j) => (c.Unit, c.Period, c.EventTime, windowPredicted[j].Value is { } v ? mean + sd * v : (double?)null)));

        var counterfactuals = new List<(int, int, double)>();
        var excluded = new List<(string, string)>();
        var unconverged = new List<(string, string)>();
        var coefficients = new double[x?.Length ?? 0];
        for (var k = 0; k < cells.Count; k++)
        {
            var (i, s) = cells[k];
            if (!predicted[k].Converged) unconverged.Add((data.Units[i], data.Periods[s]));
            if (predicted[k].Value is { } p)
            {
                counterfactuals.Add((i, s, mean + sd * p));
                for (var c = 0; c < coefficients.Length; c++) coefficients[c] += sd * predicted[k].Coefficients[c];
            }
            else excluded.Add((data.Units[i], data.Periods[s]));
        }
        if (counterfactuals.Count == 0)
            throw new NotIdentifiedException($"{Name}: no treated cell's untreated outcome is identified under λ_unit = {lu}, λ_time = {lt}: the weights leave no chain of untreated cells linking the treated units to their periods. Lower λ_unit or λ_time.",
                excluded.Select(e => e.Item1).Distinct().ToList(), excluded.Select(e => e.Item2).Distinct().ToList());

        var treatedUnits = cells.Select(c => c.I).Distinct().ToList();
        var treatedPeriods = cells.Select(c => c.T).Distinct().OrderBy(s => s).ToList();
        return new DwcpResult(Name, data, counterfactuals)
        {
            Source = this,
            Anticipation = Options.Anticipation,
            ControlGroup = Options.ControlGroup,
            AnticipationEffects = anticipation,
            Mode = DwcpMode.PerCell,
            LambdaUnit = lu,
            LambdaTime = lt,
            LambdaNuclear = ln,
            Tuning = trace,
            UnitWeights = treatedUnits.ToDictionary(i => data.Units[i], i => LabelledWeight.Over(data.Units, core.UnitWeights(i, -1, lu))),
            TimeWeights = treatedPeriods.ToDictionary(s => data.Periods[s], s => LabelledWeight.Over(data.Periods, core.TimeWeights(s, lt))),
            ExcludedCells = excluded,
            UnconvergedFits = tuningUnconverged + finalUnconverged,
            UnconvergedCells = unconverged,
            CovariateCoefficients = CovariateAverages(data, coefficients, counterfactuals.Count),
            Diagnostics = new SolverDiagnostics(double.IsPositiveInfinity(ln) ? "weighted two-way fixed effects per cell (exact)" : "weighted FISTA with singular value thresholding per cell", cells.Count, tuningUnconverged - placeboUnconverged + finalUnconverged == 0),
            Warnings = [.. tuningWarnings, .. Warnings(excluded, unconverged, tuningUnconverged, x is not null), .. anticipationWarning is null ? Array.Empty<string>() : [anticipationWarning]],
        };
    }

    /// <summary>
    /// Per-cell predictions Ŷ_it(0) of <paramref name="cells"/>, each from its own weighted fit (Eq. 2–3) to the cells with
    /// positive <paramref name="training"/> weights (row-major N×T) at the given λ's; null where the weights do not
    /// identify a cell. The event study's leads use it with the untreated cells less the held-out ones. The fits run as a
    /// work job on <see cref="DwcpOptions.Executor"/> (<see cref="DwcpCellWork"/>).
    /// </summary>
    internal double?[] PredictHeldOut(PanelData data, double[] training, IReadOnlyList<(int I, int T)> cells,
        double lambdaUnit, double lambdaTime, double lambdaNuclear, CancellationToken ct)
    {
        var x = CovariateDesign.Require(data, Name, training)?.Values;
        var (y, mean, sd) = Standardised(data);
        var core = Core(data, y, training, x);
        return DwcpCellWork.Predict(core, cells, lambdaUnit, lambdaTime, lambdaNuclear, Options.Executor, ct).Predictions.Select(p => p.Value is { } v ? mean + sd * v : (double?)null).ToArray();
    }

    /// <summary>Covariate coefficients by name from their sums over <paramref name="count"/> fits.</summary>
    internal static Dictionary<string, double> CovariateAverages(PanelData data, double[] sums, int count) =>
        data.Covariates.Keys.Select((name, c) => (name, c)).ToDictionary(p => p.name, p => sums[p.c] / count);

    private string[] Warnings(List<(string, string)> excluded, List<(string, string)> unconverged, int tuningUnconverged, bool covariates)
    {
        var warnings = new List<string>();
        if (excluded.Count > 0)
            warnings.Add($"{excluded.Count} treated cell(s) are not identified under the weights and are left out of the ATT (no chain of positive-weight untreated cells links the unit to the period{(covariates ? ", or those cells do not identify the covariate coefficients" : "")}): {CausalPanelException.List(excluded.Select(e => $"{e.Item1}/{e.Item2}"))}.");
        if (unconverged.Count > 0)
            warnings.Add($"{unconverged.Count} cell fit(s) stopped at MaxIterations = {Options.MaxIterations} before meeting the tolerance: {CausalPanelException.List(unconverged.Select(e => $"{e.Item1}/{e.Item2}"))}. Raise MaxIterations.");
        if (tuningUnconverged > 0)
            warnings.Add(TuningWarning(tuningUnconverged));
        return [.. warnings];
    }

    /// <summary>The warning for tuning fits that stopped at the iteration cap (their criterion values are approximate).</summary>
    internal string TuningWarning(int count) =>
        $"{count} tuning fit(s) stopped at MaxIterations = {Options.MaxIterations} before meeting the tolerance, so the criterion values they gave in Tuning are approximate. Raise MaxIterations.";

    /// <summary>
    /// The authors' placebo criterion for a block design: N1 of the N0 never-treated units per draw,
    /// placebo-treated over the last T1 periods; <paramref name="estimate"/> gets the drawn rows (indices
    /// among the never-treated units) and the λ's.
    /// </summary>
    internal static Func<double, double, double, bool, double> PlaceboCriterion(DoublyWeightedCausalPanel estimator, PanelData data, double[] y,
        Func<int, int[], double, double, double, double?> estimate, CancellationToken ct)
    {
        var p = data.Pattern;
        if (p.Design != TreatmentDesign.Block)
            throw new UnsupportedTreatmentPatternException($"{estimator.Name}: placebo block tuning needs a block design (one adoption period, treated to the end); this is a {p.Design.ToString().ToLowerInvariant()} design. Use leave-one-out tuning.");
        if (p.NeverTreatedCount <= p.TreatedUnitCount)
            throw new InsufficientDataException($"{estimator.Name}: placebo block tuning draws {p.TreatedUnitCount} placebo-treated units from the {p.NeverTreatedCount} never-treated units and needs more never-treated than treated units. Use leave-one-out tuning.");
        return DwcpTuner.Placebo(estimator.Options, p.NeverTreatedCount, p.TreatedUnitCount, estimate, ct);
    }

    /// <summary>
    /// The never-treated rows of <paramref name="y"/> (and of the covariates <paramref name="x"/>) with the drawn rows
    /// treated over the last T1 periods, and their <paramref name="anticipation"/> periods before set aside too.
    /// </summary>
    internal static (double[] Y, bool[] W, int N0, int Post, double[][]? X) PlaceboPanel(PanelData data, double[] y, double[][]? x, int[] drawn, int anticipation)
    {
        var controls = data.Pattern.NeverTreatedUnitIndices;
        int t = data.PeriodCount, post = t - data.Pattern.Cohorts[0].PeriodIndex;
        double[] Rows(double[] values)
        {
            var rows = new double[controls.Count * t];
            for (var r = 0; r < controls.Count; r++) Array.Copy(values, controls[r] * t, rows, r * t, t);
            return rows;
        }
        var wc = new bool[controls.Count * t];
        foreach (var r in drawn)
            for (var s = Math.Max(0, t - post - anticipation); s < t; s++) wc[r * t + s] = true;
        return (Rows(y), wc, controls.Count, post, x?.Select(Rows).ToArray());
    }

    internal static (double Mean, double Sd) Moments(ReadOnlySpan<double> values)
    {
        double sum = 0, count = 0;
        foreach (var v in values) if (!double.IsNaN(v)) { sum += v; count++; }
        var mean = sum / count;
        double ss = 0;
        foreach (var v in values) if (!double.IsNaN(v)) ss += (v - mean) * (v - mean);
        var sd = Math.Sqrt(ss / Math.Max(1, count - 1));
        return (mean, sd > 0 ? sd : 1);
    }

    private static void Validate(DwcpOptions o)
    {
        static void Check(double? v, string name, bool infinityAllowed)
        {
            if (v is { } x && !(x >= 0 && (double.IsFinite(x) || (infinityAllowed && double.IsPositiveInfinity(x)))))
                throw new ArgumentOutOfRangeException(name, x, $"{name} must be ≥ 0{(infinityAllowed ? " (or +∞ for no low-rank term)" : " and finite (0 = uniform weights)")}.");
        }
        Check(o.LambdaUnit, nameof(o.LambdaUnit), false);
        Check(o.LambdaTime, nameof(o.LambdaTime), false);
        Check(o.LambdaNuclear, nameof(o.LambdaNuclear), true);
        foreach (var g in o.LambdaUnitGrid) Check(g, nameof(o.LambdaUnitGrid), false);
        foreach (var g in o.LambdaTimeGrid) Check(g, nameof(o.LambdaTimeGrid), false);
        foreach (var g in o.LambdaNuclearGrid) Check(g, nameof(o.LambdaNuclearGrid), true);
        if (o.LambdaUnitGrid.Count == 0 || o.LambdaTimeGrid.Count == 0 || o.LambdaNuclearGrid.Count == 0)
            throw new ArgumentException("The tuning grids must not be empty.");
        if (o.TuningCells < 1) throw new ArgumentOutOfRangeException(nameof(o.TuningCells), o.TuningCells, "TuningCells must be at least 1.");
        if (o.MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(o.MaxIterations), o.MaxIterations, "MaxIterations must be at least 1.");
        if (o.MaxTuningCycles < 1) throw new ArgumentOutOfRangeException(nameof(o.MaxTuningCycles), o.MaxTuningCycles, "MaxTuningCycles must be at least 1.");
        if (o.MaxGridExtensions < 0) throw new ArgumentOutOfRangeException(nameof(o.MaxGridExtensions), o.MaxGridExtensions, "MaxGridExtensions must be at least 0 (0 = search the grids only).");
        if (!(o.LambdaTolerance > 0 && double.IsFinite(o.LambdaTolerance))) throw new ArgumentOutOfRangeException(nameof(o.LambdaTolerance), o.LambdaTolerance, "LambdaTolerance must be positive and finite (a width in log λ; 0.1 ≈ ±5%).");
        if (!(o.Tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(o.Tolerance), o.Tolerance, "Tolerance must be positive.");
        if (!(o.TuningTolerance > 0)) throw new ArgumentOutOfRangeException(nameof(o.TuningTolerance), o.TuningTolerance, "TuningTolerance must be positive (set it to Tolerance to search at full accuracy).");
        if (!(o.RestartLambdaTolerance > 0 && double.IsFinite(o.RestartLambdaTolerance))) throw new ArgumentOutOfRangeException(nameof(o.RestartLambdaTolerance), o.RestartLambdaTolerance, "RestartLambdaTolerance must be positive and finite (a width in log λ; 0.5 ≈ ±28%).");
        foreach (var r in o.LambdaNuclearRestarts ?? [])
            if (!(r > 0 && double.IsFinite(r)))
                throw new ArgumentOutOfRangeException(nameof(o.LambdaNuclearRestarts), r, "LambdaNuclearRestarts values must be positive and finite (an empty list turns the restarts off).");
        AnticipationWindow.Validate(o.Anticipation);
        if (o.Mode == DwcpMode.Block && o.Anticipation > 0)
            throw new ArgumentException(
                $"DWCP: Anticipation = {o.Anticipation} is not defined in block mode, which fits one effect τ to the whole N1 × T1 block with weights centred on it (the authors' simulation code) and has no cells before adoption to set aside; use Mode = PerCell, whose per-cell fits leave the anticipation window out.",
                nameof(o.Anticipation));
    }
}
