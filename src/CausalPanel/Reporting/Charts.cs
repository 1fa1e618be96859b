namespace CausalPanel;

/// <summary>
/// SVG charts of results, with no dependencies (plain SVG 1.1 text; open in a browser, embed in HTML or
/// Markdown, or render with any SVG tool). Every chart has a title, labelled axes and a legend.
/// </summary>
public static class Charts
{
    /// <summary>
    /// The treated units' mean outcome and the estimated untreated counterpart over all periods, with the
    /// treatment onset marked — what R <c>synthdid_plot</c> draws.
    /// </summary>
    /// <exception cref="InvalidOperationException">The result has no trajectory.</exception>
    public static string Trajectory(EstimationResult fit, string? title = null) => TrajectoryChart.Render(fit, title);

    /// <summary>
    /// Effects by event time with a pointwise band from <paramref name="variance"/>'s event-time standard
    /// errors (unit placebo and bootstrap provide them); without a variance result, the effects alone.
    /// </summary>
    public static string Effects(EstimationResult fit, VarianceResult? variance = null, string? title = null) => EffectsChart.Render(fit, variance, title);

    /// <summary>Histogram of a variance method's replicate estimates (placebo effects, bootstrap draws) with the estimate marked.</summary>
    /// <exception cref="InvalidOperationException">Fewer than two replicate estimates (e.g. an undefined method).</exception>
    public static string Placebo(VarianceResult result, string? title = null) => PlaceboChart.Render(result, title);

    /// <summary>The treatment pattern as a heat map (units × periods): treated, untreated and unobserved cells, as <c>panelView</c> draws it.</summary>
    public static string Pattern(PanelData data, string? title = null) => PatternChart.Render(data, title);

    /// <summary>Unit weights ω (largest first) and time weights λ of one adoption cohort of a SC, DIFP or SDID fit.</summary>
    public static string Weights(SyntheticWeightingResult fit, int cohort = 0, string? title = null) => WeightsChart.Render(fit, cohort, title);

    /// <summary>Per design, each estimator's RMSE relative to the design's best (the TROP keynote figure).</summary>
    public static string Comparison(ComparisonResult result, string? title = null) => ComparisonChart.Render(result, title);
}
