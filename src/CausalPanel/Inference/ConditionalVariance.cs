using CausalPanel.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel;

/// <summary>
/// The variance conditional on the units, on the periods, or on both (Almeida, Athey, Imbens, Lestant and Olaizola 2025). On
/// units it is <see cref="TimePlaceboVariance"/>, on periods <see cref="UnitPlaceboVariance"/>. On both — the paper's new
/// estimator, whose exact formula we could not read — it is our reconstruction (issue 20), the <b>rescaled unit placebo</b>: the
/// unit placebo's draws (control units placebo-treated in the treated units' periods, so conditional on the periods, and with
/// each placebo unit's whole series, so serial correlation is kept) with each placebo effect rescaled to the real treated units'
/// noise (so conditional on the units too): τ̂_b · r_b, r²_b = V(real fit) / V(placebo fit b), V = Σ_i s²_i â²_i the ATT's variance
/// under independent noise of variance a²_i·b²_t, s_i each fit's own unit coefficients from its linear weights
/// (<see cref="ReplicateStatistic.UnitCoefficients"/>; DiD's uniform 1/|T| and −1/|C| for MC-NNM, which is not linear) — exact in
/// expectation for DiD on one adoption date. With DiD's uniform weights for every estimator, as before 2026-12-01, SC, DIFP and
/// DWCP missed [0.03, 0.07] in a noise tercile on a two-way 10 × 10 block (docs/simulations/variance-power.md); with their own they
/// hold it. V̂ is the centred mean square of the rescaled effects, as the unit placebo's.
/// <para>
/// Where the placebo effects show an error that does not grow with the units' noise — structural misfit, such as interactive
/// factors the estimator does not remove, fixed given the units — each unit's error variance is κ̂ â²_i + M̂ instead of â²_i
/// (<see cref="PlaceboErrorModel"/>: the Gaussian likelihood of the placebo effects, τ̂_b ~ N(0, κV_b + M S_b)), so that the
/// rescaling moves toward the plain unit placebo's as the misfit grows. M̂ enters only past a likelihood-ratio test at 5% counted
/// at the placebos' effective number: fitted always, its noise cost calibration where there is no misfit (DiD on the two-way
/// 10 × 10 block of variance-power.md, 0.042 / 0.042 / 0.036 by noise tercile → 0.039 / 0.054 / 0.090). Without it, on panels
/// simulated from the quota data (2 treated countries of 112, 92% of DiD's mean square misfit) the quietest treated units' misfit
/// was rescaled as if it were their small noise: size 0.130 / 0.030 / 0.000 by noise tercile; with it 0.070 / 0.050 / 0.090, and
/// SDID's 0.120 / 0.020 / 0.030 became 0.060 / 0.030 / 0.090 (300 panels, 50 placebos, a seed per panel). Its price where there is
/// no misfit is the test's false alarms: on variance-power.md's one-cell noise-only designs the sizes moved by at most 0.018 per
/// tercile, SDID's under unit noise from 0.069 to 0.084 in the noisiest.
/// </para>
/// â²_i are the unit scales of the two-way noise model (<see cref="NoiseScales.FitTwoWay"/>) fitted to the cells before the first
/// adoption, for every unit alike, so that a placebo unit's scale leaves out its own placebo effect as the treated units' does.
/// It assumes that noise variances factor as a²_i times a common period profile (serial correlation the same up to scale in
/// every unit) and N0 &gt; N1. Its interval is Student t with the degrees of freedom whose 97.5% quantile is that of τ̂/√V̂ under the
/// model (Imhof 1961): the rescaled placebo effects' quadratic form and, as a χ² factor, the treated units' estimated â²_i
/// (Satterthwaite). Against DiD's closed-form variance under independent two-way noise and under AR(2) noise (BothVarianceCalibrationTests),
/// mean V̂ is within a few percent and the size within [0.03, 0.07] for the quietest, median and noisiest treated unit and a 10 × 10
/// block. It replaces two earlier versions: each time-placebo window rescaled by the period scales (conservative for SC, DIFP, SDID
/// on one treated cell, size 0.015–0.026, and under AR(2) noise on a 10 × 10 block over-rejecting, 0.12, its few overlapping
/// windows' df worked out for independent noise) and the ratio V̂_time·V̂_unit/V̂_marginal (over-rejected: size 0.09,
/// docs/simulations/heteroskedasticity.md). DiD's, SC's and DIFP's V̂ are within 2% of τ̂'s variance given the treated units on a
/// 10 × 10 block under strong two-way noise; SDID's is 17% below it (size 0.061 / 0.071 / 0.062 by noise tercile at 3,000 panels):
/// the fixed-weight Σ_i s²_i â²_i counts the controls' noise at full weight, though SDID's time weights, fitted to the controls'
/// post-period means, absorb most of it in sample, and more in a placebo fit, with N1 fewer controls
/// (docs/simulations/rescaled-placebo-bias.md). So for SDID with more than one treated unit each fit's variance is measured by
/// simulation instead (<see cref="RescalingDraws"/>), which closes that gap. Experimental: check it
/// against the paper before relying on it. With
/// <see cref="Approach"/> = <see cref="VarianceApproach.Regression"/> each target is instead the residual plug-in
/// <see cref="RegressionVariance"/> with the matching noise model (on both: the two-way model â²_i b̂²_t), one fit for linear estimators.
/// </summary>
public sealed record ConditionalVariance : VarianceMethod
{
    /// <summary>What to condition on. Default <see cref="VarianceTarget.ConditionalOnUnitsAndPeriods"/>.</summary>
    public VarianceTarget On { get; init; } = VarianceTarget.ConditionalOnUnitsAndPeriods;

