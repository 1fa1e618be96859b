namespace CausalPanel;

public sealed partial class PanelData
{
    /// <summary>
    /// Builds a panel from long-format rows (one row per unit-period) of any type, with a 0/1 treatment. Units and
    /// periods are put in order whatever the order of the rows: units numerically if they are numbers (text that is
    /// all numbers too, keeping its text: "01" and "1" are two units), else ordinally; periods by their type (numbers,
    /// dates) or, for text, by their form (<see cref="PeriodOrdering"/>). A unit-period without a row, or with a NaN
    /// outcome, is an unobserved cell. How the rows were read is in <see cref="Notes"/>.
    /// </summary>
    /// <typeparam name="TRow">Row type.</typeparam>
    /// <typeparam name="TUnit">Unit key type (string, int, ...).</typeparam>
    /// <typeparam name="TTime">Period key type (int, DateTime, DateOnly, string, ...).</typeparam>
    /// <param name="rows">The rows.</param>
    /// <param name="unit">Selects the unit key.</param>
    /// <param name="time">Selects the period key.</param>
    /// <param name="outcome">Selects the outcome (NaN = unobserved).</param>
    /// <param name="treated">Selects the treatment: 0 or 1, or NaN (missing) on rows of never-treated units.</param>
    /// <param name="covariates">Named covariate selectors, e.g. <c>[("lpop", r => r.LogPopulation)]</c> (one value per row; NaN = missing), attached as N×T <see cref="Covariates"/>.</param>
    /// <param name="options">The period order and never-treated codes; null = detect.</param>
    /// <param name="outcomeName">What the outcome is called (<see cref="OutcomeName"/>, shown on chart axes), e.g. "log employment".</param>
    /// <exception cref="EmptyPanelException">There are no rows.</exception>
    /// <exception cref="DuplicateObservationException">Two rows share a unit and period.</exception>
    /// <exception cref="InvalidTreatmentValueException">A treatment value is not 0 or 1, or is NaN on a unit treated in some period.</exception>
    /// <exception cref="NonFiniteOutcomeException">An outcome is infinite, or a covariate is missing where the outcome is observed.</exception>
    /// <exception cref="UnobservedTreatedCellException">A treated row has a NaN outcome.</exception>
    /// <exception cref="AmbiguousPeriodOrderException">Text periods read in two different orders (e.g. dates day first and month first).</exception>
    /// <exception cref="PanelTooLargeException">The dense N×T matrices would not fit in memory.</exception>
    public static PanelData FromLong<TRow, TUnit, TTime>(IEnumerable<TRow> rows, Func<TRow, TUnit> unit, Func<TRow, TTime> time,
        Func<TRow, double> outcome, Func<TRow, double> treated, IReadOnlyList<(string Name, Func<TRow, double> Value)>? covariates = null,
        PanelReadOptions? options = null, string outcomeName = "outcome")
        where TUnit : notnull where TTime : notnull
    {
        ArgumentNullException.ThrowIfNull(treated);
        return Gather(rows, unit, time, outcome, treated, null, covariates, options, outcomeName);
    }

    /// <summary>Builds a panel from long-format rows with a boolean treatment indicator.</summary>
    /// <inheritdoc cref="FromLong{TRow, TUnit, TTime}(IEnumerable{TRow}, Func{TRow, TUnit}, Func{TRow, TTime}, Func{TRow, double}, Func{TRow, double}, IReadOnlyList{ValueTuple{string, Func{TRow, double}}}?, PanelReadOptions?, string)"/>
    /// <param name="rows">The rows.</param>
    /// <param name="unit">Selects the unit key.</param>
    /// <param name="time">Selects the period key.</param>
    /// <param name="outcome">Selects the outcome (NaN = unobserved).</param>
    /// <param name="treated">Selects whether the row is treated.</param>
    /// <param name="covariates">Named covariate selectors (one value per row; NaN = missing).</param>
    /// <param name="options">The period order; null = detect.</param>
    /// <param name="outcomeName">What the outcome is called (<see cref="OutcomeName"/>).</param>
    public static PanelData FromLong<TRow, TUnit, TTime>(IEnumerable<TRow> rows, Func<TRow, TUnit> unit, Func<TRow, TTime> time,
        Func<TRow, double> outcome, Func<TRow, bool> treated, IReadOnlyList<(string Name, Func<TRow, double> Value)>? covariates = null,
        PanelReadOptions? options = null, string outcomeName = "outcome")
        where TUnit : notnull where TTime : notnull
    {
        ArgumentNullException.ThrowIfNull(treated);
        return Gather(rows, unit, time, outcome, row => treated(row) ? 1 : 0, null, covariates, options, outcomeName);
    }

