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
    /// leave-one-out DiD leads of a block design sum to zero). At most the longest such pre-period; 0 for none.
    /// </summary>
    public int? Leads { get; init; }

    /// <summary>
    /// The bound b of the equivalence test, in outcome units. Null (default): R <c>fect</c>'s 0.36 σ̂, σ̂ the residual
    /// standard deviation of the two-way fixed-effects model fitted to the untreated cells (Liu, Wang and Xu 2024, §4.2).
    /// </summary>
    public double? EquivalenceBound { get; init; }
}
