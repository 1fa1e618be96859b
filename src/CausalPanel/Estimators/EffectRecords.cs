namespace CausalPanel;

/// <summary>The estimated effect in one treated cell (or one cell of the anticipation window, <see cref="EstimationResult.AnticipationEffects"/>).</summary>
/// <param name="Unit">Unit label.</param>
/// <param name="Period">Period label.</param>
/// <param name="UnitIndex">Row of the unit.</param>
/// <param name="PeriodIndex">Column of the period.</param>
/// <param name="EventTime">Periods since the unit's treatment spell began (0 in its first treated period); in the anticipation window (<see cref="EstimationResult.AnticipationEffects"/>) negative, the periods until it begins.</param>
/// <param name="Observed">The observed outcome: Y_it(1) in a treated cell, the (possibly anticipating) outcome in the anticipation window.</param>
/// <param name="Counterfactual">The estimated untreated outcome Ŷ_it(0).</param>
public readonly record struct TreatedCellEffect(string Unit, string Period, int UnitIndex, int PeriodIndex, int EventTime, double Observed, double Counterfactual)
{
    /// <summary>The effect τ̂_it = Y_it − Ŷ_it(0).</summary>
    public double Effect => Observed - Counterfactual;
}

/// <summary>The average effect over the treated cells of one calendar period.</summary>
/// <param name="Period">Period label.</param>
/// <param name="PeriodIndex">Column of the period.</param>
/// <param name="Effect">Mean effect over the period's treated cells.</param>
/// <param name="TreatedCells">Number of treated cells averaged.</param>
public readonly record struct PeriodEffect(string Period, int PeriodIndex, double Effect, int TreatedCells);

/// <summary>The average effect over treated cells with the same event time (periods since adoption).</summary>
/// <param name="EventTime">Periods since the treatment spell began (0 = first treated period).</param>
/// <param name="Effect">Mean effect over those cells.</param>
/// <param name="TreatedCells">Number of treated cells averaged.</param>
public readonly record struct EventTimeEffect(int EventTime, double Effect, int TreatedCells);

/// <summary>
/// One period of the treated units' average trajectory and its estimated untreated counterpart
/// (what a synthdid-style plot draws).
/// </summary>
/// <param name="Period">Period label.</param>
/// <param name="PeriodIndex">Column of the period.</param>
/// <param name="Treated">Mean observed outcome of the ever-treated units in this period.</param>
/// <param name="Counterfactual">Mean estimated untreated outcome of the same units (the synthetic or fitted control).</param>
public readonly record struct TrajectoryPoint(string Period, int PeriodIndex, double Treated, double Counterfactual);

/// <summary>How the estimator's numerical solver finished.</summary>
/// <param name="Solver">What was solved ("Cholesky (exact)", "Frank–Wolfe", ...).</param>
/// <param name="Iterations">Iterations taken (1 for a direct solve).</param>
/// <param name="Converged">False when the solver stopped at its iteration cap.</param>
/// <param name="Objective">The final objective value, where the solver has one.</param>
public sealed record SolverDiagnostics(string Solver, int Iterations, bool Converged, double? Objective = null)
{
    /// <summary>"Frank–Wolfe (synthdid), 10100 iterations, stopped at the cap (objective 9.37392)".</summary>
    public override string ToString() =>
        $"{Solver}, {SummaryText.Count(Iterations, "iteration")}{(Converged ? "" : ", stopped at the cap")}{(Objective is { } o ? $" (objective {SummaryText.Number(o)})" : "")}";
}

/// <summary>
/// A pre-treatment placebo effect ("lead") of one adoption cohort in one period before its adoption, as the estimator's
/// literature defines it (<see cref="EstimationResult.LeadEffects"/>).
/// </summary>
/// <param name="Cohort">Column of the cohort's adoption period.</param>
/// <param name="Period">Column of the pre-treatment period (event time Period − Cohort &lt; 0).</param>
/// <param name="Effect">The mean placebo effect over the cohort's cells in that period.</param>
/// <param name="Cells">Cells averaged.</param>
internal readonly record struct LeadEffect(int Cohort, int Period, double Effect, int Cells);