    /// <summary>Placebo re-estimation (default, any estimator) or regression plug-in (DiD, SC, DIFP, SDID, DWCP at λ_nuclear = ∞).</summary>
    public VarianceApproach Approach { get; init; }

    /// <summary>Replications of the unit placebo (conditional on periods, and on both). Default 200.</summary>
    public int Replications { get; init; } = 200;

    /// <summary>Seed of the unit placebo's draws (and of the rescaling's noise panels).</summary>
    public int Seed { get; init; }

    /// <summary>
    /// On both, by placebo: noise panels simulated per placebo fit to measure each fit's variance for the rescaling
    /// (<see cref="SimulatedFitVariance"/>; the real fit takes 5 times as many), instead of its fixed-weight variance Σ_i s²_i â²_i.
    /// 0: the formula. Null (default): 10 for an estimator that fits its time weights to the outcomes (SDID) when more than one unit
    /// is treated, 0 otherwise. For estimators whose ATT is unchanged by additive unit and period effects (DiD, DIFP, SDID; others
    /// are undefined with that reason). SDID's time weights absorb part of the controls' noise in sample, more in a placebo fit
    /// (fewer controls) than in the real one, which the formula does not see: on the two-way 10 × 10 block of
    /// docs/simulations/variance-power.md (noise only, 3,000 panels) the formula's size is 0.061 / 0.071 / 0.062 by noise tercile,
    /// the simulation's 0.057 / 0.059 / 0.036, calibrated (V̂ from 0.83 to 0.94 of τ̂'s variance given the treated units,
    /// rescaled-placebo-bias.md). On the homoskedastic, by-unit and by-period blocks there both are calibrated; the simulation's worst
    /// tercile is nearer 0.05 (0.048, 0.069, 0.054 against 0.054, 0.078, 0.069) and its power at equal size up to 2.6 points lower
    /// (its ratios are noisier). With California's fitted factor model (its interactive factors kept) on the same design it is as
    /// the formula: size 0.045 against 0.035, intervals 0.58 against 0.59 (400 panels, docs/simulations/simulated-variance.md),
    /// and on panels from R fect's turnout data 0.063 against 0.060. With one treated unit a placebo fit's controls are the real
    /// fit's but one, so the time weights absorb about as much in both: SDID's formula-rescaled placebo on the two-way one-cell
    /// design of variance-power.md is calibrated by its rule, though conservative for the quietest treated units. The simulation
    /// was SDID's default first on 2026-12-01 and taken out the same day when a factor design showed intervals five times too long:
    /// the treated scales' degrees of freedom, taken against the simulated variance, had collapsed (1 on turnout; they now take the
    /// formula's variance, 14). Restored after the re-run above. <see cref="VarianceComparison"/> checks it on designs fitted to
    /// your panel (set 0 and 10 side by side; an explicit count shows in the method's name).
    /// Each draw is one more fit, so with it the method costs about 1 + this many times the unit placebo. The draws run on this
    /// machine (<see cref="VarianceMethod.MaxDegreeOfParallelism"/>), not on <see cref="VarianceMethod.Executor"/>, and are not
    /// kept in <see cref="VarianceMethod.Checkpoint"/>; <see cref="VarianceMethod.Progress"/> counts each fit's draws as one more
    /// replicate after the placebos (B + 1 more, twice that when the misfit term enters). They are seeded, so a re-run gives the same
    /// variance.
    /// </summary>
    public int? RescalingDraws { get; init; }

