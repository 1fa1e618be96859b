using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// The regression-based (residual plug-in) variance (spec variance.md §3.3a and §4.4, our reading of
/// Almeida, Athey, Imbens, Lestant and Olaizola 2025): a linear estimator is τ̂ = Σ_it a_it Y_it once its
/// weights are fixed, so with independent noise Var(τ̂) = Σ_it a_it² σ²_it. The noise variances come from
/// the residuals ê of a two-way fixed-effects fit to the untreated cells (outside the fit's anticipation window), scaled by n/(n − p) for the
/// n − p residual degrees of freedom, under a model chosen by <see cref="On"/>:
/// <list type="bullet">
/// <item><see cref="VarianceTarget.Marginal"/>: σ²_it = σ̂², the pooled residual variance (homoskedastic);</item>
/// <item><see cref="VarianceTarget.ConditionalOnUnits"/>: σ̂²_i, the residual variance of unit i;</item>
/// <item><see cref="VarianceTarget.ConditionalOnPeriods"/>: σ̂²_t, that of period t;</item>
/// <item><see cref="VarianceTarget.ConditionalOnUnitsAndPeriods"/>: â²_i b̂²_t, the multiplicative two-way model fitted by alternating
/// maximum-likelihood steps, unshrunk, to the squared residuals of a precision-weighted (feasible-GLS) two-way fit, each over one
/// minus its leverage, which replaces n/(n − p) — our construction, issue 20; see <see cref="NoiseScales.FitTwoWay"/>. Fitted to
/// unweighted residuals, whose period means are the noisy units' noise, the quietest unit's variance came out 1.2 times the truth
/// and its size 0.000; the plain ratio σ̂²_i σ̂²_t / σ̂² before that over-rejected for noisy cells.</item>
/// </list>
/// For DiD on one treated cell the marginal form is σ̂²(1 + 1/N0 + 1/T0 + 1/(N0T0)). One fit, deterministic,
/// but conditional on the estimated weights (their noise is ignored, fine when N0 ≫ N1 and T0 ≫ T1) and
/// assuming noise independent over time. Conditional targets use a Student-t interval whose degrees of
/// freedom are the fewest residuals behind a treated unit's (or period's) variance, minus one; on both, the Satterthwaite
/// degrees of freedom 2V̂²/Var V̂ of V̂ = Σ a²_it â²_i b̂²_t, Var V̂ ≈ Σ_i (∂V̂/∂â²_i)² Var â²_i + Σ_t (∂V̂/∂b̂²_t)² Var b̂²_t, with
/// Var â²_i = κ̂ â⁴_i / n_i (n_i its cells, κ̂ the residuals' squared coefficient of variation) and likewise Var b̂²_t — our
/// construction, <see cref="NoiseScales.SatterthwaiteDegreesOfFreedom"/>; against the spread of V̂ over simulated panels it is
/// 1.4–1.55 times too large (RegressionVarianceTests), 2.7% on the 95% t quantile, and the size holds (BothVarianceCalibrationTests).
/// Defined for DiD, SC, DIFP, SDID and DWCP with λ_nuclear = ∞ (then a weighted two-way imputation, Athey, Imbens, Qu and
/// Viviano 2025, Eq. 2 with L = 0, linear once its unit and time weights are held fixed; <see cref="DwcpResult"/>); MC-NNM and
/// DWCP with a finite λ_nuclear soft-threshold singular values, which is not linear in the outcomes, and are undefined with that reason.
/// With <see cref="Cluster"/>, the cluster-robust (Liang–Zeger) variance instead of a noise model.
/// </summary>
public sealed record RegressionVariance : VarianceMethod
{
    /// <summary>Which variance to estimate (the noise model). Default <see cref="VarianceTarget.Marginal"/>.</summary>
    public VarianceTarget On { get; init; } = VarianceTarget.Marginal;

