namespace CausalPanel;

/// <summary>The shape of a treatment matrix W.</summary>
public enum TreatmentDesign
{
    /// <summary>No cell is treated.</summary>
    None,

    /// <summary>
    /// Simultaneous adoption: every treated unit starts treatment in the same period and stays
    /// treated to the end (the N1 × T1 block of synthdid).
    /// </summary>
    Block,

    /// <summary>Staggered adoption: units start treatment in different periods and stay treated.</summary>
    Staggered,

    /// <summary>Some unit switches treatment off after switching it on.</summary>
    General,
}
