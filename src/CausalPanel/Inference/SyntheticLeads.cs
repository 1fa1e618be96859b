namespace CausalPanel;

/// <summary>
/// How an event study defines the leads (pre-treatment placebo effects) of <see cref="SyntheticControl"/>,
/// <see cref="SyntheticControlWithIntercept"/> and <see cref="SyntheticDifferenceInDifferences"/>
/// (<see cref="EventStudyOptions.SyntheticLeads"/>). Lead −k below is event time −a−k for a fit with Anticipation = a,
/// the period f − k of a cohort whose weights were fitted on the f = g − a periods before its anticipation window
/// (g its adoption).
/// </summary>
public enum SyntheticLeads
{
    /// <summary>
    /// The gap of the fitted weights in the period f − k relative to their λ̂-weighted pre-period baseline,
    /// (Ȳ_tr − ω̂ᵀY_co)_{f−k} − Σ_s λ̂_s (Ȳ_tr − ω̂ᵀY_co)_s, as Stata <c>sdid_event</c>'s <c>placebo()</c> (Clarke, Pailañir,
    /// Athey and Imbens 2023; Ciccia 2024): one fit, its weights read period by period. In-sample — the weights were fitted
    /// to these periods, so the gaps are small by construction (SC's least squares, SDID's λ̂-matching) and test how well
    /// the weights fit rather than what the estimator would have found. The default. Up to f leads per cohort.
    /// </summary>
    WeightGap,

    /// <summary>
    /// The in-time placebo (Abadie, Diamond and Hainmueller 2010, JASA, §4, and 2015, AJPS, "in-time placebo"; R
    /// <c>synthdid_placebo</c>, Arkhangelsky et al. 2021, AER, §5): the estimator re-run, with the fit's options and the
    /// cohort's regularisation ζ_ω, ζ_λ and Frank–Wolfe threshold kept (as <c>synthdid_placebo</c> keeps them) and its
    /// weights refitted from scratch, on the never-treated units and the cohort's units over the periods 0..f−1 before the
    /// cohort's anticipation window, with the cohort placebo-treated from f − k; lead −k is that placebo fit's effect in
    /// its first placebo-treated period f − k (its event time 0), read as the fit reads its own event time 0. Out of
    /// sample: the weights never saw the period. Needs f − a − k ≥ 1 (a period before the placebo's own anticipation
    /// window to fit on), so up to f − a − 1 leads per cohort; one refit per cohort and lead in the fit and in every
    /// replicate of the variance method. Refused for the other estimators (their leads are already out-of-sample refits).
    /// </summary>
    InTimePlacebo,
}
