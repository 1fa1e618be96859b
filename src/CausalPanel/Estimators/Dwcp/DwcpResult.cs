namespace CausalPanel;

/// <summary>One evaluated λ triple of the tuning search.</summary>
/// <param name="LambdaUnit">λ_unit.</param>
/// <param name="LambdaTime">λ_time.</param>
/// <param name="LambdaNuclear">λ_nuclear (∞ = no low-rank term).</param>
/// <param name="Criterion">Leave-one-out: Σ of squared prediction errors over the scored cells; placebo: √(mean τ̂²) over the draws (+∞ if a fit was not identified).</param>
public readonly record struct DwcpTuningPoint(double LambdaUnit, double LambdaTime, double LambdaNuclear, double Criterion)
{
    /// <summary>
    /// True when the evaluation stopped early (leave-one-out tuning): its cells' errors, summed in a fixed order, already
    /// exceeded the best value of the one-dimensional search it belonged to, so <see cref="Criterion"/> is that partial
    /// sum — a lower bound, above a value the search had in hand — and the triple cannot have been chosen.
    /// </summary>
    public bool Partial { get; init; }
}

/// <summary>The result of <see cref="DoublyWeightedCausalPanel"/>.</summary>
public sealed record DwcpResult : EstimationResult
{
    internal DwcpResult(string estimator, PanelData data, IEnumerable<(int, int, double)> counterfactuals)
        : base(estimator, data, counterfactuals) { }

    /// <summary>The variant used.</summary>
    public required DwcpMode Mode { get; init; }

    /// <summary>λ_unit used (given or tuned).</summary>
    public required double LambdaUnit { get; init; }

    /// <summary>λ_time used.</summary>
    public required double LambdaTime { get; init; }

    /// <summary>λ_nuclear used (∞ = no low-rank term).</summary>
    public required double LambdaNuclear { get; init; }

    /// <summary>
    /// Every λ triple the tuning evaluated, in order, each once (empty when all three were given); the chosen triple has
    /// the lowest criterion among them. With leave-one-out tuning the values are those of fits solved to
    /// <see cref="DwcpOptions.TuningTolerance"/>, except the triples within 0.1% of the lowest, which were re-evaluated at
    /// <see cref="DwcpOptions.Tolerance"/> before the choice; an entry with <see cref="DwcpTuningPoint.Partial"/> stopped
    /// early and holds a lower bound. A tuned λ left at a capped end of its search (see
    /// <see cref="DwcpOptions.MaxGridExtensions"/>) is named in <see cref="EstimationResult.Warnings"/>.
    /// </summary>
    public required IReadOnlyList<DwcpTuningPoint> Tuning { get; init; }

    /// <summary>Unit weights ω used for each treated unit (keyed by its label; per-cell mode: relative to that unit).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<LabelledWeight>> UnitWeights { get; init; }

    /// <summary>Time weights θ used for each treated period (keyed by its label; per-cell mode: centred on that period).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<LabelledWeight>> TimeWeights { get; init; }

    /// <summary>Treated cells left out because their untreated outcome is not identified under the weights.</summary>
    public required IReadOnlyList<(string Unit, string Period)> ExcludedCells { get; init; }

    /// <summary>Fits (tuning included) that stopped at the iteration cap.</summary>
    public required int UnconvergedFits { get; init; }

    /// <summary>Replicates keep the chosen λ's (spec §6: λ̂ is not re-tuned per replicate).</summary>
    internal override IEstimator ForReplicate(IReadOnlyList<int>? controls, bool fixWeights) =>
        new DoublyWeightedCausalPanel(((DoublyWeightedCausalPanel)Source!).Options with { LambdaUnit = LambdaUnit, LambdaTime = LambdaTime, LambdaNuclear = LambdaNuclear });

