using CausalPanel.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel;

/// <summary>
/// The variance conditional on the units, on the periods, or on both (Almeida, Athey, Imbens, Lestant
/// and Olaizola 2025). On units it is <see cref="TimePlaceboVariance"/>, on periods
/// <see cref="UnitPlaceboVariance"/>. On both — the paper's new estimator, whose exact formula we could
/// not read — it is our reconstruction (issue 20), exact in expectation when the noise variance is a_i·b_t:
/// the time placebo keeps the treated units (so it is conditional on them) but its windows sit in other periods,
/// so each window's squared placebo effect is rescaled by the period noise of the real contrast relative to the window's:
/// V̂ = (1/K) Σ_k τ̂_k² · D_post / D_k, where D = mean b̂² over the (placebo or real) treated periods / T1 + mean b̂² over
/// the periods before them / their number is the period part of the variance of a DiD-type contrast (window mean minus
/// pre-period mean; exact for DiD, an approximation for the weighted estimators), and b̂²_t are the period scales of the
/// two-way noise model â²_i b̂²_t of the untreated cells (alternating maximum likelihood on the squared residuals of a
/// precision-weighted two-way fixed-effects fit, each over one minus its leverage; <see cref="NoiseScales.FitTwoWay"/>: fitted to
/// unweighted residuals, whose period means are the noisy units' noise, b̂²_t followed the one-cell estimate's own noise and
/// the interval was conservative, size 0.015–0.027; mean V̂ is now within 3% of DiD's closed-form variance,
/// BothVarianceCalibrationTests). Its interval is Student t with the degrees of freedom whose 97.5% quantile is that of
/// τ̂/√V̂ under the same model (<see cref="EffectiveDegreesOfFreedom"/>): a block's windows overlap, so its K placebo effects carry
/// far fewer than K − 1 degrees of freedom (with K − 1 the reconstruction over-rejected: size 0.10 for DiD on a 10 × 10 block under
/// two-way noise, docs/simulations/variance-power.md), and the estimated b̂²_t of the real contrast add their own noise. An earlier
/// version, the ratio V̂_time·V̂_unit/V̂_marginal, over-rejected (size 0.09 at a nominal 0.05,
/// docs/simulations/heteroskedasticity.md): the product of three noisy variances has heavier tails than any of them.
/// Experimental: check it against the paper before relying on it. With <see cref="Approach"/> =
/// <see cref="VarianceApproach.Regression"/> each target is instead the residual plug-in <see cref="RegressionVariance"/>
/// with the matching noise model (on both: the same shrunk two-way model â²_i b̂²_t), one fit for linear estimators.
/// </summary>
public sealed record ConditionalVariance : VarianceMethod
{
    /// <summary>What to condition on. Default <see cref="VarianceTarget.ConditionalOnUnitsAndPeriods"/>.</summary>
    public VarianceTarget On { get; init; } = VarianceTarget.ConditionalOnUnitsAndPeriods;

    /// <summary>Placebo re-estimation (default, any estimator) or regression plug-in (DiD, SC, DIFP, SDID).</summary>
    public VarianceApproach Approach { get; init; }

    /// <summary>Replications of the unit placebo (conditional on periods). Default 200.</summary>
    public int Replications { get; init; } = 200;

    /// <summary>Seed of the unit placebo's draws.</summary>
    public int Seed { get; init; }

    /// <summary>Untreated periods required before each time-placebo window. Default 2.</summary>
    public int MinPrePeriods { get; init; } = 2;

    /// <inheritdoc/>
    public override string Name => On switch
    {
        VarianceTarget.ConditionalOnUnits => "Conditional on units",
        VarianceTarget.ConditionalOnPeriods => "Conditional on periods",
        _ => "Conditional on units and periods",
    };

    /// <inheritdoc/>
    public override VarianceTarget Target => On;

    /// <inheritdoc/>
    protected override VarianceResult Compute(EstimationResult fit, CancellationToken ct)
    {
        RequireConditional();
        Replicates.Validate(Replications, MaxDegreeOfParallelism);   // they drive the unit placebo (on periods); refused for every target alike
        if (Approach == VarianceApproach.Regression)
            return new RegressionVariance { On = On }.Estimate(fit, ct);
        if (On == VarianceTarget.ConditionalOnPeriods) return UnitPlacebo.Estimate(fit, ct) with { Method = Name };
        var time = TimePlacebo.Estimate(fit, ct);
        if (On == VarianceTarget.ConditionalOnUnits) return time with { Method = Name };

        if (!time.IsDefined)
            return VarianceResult.Undefined(Name, Target, fit.Att, $"its {time.Method} component is undefined: {time.UndefinedReason}") with { Components = [time] };
        var scales = PeriodScales(fit);
        var b2 = scales.Model.Periods;
        int t0 = fit.Data.Pattern.Cohorts[0].PeriodIndex, t1 = fit.Data.PeriodCount - t0, lead = fit.Anticipation;
        // D(window from a, pre-periods before p) = mean b² over the window / T1 + mean b² over the pre-periods / p: the period
        // part of a DiD-type contrast's variance (window mean minus pre-period mean) under σ²_it = a²_i b²_t.
        double Contrast(int start, int pre) => Mean(b2, start, start + t1) / t1 + Mean(b2, 0, pre) / pre;
        var post = Contrast(t0, t0 - lead);
        var count = time.Replicates.Count;
        var starts = new int[count];
        double variance = 0;
        for (var k = 0; k < count; k++)
        {
            starts[k] = MinPrePeriods + lead + k;   // the time placebo's window k, with its own anticipation window before it
            variance += time.Replicates[k] * time.Replicates[k] * post / Contrast(starts[k], starts[k] - lead);
        }
        variance /= count;
        return new VarianceResult
        {
            Method = Name, Target = Target, Estimate = fit.Att,
            StandardError = Math.Sqrt(variance),
            DegreesOfFreedom = EffectiveDegreesOfFreedom(scales, starts, t0, t1, lead),
            Components = [time],
        };
    }

