namespace CausalPanel;

/// <summary>How <see cref="DoublyWeightedCausalPanel"/> estimates.</summary>
public enum DwcpMode
{
    /// <summary>
    /// The paper's estimator (Athey, Imbens, Qu and Viviano 2025, Eqs. 2, 3 and 13, Algorithm 2): one
    /// weighted fit per treated cell, weights centred on that cell, loss ω_j θ_s r², any treatment pattern.
    /// </summary>
    PerCell,

    /// <summary>
    /// The block-design variant the authors' simulation code ran (<c>TROP_TWFE_average</c>): global
    /// distances to the average treated trajectory and to the centre T − P/2 of the treated block, the
    /// weight applied before squaring (loss (δ r)², so λ_unit and λ_time are half the paper's), one scalar
    /// τ fitted jointly with all cells. The λ's in the paper's tables are in this mode's convention.
    /// </summary>
    Block,
}

/// <summary>How <see cref="DoublyWeightedCausalPanel"/> chooses the λ's that are not given.</summary>
public enum DwcpTuning
{
    /// <summary><see cref="LeaveOneOutSubset"/> in per-cell mode, <see cref="PlaceboBlock"/> in block mode (the default).</summary>
    Automatic,

    /// <summary>Leave-one-out on a seeded random subset of <see cref="DwcpOptions.TuningCells"/> untreated cells (the default; the same cells for every λ).</summary>
    LeaveOneOutSubset,

    /// <summary>Leave-one-out on every untreated cell (paper Eqs. 4–5); slow on large panels.</summary>
    LeaveOneOut,

    /// <summary>
    /// Placebo block cross-validation, as the authors' code: drop the treated units, give N1 random
    /// never-treated units a placebo treatment over the last T1 periods, estimate, and score
    /// √(mean τ̂²) over <see cref="DwcpOptions.PlaceboDraws"/> seeded draws (the same draws for every λ).
    /// Block designs only.
    /// </summary>
    PlaceboBlock,
}

/// <summary>
/// Options of <see cref="DoublyWeightedCausalPanel"/>. λ_unit and λ_time are on the scale of the
/// outcome standardised by its overall mean and standard deviation (as in the paper's benchmark) unless
/// <see cref="Standardise"/> is false; λ_nuclear = +∞ means no low-rank term. Any λ left null is tuned
/// (Athey, Imbens, Qu and Viviano 2025, §3 and footnote 2): one-dimensional searches from the "off" point (λ_unit = 0,
/// λ_time = 0, λ_nuclear = ∞), then coordinate-wise cycling until no λ moves. Each one-dimensional search evaluates the
/// off value and the λ's grid, extends the grid geometrically (×2 per step, at most <see cref="MaxGridExtensions"/> steps)
/// past an end where the criterion is lowest, and refines an interior best value by golden-section search on log λ
/// between its searched neighbours (to <see cref="LambdaTolerance"/>), so the grids are starting points, not fences. A
/// global step follows (leave-one-out tuning, by default): the cycles restart at each of <see cref="LambdaNuclearRestarts"/>
/// (0.005) with local searches refined to <see cref="RestartLambdaTolerance"/>, and the lowest end point is kept. The search's fits are solved to <see cref="TuningTolerance"/> and its best triples re-evaluated at
/// <see cref="Tolerance"/>. A λ whose best value stays at a capped end of its search is named in the result's warnings.
/// </summary>
public sealed record DwcpOptions
{
    /// <summary>The options as <c>DwcpOptions { Name = value, … }</c>, lists written out (<c>[0, 0.1, …]</c>).</summary>
    public override string ToString() => SummaryText.Record(this);

    /// <summary>λ_unit: unit weights exp(−λ_unit · distance). 0 = uniform. Null = tuned.</summary>
    public double? LambdaUnit { get; init; }

    /// <summary>λ_time: time weights exp(−λ_time · |t − s|). 0 = uniform. Null = tuned.</summary>
    public double? LambdaTime { get; init; }

    /// <summary>λ_nuclear: nuclear-norm penalty; <see cref="double.PositiveInfinity"/> = no low-rank term. Null = tuned.</summary>
    public double? LambdaNuclear { get; init; }

    /// <summary>Estimator variant. Default <see cref="DwcpMode.PerCell"/>.</summary>
    public DwcpMode Mode { get; init; } = DwcpMode.PerCell;

    /// <summary>Standardise the outcome (overall mean and sd) before fitting; effects are reported in outcome units. Default true.</summary>
    public bool Standardise { get; init; } = true;

    /// <summary>Tuning criterion. Default <see cref="DwcpTuning.Automatic"/>.</summary>
    public DwcpTuning Tuning { get; init; } = DwcpTuning.Automatic;