    /// <inheritdoc/>
    internal override VarianceMethod Reseeded(int seed) => this with { Seed = seed };

    /// <summary>Untreated periods required before each time-placebo window (on units), and before the first adoption (on both). Default 2.</summary>
    public int MinPrePeriods { get; init; } = 2;

    /// <inheritdoc/>
    public override string Name => On switch
    {
        VarianceTarget.ConditionalOnUnits => "Conditional on units",
        VarianceTarget.ConditionalOnPeriods => "Conditional on periods",
        _ => RescalingDraws > 0 ? $"Conditional on units and periods ({RescalingDraws} draws)" : "Conditional on units and periods",
    };

    /// <inheritdoc/>
    public override VarianceTarget Target => On;

    /// <inheritdoc/>
    protected override VarianceResult Compute(EstimationResult fit, CancellationToken ct)
    {
        RequireConditional();
        if (RescalingDraws < 0) throw new ArgumentOutOfRangeException(nameof(RescalingDraws), RescalingDraws, "RescalingDraws must be null (the default), 0 (the fixed-weight formula) or positive.");
        Replicates.Validate(Replications, MaxDegreeOfParallelism);   // they drive the unit placebo (on periods); refused for every target alike
        if (Approach == VarianceApproach.Regression)
            return new RegressionVariance { On = On }.Estimate(fit, ct);
        return On == VarianceTarget.ConditionalOnUnits ? TimePlacebo.Estimate(fit, ct) with { Method = Name }
            : Replicate(fit, ReplicateStatistic.Att, ct).ToVarianceResult(fit) with
            {
                Method = Name, Caveat = On == VarianceTarget.ConditionalOnUnitsAndPeriods ? VarianceResult.ConditionalOnBothCaveat : null,
            };
    }

