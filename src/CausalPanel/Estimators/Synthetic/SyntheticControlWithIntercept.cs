namespace CausalPanel;

/// <summary>
/// Synthetic control with an intercept (Doudchenko and Imbens 2016; Ferman and Pinto 2021), "DIFP"
/// in Arkhangelsky et al. (2021, AER, Table 1): unit weights with an intercept and ζ_ω = 1e-6·σ̂,
/// uniform time weights λ = 1/T0, so the treated units are compared with the weighted controls
/// after removing each side's pre-period mean. Defaults equal the SDID paper's vignette
/// (<c>synthdid_estimate(..., weights = list(lambda = rep(1/T0, T0)), eta.omega = 1e-6)</c>).
/// </summary>
public sealed class SyntheticControlWithIntercept : SyntheticWeightingEstimator
{
    /// <summary>DIFP with the SDID paper's settings.</summary>
    public SyntheticControlWithIntercept() : this(new SyntheticWeightingOptions()) { }

    /// <summary>DIFP with the given options (e.g. <c>EtaOmega = Math.Pow(N1 * T1, 0.25)</c> for "DIFP with SDID's ridge").</summary>
    public SyntheticControlWithIntercept(SyntheticWeightingOptions options) : base(options, TimeWeighting.Uniform, omegaIntercept: true, etaOmega: 1e-6) { }

    internal override SyntheticWeightingEstimator With(SyntheticWeightingOptions options) => new SyntheticControlWithIntercept(options);

    /// <inheritdoc/>
    public override string Name => "DIFP";
}
