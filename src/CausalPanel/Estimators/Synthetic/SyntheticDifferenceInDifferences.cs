namespace CausalPanel;

/// <summary>
/// Synthetic difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens and Wager 2021,
/// AER, Algorithm 1): unit weights ω with an intercept and ridge ζ_ω = (N1·T1)^(1/4)·σ̂ (Eq. 2.2),
/// time weights λ with an intercept and ζ_λ = 1e-6·σ̂ (Eq. 2.3), and the doubly weighted
/// two-way fixed-effects estimate (Eq. 1.1). Defaults equal R <c>synthdid::synthdid_estimate</c>.
/// </summary>
public sealed class SyntheticDifferenceInDifferences : SyntheticWeightingEstimator
{
    /// <summary>SDID with R synthdid's defaults.</summary>
    public SyntheticDifferenceInDifferences() : this(new SyntheticWeightingOptions()) { }

    /// <summary>SDID with the given options.</summary>
    public SyntheticDifferenceInDifferences(SyntheticWeightingOptions options) : base(options, TimeWeighting.Optimised, omegaIntercept: true, etaOmega: null) { }

    internal override SyntheticWeightingEstimator With(SyntheticWeightingOptions options) => new SyntheticDifferenceInDifferences(options);

    /// <inheritdoc/>
    public override string Name => "SDID";
}