    /// <summary>
    /// The degrees of freedom ν of the Student t whose 97.5% quantile is that of τ̂/√V̂ under the two-way model, our construction
    /// (issue 20). V̂ = (1/K) Σ_k τ̂_k² D_post/D_k: the window effects τ̂_k are jointly normal with correlations
    /// ρ_kl = C_kl / √(C_kk C_ll), C_kl = Σ_t c_k(t) c_l(t) b²_t, c_k the DiD-type contrast of window k (1/T1 on its periods, −1/p on
    /// its p pre-periods; D_k = C_kk), so V̂/E V̂ = Σ_j (μ_j/K) χ²_1 over the eigenvalues μ_j of ρ; the estimated b̂²_t in D_post add,
    /// to first order, χ²_ν/ν − 1 with ν the Satterthwaite df of D̂_post = Σ_t c_post(t)² b̂²_t
    /// (<see cref="NoiseScales.SatterthwaiteDegreesOfFreedom"/>). The critical value c with P(Z² > c² V̂/E V̂) = 0.05, Z independent
    /// (the real contrast is uncorrelated with the windows' when the noise is homoskedastic over periods), is found with Imhof's
    /// (1961) formula for a quadratic form in normal variables, and ν is the t with that quantile. Matching only the variance of
    /// V̂ (Satterthwaite, 2/Var(V̂/E V̂)) described the lower tail of a sum of a block's overlapping windows as that of a χ² with two
    /// df, which puts far more mass near 0: size 0.010 against 0.05 for DiD on a 10 × 10 block with the true b_t, where K − 1 = 8
    /// df gave 0.087 (BothVarianceCalibrationTests). Exact at the 95% level under the model; other levels are close.
    /// Null (normal) when the quantile is below the normal's.
    /// </summary>
    private static double? EffectiveDegreesOfFreedom(Scales scales, int[] starts, int t0, int t1, int lead)
    {
        var b2 = scales.Model.Periods;
        var count = starts.Length;
        double Weight(int start, int s) => s >= start && s < start + t1 ? 1.0 / t1 : s < start - lead ? -1.0 / (start - lead) : 0;
        double Cross(int a, int b)
        {
            double sum = 0;
            for (var s = 0; s < Math.Max(a, b) + t1; s++) sum += Weight(a, s) * Weight(b, s) * b2[s];
            return sum;
        }
        var diagonal = starts.Select(a => Cross(a, a)).ToArray();
        var correlation = Matrix<double>.Build.Dense(count, count, (k, l) => Cross(starts[k], starts[l]) / Math.Sqrt(diagonal[k] * diagonal[l]));
        var weights = correlation.Evd(Symmetricity.Symmetric).EigenValues.Select(e => Math.Max(0, e.Real) / count).ToArray();
        var post = Cross(t0, t0);
        var slope = new double[b2.Length];   // ∂D_post/∂b²_t
        for (var s = 0; s < t0 + t1; s++) slope[s] = scales.PeriodCells[s] > 0 ? Weight(t0, s) * Weight(t0, s) : 0;
        var n = scales.Model.Units.Length;
        var postDf = NoiseScales.SatterthwaiteDegreesOfFreedom(post, scales.Model, new double[n], new int[n], slope, scales.PeriodCells);
        return QuadraticFormTails.StudentDegreesOfFreedom(weights, postDf, 0.05);
    }

    private static double Mean(double[] values, int from, int to)
    {
        double sum = 0;
        for (var s = from; s < to; s++) sum += values[s];
        return sum / (to - from);
    }

    /// <summary>The two-way noise model (scales as fitted and unbiased, κ̂) and the cells behind each b̂²_t.</summary>
    private sealed record Scales(NoiseScales.TwoWayModel Model, int[] PeriodCells);

    /// <summary>
    /// The shrunk two-way noise model of the untreated cells (outside the anticipation window; <see cref="NoiseScales.FitTwoWay"/>)
    /// and the cells behind each b̂²_t.
    /// </summary>
    private static Scales PeriodScales(EstimationResult fit)
    {
        var data = fit.Data;
        int n = data.UnitCount, t = data.PeriodCount;
        var w = AnticipationWindow.FitWeights(data, fit.Anticipation);
        var cells = new int[t];
        for (var k = 0; k < w.Length; k++)
            if (w[k] > 0) cells[k % t]++;
        return new Scales(NoiseScales.FitTwoWay(data.Outcomes.Values, w, n, t), cells);
    }

    /// <summary>On units or on periods, the time or unit placebo's replicates; on both (a combination of three methods) or by regression, none.</summary>
    private protected override ReplicateSet ReplicateCore(EstimationResult fit, ReplicateStatistic statistic, CancellationToken ct)
    {
        RequireConditional();
        return (On, Approach) switch
        {
            (VarianceTarget.ConditionalOnUnits, VarianceApproach.Placebo) => TimePlacebo.Replicate(fit, statistic, ct) with { Method = Name },
            (VarianceTarget.ConditionalOnPeriods, VarianceApproach.Placebo) => UnitPlacebo.Replicate(fit, statistic, ct) with { Method = Name },
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
