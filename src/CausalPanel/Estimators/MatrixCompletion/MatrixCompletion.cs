using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// Matrix completion with nuclear-norm penalty, MC-NNM (Athey, Bayati, Doudchenko, Imbens and
/// Khosravi 2021, JASA, Eq. 4.2): Y_it(0) = L_it + u_i + v_t + ε_it with L low-rank, fitted to the
/// untreated observed cells with penalty λ‖L‖_* chosen by cross-validation, and the treated cells
/// imputed from the fit. Works for any treatment pattern (block, staggered, switching) and with
/// unobserved cells. Defaults reproduce R <c>MCPanel::mcnnm_cv</c>, including its C++ fold draws;
/// rows are ordered never-treated units first, then treated units (each in panel order), which is
/// synthdid's layout, so that the draws fall on the same cells as in the SDID paper's
/// <c>mc_estimate</c>. The ATT is the mean over treated cells of Y − L̂ − û − v̂.
/// Covariates attached to the panel (<see cref="PanelData.Covariates"/>) enter as the cell-covariate term of the
/// paper's §8 model, Y_it(0) = L_it + u_i + v_t + Σ_k β_k X_kit with β unpenalised (one more block of the coordinate
/// descent; cross-validation otherwise unchanged); MCPanel's <c>mcnnm_wc</c> fits the other term of §8, X H Zᵀ with
/// unit and period covariates and an L1 penalty on H, which this class does not. A covariate the unit or period
/// effects absorb, or a collinear set, is refused (<see cref="CollinearCovariatesException"/>).
/// <see cref="MatrixCompletionOptions.Anticipation"/> leaves the k periods before adoption out of the fit and reports
/// their effects apart; never-treated-only comparisons are not defined for one joint low-rank fit and are refused
/// (<see cref="MatrixCompletionOptions.ControlGroup"/>).
/// </summary>
public sealed class MatrixCompletion : IEstimator
{
    /// <summary>MC-NNM with MCPanel's defaults.</summary>
    public MatrixCompletion() : this(new MatrixCompletionOptions()) { }

    /// <summary>MC-NNM with the given options.</summary>
    public MatrixCompletion(MatrixCompletionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        Options = options;
    }

    /// <summary>The options.</summary>
    public MatrixCompletionOptions Options { get; }

    /// <summary>
    /// A fit (and the cells it was fitted to, row-major) whose L̂, û, v̂ start the solver on panels whose units and periods
    /// are among that fit's, where that is valid (<see cref="StartOf"/>); null: MCPanel's path from λ_max.
    /// </summary>
    private (MatrixCompletionResult Fit, double[] FitWeights)? WarmStart { get; init; }

    /// <summary>
    /// This estimator at the fit's λ, started from the fit where valid (variance replicates,
    /// <see cref="MatrixCompletionResult.ForReplicate"/>; see <see cref="NuclearNormCrossValidation.FromStart"/>).
    /// </summary>
    internal MatrixCompletion StartingFrom(MatrixCompletionResult fit) =>
        new(Options with { Lambda = fit.Lambda }) { WarmStart = (fit, AnticipationWindow.FitWeights(fit.Data, Options.Anticipation)) };

    /// <inheritdoc/>
    public string Name => "MC";

    /// <inheritdoc cref="IEstimator.Estimate"/>
    public MatrixCompletionResult Estimate(PanelData data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ct.ThrowIfCancellationRequested();
        var fitWeights = PanelRequirements.RequireImputable(data, Name, Options.Anticipation, Options.ControlGroup, ct);
        var fit = Fit(data, fitWeights, Options.Lambda, ct);
        int n = data.UnitCount, t = data.PeriodCount;
        var treated = new List<(int, int, double)>(data.Treatment.TreatedCount);
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                if (data.Treatment[i, s]) treated.Add((i, s, fit.Fitted(i, s)));
        var (anticipation, _) = EstimationResult.Anticipating(Name, data,
            AnticipationWindow.Cells(data, Options.Anticipation).Select(c => (c.Unit, c.Period, c.EventTime, (double?)fit.Fitted(c.Unit, c.Period))));

        return new MatrixCompletionResult(Name, data, treated)
        {
            Source = this,
            Anticipation = Options.Anticipation,
            AnticipationEffects = anticipation,
            Lambda = fit.Lambda,
            CrossValidation = fit.Curve,
            LowRank = fit.Low,
            Rank = fit.Rank,
            UnitEffects = fit.U,
            PeriodEffects = fit.V,
            CovariateCoefficients = fit.Coefficients,
            Trajectory = Trajectories.OfFit(data, (i, s) => fit.Fitted(i, s)),
            Diagnostics = new SolverDiagnostics("block coordinate descent with singular value thresholding (MCPanel)", fit.Iterations, fit.Converged),
            Warnings = fit.Converged ? [] : [$"The fit at λ = {fit.Lambda:G4} stopped at MaxIterations = {Options.MaxIterations} before meeting the tolerance."],
        };
    }

