namespace CausalPanel;

/// <summary>
/// Which variance a method estimates (Almeida, Athey, Imbens, Lestant and Olaizola 2025): the
/// marginal one, or the one conditional on the units, on the periods, or on both. Conditional
/// variances adapt to heteroskedasticity in the conditioning dimension.
/// </summary>
public enum VarianceTarget
{
    /// <summary>Over repeated draws of both units and periods.</summary>
    Marginal,

    /// <summary>Holding the units fixed (e.g. placebo over time).</summary>
    ConditionalOnUnits,

    /// <summary>Holding the periods fixed (e.g. placebo over units, unit bootstrap, unit jackknife).</summary>
    ConditionalOnPeriods,

    /// <summary>Holding both fixed.</summary>
    ConditionalOnUnitsAndPeriods,
}
