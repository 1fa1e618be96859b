namespace CausalPanel;

/// <summary>
/// What one work item computed, as data (so it can be checkpointed, written by a shard or sent back by a remote worker
/// and give the same table): a variance replicate's ATT and its effects by cohort and period, or a simulated panel's
/// outcome for each estimator of a comparison.
/// </summary>
public sealed record WorkItemResult
{
    /// <summary>The item's index in its job (0-based: replicate b, or design d's panel b at d·B + b).</summary>
    public required int Index { get; init; }

    /// <summary>Why the estimator refused the item's panel (an <see cref="EstimationException"/>'s message); null when it did not.</summary>
    public string? Failure { get; init; }

    /// <summary>A replicate's ATT (NaN when it has none).</summary>
    public double Att { get; init; } = double.NaN;

    /// <summary>
    /// A replicate's effects by adoption cohort and period (its leads included when the job asked for them, see
    /// <see cref="EffectGrid"/>); null when the replicate has no value (a failure, or a bootstrap replicate that found
    /// no usable draw in <see cref="BootstrapVariance.MaxAttempts"/>).
    /// </summary>
    public IReadOnlyList<WorkGridCell>? Grid { get; init; }

    /// <summary>
    /// A replicate fit's unit coefficients by replicate panel row, when its job asked for them (the rescaled unit placebo of
    /// <see cref="ConditionalVariance"/>) and the estimator is linear; null otherwise.
    /// </summary>
    public IReadOnlyList<double>? UnitCoefficients { get; init; }

    /// <summary>What the replicate was ("draw 3", "without Ohio", the placebo units).</summary>
    public string? Label { get; init; }

    /// <summary>Draws the replicate discarded and redrew (bootstrap).</summary>
    public int Discarded { get; init; }

    /// <summary>A comparison panel's outcome for each estimator, in the comparison's order; null for a replicate.</summary>
    public IReadOnlyList<WorkEstimateOutcome>? Outcomes { get; init; }

    /// <summary>
    /// A variance comparison's simulation cell: for each estimator, in the comparison's order, its refusal or each
    /// method's test at each effect; null otherwise.
    /// </summary>
    public IReadOnlyList<WorkTestOutcome>? Tests { get; init; }

    /// <summary>A variance comparison's simulation cell: the root mean square of the noise scale σ_it over its treated cells; null otherwise.</summary>
    public double? TreatedNoiseScale { get; init; }

    /// <summary>
    /// A variance comparison's simulation cell: the labels of the units its panels treated (the same with every effect), in
    /// panel order; null otherwise, and in checkpoints written before it was recorded.
    /// </summary>
    public IReadOnlyList<string>? TreatedUnits { get; init; }

    /// <summary>
    /// A DWCP per-cell job's item (one unit's treated cells, see <see cref="DwcpOptions.Executor"/>): each cell's fit, in
    /// the order of the unit's cells; null otherwise.
    /// </summary>
    public IReadOnlyList<WorkCellFit>? Cells { get; init; }

    /// <summary>"item 3: ATT 0.125 (draw 4)".</summary>
    public override string ToString() => Failure is not null ? $"item {Index}: refused ({Failure})"
        : Cells is not null ? $"item {Index}: {SummaryText.Count(Cells.Count, "cell")}"
        : Outcomes is not null ? $"item {Index}: {string.Join(", ", Outcomes)}"
        : Tests is not null ? $"item {Index}: tests of {SummaryText.Count(Tests.Count, "estimator")}"
        : $"item {Index}: ATT {SummaryText.Number(Att)}{(Label is null ? "" : $" ({Label})")}";
}

/// <summary>
/// One estimator's tests on one simulated panel of a <see cref="VarianceComparison"/>: method m's estimate and interval
/// half-width at effect k (k = 0 the zero effect, then each of its effect sizes) at index m·(effects + 1) + k — the
/// half-width NaN where the method was undefined, both NaN where the estimator refused the panel — and the estimator's
/// estimate on the same replication's panel drawn without noise.
/// </summary>
/// <param name="Failure">The estimator's first refusal on the panel (with any effect), null when it estimated every one.</param>
/// <param name="Estimates">The ATT per method and effect.</param>
/// <param name="HalfWidths">The interval half-width per method and effect.</param>
/// <param name="NoiseFreeEstimate">
/// The ATT on the replication's zero-effect panel drawn with <see cref="NoiseModel.None"/> (the same treated units, no
/// noise): the estimator's structural misfit. NaN when it refused that panel, and in checkpoints written before it was recorded.
/// </param>
public readonly record struct WorkTestOutcome(string? Failure, IReadOnlyList<double> Estimates, IReadOnlyList<double> HalfWidths, double NoiseFreeEstimate = double.NaN)
{
    /// <summary>
    /// No tests and no noise-free estimate (NaN): where a checkpoint's reader starts, so that a line written before the
    /// noise-free estimate was recorded reads it as NaN rather than 0.
    /// </summary>
    public WorkTestOutcome() : this(null, [], []) { }

    /// <summary>
    /// "0.125 ± 0.3, undefined, …" per method and effect, then "; noise-free 0.02" when known, or "refused (…)" when the
    /// estimator refused the panel.
    /// </summary>
    public override string ToString() => Failure is not null ? $"refused ({Failure})"
        : string.Join(", ", Estimates.Zip(HalfWidths, (e, h) => double.IsNaN(h) ? "undefined" : $"{SummaryText.Number(e)} ± {SummaryText.Number(h)}"))
          + (double.IsNaN(NoiseFreeEstimate) ? "" : $"; noise-free {SummaryText.Number(NoiseFreeEstimate)}");
}

/// <summary>The mean effect of a replicate's treated (or lead) cells of one adoption cohort in one period (columns of the panel).</summary>
/// <param name="Cohort">The cohort's first treated period (column).</param>
/// <param name="Period">The period (column).</param>
/// <param name="Effect">The cells' mean effect.</param>
/// <param name="Cells">How many cells.</param>
public readonly record struct WorkGridCell(int Cohort, int Period, double Effect, int Cells);

/// <summary>
/// One treated cell's weighted fit in DWCP's per-cell mode (Athey, Imbens, Qu and Viviano 2025, Eqs. 2–3), on the
/// standardised outcome.
/// </summary>
/// <param name="Prediction">The predicted untreated outcome α̂_i + β̂_t + L̂_it (+ Σ b̂_k X_kit); NaN when the weights do not identify it.</param>
/// <param name="Converged">Whether the cell's fit met the tolerance before the iteration cap.</param>
/// <param name="Coefficients">The fit's covariate coefficients b̂ (empty without covariates).</param>
public readonly record struct WorkCellFit(double Prediction, bool Converged, IReadOnlyList<double> Coefficients)
{
    /// <summary>"0.125 (b̂ 0.3, −1.2)", "not identified", with "not converged" when the fit stopped at the cap.</summary>
    public override string ToString() =>
        (double.IsNaN(Prediction) ? "not identified" : SummaryText.Number(Prediction))
        + (Coefficients.Count > 0 ? $" (b̂ {string.Join(", ", Coefficients.Select(SummaryText.Number))})" : "")
        + (Converged ? "" : ", not converged");
}

/// <summary>One estimator's outcome on one simulated panel of a comparison.</summary>
/// <param name="Estimate">The ATT (null when the estimator refused the panel).</param>
/// <param name="Covered">Whether the variance method's interval holds 0 (null without one, or when it was undefined).</param>
/// <param name="Failure">The refusal message (null when it estimated).</param>
public readonly record struct WorkEstimateOutcome(double? Estimate, bool? Covered, string? Failure);