    /// <summary>
    /// With λ_nuclear = ∞ (no low-rank term) DWCP is linear in the outcomes once its unit and time weights are held at their
    /// fitted values, as the synthetic estimators' weights are (spec variance.md §4.4): each counterfactual is the α̂_i + β̂_t
    /// (+ x_itᵀb̂) of a weighted two-way fit (Athey, Imbens, Qu and Viviano 2025, Eq. 2 with L = 0), so ATT = Σ a_it Y_it
    /// (<see cref="DoublyWeightedCausalPanel.LinearWeights"/>) and <see cref="RegressionVariance"/> applies. With a finite
    /// λ_nuclear, null (<see cref="NotLinearReason"/>).
    /// </summary>
    internal override double[]? LinearWeights() =>
        !double.IsPositiveInfinity(LambdaNuclear) ? null
        : (Source as DoublyWeightedCausalPanel ?? throw new InvalidOperationException($"This {Estimator} result does not record its estimator; its linear weights refit it.")).LinearWeights(this);

    /// <inheritdoc/>
    internal override string NotLinearReason =>
        $"{Estimator} with λ_nuclear = {SummaryText.Number(LambdaNuclear)} is not linear in the outcomes: its low-rank term soft-thresholds the singular values of the weighted residual, nonlinear in Y even with the unit and time weights held fixed (refit with LambdaNuclear = double.PositiveInfinity, no low-rank term, for a weighted two-way imputation that is linear in Y)";

    /// <summary>Treated cells whose final fit stopped at the iteration cap (per-cell convergence).</summary>
    public IReadOnlyList<(string Unit, string Period)> UnconvergedCells { get; init; } = [];

    /// <summary>
    /// b̂ per covariate of <see cref="PanelData.Covariates"/>, in the covariate's and the outcome's units (the fits run on
    /// the standardised outcome; b̂ is multiplied back by its sd): the untreated outcome is modelled as
    /// α_i + β_t + Σ_k b_k X_kit + R_it (Athey et al. 2025, §6.2, Eq. 14). In per-cell mode every treated cell has its own
    /// weighted fit and so its own b̂; this is their average over the estimated treated cells (the cells of the ATT),
    /// which at λ_unit = λ_time = 0 is the one common b̂. In block mode it is the single fit's b̂. Empty without covariates.
    /// </summary>
    public IReadOnlyDictionary<string, double> CovariateCoefficients { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// Per-cell mode: leave-one-period-out leads (<see cref="HeldOutLeads"/>): lead −k predicts each held-out cell by its
    /// own weighted fit (Athey et al. 2025, Eq. 2–3) at this fit's λ_unit, λ_time and λ_nuclear (not tuned again) to the
    /// fit cells less every treated unit's cell at event time −k − Anticipation, with the fit's donors, and averages
    /// Y − Ŷ(0) over those cells. Block mode
    /// fits one τ for the whole block and defines none.
    /// </summary>
    internal override IReadOnlyList<LeadEffect>? LeadEffects(int count, CancellationToken ct)
    {
        if (Mode == DwcpMode.Block) return null;
        var estimator = Source as DoublyWeightedCausalPanel ?? throw new InvalidOperationException($"This {Estimator} result does not record its estimator; leads refit it.");
        return HeldOutLeads.Compute(Data, count, Anticipation, (training, cells, token) =>
            estimator.PredictHeldOut(Data, training, cells, LambdaUnit, LambdaTime, LambdaNuclear, token), ct);
    }

    /// <inheritdoc/>
    internal override string NoLeadsReason =>
        $"{Estimator} in block mode fits one effect τ for the whole treated block, so it has no per-period placebo effects; leads are defined in per-cell mode (DwcpOptions.Mode = PerCell)";

    /// <summary>The mode and the λ's, given or tuned, and the covariate coefficients (left-out and unconverged cells are in the warnings).</summary>
    private protected override void AppendDetails(System.Text.StringBuilder sb)
    {
        var how = Tuning.Count == 0 ? "given" : $"tuned over {Tuning.Count} triples";
        sb.AppendLine($"  {(Mode == DwcpMode.PerCell ? "per-cell" : "block")} mode; λ_unit = {SummaryText.Number(LambdaUnit)}, λ_time = {SummaryText.Number(LambdaTime)}, λ_nuclear = {SummaryText.Number(LambdaNuclear)} ({how})");
        SummaryText.AppendCoefficients(sb, "  ", Mode == DwcpMode.PerCell ? "b̂ (mean over cells)" : "b̂", CovariateCoefficients);
    }
}
