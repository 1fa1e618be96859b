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
    /// Every treated cell's untreated outcome α_i + β_t (+ L_it) is identified from untreated
    /// cells: its unit has an untreated observed period, its period has an untreated observed
    /// unit, and both are linked through untreated cells (same connected component).
    /// </summary>
    /// <param name="data">The panel.</param>
    /// <param name="estimator">Name for messages.</param>
    /// <param name="component">Components of units then periods, as from the two-way fixed-effects kernel.</param>
    public static void RequireIdentified(PanelData data, string estimator, ReadOnlySpan<int> component)
    {
        int n = data.UnitCount;
        var p = data.Pattern;
        var noPre = p.TreatedUnitIndices.Where(i => p.PreTreatmentPeriodCount(i) == 0 && NoUntreated(data, i)).ToList();
        if (noPre.Count > 0)
            throw new NoPreTreatmentPeriodException(
                $"{estimator}: unit(s) {CausalPanelException.List(noPre.Select(i => data.Units[i]))} are treated in every period they are observed, so their untreated level cannot be estimated. Give each treated unit at least one untreated (pre-treatment) period, or drop these units.",
                noPre.Select(i => data.Units[i]).ToList());

        var treatedPeriods = new SortedSet<int>();
        var unlinked = new List<(int, int)>();
        for (var i = 0; i < n; i++)
            for (var t = 0; t < data.PeriodCount; t++)
            {
                if (!data.Treatment[i, t]) continue;
                if (component[n + t] < 0) treatedPeriods.Add(t);
                else if (component[i] != component[n + t]) unlinked.Add((i, t));
            }
        if (treatedPeriods.Count > 0)
            throw new NoControlUnitsException(
                $"{estimator}: in period(s) {CausalPanelException.List(treatedPeriods.Select(t => data.Periods[t]))} every observed unit is treated, so nothing shows how untreated outcomes moved then. Add never-treated or not-yet-treated units observed in those periods, or drop the periods.",
                treatedPeriods.Select(t => data.Periods[t]).ToList());
        if (unlinked.Count > 0)
            throw new NotIdentifiedException(
                $"{estimator}: the untreated outcomes of cells {data.Cells(unlinked)} are not identified: no chain of untreated cells links their unit to their period (the panel splits into groups of units observed in disjoint periods). Add units observed across those periods, or drop the cells.",
                unlinked.Select(c => data.Units[c.Item1]).Distinct().ToList(), unlinked.Select(c => data.Periods[c.Item2]).Distinct().ToList());
    }

    /// <summary>
    /// <see cref="RequireEstimable"/> and <see cref="RequireIdentified"/> for estimators that impute from
    /// the untreated observed cells (MC, DWCP); returns those cells as row-major 0/1 weights.
    /// </summary>
    public static double[] RequireImputable(PanelData data, string estimator)
    {
        RequireEstimable(data, estimator);
        var untreated = data.UntreatedObservedWeights();
        var component = new int[data.UnitCount + data.PeriodCount];
        Numerics.TwoWayFixedEffects.Components(untreated, data.UnitCount, data.PeriodCount, component);
        RequireIdentified(data, estimator, component);
        return untreated;
    }

    private static bool NoUntreated(PanelData data, int unit)
    {
        for (var t = 0; t < data.PeriodCount; t++)
            if (data.Outcomes.IsObserved(unit, t) && !data.Treatment[unit, t]) return false;
        return true;
    }
}