    /// <summary>A fitted decomposition L̂ + û + v̂ (+ Xβ̂) in panel order, with how λ was chosen and how the solver finished.</summary>
    internal sealed record Decomposition(double[,] Low, double[] U, double[] V, double[]? XBeta, Dictionary<string, double> Coefficients,
        double Lambda, IReadOnlyList<CrossValidationPoint> Curve, int Rank, int Iterations, bool Converged)
    {
        /// <summary>The fitted untreated outcome of cell (i, s).</summary>
        public double Fitted(int i, int s) => Low[i, s] + U[i] + V[s] + (XBeta?[i * V.Length + s] ?? 0);
    }

    /// <summary>
    /// MC-NNM fitted to the cells with positive <paramref name="fitWeights"/> (row-major N×T) at <paramref name="lambda"/>
    /// along MCPanel's warm-started path from λ_max of those cells, or, when it is null, at the λ cross-validation
    /// chooses. The estimate fits the untreated observed cells; the event study's leads fit them less the held-out cells,
    /// at the estimate's λ.
    /// </summary>
    internal Decomposition Fit(PanelData data, double[] fitWeights, double? lambda, CancellationToken ct)
    {
        var o = Options;
        var design = CovariateDesign.Require(data, Name, fitWeights, o.UnitEffects, o.PeriodEffects);
        int n = data.UnitCount, t = data.PeriodCount;

        // Column-major, never-treated rows first (synthdid's layout); covariates row-major in the same row order.
        var rows = data.Pattern.NeverTreatedUnitIndices.Concat(data.Pattern.TreatedUnitIndices).ToArray();
        var m = new double[n * t];
        var mask = new bool[n * t];
        for (var r = 0; r < n; r++)
            for (var s = 0; s < t; s++)
            {
                var k = rows[r] * t + s;
                mask[s * n + r] = fitWeights[k] > 0;
                m[s * n + r] = mask[s * n + r] ? data.Outcomes.Values[k] : 0;
            }
        var x = design?.Values.Select(values =>
        {
            var ordered = new double[n * t];
            for (var r = 0; r < n; r++) Array.Copy(values, rows[r] * t, ordered, r * t, t);
            return ordered;
        }).ToArray();

        var settings = new NuclearNormCrossValidation.Settings(o.LambdaCount, o.Folds, o.CvRatio, o.MaxIterations, o.Tolerance,
            o.UnitEffects, o.PeriodEffects, KeepDraw(o));
        NuclearNormRegression.State state;
        double chosen;
        IReadOnlyList<CrossValidationPoint> curve;
        int iterations;
        bool converged;
        if (lambda is { } startLambda && StartOf(data, rows, fitWeights, startLambda, design is null) is { } start)
        {
            (state, iterations, converged) = NuclearNormCrossValidation.FromStart(m, x, mask, n, t, settings, startLambda, start.L, start.U, start.V, ct);
            (chosen, curve) = (startLambda, []);
        }
        else if (lambda is { } fixedLambda)
        {
            (state, iterations, converged) = NuclearNormCrossValidation.Path(m, x, mask, n, t, settings,
                lambdaMax => NuclearNormCrossValidation.Grid(lambdaMax, o.LambdaCount).Where(g => g > fixedLambda).Append(fixedLambda).ToArray(), ct);
            (chosen, curve) = (fixedLambda, []);
        }
        else
        {
            var cv = NuclearNormCrossValidation.Run(m, x, mask, n, t, settings, ct);
            (state, iterations, converged) = (cv.State, cv.Iterations, cv.Converged);
            chosen = cv.Grid[cv.Best];
            curve = cv.Grid.Select((g, k) => new CrossValidationPoint(g, cv.Rmse[k])).ToArray();
        }

        var low = new double[n, t];
        var u = new double[n];
        var v = state.V.ToArray();
        for (var r = 0; r < n; r++)
        {
            u[rows[r]] = state.U[r];
            for (var s = 0; s < t; s++) low[rows[r], s] = state.L[s * n + r];
        }
        var coefficients = new Dictionary<string, double>();
        double[]? xBeta = null;
        if (design is not null)
        {
            xBeta = new double[n * t];
            for (var c = 0; c < design.Names.Count; c++)
            {
                coefficients[design.Names[c]] = state.Beta[c];
                for (var k = 0; k < xBeta.Length; k++) xBeta[k] += state.Beta[c] * design.Values[c][k];
            }
        }
        return new Decomposition(low, u, v, xBeta, coefficients, chosen, curve, state.Rank, iterations, converged);
    }

    EstimationResult IEstimator.Estimate(PanelData data, CancellationToken ct) => Estimate(data, ct);

