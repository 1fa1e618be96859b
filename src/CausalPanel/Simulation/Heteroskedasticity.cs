namespace CausalPanel;

/// <summary>Which noise scales σ_it = a_i·b_t a <see cref="SimulationDesign"/> draws with (<see cref="FactorModel.NoiseScale"/>).</summary>
public enum Heteroskedasticity
{
    /// <summary>σ_it = 1: every cell has the fitted noise covariance (default).</summary>
    None,

    /// <summary>σ_it = a_i: each unit's noise scale, fitted from its residuals.</summary>
    Units,

    /// <summary>σ_it = b_t: each period's noise scale.</summary>
    Periods,

    /// <summary>σ_it = a_i·b_t, the multiplicative two-way model.</summary>
    TwoWay,
}