    /// <summary>
    /// The unit placebo's replicates, each rescaled to the real treated units' noise: replicate b's placebo effect times r_b,
    /// r²_b = V(real fit) / V(placebo fit b), V = Σ_i s²_i â²_i the ATT's variance under independent noise of variance â²_i b̂²_t
    /// (â²_i + M̂/κ̂ in place of â²_i when the placebo effects show misfit, <see cref="PlaceboErrorModel"/>), s_i
    /// the fit's unit coefficients (<see cref="ReplicateStatistic.UnitCoefficients"/>: its own control weights, from its linear
    /// representation, for DiD, SC, DIFP, SDID and DWCP at λ_nuclear = ∞), â²_i and b̂²_t the two-way noise model's scales
    /// (<see cref="NoiseScales.FitTwoWay"/>). For an estimator that is not linear (MC-NNM, DWCP with a low-rank term) s_i are
    /// DiD's: 1/|T| on the (placebo-)treated units, −1/|C| on the other controls.
    /// </summary>
    private ReplicateSet RescaledUnitPlacebo(EstimationResult fit, ReplicateStatistic statistic, CancellationToken ct)
    {
        var data = fit.Data;
        var pattern = data.Pattern;
        var pre = pattern.Cohorts.Count == 0 ? 0 : pattern.Cohorts[0].PeriodIndex - fit.Anticipation;
        if (pattern.Cohorts.Count > 0 && pre < MinPrePeriods)
            return ReplicateSet.Undefined(this, $"it needs {MinPrePeriods} untreated periods before the first adoption (MinPrePeriods) to estimate each unit's noise scale; this panel has {pre}.", Replications);
        var placebo = UnitPlacebo;
        if (Replicates.UnitPlaceboProblem(fit, placebo.Name) is { } problem) return ReplicateSet.Undefined(this, problem, Replications);
        if (RescalingDraws > 0 && !fit.InvariantToTwoWayEffects)
            return ReplicateSet.Undefined(this, $"{fit.Estimator}'s estimate changes with additive unit or period effects, so noise-only panels do not stand for its panels (RescalingDraws); use RescalingDraws = 0.", Replications);
        var scales = PreScales(data, pre, ct);
        var periodScales = PeriodProfile(scales.Model.Periods, data.PeriodCount);
        var set = placebo.Replicate(fit, new ReplicateStatistic(statistic.Leads, statistic.Definition, periodScales), ct);
        if (set.UndefinedReason is not null) return set with { Method = Name, Target = Target };
        var a2 = scales.Model.Units;
        var controls = pattern.NeverTreatedUnitIndices;
        var treated = pattern.TreatedUnitIndices;
        int g0 = controls.Count, g1 = treated.Count, n = data.UnitCount;
        var design = placebo.Design(data);
        var layouts = Enumerable.Range(0, set.Values.Count).Select(b => placebo.Layout(design, b)).ToArray();
        // Each fit's unit coefficients over the panel's units (0 for the treated units a placebo panel leaves out).
        var linear = ReplicateStatistic.UnitCoefficients(fit, periodScales);
        var real = linear ?? DidCoefficients(n, treated, controls);
        var coefficients = new double[set.Values.Count][];
        for (var b = 0; b < coefficients.Length; b++)
        {
            var rows = layouts[b].Rows;   // replicate panel row r is unit rows[r]
            var own = set.Values[b].Coefficients;
            if ((own is null) != (linear is null))
                throw new InvalidOperationException($"Placebo {set.Labels[b]} {(own is null ? "has no" : "has")} unit coefficients where the fit {(linear is null ? "has none" : "has them")}.");
            coefficients[b] = own is null ? DidCoefficients(n, rows[(g0 - g1)..], rows[..(g0 - g1)]) : new double[n];
            if (own is not null)
                for (var r = 0; r < rows.Length; r++) coefficients[b][rows[r]] = own[r];
        }
        // With RescalingDraws, each fit's variance by simulation (the real fit's panel first), else by its fixed-weight formula.
        var draws = RescalingDraws ?? (fit.FitsTimeWeights && g1 > 1 ? DefaultRescalingDraws : 0);
        (UnitPlaceboVariance.PlaceboLayout, int)[] simulated = draws == 0 ? [] :
        [
            (UnitPlaceboVariance.PlaceboLayout.RealFit(pattern), RealDrawsFactor * draws),
            .. layouts.Select(l => (l, draws)),
        ];
        // Under the noise model alone, then — when the placebo effects call for it (a likelihood-ratio test counted at the placebos'
        // effective number) — with each unit's error variance κ̂ â²_i + M̂, noise plus misfit (PlaceboErrorModel).
        var counted = set.Values.Count;   // Progress: the simulated fits count on after the placebos
        var noise = Variances(a2);
        var (ratios, weights) = Rescale(a2, noise);
        var (kappa, misfit, ratio) = PlaceboErrorModel.Fit(noise.Placebos, [.. coefficients.Select(s => Sum(s, null))], [.. set.Values.Select(v => v.Att * v.Att)]);
        var effective = 1 / weights.Sum(w => w * w);
        var withMisfit = misfit > 0 && ratio * effective / coefficients.Length >= MisfitCriticalValue;
        double[] unitVariances = !withMisfit ? a2 : kappa > 0 ? [.. a2.Select(v => v + misfit / kappa)] : [.. Enumerable.Repeat(1.0, n)];
        if (withMisfit) (ratios, weights) = Rescale(unitVariances, Variances(unitVariances));
        var values = set.Values.Select((value, b) => new ReplicateValue(value.Att * ratios[b],
            EffectGrid.From(value.Grid.Entries.Select(e => e with { Effect = e.Effect * ratios[b] }).ToArray()))).ToArray();
        // The treated units' scales enter the real fit's variance through its fixed-weight form (a simulated variance is taken to move
        // in proportion): with the simulated one against the formula's slopes, a fit whose weights absorb the treated units' noise got 1 df.
        var slope = new double[n];
        foreach (var i in treated) slope[i] = real[i] * real[i];
        var scaleDf = !withMisfit || kappa > 0 ? NoiseScales.SatterthwaiteDegreesOfFreedom(Sum(real, unitVariances), scales.Model, slope, scales.UnitCells, new double[scales.PeriodCells.Length], scales.PeriodCells) : null;
        return set with { Method = Name, Target = Target, Values = values, DegreesOfFreedom = QuadraticFormTails.StudentDegreesOfFreedom(weights, scaleDf, 0.05) };

        // Replicate b's ratio r_b and the weights of the rescaled effects' quadratic form, for unit variances v.
        (double[] Ratios, double[] Weights) Rescale(double[] v, (double Real, double[] Placebos) variances)
        {
            var (realVariance, placebos) = variances;
            var r = placebos.Select(p => p > 0 ? Math.Sqrt(realVariance / p) : 1).ToArray();
            return (r, design.Exhaustive ? [.. Enumerable.Repeat(1.0 / (coefficients.Length - 1), coefficients.Length - 1)] : DrawnPlaceboWeights(coefficients, r, controls, v));
        }

        // The real fit's and each placebo fit's ATT variance under unit variances v: simulated, or Σ_i s²_i v_i.
        (double Real, double[] Placebos) Variances(double[] v)
        {
            if (simulated.Length == 0) return (Sum(real, v), [.. coefficients.Select(s => Sum(s, v))]);
            var variances = SimulatedFitVariance.Of(fit, simulated, v, periodScales, ~Seed, MaxDegreeOfParallelism, OffsetProgress.After(Progress, counted), ct);
            counted += simulated.Length;
            return (variances[0].Mean, [.. variances[1..].Select(v => v.Mean)]);
        }
    }

