namespace CausalPanel;

/// <summary>
/// The variance conditional on the units, on the periods, or on both (Almeida, Athey, Imbens, Lestant
/// and Olaizola 2025). On units it is <see cref="TimePlaceboVariance"/>, on periods
/// <see cref="UnitPlaceboVariance"/>. On both — the paper's new estimator, whose exact formula we could
/// not read — it is our reconstruction (spec §3.4), the multiplicative two-way combination
/// V̂ = V̂_time · V̂_unit / V̂_marginal, exact in expectation when the noise variance is a_i·b_t; its
/// interval is Student t with min(N0, K) − 1 df (K time-placebo windows). Experimental: check it against
/// the paper before relying on it. With <see cref="Approach"/> = <see cref="VarianceApproach.Regression"/>
/// each target is instead the residual plug-in <see cref="RegressionVariance"/> with the matching noise model
/// (on both: σ̂²_i σ̂²_t / σ̂²), one fit for linear estimators.
/// </summary>
public sealed record ConditionalVariance : VarianceMethod
{
    /// <summary>What to condition on. Default <see cref="VarianceTarget.ConditionalOnUnitsAndPeriods"/>.</summary>
    public VarianceTarget On { get; init; } = VarianceTarget.ConditionalOnUnitsAndPeriods;

    /// <summary>Placebo re-estimation (default, any estimator) or regression plug-in (DiD, SC, DIFP, SDID).</summary>
    public VarianceApproach Approach { get; init; }

    /// <summary>Replications of the unit and unit×time placebos. Default 200.</summary>
    public int Replications { get; init; } = 200;

    /// <summary>Seed of the placebo draws.</summary>
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
        if (Approach == VarianceApproach.Regression)
            return new RegressionVariance { On = On }.Estimate(fit, ct);
        var time = TimePlacebo.Estimate(fit, ct);
        if (On == VarianceTarget.ConditionalOnUnits) return time with { Method = Name };
        var unit = UnitPlacebo.Estimate(fit, ct);
        if (On == VarianceTarget.ConditionalOnPeriods) return unit with { Method = Name };

        var marginal = new MarginalVariance { Replications = Replications, Seed = Seed, MinPrePeriods = MinPrePeriods, MaxDegreeOfParallelism = MaxDegreeOfParallelism, Progress = Progress, Executor = Executor, Checkpoint = Component("marginal") }.Estimate(fit, ct);
        var parts = new[] { time, unit, marginal };
        if (parts.FirstOrDefault(r => !r.IsDefined) is { } undefined)
            return VarianceResult.Undefined(Name, Target, fit.Att, $"its {undefined.Method} component is undefined: {undefined.UndefinedReason}") with { Components = parts };
        if (!(marginal.Variance > 0))
            return VarianceResult.Undefined(Name, Target, fit.Att, "the marginal placebo variance is 0, so the two-way ratio is undefined.") with { Components = parts };
        return new VarianceResult
        {
            Method = Name, Target = Target, Estimate = fit.Att, Seed = Seed,
            StandardError = Math.Sqrt(time.Variance * unit.Variance / marginal.Variance),
            DegreesOfFreedom = Math.Min(fit.Data.Pattern.NeverTreatedCount, time.ValidReplications) - 1,
            Components = parts,
            RequestedReplications = Replications,
        };
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