    /// <summary>Placebo assignments scored by <see cref="DwcpTuning.PlaceboBlock"/>. Default 100.</summary>
    public int PlaceboDraws { get; init; } = 100;

    /// <summary>Untreated cells scored by <see cref="DwcpTuning.LeaveOneOutSubset"/>. Default 100.</summary>
    public int TuningCells { get; init; } = 100;

    /// <summary>Seed of the tuning subset or placebo draws.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// λ_unit grid (always searched with 0). Default 0, 0.1, 0.2, 0.4, 0.6, 0.8, 1.2, 1.6, 2.4, 3.2: unit distances on the
    /// standardised outcome are mostly 0.1–2, so these span weights from nearly uniform to a handful of nearest units, at
    /// ratios of at most 2 so that the first scan brackets a smooth minimum; the search extends past 3.2 and below 0.1 when
    /// the criterion asks for it.
    /// </summary>
    public IReadOnlyList<double> LambdaUnitGrid { get; init; } = [0, 0.1, 0.2, 0.4, 0.6, 0.8, 1.2, 1.6, 2.4, 3.2];

    /// <summary>
    /// λ_time grid (always searched with 0). Default 0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.9 (the authors' range; the
    /// paper's cross-validated optima reach 4.4, which the search reaches by extending past 0.9).
    /// </summary>
    public IReadOnlyList<double> LambdaTimeGrid { get; init; } = [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.9];

    /// <summary>
    /// λ_nuclear grid (always searched with +∞). Default ∞, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02; above the largest singular
    /// value of the weighted residual a finite λ_nuclear already gives L = 0, the same fit as ∞, so the search extends
    /// upwards only while that limit is not reached.
    /// </summary>
    public IReadOnlyList<double> LambdaNuclearGrid { get; init; } = [double.PositiveInfinity, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02];

    /// <summary>
    /// Maximum coordinate-descent cycles in tuning (each runs one search per free λ). Default 10; if the λ's still move in
    /// the last one, the result warns.
    /// </summary>
    public int MaxTuningCycles { get; init; } = 10;

    /// <summary>
    /// How many times a λ's search may extend its grid past an end where the criterion is lowest, each step doubling
    /// (or halving) the outermost value. Default 5, i.e. up to 32 times past the grid: for the default grids λ_time up to
    /// 28.8 (a period's neighbour then weighs e^−28.8 ≈ 3·10⁻¹³ of it, the limit of time weighting for any purpose) and
    /// down to 0.05/32 (weights within 5% of uniform over 30 periods, no different from λ_time = 0, which is always
    /// searched); λ_unit up to 102 and down to 0.003; λ_nuclear down to 0.000625. If the best value is still the last one
    /// reached, the result warns, naming the λ and the boundary. 0 turns extension off.
    /// </summary>
    public int MaxGridExtensions { get; init; } = 5;

    /// <summary>
    /// Width, in log λ, to which golden-section search refines a λ between its bracketing grid values, and the smallest
    /// change that counts as a move between cycles. Default 0.1: the λ is known to about ±5%, finer than the default
    /// grids' spacing (ratios 1.3–2) by a factor of 3 to 7; each refinement then costs about 4–7 evaluations.
    /// </summary>
    public double LambdaTolerance { get; init; } = 0.1;

    /// <summary>
    /// λ_nuclear values at which the search restarts (its global step, after the coordinate cycles from the off point have
    /// converged): from the first optimum's (λ_unit, λ_time) and each of these λ_nuclear, (λ_unit, λ_time) are cycled with
    /// λ_nuclear held, then all free λ's, each cycle's searches local (the current value and its neighbours × and ÷ 2,
    /// stepping on while better, golden section to <see cref="RestartLambdaTolerance"/>; no grid, no off values); the lowest
    /// end point is kept. Null (the default): 0.005 with leave-one-out tuning (the default grid's smallest λ_nuclear 0.02
    /// quartered), none with placebo tuning (each of its evaluations is a placebo estimate per draw; not measured). Why: the
    /// criterion is not unimodal in λ_nuclear, the one-dimensional search goes below the grid only when its smallest value
    /// is best, and a basin at small λ_nuclear needs (λ_unit, λ_time) to move with it — on California the first optimum
    /// is (2.35, 2.47, 0.065), criterion 1.6827, 1.012 times the minimum of a 12×12×6 dense grid, and the restart at 0.005
    /// reaches (1.53, 3.65, 0.0038), 1.6399 (0.986 of it, but 1.0127 of the 20×20×12 grid's minimum 1.61935). A restart
    /// end point that wins is then refined by local cycles to <see cref="LambdaTolerance"/> with pattern moves: on
    /// California (2.12, 3.85, 0.0013), 1.6001 (0.988 of the 20×20×12 minimum; docs/simulations/dwcp-tuning.md). On CPS 50 × 40 and Germany it finds nothing
    /// lower or 0.4% lower, for 3.5 and 8.5 times the steps of the search before it: set an empty list, which turns the
    /// global step off, when the time matters more.
    /// Ignored when λ_nuclear is given.
    /// </summary>
    public IReadOnlyList<double>? LambdaNuclearRestarts { get; init; }

