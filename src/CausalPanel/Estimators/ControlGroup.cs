namespace CausalPanel;

/// <summary>
/// Which untreated units a treated unit is compared with: R <c>did</c>'s <c>control_group</c> (Callaway and Sant'Anna
/// 2021, J. Econometrics, §2: the never-treated group C, or the not-yet-treated units) and Stata <c>csdid</c>'s
/// <c>notyet</c> option. On a block design (one adoption period) the two are the same units.
/// </summary>
public enum ControlGroup
{
    /// <summary>
    /// Never-treated units and the untreated (pre-adoption, outside the anticipation window) cells of units treated later:
    /// every untreated cell informs the imputation model (Borusyak, Jaravel and Spiess 2024, REStud; R <c>did</c>'s
    /// <c>"notyettreated"</c>). What <see cref="DifferenceInDifferences"/>, <see cref="MatrixCompletion"/> and
    /// <see cref="DoublyWeightedCausalPanel"/> do by default.
    /// </summary>
    NotYetTreated,

    /// <summary>
    /// Never-treated units only (R <c>did</c>'s default <c>"nevertreated"</c>): a treated unit's untreated outcomes are
    /// compared with the never-treated units' and its own pre-adoption cells, never with other treated units' cells. What
    /// <see cref="SyntheticControl"/>, <see cref="SyntheticControlWithIntercept"/> and
    /// <see cref="SyntheticDifferenceInDifferences"/> always do (R <c>synthdid</c>, Stata <c>sdid</c>).
    /// </summary>
    NeverTreated,
}
