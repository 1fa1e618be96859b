namespace CausalPanel;

/// <summary>The units that start treatment in the same period.</summary>
/// <param name="Period">Label of the first treated period.</param>
/// <param name="PeriodIndex">Column of the first treated period (= number of periods before it).</param>
/// <param name="Units">Labels of the cohort's units.</param>
/// <param name="UnitIndices">Rows of the cohort's units.</param>
public sealed record AdoptionCohort(string Period, int PeriodIndex, IReadOnlyList<string> Units, IReadOnlyList<int> UnitIndices)
{
    /// <summary>"1989 (1 unit): 'California'".</summary>
    public override string ToString() => $"{Period} ({SummaryText.Count(Units.Count, "unit")}): {CausalPanelException.List(Units)}";
}