    /// <summary>The default <see cref="RescalingDraws"/> for an estimator that fits its time weights, with more than one treated unit.</summary>
    private const int DefaultRescalingDraws = 10;

    /// <summary>How many times <see cref="RescalingDraws"/> the real fit takes: its variance scales every placebo effect alike.</summary>
    private const int RealDrawsFactor = 5;

    /// <summary>
    /// The likelihood-ratio statistic, counted at the placebos' effective number (1/Σ w²_j of their quadratic form's weights, B − 1
    /// when enumerated) rather than B, above which the misfit enters: 2.706, the 5% test of M = 0 on its boundary (half χ²_0, half χ²_1).
    /// </summary>
    private const double MisfitCriticalValue = 2.706;

    /// <summary>Σ_i s²_i v_i (v = null: Σ_i s²_i).</summary>
    private static double Sum(double[] s, double[]? v)
    {
        double sum = 0;
        for (var i = 0; i < s.Length; i++) sum += s[i] * s[i] * (v is null ? 1 : v[i]);
        return sum;
    }

    /// <summary>DiD's unit coefficients on one adoption date: 1/|T| on <paramref name="treated"/>, −1/|C| on <paramref name="controls"/>.</summary>
    private static double[] DidCoefficients(int n, IReadOnlyList<int> treated, IReadOnlyList<int> controls)
    {
        var s = new double[n];
        foreach (var i in treated) s[i] = 1.0 / treated.Count;
        foreach (var j in controls) s[j] = -1.0 / controls.Count;
        return s;
    }

    /// <summary>
    /// The period profile b²_t of the unit coefficients: the two-way model's b̂²_t before the first adoption (where it is fitted)
    /// and their mean from it on (the periods of the placebo effects, whose noise the model leaves out).
    /// </summary>
    private static double[] PeriodProfile(double[] fitted, int periods)
    {
        var mean = fitted.Length == 0 ? 1 : fitted.Average();
        return Enumerable.Range(0, periods).Select(t => t < fitted.Length ? fitted[t] : mean).ToArray();
    }

