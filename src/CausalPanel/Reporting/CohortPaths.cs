namespace CausalPanel;

/// <summary>One adoption cohort's mean observed outcome and estimated untreated mean over all periods.</summary>
/// <param name="Period">The cohort's first treated period.</param>
/// <param name="Onset">Column of that period.</param>
/// <param name="Units">Units in the cohort.</param>
/// <param name="Points">Per period with an observed cohort unit: the cohort's mean outcome and its counterfactual (NaN where the fit has none).</param>
internal sealed record CohortPath(string Period, int Onset, int Units, IReadOnlyList<TrajectoryPoint> Points)
{
    /// <summary>"cohort 2005 (3 units)".</summary>
    public string Label => $"cohort {Period} ({SummaryText.Count(Units, "unit")})";
}

/// <summary>
/// The per-cohort trajectories of a fit on a staggered design, for charts. A synthetic-weighting fit has them per
/// cohort (each cohort against the never-treated units, <see cref="SyntheticCohortFit.Trajectory"/>). For the others
/// the cohort's mean outcome is read from the panel and its counterfactual from the fit: the imputed untreated outcome
/// of its treated cells and of its anticipation window, and before that the fitted untreated outcome where the result exposes one (DiD's
/// α̂_i + β̂_t + X_it γ̂, MC's L̂_it + û_i + v̂_t + X_it β̂); DWCP fits each treated cell separately and has none.
/// Each period averages the cohort's units that have both values, as <see cref="EstimationResult.Trajectory"/> does.
/// </summary>
internal static class CohortPaths
{
    public static IReadOnlyList<CohortPath> Of(EstimationResult fit)
    {
        var data = fit.Data;
        if (fit is SyntheticWeightingResult synthetic)
            return synthetic.Cohorts.Select(c =>
            {
                var cohort = data.Pattern.Cohorts.First(a => a.Period == c.AdoptionPeriod);
                return new CohortPath(c.AdoptionPeriod, cohort.PeriodIndex, cohort.UnitIndices.Count, c.Trajectory);
            }).ToArray();

        var counterfactual = fit.CellEffects.Concat(fit.AnticipationEffects).ToDictionary(c => (c.UnitIndex, c.PeriodIndex), c => c.Counterfactual);
        Func<int, int, double>? fitted = fit switch
        {
            DifferenceInDifferencesResult d => (i, t) => d.UnitFixedEffects[i] + d.PeriodFixedEffects[t]
                + d.CovariateCoefficients.Sum(c => c.Value * data.Covariates[c.Key][i, t]),
            MatrixCompletionResult m => m.Fitted,
            _ => null,
        };
        return data.Pattern.Cohorts.Select(cohort =>
        {
            var points = new List<TrajectoryPoint>();
            for (var t = 0; t < data.PeriodCount; t++)
            {
                double observed = 0, estimated = 0, observedOnly = 0;
                int both = 0, seen = 0;
                foreach (var i in cohort.UnitIndices)
                {
                    if (!data.Outcomes.IsObserved(i, t)) continue;
                    seen++;
                    observedOnly += data.Outcomes[i, t];
                    double? value = counterfactual.TryGetValue((i, t), out var c) ? c : !data.Treatment[i, t] ? fitted?.Invoke(i, t) : null;
                    if (value is not { } v) continue;
                    both++;
                    observed += data.Outcomes[i, t];
                    estimated += v;
                }
                if (both > 0) points.Add(new TrajectoryPoint(data.Periods[t], t, observed / both, estimated / both));
                else if (seen > 0) points.Add(new TrajectoryPoint(data.Periods[t], t, observedOnly / seen, double.NaN));
            }
            return new CohortPath(cohort.Period, cohort.PeriodIndex, cohort.UnitIndices.Count, points);
        }).ToArray();
    }
}
