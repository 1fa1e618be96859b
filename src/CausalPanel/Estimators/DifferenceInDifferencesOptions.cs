namespace CausalPanel;

/// <summary>Options of <see cref="DifferenceInDifferences"/>: the design choices R <c>did</c> and Stata <c>did_imputation</c> offer.</summary>
public sealed record DifferenceInDifferencesOptions
{
    /// <summary>The options as <c>DifferenceInDifferencesOptions { Anticipation = 1, … }</c>.</summary>
    public override string ToString() => SummaryText.Record(this);

    /// <summary>
    /// Anticipation k ≥ 0 (default 0): outcomes may respond to treatment in the k periods before adoption, so those cells
    /// are left out of the fit of α, β (as if each unit adopted k periods earlier: Stata <c>did_imputation</c>'s
    /// <c>shift(k)</c>), the ATT still averages the cells from adoption on, and the window's effects are reported in
    /// <see cref="EstimationResult.AnticipationEffects"/> (Callaway and Sant'Anna 2021, Assumption 3; R <c>did</c>'s
    /// <c>anticipation</c>).
    /// </summary>
    public int Anticipation { get; init; }

    /// <summary>
    /// The comparison units: <see cref="ControlGroup.NotYetTreated"/> (default: every fit cell informs α and β, Borusyak,
    /// Jaravel and Spiess 2024) or <see cref="ControlGroup.NeverTreated"/> (β from the never-treated units alone, each
    /// treated unit's α from its own pre-adoption cells; Callaway and Sant'Anna's never-treated ATT(g, t) with the mean of
    /// the pre-periods as the base, see <see cref="DifferenceInDifferences"/>).
    /// </summary>
    public ControlGroup ControlGroup { get; init; } = ControlGroup.NotYetTreated;
}
