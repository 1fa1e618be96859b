namespace CausalPanel;

public sealed partial class PanelData
{
    /// <summary>
    /// Builds a panel from long-format rows (one row per unit-period) of any type. Units and
    /// periods are put in natural order (numbers numerically, dates chronologically, text
    /// ordinally), so the result does not depend on the order of the rows. A unit-period without a
    /// row, or with a NaN outcome, is an unobserved cell.
    /// </summary>
    /// <typeparam name="TRow">Row type.</typeparam>
    /// <typeparam name="TUnit">Unit key type (string, int, ...).</typeparam>
    /// <typeparam name="TTime">Period key type (int, DateTime, DateOnly, string, ...).</typeparam>
    /// <param name="rows">The rows.</param>
    /// <param name="unit">Selects the unit key.</param>
    /// <param name="time">Selects the period key.</param>
    /// <param name="outcome">Selects the outcome (NaN = unobserved).</param>
    /// <param name="treated">Selects the treatment value, which must be 0 or 1.</param>
    /// <exception cref="EmptyPanelException">There are no rows.</exception>
    /// <exception cref="DuplicateObservationException">Two rows share a unit and period.</exception>
    /// <exception cref="InvalidTreatmentValueException">A treatment value is not 0 or 1.</exception>
    /// <exception cref="NonFiniteOutcomeException">An outcome is infinite.</exception>
    /// <exception cref="UnobservedTreatedCellException">A treated row has a NaN outcome.</exception>
    public static PanelData FromLong<TRow, TUnit, TTime>(IEnumerable<TRow> rows, Func<TRow, TUnit> unit, Func<TRow, TTime> time,
        Func<TRow, double> outcome, Func<TRow, double> treated)
        where TUnit : notnull where TTime : notnull
    {
        ArgumentNullException.ThrowIfNull(treated);
        return Build(rows, unit, time, outcome, (row, where) => ToTreated(treated(row), where));
    }

    /// <summary>
    /// Builds a panel from long-format rows with a boolean treatment indicator.
    /// </summary>
    /// <inheritdoc cref="FromLong{TRow, TUnit, TTime}(IEnumerable{TRow}, Func{TRow, TUnit}, Func{TRow, TTime}, Func{TRow, double}, Func{TRow, double})"/>
    public static PanelData FromLong<TRow, TUnit, TTime>(IEnumerable<TRow> rows, Func<TRow, TUnit> unit, Func<TRow, TTime> time,
        Func<TRow, double> outcome, Func<TRow, bool> treated)
        where TUnit : notnull where TTime : notnull
    {
        ArgumentNullException.ThrowIfNull(treated);
        return Build(rows, unit, time, outcome, (row, _) => treated(row));
    }

    private static PanelData Build<TRow, TUnit, TTime>(IEnumerable<TRow> rows, Func<TRow, TUnit> unit, Func<TRow, TTime> time,
        Func<TRow, double> outcome, Func<TRow, Func<(string, string)>, bool> treated)
        where TUnit : notnull where TTime : notnull
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(outcome);

        var unitKeys = new List<TUnit>();
        var timeKeys = new List<TTime>();
        var ys = new List<double>();
        var ws = new List<bool>();
        var rowNumber = 0;
        foreach (var row in rows)
        {
            rowNumber++;
            var u = unit(row) ?? throw new InvalidValueException($"Row {rowNumber} has no unit (the unit selector returned null). Every row needs a unit.");
            var t = time(row) ?? throw new InvalidValueException($"Row {rowNumber} has no period (the time selector returned null). Every row needs a period.");
            unitKeys.Add(u);
            timeKeys.Add(t);
            ys.Add(outcome(row));
            ws.Add(treated(row, () => (NaturalOrder.Format(u), NaturalOrder.Format(t))));
        }
        if (rowNumber == 0)
            throw new EmptyPanelException("The input has no rows. Supply one row per unit and period.");

        var (units, unitLabels) = NaturalOrder.Sort(unitKeys.Distinct());
        var (periods, periodLabels) = NaturalOrder.Sort(timeKeys.Distinct());
        var unitIndex = Enumerable.Range(0, units.Length).ToDictionary(k => units[k]);
        var periodIndex = Enumerable.Range(0, periods.Length).ToDictionary(k => periods[k]);

        int n = units.Length, tCount = periods.Length;
        var y = new double[n * tCount];
        Array.Fill(y, double.NaN);
        var w = new bool[n * tCount];
        var seen = new bool[n * tCount];
        var duplicates = new List<(int, int)>();
        for (var r = 0; r < ys.Count; r++)
        {
            var k = unitIndex[unitKeys[r]] * tCount + periodIndex[timeKeys[r]];
            if (seen[k]) { duplicates.Add((k / tCount, k % tCount)); continue; }
            seen[k] = true;
            y[k] = ys[r];
            w[k] = ws[r];
        }
        if (duplicates.Count > 0)
        {
            var cells = duplicates.Distinct().ToList();
            throw new DuplicateObservationException(
                $"{cells.Count} unit-period cell(s) have more than one row: {FormatCells(cells, unitLabels, periodLabels)}. Keep one row per unit and period (aggregate or drop the duplicates).",
                cells.Select(c => unitLabels[c.Item1]).Distinct().ToList(), cells.Select(c => periodLabels[c.Item2]).Distinct().ToList());
        }
        return new PanelData(new OutcomeMatrix(y, n, tCount), new TreatmentMatrix(w, n, tCount), unitLabels, periodLabels);
    }

    private static string FormatCells(List<(int Unit, int Period)> cells, string[] units, string[] periods)
    {
        var shown = string.Join("; ", cells.Take(5).Select(c => $"('{units[c.Unit]}', '{periods[c.Period]}')"));
        return cells.Count > 5 ? $"{shown} and {cells.Count - 5} more" : shown;
    }
}