    /// <summary>
    /// <see cref="WarmStart"/>'s L̂ (and, without covariates, û and v̂; with them the effects start at 0, as the covariates'
    /// parametrisation differs between panels) on this panel's cells, column-major in the solver's row order, or null
    /// (MCPanel's path) when it is not a valid start:
    /// <list type="bullet">
    /// <item>a unit or period of the panel is not the fit's (a replicate's repeated unit is labelled "label#k",
    /// <see cref="Replicates.Panel"/>);</item>
    /// <item>a cell this fit leaves out was fitted by the start's fit (a unit or time placebo's placebo-treated cells, a
    /// lead's held-out cells): the thresholding step reads L only off the fitted cells (P = P_O(M − u − v) + P_O⊥(L)),
    /// and L̂ there carries those cells' outcomes, which directions the stopping rule leaves unresolved would keep, pulling
    /// the placebo effects towards 0;</item>
    /// <item>λ = 0: the minimisers then differ off the fitted cells and each start keeps its own.</item>
    /// </list>
    /// Bootstrap and jackknife replicates fit cells the fit fitted and leave out cells it left out, so they start warm.
    /// </summary>
    private (double[] L, double[] U, double[] V)? StartOf(PanelData data, int[] rows, double[] fitWeights, double lambda, bool withEffects)
    {
        if (WarmStart is not { } warm || !(lambda > 0)) return null;
        var (fit, originalWeights) = warm;
        var original = fit.Data;
        int n = data.UnitCount, t = data.PeriodCount, originalT = original.PeriodCount;
        var periods = new int[t];
        for (var s = 0; s < t; s++)
            if (!original.TryPeriodIndex(data.Periods[s], out periods[s])) return null;
        // The fit's unit of each row, all checked before anything is copied (a unit placebo's start is refused at its
        // placebo-treated rows, which come last).
        var units = new int[n];
        for (var r = 0; r < n; r++)
        {
            var label = data.Units[rows[r]];
            var copy = label.LastIndexOf('#');
            if (!original.TryUnitIndex(label, out units[r]) && !(copy > 0 && original.TryUnitIndex(label[..copy], out units[r]))) return null;
        }
        for (var r = n - 1; r >= 0; r--)
            for (var s = 0; s < t; s++)
                if (!(fitWeights[rows[r] * t + s] > 0) && originalWeights[units[r] * originalT + periods[s]] > 0) return null;
        var (l, u, v) = (new double[n * t], new double[n], new double[t]);
        for (var r = 0; r < n; r++)
        {
            for (var s = 0; s < t; s++) l[s * n + r] = fit.LowRank[units[r], periods[s]];
            if (withEffects) u[r] = fit.UnitEffects[units[r]];
        }
        if (withEffects)
            for (var s = 0; s < t; s++) v[s] = fit.PeriodEffects[periods[s]];
        return (l, u, v);
    }

    private static Func<bool> KeepDraw(MatrixCompletionOptions o)
    {
        switch (o.FoldRandomness)
        {
            case FoldRandomness.Seeded:
                var random = new Random(o.Seed);
                return () => random.NextDouble() < o.CvRatio;
            default:
                var engine = o.FoldRandomness == FoldRandomness.MCPanelMacOS ? MinimalStandardRandom.Rand() : MinimalStandardRandom.Rand0();
                return () => engine.NextBernoulli(o.CvRatio);
        }
    }

    private static void Validate(MatrixCompletionOptions o)
    {
        if (o.LambdaCount < 3) throw new ArgumentOutOfRangeException(nameof(o.LambdaCount), o.LambdaCount, "LambdaCount must be at least 3 (the grid spans three decades plus 0).");
        if (o.Folds < 1) throw new ArgumentOutOfRangeException(nameof(o.Folds), o.Folds, "Folds must be at least 1.");
        if (!(o.CvRatio >= 0.1 && o.CvRatio <= 0.9)) throw new ArgumentOutOfRangeException(nameof(o.CvRatio), o.CvRatio, "CvRatio must lie in [0.1, 0.9], as in MCPanel.");
        if (o.MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(o.MaxIterations), o.MaxIterations, "MaxIterations must be at least 1.");
        if (!(o.Tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(o.Tolerance), o.Tolerance, "Tolerance must be positive.");
        if (o.Lambda is { } l && !(l >= 0 && double.IsFinite(l))) throw new ArgumentOutOfRangeException(nameof(o.Lambda), l, "Lambda must be a finite number ≥ 0.");
        AnticipationWindow.Validate(o.Anticipation);
        if (o.ControlGroup == ControlGroup.NeverTreated)
            throw new ArgumentException(
                "MatrixCompletion: ControlGroup = NeverTreated is not defined for MC-NNM. It fits one low-rank matrix L to all untreated cells jointly, and a treated unit's row of L can only be learned together with the other units' rows, the not-yet-treated included; restricting each treated unit to never-treated comparisons would need a separate fit per treated unit (or the two-step factor estimator of gsynth, Xu 2017), which is another estimator. Use ControlGroup = NotYetTreated (the default); for never-treated comparisons use DoublyWeightedCausalPanel with ControlGroup = NeverTreated (a low-rank fit per treated unit with never-treated donors), DifferenceInDifferences with ControlGroup = NeverTreated, or SyntheticDifferenceInDifferences.",
                nameof(o.ControlGroup));
    }
}
