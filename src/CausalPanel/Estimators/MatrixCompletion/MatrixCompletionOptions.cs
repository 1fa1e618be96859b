namespace CausalPanel;

/// <summary>Where the cross-validation folds' random keep flags come from.</summary>
public enum FoldRandomness
{
    /// <summary>C++ <c>std::minstd_rand0</c> with its default seed: R <c>MCPanel</c> on Linux (the default; reproduces its λ choice).</summary>
    MCPanelLinux,

    /// <summary>C++ <c>std::minstd_rand</c> with its default seed: R <c>MCPanel</c> on macOS (the SDID paper's California numbers).</summary>
    MCPanelMacOS,

    /// <summary>Our own seeded generator (<see cref="MatrixCompletionOptions.Seed"/>).</summary>
    Seeded,
}

/// <summary>
/// Options of <see cref="MatrixCompletion"/>, with R <c>MCPanel::mcnnm_cv</c>'s defaults (its
/// argument names in brackets).
/// </summary>
public sealed record MatrixCompletionOptions
{
    /// <summary>Number of λ values in the grid, the last being 0 [num_lam_L]. Default 100 (the SDID paper uses 20).</summary>
    public int LambdaCount { get; init; } = 100;

    /// <summary>Cross-validation folds [num_folds]. Default 5.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Share of observed cells kept for training in each fold, in [0.1, 0.9] [cv_ratio]. Default 0.8.</summary>
    public double CvRatio { get; init; } = 0.8;

    /// <summary>Coordinate-descent rounds per λ [niter]. Default 400.</summary>
    public int MaxIterations { get; init; } = 400;

    /// <summary>Stop when the objective falls by a relative amount in [0, Tolerance) [rel_tol]. Default 1e-5.</summary>
    public double Tolerance { get; init; } = 1e-5;

    /// <summary>Fit unit effects u [to_estimate_u]. Default true.</summary>
    public bool UnitEffects { get; init; } = true;

    /// <summary>Fit period effects v [to_estimate_v]. Default true.</summary>
    public bool PeriodEffects { get; init; } = true;

    /// <summary>
    /// A fixed penalty λ (skips cross-validation): fitted along MCPanel's warm-started path over the
    /// <see cref="LambdaCount"/>-value grid from the full-data λ_max down to λ (<c>mcnnm_fit</c>).
    /// </summary>
    public double? Lambda { get; init; }

    /// <summary>
    /// Whether variance replicates (<see cref="UnitPlaceboVariance"/>, <see cref="BootstrapVariance"/>,
    /// <see cref="JackknifeVariance"/>, <see cref="TimePlaceboVariance"/>, <see cref="MarginalVariance"/>) choose λ again by
    /// cross-validation on every replicate panel. Default false: replicates keep the fit's λ (chosen or given) and start
    /// from its L̂, û, v̂, the rule synthdid's <c>vcov</c> applies to its regularisation (Arkhangelsky et al. 2021, AER,
    /// Algorithms 2–4) and TROP to its λ's (Athey, Imbens, Qu and Viviano 2025, §5.3), so the variance is conditional on
    /// the tuning and a replicate costs one fit instead of a cross-validation (<c>Folds</c> paths over the
    /// <see cref="LambdaCount"/>-value grid). True adds the tuning's own variability, at that cost per replicate.
    /// </summary>
    public bool RetuneLambdaInReplicates { get; init; }

    /// <summary>The folds' random source. Default <see cref="FoldRandomness.MCPanelLinux"/>.</summary>
    public FoldRandomness FoldRandomness { get; init; } = FoldRandomness.MCPanelLinux;

    /// <summary>Seed for <see cref="FoldRandomness.Seeded"/>.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Anticipation k ≥ 0 (default 0): the k periods before each unit's adoption are left out of the fit (and of the
    /// cross-validation folds), as if it adopted k periods earlier; the ATT averages the cells from adoption on and the
    /// window's effects are in <see cref="EstimationResult.AnticipationEffects"/> (Callaway and Sant'Anna 2021,
    /// Assumption 3; Stata <c>did_imputation</c>'s <c>shift(k)</c>).
    /// </summary>
    public int Anticipation { get; init; }

    /// <summary>
    /// <see cref="ControlGroup.NotYetTreated"/> only (the default): MC-NNM fits one low-rank matrix to all fit cells
    /// jointly, so a treated unit's row of L is learned together with every other unit's, the not-yet-treated included.
    /// <see cref="ControlGroup.NeverTreated"/> is refused by the constructor, saying what to use instead.
    /// </summary>
    public ControlGroup ControlGroup { get; init; } = ControlGroup.NotYetTreated;
}
