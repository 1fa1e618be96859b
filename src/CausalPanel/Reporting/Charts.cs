namespace CausalPanel;

/// <summary>
/// SVG charts of results, with no dependencies (plain SVG 1.1 text; open in a browser, embed in HTML or
/// Markdown, or render with any SVG tool). Every chart has a title, labelled axes and a legend.
/// </summary>
public static class Charts
{
    /// <summary>
    /// The treated units' mean outcome and the estimated untreated counterpart over all periods, with the
    /// treatment onset marked — what R <c>synthdid_plot</c> draws; the y axis is named by <see cref="PanelData.OutcomeName"/>.
    /// On a staggered design, one small panel per adoption cohort with its own onset (synthdid's per-cohort plot;
    /// Clarke et al. 2023), unless <paramref name="byCohort"/> is false: then one panel with the mean over all treated
    /// units and every cohort's onset (DiD, MC and DWCP fits have this pooled path; synthetic-weighting fits do not).
    /// </summary>
    /// <param name="fit">The fit.</param>
    /// <param name="title">The chart title (default: the estimator and what is drawn).</param>
    /// <param name="byCohort">On a staggered design, one panel per cohort (default) or the pooled path.</param>
    /// <exception cref="InvalidOperationException">The result has no trajectory (e.g. the pooled path of a staggered synthetic-weighting fit).</exception>
    public static string Trajectory(EstimationResult fit, string? title = null, bool byCohort = true) => TrajectoryChart.Render(fit, byCohort, title);

    /// <summary>
    /// Effects by event time with a pointwise band from <paramref name="variance"/>'s event-time standard
    /// errors (unit placebo and bootstrap provide them); without a variance result, the effects alone.
    /// </summary>
    public static string Effects(EstimationResult fit, VarianceResult? variance = null, string? title = null) => EffectsChart.Render(fit, variance, title);

    /// <summary>
    /// An event study (<c>fit.EventStudy(method)</c>): leads and lags on one event-time axis with the onset marked
    /// between −1 and 0, each effect with its pointwise interval (error bar), the simultaneous sup-t band as a shaded
    /// ribbon (leads and lags apart), the zero line, a legend at the result's level and the pre-trend tests in the
    /// subtitle (as R <c>did</c>'s <c>ggdid</c> and <c>fect</c>'s plots show them).
    /// </summary>
    /// <param name="result">The event study.</param>
    /// <param name="title">The chart title (default: the estimator and what is drawn).</param>
    /// <exception cref="InvalidOperationException">The event study has no points.</exception>
    public static string EventStudy(EventStudyResult result, string? title = null) => EventStudyChart.Render(result, title);

    /// <summary>
    /// The synthetic-control gap plot (Abadie, Diamond and Hainmueller 2010, Fig. 3): treated minus synthetic control
    /// over all periods, the onset marked, a zero line; the mean gap from the onset on is the estimate. On a staggered
    /// design one gap path per cohort on the calendar, or, with <paramref name="byEventTime"/>, the cohorts aligned at
    /// their onsets and averaged by event time (weighted by their unit counts). For SDID and DIFP the synthetic control
    /// includes their intercept (the λ-weighted or mean pre-treatment gap).
    /// </summary>
    /// <param name="fit">A SC, DIFP or SDID fit.</param>
    /// <param name="title">The chart title (default: the estimator and what is drawn).</param>
    /// <param name="byEventTime">On a staggered design, align the cohorts at their onsets and average them.</param>
    public static string Gap(SyntheticWeightingResult fit, string? title = null, bool byEventTime = false) => GapChart.Render(fit, byEventTime, title);

    /// <summary>
    /// The placebo-gap ("spaghetti") plot of Abadie, Diamond and Hainmueller (2010, Fig. 4–7): every never-treated unit
    /// in turn is treated from the cohort's onset with the other never-treated units as donors and the fit's estimator
    /// run again (in-space placebos, N0 fits through the variance methods' re-estimation hook, so on a block design
    /// each placebo's mean post-treatment gap is <see cref="UnitPlaceboVariance"/>'s replicate for that unit); their gap
    /// paths are drawn in light grey and the treated one in black. Placebos whose pre-treatment MSPE exceeds
    /// <paramref name="maxPreMspeRatio"/> times the treated one's are left out (ADH use 20, 5 and 2); the subtitle
    /// gives the treated unit's post/pre-treatment MSPE ratio, its rank among all N0 + 1 and the permutation p-value.
    /// </summary>
    /// <param name="fit">A SC, DIFP or SDID fit.</param>
    /// <param name="maxPreMspeRatio">Drop placebos whose pre-treatment MSPE is above this multiple of the treated one's (null: draw all).</param>
    /// <param name="cohort">On a staggered design, the cohort (index into <see cref="SyntheticWeightingResult.Cohorts"/>) whose onset the placebos take.</param>
    /// <param name="title">The chart title (default: the estimator and what is drawn).</param>
    /// <exception cref="ArgumentOutOfRangeException">No such cohort, or a cut-off below 1.</exception>
    /// <exception cref="InvalidOperationException">Fewer than three never-treated units, or a placebo the estimator cannot fit.</exception>
    public static string PlaceboGaps(SyntheticWeightingResult fit, double? maxPreMspeRatio = null, int cohort = 0, string? title = null) =>
        PlaceboGapChart.Render(InSpacePlacebos.Compute(fit, cohort, maxPreMspeRatio), fit, title);

    /// <summary>Histogram of a variance method's replicate estimates (placebo effects, bootstrap draws) with the estimate marked.</summary>
    /// <exception cref="InvalidOperationException">Fewer than two replicate estimates (e.g. an undefined method).</exception>
    public static string Placebo(VarianceResult result, string? title = null) => PlaceboChart.Render(result, title);

    /// <summary>
    /// The treatment pattern as a heat map (units × periods): treated, untreated and unobserved cells, as <c>panelView</c>
    /// draws it. With many units (more than 60 unless <paramref name="byHistory"/> says otherwise) one band per adoption
    /// cohort, per switching path and for the never-treated units, each labelled with its unit count (panelView's
    /// <c>collapse.history</c>); long panels get thin columns and thinned period labels.
    /// </summary>
    /// <param name="data">The panel.</param>
    /// <param name="title">The chart title (default "Treatment pattern").</param>
    /// <param name="byHistory">One row per unit (false), one per treatment history (true), or by the unit count (null).</param>
    public static string Pattern(PanelData data, string? title = null, bool? byHistory = null) => PatternChart.Render(data, byHistory, title);

    /// <summary>Unit weights ω (largest first) and time weights λ of one adoption cohort of a SC, DIFP or SDID fit.</summary>
    public static string Weights(SyntheticWeightingResult fit, int cohort = 0, string? title = null) => WeightsChart.Render(fit, cohort, title);

    /// <summary>Per design, each estimator's RMSE relative to the design's best (the TROP keynote figure).</summary>
    public static string Comparison(ComparisonResult result, string? title = null) => ComparisonChart.Render(result, title);

    /// <summary>
    /// Per design (rows) and estimator (columns), each variance method's size against its power, with its range of sizes by
    /// tercile of the treated cells' noise and the recommended method ringed (issue 20).
    /// </summary>
    /// <exception cref="InvalidOperationException">The comparison was run without effect sizes, so there is no power to plot.</exception>
    public static string VariancePower(VarianceComparisonResult result, string? title = null) => VariancePowerChart.Render(result, title);
}
