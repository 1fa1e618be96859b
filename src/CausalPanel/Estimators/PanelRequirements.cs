namespace CausalPanel;

/// <summary>Checks an estimator makes of a panel before it starts, each failing with a named, actionable exception.</summary>
internal static class PanelRequirements
{
    /// <summary>At least two units, two periods and one treated cell.</summary>
    public static void RequireEstimable(PanelData data, string estimator)
    {
        if (data.Treatment.TreatedCount == 0)
            throw new NoTreatedCellsException($"{estimator}: no cell of the panel is treated, so there is no effect to estimate. Check the treatment column (1/true marks a treated unit-period).");
        if (data.PeriodCount < 2)
            throw new InsufficientDataException($"{estimator}: the panel has a single period ('{data.Periods[0]}'); a panel estimator needs at least one untreated period to compare with. Add pre-treatment periods.");
        if (data.UnitCount < 2)
            throw new InsufficientDataException($"{estimator}: the panel has a single unit ('{data.Units[0]}'); a panel estimator needs control units. Add untreated units.");
    }

    /// <summary>Every cell observed.</summary>
    public static void RequireBalanced(PanelData data, string estimator, string alternatives)
    {
        if (data.IsBalanced) return;
        var missing = new List<(int, int)>();
        for (var i = 0; i < data.UnitCount; i++)
            for (var t = 0; t < data.PeriodCount; t++)
                if (!data.Outcomes.IsObserved(i, t)) missing.Add((i, t));
        throw new UnbalancedPanelException(
            $"{estimator} needs every unit observed in every period, but {missing.Count} cell(s) are missing: {data.Cells(missing)}. Drop those units or periods, fill the gaps, or use {alternatives}, which accept missing cells.",
            missing.Select(c => data.Units[c.Item1]).Distinct().ToList(), missing.Select(c => data.Periods[c.Item2]).Distinct().ToList());
    }

    /// <summary>
    /// Every treated cell's untreated outcome α_i + β_t (+ L_it) is identified from the cells the model is fitted to
    /// (untreated, observed, outside the anticipation window): its unit has such a cell, its period has one, and both are
    /// linked through them (same connected component).
    /// </summary>
    /// <param name="data">The panel.</param>
    /// <param name="estimator">Name for messages.</param>
    /// <param name="component">Components of units then periods of the fit cells, as from the two-way fixed-effects kernel.</param>
    /// <param name="anticipation">The anticipation window k (its cells are not fit cells), for messages.</param>
    /// <param name="ct">Checked every <see cref="Numerics.TwoWayFixedEffects.RowsPerCheck"/> rows of the pass over the cells.</param>
    public static void RequireIdentified(PanelData data, string estimator, ReadOnlySpan<int> component, int anticipation = 0, CancellationToken ct = default)
    {
        int n = data.UnitCount;
        var p = data.Pattern;
        var noPre = new List<int>();
        foreach (var i in p.TreatedUnitIndices)
            if (component[i] < 0) noPre.Add(i);
        if (noPre.Count > 0)
        {
            var units = noPre.Select(i => data.Units[i]).ToList();
            throw new NoPreTreatmentPeriodException(anticipation == 0
                ? $"{estimator}: unit(s) {CausalPanelException.List(units)} are treated in every period they are observed, so their untreated level cannot be estimated. Give each treated unit at least one untreated (pre-treatment) period, or drop these units."
                : $"{estimator}: with Anticipation = {anticipation}, the {SummaryText.Count(anticipation, "period")} before adoption are the anticipation window, not untreated information, and unit(s) {string.Join(", ", noPre.Take(5).Select(i => $"'{data.Units[i]}' (adopting in '{data.Periods[p.FirstTreatedPeriodIndex(i)!.Value]}')"))}{(noPre.Count > 5 ? $" and {noPre.Count - 5} more" : "")} have no observed untreated period before it, so their untreated level cannot be estimated. Lower Anticipation, add earlier periods, or drop these units.",
                units);
        }

        var treatedPeriods = new SortedSet<int>();
        var unlinked = new List<(int, int)>();
        for (var i = 0; i < n; i++)
        {
            if (i % Numerics.TwoWayFixedEffects.RowsPerCheck == 0) ct.ThrowIfCancellationRequested();
            for (var t = 0; t < data.PeriodCount; t++)
            {
                if (!data.Treatment[i, t]) continue;
                if (component[n + t] < 0) treatedPeriods.Add(t);
                else if (component[i] != component[n + t]) unlinked.Add((i, t));
            }
        }
        if (treatedPeriods.Count > 0)
            throw new NoControlUnitsException(
                $"{estimator}: in period(s) {CausalPanelException.List(treatedPeriods.Select(t => data.Periods[t]))} every observed unit is treated{(anticipation > 0 ? $" or within the {SummaryText.Count(anticipation, "period")} before its adoption (the anticipation window, Anticipation = {anticipation})" : "")}, so nothing shows how untreated outcomes moved then. Add never-treated or not-yet-treated units observed in those periods{(anticipation > 0 ? ", lower Anticipation" : "")}, or drop the periods.",
                treatedPeriods.Select(t => data.Periods[t]).ToList());
        if (unlinked.Count > 0)
            throw new NotIdentifiedException(
                $"{estimator}: the untreated outcomes of cells {data.Cells(unlinked)} are not identified: no chain of untreated cells links their unit to their period (the panel splits into groups of units observed in disjoint periods). Add units observed across those periods, or drop the cells.",
                unlinked.Select(c => data.Units[c.Item1]).Distinct().ToList(), unlinked.Select(c => data.Periods[c.Item2]).Distinct().ToList());
    }

