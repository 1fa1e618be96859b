namespace CausalPanel;

public abstract partial class SyntheticWeightingEstimator
{
    /// <summary>
    /// The cohorts that can be fitted and those that cannot, with the reason: a cohort treated from the first period, or
    /// whose pre-periods all lie in the anticipation window, has no pre-period to fit weights on, and one whose pre-period gives fewer than two first differences of the
    /// never-treated units cannot have its noise level σ̂ estimated when the regularisation needs it (synthdid's
    /// noise.level, Arkhangelsky et al. 2021, AER, §2). Unfittable cohorts are an error naming them, unless
    /// <see cref="SyntheticWeightingOptions.DropUnfittableCohorts"/> leaves them out and a fittable cohort remains.
    /// </summary>
    /// <exception cref="NoPreTreatmentPeriodException">A cohort has no pre-period (the message names every unfittable cohort).</exception>
    /// <exception cref="InsufficientDataException">A cohort has too few pre-periods for σ̂ (and none lacks a pre-period).</exception>
    private (List<AdoptionCohort> Fittable, List<DroppedCohort> Dropped) SplitCohorts(PanelData data)
    {
        var o = Options;
        int n0 = data.Pattern.NeverTreatedCount, t = data.PeriodCount, k = o.Anticipation;
        var needsSigma = o.NoiseLevel is null && (o.ZetaOmega is null || o.ZetaLambda is null || o.MinDecrease is null);
        var fittable = new List<AdoptionCohort>();
        var dropped = new List<DroppedCohort>();
        foreach (var cohort in data.Pattern.Cohorts)
        {
            var t0 = cohort.PeriodIndex - k;   // the periods the weights are fitted on
            var reason = cohort.PeriodIndex == 0
                ? $"is treated from the first period '{data.Periods[0]}', so it has no pre-treatment period to fit weights on"
                : t0 <= 0
                    ? $"has {SummaryText.Count(cohort.PeriodIndex, "period")} before adopting in '{cohort.Period}', all within the anticipation window (Anticipation = {k}), so it has no pre-treatment period to fit weights on"
                    : needsSigma && n0 * (t0 - 1) < 2
                        ? $"leaves too little for the noise level σ̂, which needs at least two first differences of the never-treated units' outcomes before {(k == 0 ? cohort.Period : $"{data.Periods[t0]}, where its anticipation window begins (Anticipation = {k})")}: {t0} pre-period{(t0 == 1 ? "" : "s")} and {n0} never-treated unit{(n0 == 1 ? "" : "s")} give {n0 * (t0 - 1)}"
                        : null;
            if (reason is null) fittable.Add(cohort);
            else dropped.Add(new DroppedCohort(cohort.Period, cohort.Units, cohort.Units.Count * (t - cohort.PeriodIndex), reason));
        }
        if (dropped.Count == 0 || (o.DropUnfittableCohorts && fittable.Count > 0)) return (fittable, dropped);

        var described = string.Join("; ", dropped.Select(c => $"the cohort adopting in '{c.AdoptionPeriod}' ({Units(c)}) {c.Reason}"));
        var sigmaAdvice = dropped.Any(c => c.Reason.Contains("σ̂", StringComparison.Ordinal)) ? ", give NoiseLevel (or ZetaOmega, ZetaLambda and MinDecrease)" : "";
        var message = fittable.Count > 0
            ? $"{Name}: {described}. Set DropUnfittableCohorts = true in the options to estimate the other cohorts without {(dropped.Count == 1 ? "it" : "them")} (a warning then names what is left out){sigmaAdvice}, add pre-periods{(k > 0 ? ", lower Anticipation" : "")}, or drop these units."
            : $"{Name}: {described}; no cohort is left to estimate. Add pre-periods or never-treated units{sigmaAdvice}{(k > 0 ? ", lower Anticipation" : "")}, or drop these units.";
        var early = data.Pattern.Cohorts.Where(c => c.PeriodIndex <= k).SelectMany(c => c.Units).ToList();
        throw early.Count > 0 ? new NoPreTreatmentPeriodException(message, early) : new InsufficientDataException(message);
    }

    private static string Units(DroppedCohort c) =>
        $"{c.Units.Count} unit{(c.Units.Count == 1 ? "" : "s")}: {CausalPanelException.List(c.Units, 3)}";

    /// <summary>The warning for a cohort left out by <see cref="SyntheticWeightingOptions.DropUnfittableCohorts"/>.</summary>
    private string DroppedWarning(DroppedCohort c, int estimatedCells) =>
        $"{Name}: the cohort adopting in '{c.AdoptionPeriod}' ({Units(c)}; {c.TreatedCells} treated cells) is left out (DropUnfittableCohorts): it {c.Reason}. The ATT averages the other cohorts' {estimatedCells} treated cells.";

    /// <summary>
    /// One warning per weight solve of a cohort that stopped at its iteration cap: R synthdid's Frank–Wolfe (kept by
    /// default for parity; on California its unit weights stop at 10,000 steps), the joint covariate iteration, or the
    /// converged solver's own cap.
    /// </summary>
    private IEnumerable<string> CapWarnings(SyntheticCohortFit c)
    {
        var o = Options;
        var cohort = $"the cohort adopting in '{c.AdoptionPeriod}'";
        var joint = c.CovariateCoefficients.Count > 0;
        foreach (var (weights, solver) in new[] { ("unit weights", c.UnitWeightSolver), ("time weights", c.TimeWeightSolver) })
        {
            if (solver is null || solver.Converged) continue;
            if (o.Solver == WeightSolver.Converged)
                yield return $"{Name}: the converged solver of the {weights} of {cohort} stopped at its iteration cap ({solver.Iterations}) before its duality-gap certificate was met; the weights are near, but not certified at, the optimum.";
            else if (joint)
                yield return $"{Name}: synthdid's joint iteration of the unit weights, time weights and covariate coefficients of {cohort} stopped at MaxIterations = {o.MaxIterations} rounds before its stopping rule was met (R synthdid stops there too). Raise MaxIterations to iterate further (the converged solver does not handle covariates).";
            else
                yield return $"{Name}: the Frank–Wolfe solve of the {weights} of {cohort} stopped at MaxIterations = {o.MaxIterations} steps before synthdid's min.decrease rule was met (R synthdid stops there too, and the default keeps its numbers). Solver = WeightSolver.Converged solves the same problem to optimality instead (certified by its duality gap).";
        }
    }
}
