namespace CausalPanel;

/// <summary>Options of an event study (<see cref="EventStudies.EventStudy"/>) and of the cohort × period effects (<see cref="EventStudies.CohortPeriodEffects"/>).</summary>
public sealed record EventStudyOptions
{
    /// <summary>The options as <c>EventStudyOptions { Leads = 4, … }</c>.</summary>
    public override string ToString() => SummaryText.Record(this);

    /// <summary>
    /// Leads K: event times −1..−K, or −k−1..−k−K for a fit with an anticipation window of k periods. Null (default): the
    /// shortest pre-period (before the anticipation window) among the treated units that have at least two, less one —
    /// so every cohort has every lead (their mix does not change along the leads) and the earliest pre-period stays a
    /// baseline, as R <c>fect</c> drops it from its F test (with all pre-periods the
    /// leave-one-out DiD leads of a block design sum to zero). At most the longest such pre-period; 0 for none. With
    /// <see cref="SyntheticLeads"/> = <see cref="CausalPanel.SyntheticLeads.InTimePlacebo"/>: by default the fewest
    /// in-time placebos a cohort that fits one can fit (g − 2a − 1 for a cohort adopting in column g with Anticipation = a:
    /// each placebo needs a period to fit on before its own anticipation window), at most the most any cohort fits.
    /// </summary>
    public int? Leads { get; init; }

    /// <summary>
    /// The bound b of the equivalence test, in outcome units. Null (default): R <c>fect</c>'s 0.36 σ̂, σ̂ the residual
    /// standard deviation of the two-way fixed-effects model fitted to the untreated cells (Liu, Wang and Xu 2024, §4.2).
    /// </summary>
    public double? EquivalenceBound { get; init; }

    /// <summary>
    /// How SC, DIFP and SDID define their leads: <see cref="CausalPanel.SyntheticLeads.WeightGap"/> (default, the fitted
    /// weights' pre-treatment gaps, Stata <c>sdid_event</c>) or <see cref="CausalPanel.SyntheticLeads.InTimePlacebo"/>
    /// (the estimator re-run on each earlier window, R <c>synthdid_placebo</c>; every variance replicate re-runs it too).
    /// <see cref="CausalPanel.SyntheticLeads.InTimePlacebo"/> is refused for the other estimators, whose leads are their
    /// own (fect's leave-one-period-out refits).
    /// </summary>
    public SyntheticLeads SyntheticLeads { get; init; }
}
