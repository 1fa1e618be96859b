namespace CausalPanel;

/// <summary>A gap path: a (placebo-)treated unit's outcome minus its synthetic control in every period, and its fit.</summary>
/// <param name="Label">The unit (or "cohort 1989 (3 units)" for the mean of several treated units).</param>
/// <param name="Gaps">Treated − synthetic per period, panel order.</param>
/// <param name="PreMspe">Mean squared gap before the onset (how well the synthetic control fits).</param>
/// <param name="PostMspe">Mean squared gap from the onset on.</param>
internal sealed record GapPath(string Label, double[] Gaps, double PreMspe, double PostMspe)
{
    /// <summary>The post/pre-treatment MSPE ratio (Abadie, Diamond and Hainmueller 2010, §4, Fig. 8).</summary>
    public double Ratio => PostMspe / PreMspe;

    public static GapPath Of(string label, IReadOnlyList<TrajectoryPoint> trajectory, int onset)
    {
        var gaps = trajectory.OrderBy(p => p.PeriodIndex).Select(p => p.Treated - p.Counterfactual).ToArray();
        return new GapPath(label, gaps, gaps[..onset].Average(g => g * g), gaps[onset..].Average(g => g * g));
    }
}

/// <summary>The treated cohort's gap path and every in-space placebo's, with the MSPE screen applied.</summary>
/// <param name="Onset">Column of the cohort's first treated period.</param>
/// <param name="Treated">The cohort's gap path.</param>
/// <param name="Placebos">Every never-treated unit's placebo gap path, panel order.</param>
/// <param name="MaxPreMspeRatio">Placebos whose pre-treatment MSPE exceeds this multiple of the treated one's are not drawn (null = all drawn).</param>
internal sealed record PlaceboGapSet(int Onset, GapPath Treated, IReadOnlyList<GapPath> Placebos, double? MaxPreMspeRatio)
{
    /// <summary>A placebo's pre-treatment MSPE as a multiple of the treated cohort's.</summary>
    public double PreRatio(GapPath placebo) => placebo.PreMspe / Treated.PreMspe;

    /// <summary>The placebos drawn: those that pass the screen.</summary>
    public IReadOnlyList<GapPath> Shown => Placebos.Where(p => MaxPreMspeRatio is not { } max || PreRatio(p) <= max).ToArray();

    /// <summary>
    /// Rank of the treated post/pre MSPE ratio among all N0 + 1 (1 = largest) and its permutation p-value
    /// (1 + #{placebos with a ratio at least the treated one's}) / (N0 + 1), ADH (2010) §4: every placebo counts, screened or not.
    /// </summary>
    public (int Rank, double PValue) RatioTest()
    {
        var larger = Placebos.Count(p => p.Ratio >= Treated.Ratio);
        return (larger + 1, (larger + 1.0) / (Placebos.Count + 1));
    }
}

/// <summary>
/// In-space placebos (Abadie, Diamond and Hainmueller 2010, JASA, §4 and Fig. 4–7): every never-treated unit in turn is
/// treated from the cohort's onset, with the other never-treated units as its donors (the treated units are left out),
/// and the fit's estimator is run again. Each run goes through the variance methods' re-estimation hook
/// (<see cref="EstimationResult.ForReplicate"/>: synthdid's rule, the original regularisation with the unit weights
/// started from the original ones), so on a block design the mean post-treatment gap of placebo j is exactly the
/// replicate of <see cref="UnitPlaceboVariance"/>'s exhaustive enumeration for j. <see cref="UnitPlaceboVariance"/> keeps
/// only those means, not the paths, so the paths are computed here.
/// </summary>
internal static class InSpacePlacebos
{
    public static PlaceboGapSet Compute(SyntheticWeightingResult fit, int cohort, double? maxPreMspeRatio)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (cohort < 0 || cohort >= fit.Cohorts.Count)
            throw new ArgumentOutOfRangeException(nameof(cohort), cohort, $"This fit has {fit.Cohorts.Count} cohort(s); give 0 to {fit.Cohorts.Count - 1}.");
        if (maxPreMspeRatio is { } max && !(max >= 1 && double.IsFinite(max)))
            throw new ArgumentOutOfRangeException(nameof(maxPreMspeRatio), maxPreMspeRatio, "The pre-treatment MSPE cut-off is a multiple of the treated unit's (ADH 2010 use 20, 5 and 2): give a finite number ≥ 1, or null to draw every placebo.");
        var data = fit.Data;
        var controls = data.Pattern.NeverTreatedUnitIndices;
        if (controls.Count < 3)
            throw new InvalidOperationException($"In-space placebos need at least three never-treated units (each placebo keeps the others as donors); this panel has {controls.Count}.");
        var path = CohortPaths.Of(fit)[cohort];
        var treated = GapPath.Of(fit.Cohorts[cohort].TreatedUnits.Count == 1 ? fit.Cohorts[cohort].TreatedUnits[0] : path.Label, path.Points, path.Onset);
        if (!(treated.PreMspe > 0) && maxPreMspeRatio is not null)
            throw new InvalidOperationException("The treated cohort's synthetic control fits its pre-treatment path exactly (MSPE 0), so placebos cannot be screened by their MSPE ratio; leave maxPreMspeRatio null.");

        try
        {
            var placebos = Replicates.Run(controls.Count, j =>
            {
                var rows = controls.Where((_, k) => k != j).Append(controls[j]).ToArray();
                var panel = Replicates.Panel(data, rows, r => r == rows.Length - 1 ? path.Onset : null);
                var placebo = (SyntheticWeightingResult)fit.ForReplicate(rows[..^1], fixWeights: false).Estimate(panel);
                return GapPath.Of(data.Units[controls[j]], placebo.Cohorts[0].Trajectory, path.Onset);
            }, -1, null, CancellationToken.None);
            return new PlaceboGapSet(path.Onset, treated, placebos, maxPreMspeRatio);
        }
        catch (Replicates.ReplicateFailedException e)
        {
            throw new InvalidOperationException($"An in-space placebo of {fit.Estimator} could not be estimated: {e.Message}", e);
        }
    }
}
