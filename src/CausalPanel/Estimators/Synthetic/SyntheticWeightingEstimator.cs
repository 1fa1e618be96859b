using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// The synthdid weighting engine behind <see cref="SyntheticControl"/>,
/// <see cref="SyntheticControlWithIntercept"/> and <see cref="SyntheticDifferenceInDifferences"/>:
/// unit weights ω on the simplex make the controls track the treated units before treatment,
/// optional time weights λ make the pre-periods track the post-periods, and the estimate is the
/// doubly weighted DiD (Arkhangelsky, Athey, Hirshberg, Imbens and Wager 2021, AER, Eq. 1.1 and
/// Algorithm 1; R <c>synthdid</c> 0.0.9). Needs a balanced panel with block or staggered adoption;
/// each adoption cohort is estimated against the never-treated units and the cohort estimates are
/// averaged with weights N1·T1 (Clarke, Pailañir, Athey and Imbens 2023, Stata <c>sdid</c>). A cohort that cannot be
/// fitted (no pre-period, or too few for the noise level σ̂) is an error naming it, or, with
/// <see cref="SyntheticWeightingOptions.DropUnfittableCohorts"/>, left out with a warning. A weight solve that stops at
/// its iteration cap is reported in <see cref="EstimationResult.Warnings"/>. With
/// <see cref="SyntheticWeightingOptions.Anticipation"/> = k each cohort's weights are fitted on the periods before g − k and
/// the ATT averages its cells from g on.
/// </summary>
public abstract partial class SyntheticWeightingEstimator : IEstimator
{
    private protected enum TimeWeighting { None, Uniform, Optimised }

    private readonly TimeWeighting _time;

    /// <summary>
    /// Whether its ATT is unchanged by additive unit and period effects at a given regularisation (DIFP, SDID: weights on the simplex,
    /// fitted with an intercept, and a pre-period contrast); SC, without the contrast, follows the unit effects.
    /// </summary>
    internal bool InvariantToTwoWayEffects => _time != TimeWeighting.None && _omegaIntercept;

    /// <summary>Whether it fits its time weights to the outcomes (SDID, unless they are given and held).</summary>
    internal bool FitsTimeWeights => _time == TimeWeighting.Optimised && Options.UpdateTimeWeights;

    private readonly bool _omegaIntercept;
    private readonly double? _etaOmega;

