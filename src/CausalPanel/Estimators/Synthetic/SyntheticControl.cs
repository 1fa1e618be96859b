namespace CausalPanel;

/// <summary>
/// Synthetic control (Abadie, Diamond and Hainmueller 2010) as R <c>synthdid::sc_estimate</c>:
/// unit weights on the simplex without intercept and with a vanishing ridge ζ_ω = 1e-6·σ̂, no time
/// weights (λ = 0), so τ̂ = mean over treated post cells of Y_it − Σ_j ω_j Y_jt
/// (Arkhangelsky et al. 2021, AER, Eq. 2.6 and Table 1).
/// </summary>
public sealed class SyntheticControl : SyntheticWeightingEstimator
{
    /// <summary>SC with R synthdid's defaults.</summary>
    public SyntheticControl() : this(new SyntheticWeightingOptions()) { }

    /// <summary>SC with the given options (e.g. <c>EtaOmega = Math.Pow(N1 * T1, 0.25)</c> for "SC with SDID's ridge").</summary>
    public SyntheticControl(SyntheticWeightingOptions options) : base(options, TimeWeighting.None, omegaIntercept: false, etaOmega: 1e-6) { }

    internal override SyntheticWeightingEstimator With(SyntheticWeightingOptions options) => new SyntheticControl(options);

    /// <inheritdoc/>
    public override string Name => "SC";
}