    /// <summary>
    /// The weights w_j (Σ w = 1) of V̂/E V̂ = Σ_j w_j χ²_1 for drawn placebos: placebo b's effect is s_bᵀu over the controls, s_b
    /// its unit coefficients and u_j independent with Var u_j ∝ â²_j; the rescaled effects' centred mean square is then a quadratic
    /// form whose weights are the eigenvalues of the B × B matrix H X Xᵀ H / B, X_bj = r_b s_bj â_j, H the centring. Random placebo
    /// sets share units, so B draws carry fewer than B − 1 degrees of freedom (with min(B, N0) − 1 the 10 × 10 block over-rejected:
    /// size 0.074 for DiD at 40 draws, docs/simulations/variance-power.md). Enumerated placebos (one treated unit) are close to
    /// independent and take B − 1 equal weights instead.
    /// </summary>
    private static double[] DrawnPlaceboWeights(double[][] coefficients, double[] ratios, IReadOnlyList<int> controls, double[] a2)
    {
        int count = coefficients.Length, g0 = controls.Count;
        var x = Matrix<double>.Build.Dense(count, g0, (b, j) => ratios[b] * coefficients[b][controls[j]] * Math.Sqrt(a2[controls[j]]));
        var means = x.ColumnSums() / count;
        for (var b = 0; b < count; b++) x.SetRow(b, x.Row(b) - means);   // H X: the spread is centred
        var eigen = (x * x.Transpose()).Evd(Symmetricity.Symmetric).EigenValues.Select(e => Math.Max(0, e.Real)).ToArray();
        var total = eigen.Sum();
        return eigen.Select(e => e / total).ToArray();
    }

    /// <summary>The two-way noise model (scales as fitted and unbiased, κ̂) and the cells behind each â²_i and b̂²_t.</summary>
    private sealed record Scales(NoiseScales.TwoWayModel Model, int[] UnitCells, int[] PeriodCells);

    /// <summary>
    /// The two-way noise model of the untreated cells before the first adoption (its anticipation window left out), for every
    /// unit alike, and the cells behind each scale: a placebo unit's scale then leaves out the periods of its own placebo effect,
    /// as the treated units' must (fitted to every untreated cell, a placebo unit's â²_j grew with its own placebo effect, which
    /// its rescaling then shrank: mean V̂ 5% low for DiD on one treated cell).
    /// </summary>
    private static Scales PreScales(PanelData data, int pre, CancellationToken ct)
    {
        int n = data.UnitCount, t = data.PeriodCount;
        var w = AnticipationWindow.FitWeights(data, 0, ct);
        var y = data.Outcomes.Values;
        var sliced = new double[n * pre];
        var observed = new double[n * pre];
        var units = new int[n];
        var cells = new int[pre];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < pre; s++)
            {
                sliced[i * pre + s] = y[i * t + s];
                observed[i * pre + s] = w[i * t + s];
                if (w[i * t + s] <= 0) continue;
                units[i]++;
                cells[s]++;
            }
        return new Scales(NoiseScales.FitTwoWay(sliced, observed, n, pre, ct), units, cells);
    }

    /// <summary>On units or on periods, the time or unit placebo's replicates; on both the rescaled unit placebo's; by regression, none.</summary>
    private protected override ReplicateSet ReplicateCore(EstimationResult fit, ReplicateStatistic statistic, CancellationToken ct)
    {
        RequireConditional();
        return (On, Approach) switch
        {
            (VarianceTarget.ConditionalOnUnits, VarianceApproach.Placebo) => TimePlacebo.Replicate(fit, statistic, ct) with { Method = Name },
            (VarianceTarget.ConditionalOnPeriods, VarianceApproach.Placebo) => UnitPlacebo.Replicate(fit, statistic, ct) with { Method = Name },
            (VarianceTarget.ConditionalOnUnitsAndPeriods, VarianceApproach.Placebo) => RescaledUnitPlacebo(fit, statistic, ct),
            _ => base.ReplicateCore(fit, statistic, ct),
        };
    }

    private void RequireConditional()
    {
        if (On == VarianceTarget.Marginal)
            throw new ArgumentException("ConditionalVariance conditions on units, periods or both; for the marginal variance use MarginalVariance.", nameof(On));
    }

    private TimePlaceboVariance TimePlacebo => new() { MinPrePeriods = MinPrePeriods, MaxDegreeOfParallelism = MaxDegreeOfParallelism, Progress = Progress, Executor = Executor, Checkpoint = Component("time-placebo") };

    private UnitPlaceboVariance UnitPlacebo => new() { Replications = Replications, Seed = Seed, MaxDegreeOfParallelism = MaxDegreeOfParallelism, Progress = Progress, Executor = Executor, Checkpoint = Component("unit-placebo") };

    /// <summary>A component's checkpoint file: <see cref="VarianceMethod.Checkpoint"/> with the component's name appended ("run.jsonl.unit-placebo").</summary>
    private string? Component(string name) => Checkpoint is null ? null : $"{Checkpoint}.{name}";
}