    /// <summary>
    /// Builds a panel from long-format rows whose treatment is each unit's first treated period (R <c>did</c>'s
    /// <c>first.treat</c>, <c>fect</c>'s and Stata's adoption year): the unit is treated in its observed periods from
    /// that one on. Null, <see cref="DBNull"/>, a never-treated code (<see cref="PanelReadOptions.NeverTreatedCodes"/>:
    /// empty, NA, NaN, ".", 0, Inf by default; numbers equal to 0, +∞ or NaN too) or a period after the panel's last =
    /// never treated (counted in <see cref="Notes"/>); a period before the first = treated in every period. The value
    /// is compared with the periods in their domain (a number with numeric periods, a date with dates, "2004Q2" with
    /// quarters).
    /// </summary>
    /// <inheritdoc cref="FromLong{TRow, TUnit, TTime}(IEnumerable{TRow}, Func{TRow, TUnit}, Func{TRow, TTime}, Func{TRow, double}, Func{TRow, double}, IReadOnlyList{ValueTuple{string, Func{TRow, double}}}?, PanelReadOptions?, string)"/>
    /// <param name="rows">The rows.</param>
    /// <param name="unit">Selects the unit key.</param>
    /// <param name="time">Selects the period key.</param>
    /// <param name="outcome">Selects the outcome (NaN = unobserved).</param>
    /// <param name="adoption">Selects the unit's first treated period (the same on all its rows): a period key, its label, or a never-treated value.</param>
    /// <param name="covariates">Named covariate selectors (one value per row; NaN = missing).</param>
    /// <param name="options">The period order and never-treated codes; null = detect.</param>
    /// <param name="outcomeName">What the outcome is called (<see cref="OutcomeName"/>).</param>
    /// <exception cref="InvalidAdoptionValueException">An adoption value is neither a period, nor outside the periods, nor a never-treated code.</exception>
    /// <exception cref="InconsistentAdoptionException">A unit's rows give two adoption periods.</exception>
    public static PanelData FromLong<TRow, TUnit, TTime>(IEnumerable<TRow> rows, Func<TRow, TUnit> unit, Func<TRow, TTime> time,
        Func<TRow, double> outcome, Func<TRow, object?> adoption, IReadOnlyList<(string Name, Func<TRow, double> Value)>? covariates = null,
        PanelReadOptions? options = null, string outcomeName = "outcome")
        where TUnit : notnull where TTime : notnull
    {
        ArgumentNullException.ThrowIfNull(adoption);
        return Gather(rows, unit, time, outcome, null, adoption, covariates, options, outcomeName);
    }

    private static PanelData Gather<TRow, TUnit, TTime>(IEnumerable<TRow> rows, Func<TRow, TUnit> unit, Func<TRow, TTime> time,
        Func<TRow, double> outcome, Func<TRow, double>? treated, Func<TRow, object?>? adoption,
        IReadOnlyList<(string Name, Func<TRow, double> Value)>? covariates, PanelReadOptions? options, string outcomeName)
        where TUnit : notnull where TTime : notnull
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentException.ThrowIfNullOrWhiteSpace(outcomeName);
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(outcome);
        options = (options ?? PanelReadOptions.Default).Validated();
        if (options.Cluster is { } cluster)
            throw new ArgumentException($"PanelReadOptions.Cluster ('{cluster}') names a column, which FromLong's rows do not have. Give the variance method a Cluster selector instead, e.g. new BootstrapVariance {{ Cluster = unit => stateOf[unit] }}.", nameof(options));
        covariates ??= [];
        var gathered = new LongRows("Row", adoption is null ? "treated" : "adoption", adoption is not null, covariates.Select(c => c.Name).ToArray());
        KeyIds<TUnit> units = new();
        KeyIds<TTime> periods = new();
        KeyIds<object> adoptions = new();
        long number = 0;
        foreach (var row in rows)
        {
            number++;
            var u = unit(row) ?? throw new InvalidValueException($"Row {number} has no unit (the unit selector returned null). Every row needs a unit.");
            var t = time(row) ?? throw new InvalidValueException($"Row {number} has no period (the time selector returned null). Every row needs a period.");
            gathered.Units.Add(units.Id(u));
            gathered.Periods.Add(periods.Id(t));
            gathered.Outcomes.Add(outcome(row));
            if (adoption is not null) gathered.Adoption.Add(adoptions.Id(adoption(row) ?? DBNull.Value));
            else gathered.Treated.Add(Indicator(treated!(row), number, u, t));
            for (var c = 0; c < covariates.Count; c++) gathered.Covariates[c].Add(covariates[c].Value(row));
            gathered.Places.Add(number);
        }
        return FromRows(gathered, units.Keys(), periods.Keys(), adoptions.Keys(), options, [], outcomeName);
    }

    /// <summary>A 0/1 treatment given as a number: NaN is missing; anything but 0, 1 and NaN is refused, naming the row.</summary>
    private static sbyte Indicator<TUnit, TTime>(double value, long row, TUnit unit, TTime period) where TUnit : notnull where TTime : notnull =>
        value == 0 ? (sbyte)0
        : value == 1 ? (sbyte)1
        : double.IsNaN(value) ? LongRows.Missing
        : throw NotBinary(value, row, KeyOrder.Label(unit), KeyOrder.Label(period));

    private static string FormatCells(List<(int Unit, int Period)> cells, string[] units, string[] periods)
    {
        var shown = string.Join("; ", cells.Take(5).Select(c => $"('{units[c.Unit]}', '{periods[c.Period]}')"));
        return cells.Count > 5 ? $"{shown} and {cells.Count - 5} more" : shown;
    }
}