    /// <summary>
    /// Cluster-robust variance (unit label → cluster label, e.g. county → state), for noise correlated within clusters
    /// and heteroskedastic in any way (Liang and Zeger 1986; Cameron and Miller 2015, J. Human Resources, §II.C): with
    /// τ̂ = Σ_it a_it Y_it, Var(τ̂) = c · Σ_g (Σ_{i∈g} Σ_t a_it ê_it)², where ê are the residuals of the two-way
    /// regression Y_it = α_i + β_t + τ·D_it + ε_it over the fit's untreated cells (outside its anticipation window) and
    /// its treated cells — the TWFE regression an applied user would run, whose clustered standard error for DiD on a
    /// block design this is exactly (DiD's imputation and that regression are then the same linear estimator) — and c is
    /// the CR1 small-sample factor G/(G−1)·(N−1)/(N−K), N the cells of the regression and K its free period effects plus
    /// τ: the unit effects, nested within the clusters, are not counted, as Stata's <c>xtreg, fe vce(cluster)</c> and
    /// <c>reghdfe</c> do not (Cameron and Miller 2015, on fixed effects nested in clusters; a regression with explicit
    /// unit dummies, <c>areg</c>, counts them, which inflates the SE when units have few periods). Intervals are Student t with
    /// G − 1 degrees of freedom, as Stata's. On
    /// treated cells the residuals carry effect heterogeneity as noise, which errs on the conservative side. A cluster
    /// holding any treated unit is a treated cluster; needs at least two treated and two control clusters, else
    /// <see cref="TooFewClustersException"/>. Defined for the linear estimators (DiD, SC, DIFP, SDID, DWCP at λ_nuclear = ∞, weights held at
    /// their fitted values); replaces <see cref="On"/>'s noise model, so <see cref="On"/> must stay
    /// <see cref="VarianceTarget.Marginal"/>. A panel read with a cluster column
    /// (<see cref="PanelReadOptions.Cluster"/>) gives its map as <c>data.ClusterOf</c>.
    /// </summary>
    public Func<string, string>? Cluster { get; init; }

    /// <summary>
    /// On <see cref="VarianceTarget.ConditionalOnUnitsAndPeriods"/>, opt-in: noise-only panels of the fit's rows and treatment paths,
    /// drawn from the fitted two-way model â²_i b̂²_t and re-estimated, to measure the fit's variance
    /// (<see cref="SimulatedFitVariance"/>) instead of the fixed-weight Σ a²_it â²_i b̂²_t. 0 (default): the formula. Under
    /// heteroskedastic noise, weights fitted to the outcomes absorb part of the controls' noise in sample — SDID's time weights,
    /// fitted to the controls' post-period means, most of it — so the formula overstates the variance: on the two-way 10 × 10 block
    /// of docs/simulations/variance-power.md (noise only) SDID's V̂ is 1.29 of τ̂'s variance given the treated units with the formula
    /// and 1.02 with 50 draws (size 0.030 → 0.058), DIFP's 1.14 and 1.05 (0.043 → 0.063). Where the panel is not the noise model —
    /// interactive factors the weights fit, serial correlation — the simulated panels, independent noise without signal, misjudge
    /// the absorption, and the variance comes out too small (docs/simulations/simulated-variance.md).
    /// For estimators whose ATT is unchanged by additive unit and period effects (DiD, DIFP, SDID: noise-only panels then stand
    /// for panels with any such effects); others are undefined with that reason. The interval's Satterthwaite degrees of freedom
    /// are the formula's with the draws' Monte-Carlo variance added (the simulated variance taken to move with the scales in
    /// proportion to the formula's).
    /// Each draw is one more fit on this machine (<see cref="VarianceMethod.MaxDegreeOfParallelism"/>), seeded by <see cref="Seed"/>.
    /// Check it on designs fitted to your panel (<see cref="VarianceComparison"/>, where its name carries the draws) before using it.
    /// </summary>
    public int SimulationDraws { get; init; }

    /// <summary>Seed of the simulated noise panels (<see cref="SimulationDraws"/>).</summary>
    public int Seed { get; init; }

    /// <inheritdoc/>
    internal override VarianceMethod Reseeded(int seed) => this with { Seed = seed };

    /// <inheritdoc/>
    public override string Name => Cluster is not null ? "Regression (cluster-robust CR1)" : On switch
    {
        VarianceTarget.Marginal => "Regression (homoskedastic)",
        VarianceTarget.ConditionalOnUnits => "Regression (by unit)",
        VarianceTarget.ConditionalOnPeriods => "Regression (by period)",
        _ => SimulationDraws > 0 ? $"Regression (two-way, {SimulationDraws} draws)" : "Regression (two-way)",
    };

    /// <inheritdoc/>
    public override VarianceTarget Target => On;

