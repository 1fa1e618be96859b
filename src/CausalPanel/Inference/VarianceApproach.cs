namespace CausalPanel;

/// <summary>How <see cref="MarginalVariance"/> and <see cref="ConditionalVariance"/> estimate their target.</summary>
public enum VarianceApproach
{
    /// <summary>Re-estimate on placebo assignments (unit, time, unit×time); any estimator.</summary>
    Placebo,

    /// <summary>Plug residual noise variances into the estimator's linear form (<see cref="RegressionVariance"/>): one fit, linear estimators only.</summary>
    Regression,
}