    /// <summary>
    /// With <see cref="ControlGroup.NeverTreated"/>: there are never-treated units, and one is observed in every period
    /// with a treated cell (each treated unit's period effects come from them alone).
    /// </summary>
    public static void RequireNeverTreatedControls(PanelData data, string estimator)
    {
        var p = data.Pattern;
        var treatedPeriods = Enumerable.Range(0, data.PeriodCount).Where(t => p.TreatedUnitIndices.Any(i => data.Treatment[i, t])).ToList();
        if (p.NeverTreatedCount == 0)
            throw new NoControlUnitsException(
                $"{estimator}: ControlGroup = NeverTreated compares the treated units with never-treated units only, but every unit of this panel is treated at some point. Use ControlGroup = NotYetTreated, which also learns from the cells of units treated later, or add never-treated units.",
                treatedPeriods.Select(t => data.Periods[t]).ToList());
        var uncovered = treatedPeriods.Where(t => p.NeverTreatedUnitIndices.All(j => !data.Outcomes.IsObserved(j, t))).ToList();
        if (uncovered.Count > 0)
            throw new NoControlUnitsException(
                $"{estimator}: ControlGroup = NeverTreated takes every period's untreated change from the never-treated units, but none of them is observed in treated period(s) {CausalPanelException.List(uncovered.Select(t => data.Periods[t]))}. Use ControlGroup = NotYetTreated, or drop those periods.",
                uncovered.Select(t => data.Periods[t]).ToList());
    }

    /// <summary>
    /// <see cref="RequireEstimable"/>, <see cref="RequireIdentified"/> and, for <see cref="ControlGroup.NeverTreated"/>,
    /// <see cref="RequireNeverTreatedControls"/> for estimators that impute from the untreated observed cells outside the
    /// anticipation window (MC, DWCP); returns those cells as row-major 0/1 weights. Its passes over the cells check the
    /// token every few thousand rows.
    /// </summary>
    public static double[] RequireImputable(PanelData data, string estimator, int anticipation, ControlGroup controlGroup, CancellationToken ct = default)
    {
        RequireEstimable(data, estimator);
        var fitWeights = AnticipationWindow.FitWeights(data, anticipation, ct);
        var component = new int[data.UnitCount + data.PeriodCount];
        Numerics.TwoWayFixedEffects.Components(fitWeights, data.UnitCount, data.PeriodCount, component, ct);
        if (controlGroup == ControlGroup.NeverTreated) RequireNeverTreatedControls(data, estimator);
        RequireIdentified(data, estimator, component, anticipation, ct);
        return fitWeights;
    }
}