    /// <inheritdoc/>
    protected override VarianceResult Compute(EstimationResult fit, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (SimulationDraws < 0) throw new ArgumentOutOfRangeException(nameof(SimulationDraws), SimulationDraws, "SimulationDraws must be 0 (the fixed-weight formula) or positive.");
        if (SimulationDraws > 0 && (On != VarianceTarget.ConditionalOnUnitsAndPeriods || Cluster is not null))
            throw new ArgumentException($"SimulationDraws simulates the two-way noise model (On = ConditionalOnUnitsAndPeriods without Cluster); with {(Cluster is not null ? "Cluster" : $"On = {On}")} leave it at 0.", nameof(SimulationDraws));
        if (Cluster is not null && On != VarianceTarget.Marginal)
            throw new ArgumentException($"RegressionVariance with Cluster is the cluster-robust variance, which replaces the noise model On = {On}; leave On at Marginal.", nameof(On));
        if (fit.LinearWeights() is not { } a)
            return VarianceResult.Undefined(Name, Target, fit.Att,
                $"{fit.NotLinearReason}, so the regression plug-in does not apply; use UnitPlaceboVariance, TimePlaceboVariance or MarginalVariance.");
        if (Cluster is not null) return ClusterRobust(fit, a, Cluster, ct);
        if (SimulationDraws > 0 && !fit.InvariantToTwoWayEffects)
            return VarianceResult.Undefined(Name, Target, fit.Att, $"{fit.Estimator}'s estimate changes with additive unit or period effects, so noise-only panels do not stand for its panel (SimulationDraws); use SimulationDraws = 0.");

        var data = fit.Data;
        int n = data.UnitCount, t = data.PeriodCount;
        var y = data.Outcomes.Values;
        var w = AnticipationWindow.FitWeights(data, fit.Anticipation, ct);   // the anticipation window's cells carry effects, not noise
        var alpha = new double[n];
        var beta = new double[t];
        var fixedEffects = new TwoWayFixedEffects(w, n, t, ct: ct);
        fixedEffects.Fit(y, alpha, beta, ct);

        var unitSum = new double[n];
        var unitCount = new int[n];
        var periodSum = new double[t];
        var periodCount = new int[t];
        double total = 0;
        var cells = 0;
        for (var k = 0; k < w.Length; k++)
        {
            if (w[k] <= 0) continue;
            var e = y[k] - alpha[k / t] - beta[k % t];
            unitSum[k / t] += e * e; unitCount[k / t]++;
            periodSum[k % t] += e * e; periodCount[k % t]++;
            total += e * e;
            cells++;
        }
        var component = fixedEffects.Component;
        var parameters = 0;
        var components = new HashSet<int>();
        foreach (var c in component)
            if (c >= 0) { parameters++; components.Add(c); }
        var df = cells - (parameters - components.Count);
        if (df <= 0)
            return VarianceResult.Undefined(Name, Target, fit.Att, $"the two-way model leaves no residual degrees of freedom ({cells} untreated cells, {parameters - components.Count} free effects).");
        var inflation = (double)cells / df;
        var pooled = total / df;
        var model = On == VarianceTarget.ConditionalOnUnitsAndPeriods ? NoiseScales.FitTwoWay(y, w, n, t, ct) : null;
        var (unitScales, periodScales) = model is null ? ([], []) : (model.Units, model.Periods);
        var unitSlope = model is null ? [] : new double[n];     // ∂V̂/∂â²_i = Σ_t a²_it b̂²_t
        var periodSlope = model is null ? [] : new double[t];   // ∂V̂/∂b̂²_t = Σ_i a²_it â²_i

        double variance = 0;
        int fewest = int.MaxValue;
        for (var k = 0; k < a.Length; k++)
        {
            if (a[k] == 0) continue;
            int i = k / t, s = k % t;
            var needUnit = On is VarianceTarget.ConditionalOnUnits or VarianceTarget.ConditionalOnUnitsAndPeriods;
            var needPeriod = On is VarianceTarget.ConditionalOnPeriods or VarianceTarget.ConditionalOnUnitsAndPeriods;
            if (needUnit && unitCount[i] < 2 || needPeriod && periodCount[s] < 2)
                return VarianceResult.Undefined(Name, Target, fit.Att,
                    $"{(needUnit && unitCount[i] < 2 ? $"unit {data.Units[i]}" : $"period {data.Periods[s]}")} has fewer than two untreated cells to estimate its noise variance from.");
            var unitVariance = needUnit ? inflation * unitSum[i] / unitCount[i] : pooled;
            var periodVariance = needPeriod ? inflation * periodSum[s] / periodCount[s] : pooled;
            var sigma2 = On switch
            {
                VarianceTarget.Marginal => pooled,
                VarianceTarget.ConditionalOnUnits => unitVariance,
                VarianceTarget.ConditionalOnPeriods => periodVariance,
                _ => pooled > 0 ? unitScales[i] * periodScales[s] : 0,   // scales fitted over 1 − h need no n/(n − p); all residuals zero: so is every variance
            };
            variance += a[k] * a[k] * sigma2;
            if (model is not null)
            {
                unitSlope[i] += a[k] * a[k] * periodScales[s];
                periodSlope[s] += a[k] * a[k] * unitScales[i];
            }
            if (data.Treatment.Values[k])
                fewest = Math.Min(fewest, Math.Min(needUnit ? unitCount[i] : int.MaxValue, needPeriod ? periodCount[s] : int.MaxValue));
        }
        // Simulated: the variance re-measured on noise-only panels, taken to move with the scales in proportion to the formula, so its
        // Satterthwaite df are the formula's with the draws' Monte-Carlo variance added at the formula's scale.
        var (reported, monteCarlo) = (variance, 0.0);
        if (model is not null && SimulationDraws > 0 && pooled > 0)
        {
            var (simulated, error) = SimulatedFitVariance.Of(fit, [(UnitPlaceboVariance.PlaceboLayout.RealFit(data.Pattern), SimulationDraws)], unitScales, periodScales, Seed, MaxDegreeOfParallelism, null, ct)[0];
            if (simulated <= 0)
                return VarianceResult.Undefined(Name, Target, fit.Att, $"its variance simulated on {SimulationDraws} noise-only panels (SimulationDraws) is {simulated:G3}, not positive; set SimulationDraws = 0 for the fixed-weight formula.");
            (reported, monteCarlo) = (simulated, error * Math.Pow(variance / simulated, 2));
        }
        return new VarianceResult
        {
            Method = Name, Target = Target, Estimate = fit.Att,
            StandardError = Math.Sqrt(reported),
            DegreesOfFreedom = On == VarianceTarget.Marginal || fewest == int.MaxValue ? null
                : model is not null ? NoiseScales.SatterthwaiteDegreesOfFreedom(variance, model, unitSlope, unitCount, periodSlope, periodCount, monteCarlo) ?? fewest - 1
                : fewest - 1,
            Caveat = model is null ? null : VarianceResult.ConditionalOnBothCaveat,
        };
    }

