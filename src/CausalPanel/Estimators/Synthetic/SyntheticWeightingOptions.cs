namespace CausalPanel;

/// <summary>Which solver computes synthetic-control weights.</summary>
public enum WeightSolver
{
    /// <summary>
    /// R <c>synthdid</c>'s Frank–Wolfe, step for step (the default, for parity): on many panels it
    /// stops at <see cref="SyntheticWeightingOptions.MaxIterations"/> before converging, and the
    /// reference numbers are that iterate.
    /// </summary>
    FrankWolfe,

    /// <summary>
    /// Accelerated projected gradient run to a duality-gap certificate: the true optimum of the
    /// same penalised problem (differs from <see cref="FrankWolfe"/> by ~1e-3 on California).
    /// </summary>
    Converged,
}

/// <summary>
/// Options of the synthdid weighting engine shared by <see cref="SyntheticControl"/>,
/// <see cref="SyntheticControlWithIntercept"/> and <see cref="SyntheticDifferenceInDifferences"/>
/// (Arkhangelsky et al. 2021, AER, §2 and Algorithm 1; R <c>synthdid_estimate</c> arguments in
/// brackets). A null value means the estimator's reference default.
/// </summary>
public sealed record SyntheticWeightingOptions
{
    /// <summary>The options as <c>SyntheticWeightingOptions { Name = value, … }</c>, lists written out (<c>[0, 0.1, …]</c>).</summary>
    public override string ToString() => SummaryText.Record(this);

    /// <summary>σ̂ [noise.level]. Default: the sd (n − 1) of the controls' first differences over the pre-periods.</summary>
    public double? NoiseLevel { get; init; }

    /// <summary>η_ω [eta.omega], with ζ_ω = η_ω σ̂. Default: (N1·T1)^(1/4) for SDID, 1e-6 for SC and DIFP.</summary>
    public double? EtaOmega { get; init; }

    /// <summary>ζ_ω [zeta.omega], the unit-weight ridge; overrides <see cref="EtaOmega"/>.</summary>
    public double? ZetaOmega { get; init; }

    /// <summary>η_λ [eta.lambda], with ζ_λ = η_λ σ̂. Default 1e-6.</summary>
    public double EtaLambda { get; init; } = 1e-6;

    /// <summary>ζ_λ [zeta.lambda], the time-weight ridge; overrides <see cref="EtaLambda"/>.</summary>
    public double? ZetaLambda { get; init; }

    /// <summary>Intercept ω_0 in the unit-weight fit [omega.intercept]. Default: true for SDID and DIFP, false for SC.</summary>
    public bool? OmegaIntercept { get; init; }

    /// <summary>Intercept λ_0 in the time-weight fit [lambda.intercept] (SDID). Default true.</summary>
    public bool LambdaIntercept { get; init; } = true;

    /// <summary>Unit weights over the never-treated units (panel order) to start from, or to use as they are when <see cref="UpdateUnitWeights"/> is false [weights$omega]. Block designs only.</summary>
    public IReadOnlyList<double>? UnitWeights { get; init; }

    /// <summary>Optimise the unit weights [update.omega]. Default true.</summary>
    public bool UpdateUnitWeights { get; init; } = true;

    /// <summary>SDID time weights over the pre-periods to start from, or to use as they are when <see cref="UpdateTimeWeights"/> is false [weights$lambda]. Block designs only; SC (λ = 0) and DIFP (λ uniform) ignore it.</summary>
    public IReadOnlyList<double>? TimeWeights { get; init; }

    /// <summary>Optimise the SDID time weights [update.lambda]. Default true.</summary>
    public bool UpdateTimeWeights { get; init; } = true;

    /// <summary>Frank–Wolfe stops at the first step that lowers the objective by no more than MinDecrease² [min.decrease]. Default 1e-5 σ̂.</summary>
    public double? MinDecrease { get; init; }

    /// <summary>Frank–Wolfe steps in the final stage [max.iter]. Default 10,000.</summary>
    public int MaxIterations { get; init; } = 10_000;

    /// <summary>synthdid's two-stage scheme: after the first stage, weights ≤ max/4 are zeroed and the rest renormalised [sparsify]. Default true.</summary>
    public bool Sparsify { get; init; } = true;

    /// <summary>Frank–Wolfe steps before sparsifying [max.iter.pre.sparsify]. Default 100.</summary>
    public int MaxIterationsBeforeSparsify { get; init; } = 100;

    /// <summary>
    /// With covariates (<see cref="PanelData.Covariates"/>), divide each by its standard deviation
    /// over the cohort's block before synthdid's joint iteration and map the coefficients back, so that
    /// the 1/t gradient steps on β do not depend on the covariate's units. Default true; false runs
    /// R <c>synthdid</c>'s iteration exactly.
    /// </summary>
    public bool ScaleCovariates { get; init; } = true;

    /// <summary>The weight solver. Default <see cref="WeightSolver.FrankWolfe"/> (parity with R).</summary>
    public WeightSolver Solver { get; init; } = WeightSolver.FrankWolfe;

    /// <summary>
    /// On a staggered design, leave out the adoption cohorts that cannot be fitted — treated from the first period, or
    /// with too few pre-periods for the noise level σ̂ (two first differences of the never-treated units) — and
    /// estimate the others: a warning names each cohort left out and its treated cells, the ATT averages the remaining
    /// cohorts' treated cells, and <see cref="SyntheticWeightingResult.DroppedCohorts"/> lists them. Default false: such
    /// a cohort is an error naming it. If no cohort can be fitted it is an error either way.
    /// </summary>
    public bool DropUnfittableCohorts { get; init; }

    /// <summary>
    /// Anticipation k ≥ 0 (default 0): each cohort's weights are fitted on the periods before g − k, its adoption less the
    /// anticipation window — the estimator run as if the cohort adopted k periods earlier (Stata <c>did_imputation</c>'s
    /// <c>shift(k)</c>), with the window among the periods the time weights are matched to and in N1·T1 — and the ATT
    /// averages only the cells from adoption on; the window's cells (the same weighted DiD read at event times −k..−1)
    /// are reported in <see cref="EstimationResult.AnticipationEffects"/> (Callaway and Sant'Anna 2021, Assumption 3;
    /// R <c>did</c>'s <c>anticipation</c>). A cohort with k or fewer pre-periods cannot be fitted (see
    /// <see cref="DropUnfittableCohorts"/>).
    /// </summary>
    public int Anticipation { get; init; }

    /// <summary>
    /// <see cref="ControlGroup.NeverTreated"/> only (the default): each cohort's synthetic control is a weighting of the
    /// never-treated units, as in R <c>synthdid</c> and Stata <c>sdid</c> (Clarke, Pailañir, Athey and Imbens 2023).
    /// <see cref="ControlGroup.NotYetTreated"/> is refused by the constructor, saying what to use instead.
    /// </summary>
    public ControlGroup ControlGroup { get; init; } = ControlGroup.NeverTreated;
}
