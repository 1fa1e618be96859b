namespace CausalPanel;

/// <summary>
/// One event time of an event study: the mean effect over the treated cells that many periods after adoption
/// (negative = leads, pre-treatment placebo effects; 0 = the first treated period), its standard error, pointwise
/// interval and the simultaneous (sup-t) band.
/// </summary>
/// <param name="EventTime">Periods since adoption; negative for leads.</param>
/// <param name="Effect">The mean effect (a lead: the mean pre-treatment placebo effect).</param>
/// <param name="StandardError">Its standard error from the variance method's replicates (NaN when the method gives none).</param>
/// <param name="Lower">Pointwise interval, lower end, at the result's level.</param>
/// <param name="Upper">Pointwise interval, upper end.</param>
/// <param name="UniformLower">Simultaneous band over all event times (sup-t critical value from the replicate draws), lower end.</param>
/// <param name="UniformUpper">Simultaneous band, upper end.</param>
/// <param name="TreatedCells">Cells averaged at this event time.</param>
public readonly record struct EventStudyPoint(int EventTime, double Effect, double StandardError, double Lower, double Upper,
    double UniformLower, double UniformUpper, int TreatedCells)
{
    /// <summary>True for a pre-treatment event time (a lead).</summary>
    public bool IsLead => EventTime < 0;
}

/// <summary>
/// A test about the leads of an event study: the joint test that they are all zero (Wald, with the replicate
/// covariance) or the equivalence test that they all lie within a bound (two one-sided tests, as R <c>fect</c>).
/// </summary>
/// <param name="Name">What is tested, e.g. "Joint Wald test that all 4 leads are 0".</param>
/// <param name="Statistic">The test statistic (Wald: χ² or F; equivalence: the largest of the TOST p-values' statistics).</param>
/// <param name="DegreesOfFreedom">Degrees of freedom of the statistic's reference distribution.</param>
/// <param name="PValue">The p-value.</param>
/// <param name="Verdict">A plain-language reading at the result's level, e.g. "no evidence against parallel pre-trends (p = 0.41)".</param>
public sealed record PreTrendTest(string Name, double Statistic, double DegreesOfFreedom, double PValue, string Verdict)
{
    /// <summary>"Name: statistic (df), p; verdict".</summary>
    public override string ToString() =>
        $"{Name}: statistic {SummaryText.Number(Statistic)} ({SummaryText.Number(DegreesOfFreedom)} df), {SummaryText.PValue(PValue)}; {Verdict}";
}

/// <summary>
/// An event study: the effects of a fit by event time, leads (pre-treatment placebo effects) and lags, with standard
/// errors, pointwise intervals and a simultaneous band from a variance method's replicates, and the pre-trend tests.
/// Made by <c>fit.EventStudy(method)</c>.
/// </summary>
public sealed record EventStudyResult
{
    /// <summary>The fit the event study is of.</summary>
    public required EstimationResult Fit { get; init; }

    /// <summary>Name of the variance method whose replicates give the standard errors and the band.</summary>
    public required string Method { get; init; }

    /// <summary>Coverage level of the pointwise intervals and of the band, e.g. 0.95.</summary>
    public required double Level { get; init; }

    /// <summary>One point per event time, leads first.</summary>
    public required IReadOnlyList<EventStudyPoint> Points { get; init; }

    /// <summary>The joint test that all leads are zero (null when there are no leads).</summary>
    public PreTrendTest? PreTrendTest { get; init; }

    /// <summary>The equivalence test that all leads lie within ±<see cref="EquivalenceBound"/> (null when there are no leads).</summary>
    public PreTrendTest? EquivalenceTest { get; init; }

    /// <summary>The bound of <see cref="EquivalenceTest"/>, in outcome units.</summary>
    public double? EquivalenceBound { get; init; }

    /// <summary>The leads (event times below 0).</summary>
    public IReadOnlyList<EventStudyPoint> Leads => Points.Where(p => p.IsLead).ToArray();

    /// <summary>The lags (event times 0 and above).</summary>
    public IReadOnlyList<EventStudyPoint> Lags => Points.Where(p => !p.IsLead).ToArray();

    /// <summary>A table of the points and the tests.</summary>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"{Fit.Estimator} event study ({Method}, {SummaryText.Number(Level * 100)}% intervals): ATT = {SummaryText.Number(Fit.Att)}");
        sb.AppendLine("  event time   effect   std. error   pointwise interval   uniform band   cells");
        foreach (var p in Points)
            sb.AppendLine($"  {p.EventTime,10}   {SummaryText.Number(p.Effect)}   {SummaryText.Number(p.StandardError)}   [{SummaryText.Number(p.Lower)}, {SummaryText.Number(p.Upper)}]   [{SummaryText.Number(p.UniformLower)}, {SummaryText.Number(p.UniformUpper)}]   {p.TreatedCells}");
        if (PreTrendTest is { } wald) sb.AppendLine($"  {wald}");
        if (EquivalenceTest is { } tost) sb.AppendLine($"  {tost}");
        return sb.ToString().TrimEnd();
    }
}