    /// <summary>The cluster-robust CR1 variance of Σ a_it Y_it (<see cref="Cluster"/>).</summary>
    private VarianceResult ClusterRobust(EstimationResult fit, double[] a, Func<string, string> cluster, CancellationToken ct)
    {
        var data = fit.Data;
        var clusters = ClusterLayout.Of(data, cluster);
        clusters.Require(2, 2, Name, "at least two treated and two control clusters");
        int n = data.UnitCount, t = data.PeriodCount;
        var cells = AnticipationWindow.FitWeights(data, fit.Anticipation, ct);
        var treated = new double[cells.Length];
        for (var k = 0; k < cells.Length; k++)
            if (data.Treatment.Values[k]) cells[k] = treated[k] = 1;
        var fixedEffects = new TwoWayFixedEffects(cells, n, t, ct: ct);
        var alpha = new double[n];
        var beta = new double[t];
        var residual = new double[cells.Length];
        fixedEffects.Fit(data.Outcomes.Values, alpha, beta, ct);
        for (var k = 0; k < cells.Length; k++)
            if (cells[k] > 0) residual[k] = data.Outcomes.Values[k] - alpha[k / t] - beta[k % t];
        fixedEffects.Fit(treated, alpha, beta, ct);   // Frisch–Waugh: τ̂ from D net of the two-way effects
        double dd = 0, dy = 0;
        var observations = 0;
        for (var k = 0; k < cells.Length; k++)
        {
            if (cells[k] <= 0) continue;
            treated[k] -= alpha[k / t] + beta[k % t];
            dd += treated[k] * treated[k];
            dy += treated[k] * residual[k];
            observations++;
        }
        if (dd <= 1e-12 * observations)
            return VarianceResult.Undefined(Name, Target, fit.Att, "the treatment is collinear with the unit and period effects, so the two-way regression has no residuals for it.");
        var tau = dy / dd;
        var parameters = 1;   // τ and the free period effects; unit effects are nested within the clusters
        var components = new HashSet<int>();
        var component = fixedEffects.Component;
        for (var k = 0; k < component.Length; k++)
            if (component[k] >= 0)
            {
                components.Add(component[k]);
                if (k >= n) parameters++;
            }
        var df = observations - (parameters - components.Count);
        if (df <= 0)
            return VarianceResult.Undefined(Name, Target, fit.Att, $"the two-way regression leaves no residual degrees of freedom ({observations} cells, {parameters - components.Count} parameters).");

        double sum = 0;
        for (var g = 0; g < clusters.Count; g++)
        {
            double score = 0;
            foreach (var i in clusters.Members(g))
                for (var s = 0; s < t; s++)
                {
                    var k = i * t + s;
                    if (cells[k] > 0) score += a[k] * (residual[k] - tau * treated[k]);
                }
            sum += score * score;
        }
        var count = clusters.Count;
        var factor = (double)count / (count - 1) * (observations - 1) / df;
        return new VarianceResult
        {
            Method = Name, Target = Target, Estimate = fit.Att,
            StandardError = Math.Sqrt(factor * sum), DegreesOfFreedom = count - 1,
        };
    }
}