    /// <summary>
    /// Width, in log λ, to which the restarts' local searches refine a λ, and the smallest change that counts as a move in
    /// their cycles (what <see cref="LambdaTolerance"/> is to the first cycles). Default 0.5 (±28%): the restart's job is to reach
    /// another basin, not to polish it, and in a narrow valley of (λ_unit, λ_nuclear) coordinate cycles at 0.1 crawl — on
    /// California the whole search took about 3 times the FISTA steps with 0.1 for a criterion 1.5% lower (1.6151 against
    /// 1.6399), and 1.11 times with 0.3 for 0.1% lower. A restart end point that wins is polished afterwards, at
    /// <see cref="LambdaTolerance"/> with pattern moves along the valley.
    /// </summary>
    public double RestartLambdaTolerance { get; init; } = 0.5;

    /// <summary>
    /// Relative tolerance of the leave-one-out fits while the λ's are searched. Default 10⁻⁵: on California the criterion
    /// then differs from its value at <see cref="Tolerance"/> by at most 6·10⁻⁵ (relative; λ_nuclear from 0.5 down to
    /// 0.005) and the fits take 2.3 times fewer steps. The triples within 0.1% of the lowest criterion are re-evaluated at
    /// <see cref="Tolerance"/> before one is chosen (see <see cref="DwcpResult.Tuning"/>), so the chosen triple and its
    /// criterion are those of full-accuracy fits. A value at or below <see cref="Tolerance"/> searches at full accuracy.
    /// </summary>
    public double TuningTolerance { get; init; } = 1e-5;

    /// <summary>Iteration cap of each low-rank fit. Default 5,000.</summary>
    public int MaxIterations { get; init; } = 5_000;

    /// <summary>Relative tolerance of each low-rank fit. Default 1e-9.</summary>
    public double Tolerance { get; init; } = 1e-9;

    /// <summary>
    /// Anticipation k ≥ 0 (default 0), per-cell mode: the k periods before each unit's adoption are not untreated
    /// information — left out of every cell's weighted fit, of the unit distances and of the tuning — as if it adopted k
    /// periods earlier; the ATT averages the cells from adoption on and the window's effects are in
    /// <see cref="EstimationResult.AnticipationEffects"/> (Callaway and Sant'Anna 2021, Assumption 3; Stata
    /// <c>did_imputation</c>'s <c>shift(k)</c>). Block mode, which fits one τ to the N1 × T1 block, refuses it.
    /// </summary>
    public int Anticipation { get; init; }

    /// <summary>
    /// The donors of each treated cell's weighted fit: <see cref="ControlGroup.NotYetTreated"/> (default: every untreated
    /// cell, the paper's estimator) or <see cref="ControlGroup.NeverTreated"/> (the never-treated units plus the target
    /// unit's own untreated cells, so each treated unit is fitted against never-treated donors only — DWCP on the panel of
    /// the never-treated units and that unit). With λ_unit = λ_time = 0 and λ_nuclear = ∞ that is the two-way fit to the
    /// never-treated units and the unit's own pre-adoption cells, whose own residuals also inform the period effects —
    /// unlike <see cref="DifferenceInDifferences"/>' NeverTreated, which takes them from the never-treated units alone;
    /// the two agree when the unit has one pre-period. On a block design (block mode) both are the same units.
    /// </summary>
    public ControlGroup ControlGroup { get; init; } = ControlGroup.NotYetTreated;

    /// <summary>
    /// Runs per-cell mode's fits once the λ's are given or tuned (a <see cref="WorkJob"/> of kind "dwcp cells", one item
    /// per treated unit, whose cells are fitted in turn as Eqs. 2–3 of Athey, Imbens, Qu and Viviano 2025 define them;
    /// the anticipation window's cells and an event study's held-out leads are jobs of their own): null (default) =
    /// <see cref="LocalWorkExecutor"/> on every core; a cluster engine's executor (the job travels as data: the
    /// standardised outcome, the cells set aside, covariates, donors, λ's and cells). Results do not depend on it. The
    /// tuning runs on this machine. Inside another job's work item — a variance method's replicate, a comparison's
    /// simulated panel — the fits run on that item's thread and this executor is not used, so a distributed variance run
    /// of a DWCP fit distributes its replicates, not their cells. Not part of the options' data (a variance job sent
    /// elsewhere carries the options without it). Block mode has one fit and does not use it.
    /// </summary>
    public IWorkExecutor? Executor { get; init; }
}