    private protected SyntheticWeightingEstimator(SyntheticWeightingOptions options, TimeWeighting time, bool omegaIntercept, double? etaOmega)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        Options = options;
        _time = time;
        _omegaIntercept = omegaIntercept;
        _etaOmega = etaOmega;
    }

    /// <summary>The options (null entries take the estimator's reference defaults).</summary>
    public SyntheticWeightingOptions Options { get; }

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc cref="IEstimator.Estimate"/>
    public SyntheticWeightingResult Estimate(PanelData data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ct.ThrowIfCancellationRequested();
        Check(data);
        var controls = data.Pattern.NeverTreatedUnitIndices;
        var (fittable, dropped) = SplitCohorts(data);
        var cohorts = new List<SyntheticCohortFit>();
        var counterfactuals = new List<(int, int, double)>();
        var window = new List<(int, int, int, double?)>();
        foreach (var cohort in fittable)
        {
            ct.ThrowIfCancellationRequested();
            cohorts.Add(FitCohort(data, controls, cohort, counterfactuals, window, ct));
        }
        var (anticipation, _) = EstimationResult.Anticipating(Name, data, window.OrderBy(c => c.Item1).ThenBy(c => c.Item2));
        return new SyntheticWeightingResult(Name, data, counterfactuals, cohorts)
        {
            Source = this,
            Anticipation = Options.Anticipation,
            ControlGroup = ControlGroup.NeverTreated,
            AnticipationEffects = anticipation,
            Trajectory = data.Pattern.Design == TreatmentDesign.Block ? cohorts[0].Trajectory : [],
            // The unit-weight solve dominates; a cohort whose solve stopped at its cap is shown first.
            Diagnostics = cohorts.Select(c => c.UnitWeightSolver ?? c.TimeWeightSolver).OfType<SolverDiagnostics>().OrderBy(s => s.Converged).FirstOrDefault(),
            DroppedCohorts = dropped,
            Warnings = [.. dropped.Select(c => DroppedWarning(c, counterfactuals.Count)), .. cohorts.SelectMany(CapWarnings)],
        };
    }

    EstimationResult IEstimator.Estimate(PanelData data, CancellationToken ct) => Estimate(data, ct);

    /// <summary>The same estimator with other options.</summary>
    internal abstract SyntheticWeightingEstimator With(SyntheticWeightingOptions options);

    /// <summary>The weights the options hold fixed rather than fit, for messages ("unit weights (UpdateUnitWeights = false)"); null when it fits them all.</summary>
    internal string? FixedWeights =>
        string.Join(" and ", new[]
        {
            Options.UpdateUnitWeights ? null : "unit weights (UpdateUnitWeights = false)",
            _time == TimeWeighting.Optimised && !Options.UpdateTimeWeights ? "time weights (UpdateTimeWeights = false)" : null,
        }.OfType<string>()) is { Length: > 0 } fixedWeights ? fixedWeights : null;

    /// <summary>
    /// One cohort against the never-treated units: weights fitted on the periods before g − k (k the anticipation), the
    /// weighted DiD of every later cell, those from adoption on into <paramref name="counterfactuals"/> and those of the
    /// anticipation window into <paramref name="window"/>.
    /// </summary>
    private SyntheticCohortFit FitCohort(PanelData data, IReadOnlyList<int> controls, AdoptionCohort cohort, List<(int, int, double)> counterfactuals,
        List<(int, int, int, double?)> window, CancellationToken ct)
    {
        int anticipation = Options.Anticipation;
        int n0 = controls.Count, n1 = cohort.UnitIndices.Count, n = n0 + n1, t = data.PeriodCount, t0 = cohort.PeriodIndex - anticipation, t1 = t - t0;
        var rows = controls.Concat(cohort.UnitIndices).ToArray();
        var y = new RowView(data.Outcomes.Values, rows, t);   // the panel's rows in place, controls first

        var o = Options;
        var sigma = o.NoiseLevel ?? SyntheticWeights.NoiseLevel(y, n0, t0);   // computable whenever it is needed (SplitCohorts)
        var spec = new WeightingSpec(
            ZetaOmega: o.ZetaOmega ?? (o.EtaOmega ?? _etaOmega ?? Math.Pow(n1 * t1, 0.25)) * sigma,
            ZetaLambda: o.ZetaLambda ?? o.EtaLambda * sigma,
            OmegaIntercept: o.OmegaIntercept ?? _omegaIntercept,
            LambdaIntercept: o.LambdaIntercept,
            Omega: o.UnitWeights?.ToArray(),
            UpdateOmega: o.UpdateUnitWeights,
            Lambda: _time switch
            {
                TimeWeighting.None => new double[t0],
                TimeWeighting.Uniform => Enumerable.Repeat(1.0 / t0, t0).ToArray(),
                _ => o.TimeWeights?.ToArray(),
            },
            UpdateLambda: _time == TimeWeighting.Optimised && o.UpdateTimeWeights,
            MinDecrease: o.MinDecrease ?? 1e-5 * sigma,
            MaxIterations: o.MaxIterations,
            Sparsify: o.Sparsify,
            MaxIterationsBeforeSparsify: o.Sparsify ? o.MaxIterationsBeforeSparsify : o.MaxIterations,
            Converged: o.Solver == WeightSolver.Converged);

        double[] omega, lambda;
        WeightRun? omegaRun, lambdaRun;
        var coefficients = new Dictionary<string, double>();
        var adjusted = y;
        if (data.Covariates.Count == 0)
            (omega, lambda, omegaRun, lambdaRun) = SyntheticWeights.Fit(y, n0, t0, spec, ct);
        else
        {
            var names = data.Covariates.Keys.ToArray();
            var x = names.Select(name => Block(data.Covariates[name], rows, t)).ToArray();
            var scale = x.Select(xk => o.ScaleCovariates ? StandardDeviation(xk) : 1).ToArray();
            for (var k = 0; k < x.Length; k++)
                for (var m = 0; m < x[k].Length; m++) x[k][m] /= scale[k];
            var block = Block(data.Outcomes, rows, t);
            (omega, lambda, var beta, var run) = SyntheticWeightsWithCovariates.Fit(block, x, n, t, n0, t0, spec, ct);
            (omegaRun, lambdaRun) = (run, null);
            for (var k = 0; k < x.Length; k++)
            {
                coefficients[names[k]] = beta[k] / scale[k];
                for (var m = 0; m < block.Length; m++) block[m] -= beta[k] * x[k][m];
            }
            adjusted = new RowView(block, Enumerable.Range(0, n).ToArray(), t);
        }
        var effects = SyntheticWeights.CellEffects(adjusted, n0, t0, omega, lambda);
        double sum = 0;
        for (var i = 0; i < n1; i++)
            for (var s = 0; s < t1; s++)
            {
                var (unit, period) = (rows[n0 + i], t0 + s);
                var counterfactual = data.Outcomes[unit, period] - effects[i * t1 + s];
                if (s < anticipation) window.Add((unit, period, s - anticipation, counterfactual));
                else
                {
                    counterfactuals.Add((unit, period, counterfactual));
                    sum += effects[i * t1 + s];
                }
            }

        return new SyntheticCohortFit
        {
            AdoptionPeriod = cohort.Period,
            TreatedUnits = cohort.Units,
            Att = sum / (n1 * (t1 - anticipation)),
            TreatedCells = n1 * (t1 - anticipation),
            UnitWeights = controls.Select((u, j) => new LabelledWeight(data.Units[u], u, omega[j])).ToArray(),
            TimeWeights = LabelledWeight.Over(data.Periods, lambda),
            NoiseLevel = double.IsNaN(sigma) ? null : sigma,
            ZetaOmega = spec.ZetaOmega,
            ZetaLambda = spec.ZetaLambda,
            MinDecrease = spec.MinDecrease,
            UnitWeightSolver = Diagnose(omegaRun, spec, coefficients.Count > 0),
            TimeWeightSolver = Diagnose(lambdaRun, spec, false),
            CovariateCoefficients = coefficients,
            Trajectory = Trajectory(data, y, adjusted, n0, t0, omega, lambda),
        };
    }

    private static SolverDiagnostics? Diagnose(WeightRun? run, WeightingSpec spec, bool covariates) => run is { } r
        ? new SolverDiagnostics(spec.Converged ? "projected gradient (converged)" : covariates ? "Frank–Wolfe with covariate gradient steps (synthdid)" : "Frank–Wolfe (synthdid)", r.Iterations, r.Converged, r.Objective)
        : null;

    /// <summary>
    /// The observed treated mean and its counterfactual: the treated mean minus the gap between the
    /// (covariate-adjusted) treated mean and the ω-weighted controls shifted by the λ-weighted pre-period gap.
    /// </summary>
    private static IReadOnlyList<TrajectoryPoint> Trajectory(PanelData data, RowView y, RowView adjusted, int n0, int t0, double[] omega, double[] lambda)
    {
        int n = y.Count, t = y.Columns;
        var synthetic = SyntheticWeights.SyntheticControl(adjusted, n0, omega);
        double[] treated = new double[t], treatedAdjusted = new double[t];
        for (var i = n0; i < n; i++)
        {
            ReadOnlySpan<double> row = y[i], adjustedRow = adjusted[i];
            for (var s = 0; s < t; s++)
            {
                treated[s] += row[s] / (n - n0);
                treatedAdjusted[s] += adjustedRow[s] / (n - n0);
            }
        }
        double shift = 0;
        for (var s = 0; s < t0; s++) shift += lambda[s] * (treatedAdjusted[s] - synthetic[s]);
        return Enumerable.Range(0, t)
            .Select(s => new TrajectoryPoint(data.Periods[s], s, treated[s], treated[s] - (treatedAdjusted[s] - synthetic[s] - shift)))
            .ToArray();
    }

    private static double[] Block(OutcomeMatrix m, int[] rows, int t)
    {
        var block = new double[rows.Length * t];
        for (var r = 0; r < rows.Length; r++) m.Row(rows[r]).CopyTo(block.AsSpan(r * t, t));
        return block;
    }

    private static double StandardDeviation(double[] v)
    {
        var mean = v.Average();
        var sd = Math.Sqrt(v.Sum(e => (e - mean) * (e - mean)) / Math.Max(1, v.Length - 1));
        return sd > 0 ? sd : 1;
    }

    private void Check(PanelData data)
    {
        PanelRequirements.RequireEstimable(data, Name);
        PanelRequirements.RequireBalanced(data, Name, "MatrixCompletion or DoublyWeightedCausalPanel");
        var p = data.Pattern;
        if (p.Design == TreatmentDesign.General)
            throw new UnsupportedTreatmentPatternException(
                $"{Name} needs treatment that starts once and stays on (block or staggered adoption), but {CausalPanelException.List(p.SwitchingUnitIndices.Select(i => data.Units[i]))} switch treatment off. Use MatrixCompletion or DoublyWeightedCausalPanel, which handle switching patterns.{data.PeriodOrderCaveat}",
                p.SwitchingUnitIndices.Select(i => data.Units[i]).ToList());
        if (p.NeverTreatedCount == 0)
        {
            var periods = Enumerable.Range(0, data.PeriodCount).Where(t => Enumerable.Range(0, data.UnitCount).Any(i => data.Treatment[i, t])).Select(t => data.Periods[t]).ToList();
            throw new NoControlUnitsException($"{Name} compares treated units with never-treated units, but every unit is treated at some point. Add never-treated units, or use DifferenceInDifferences or MatrixCompletion, which also learn from not-yet-treated cells.", periods);
        }
        if (data.Covariates.Count > 0 && Options.Solver == WeightSolver.Converged)
            throw new ArgumentException($"{Name}: the converged weight solver does not handle covariates yet; use Solver = WeightSolver.FrankWolfe (synthdid's joint method) with covariates.");
        if ((Options.UnitWeights is not null || Options.TimeWeights is not null) && p.Design != TreatmentDesign.Block)
            throw new ArgumentException($"{Name}: UnitWeights and TimeWeights can only be given for a block design (one adoption cohort); this panel has {p.Cohorts.Count} cohorts.");
        Simplex(Options.UnitWeights, nameof(Options.UnitWeights));
        if (_time == TimeWeighting.Optimised) Simplex(Options.TimeWeights, nameof(Options.TimeWeights));
        if (Options.UnitWeights is { } w && w.Count != p.NeverTreatedCount)
            throw new ArgumentException($"{Name}: UnitWeights has {w.Count} entries but the panel has {p.NeverTreatedCount} never-treated units. Give one weight per never-treated unit, in panel order.");
        if (Options.TimeWeights is { } l && l.Count != p.PrePeriodCount - Options.Anticipation && _time == TimeWeighting.Optimised)
            throw new ArgumentException($"{Name}: TimeWeights has {l.Count} entries but the panel has {p.PrePeriodCount - Options.Anticipation} pre-treatment periods{(Options.Anticipation > 0 ? $" before the anticipation window (Anticipation = {Options.Anticipation})" : "")}. Give one weight per pre-period.");
    }

    /// <summary>Given weights must be finite, ≥ 0 and sum to 1 (synthdid takes them as points of the simplex).</summary>
    private static void Simplex(IReadOnlyList<double>? weights, string name)
    {
        if (weights is null) return;
        for (var j = 0; j < weights.Count; j++)
            if (!(weights[j] >= 0 && double.IsFinite(weights[j])))
                throw new ArgumentException($"{name}[{j}] is {weights[j]}; weights must be finite and ≥ 0.", name);
        var sum = weights.Sum();
        if (!(Math.Abs(sum - 1) <= 1e-8))
            throw new ArgumentException($"{name} sum to {sum}; synthetic weights must sum to 1 (divide them by their sum{(sum == 0 ? ", and give at least one a positive weight" : "")}).", name);
    }

    private static void Validate(SyntheticWeightingOptions o)
    {
        static void NonNegative(double? v, string name)
        {
            if (v is { } x && !(x >= 0 && double.IsFinite(x)))
                throw new ArgumentOutOfRangeException(name, x, $"{name} must be a finite number ≥ 0.");
        }
        NonNegative(o.NoiseLevel, nameof(o.NoiseLevel));
        NonNegative(o.EtaOmega, nameof(o.EtaOmega));
        NonNegative(o.ZetaOmega, nameof(o.ZetaOmega));
        NonNegative(o.EtaLambda, nameof(o.EtaLambda));
        NonNegative(o.ZetaLambda, nameof(o.ZetaLambda));
        NonNegative(o.MinDecrease, nameof(o.MinDecrease));
        if (o.MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(o.MaxIterations), o.MaxIterations, "MaxIterations must be at least 1.");
        if (o.MaxIterationsBeforeSparsify < 1) throw new ArgumentOutOfRangeException(nameof(o.MaxIterationsBeforeSparsify), o.MaxIterationsBeforeSparsify, "MaxIterationsBeforeSparsify must be at least 1.");
        if (!o.UpdateUnitWeights && o.UnitWeights is null)
            throw new ArgumentException("UpdateUnitWeights is false but no UnitWeights were given: give the weights to hold fixed, or let them be optimised.");
        if (!o.UpdateTimeWeights && o.TimeWeights is null)
            throw new ArgumentException("UpdateTimeWeights is false but no TimeWeights were given: give the weights to hold fixed, or let them be optimised.");
        AnticipationWindow.Validate(o.Anticipation);
        if (o.ControlGroup == ControlGroup.NotYetTreated)
            throw new ArgumentException(
                "ControlGroup = NotYetTreated is not defined for SC, DIFP and SDID: each adoption cohort's synthetic control is a weighting of the never-treated units, fitted over the cohort's pre-period and compared over its post-period, as R synthdid and Stata sdid do (Clarke et al. 2023), and units treated later cannot serve as donors after they adopt. Use ControlGroup = NeverTreated (the default), or DifferenceInDifferences, MatrixCompletion or DoublyWeightedCausalPanel, which also learn from not-yet-treated cells.",
                nameof(o.ControlGroup));
    }
}
