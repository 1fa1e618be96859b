namespace CausalPanel;

/// <summary>The input cannot form a panel: thrown while building <see cref="PanelData"/>.</summary>
public abstract class PanelDataException : CausalPanelException
{
    /// <inheritdoc cref="CausalPanelException(string, IReadOnlyList{string}?, IReadOnlyList{string}?)"/>
    protected PanelDataException(string message, IReadOnlyList<string>? units = null, IReadOnlyList<string>? periods = null)
        : base(message, units, periods) { }
}

/// <summary>The input has no rows, no units or no periods.</summary>
public sealed class EmptyPanelException(string message) : PanelDataException(message);

/// <summary>Matrix shapes and label counts disagree (e.g. 39 unit labels for a 38-row matrix).</summary>
public sealed class DimensionMismatchException(string message) : PanelDataException(message);

/// <summary>The same unit or period label appears twice among the labels of a matrix panel.</summary>
public sealed class DuplicateLabelException(string message, IReadOnlyList<string>? units = null, IReadOnlyList<string>? periods = null)
    : PanelDataException(message, units, periods);

/// <summary>Two or more long-format rows share the same (unit, period).</summary>
public sealed class DuplicateObservationException(string message, IReadOnlyList<string> units, IReadOnlyList<string> periods)
    : PanelDataException(message, units, periods);

/// <summary>An outcome is infinite (or NaN where an unobserved cell is not allowed).</summary>
public sealed class NonFiniteOutcomeException(string message, IReadOnlyList<string> units, IReadOnlyList<string> periods)
    : PanelDataException(message, units, periods);

/// <summary>
/// A treatment value is neither 0 nor 1 (nor true/false), or is missing (NA, empty, NaN) on a unit that is treated in
/// some period (a missing value is allowed only on never-treated units, where it reads as untreated).
/// </summary>
public sealed class InvalidTreatmentValueException(string message, IReadOnlyList<string>? units = null, IReadOnlyList<string>? periods = null)
    : PanelDataException(message, units, periods);

/// <summary>A cell is marked treated but its outcome is missing, so its effect cannot be measured.</summary>
public sealed class UnobservedTreatedCellException(string message, IReadOnlyList<string> units, IReadOnlyList<string> periods)
    : PanelDataException(message, units, periods);

/// <summary>A column named for a reader (<see cref="PanelData.ReadCsv(string, string, string, string, string?, string?, IReadOnlyList{string}?, PanelReadOptions?)"/>, <see cref="PanelData.FromDataReader"/>) is not in the header or result set.</summary>
public sealed class MissingColumnException(string message) : PanelDataException(message);

/// <summary>A cell of the input cannot be read (an unparsable number, an empty unit or period).</summary>
public sealed class InvalidValueException(string message) : PanelDataException(message);

/// <summary>
/// An adoption value (a unit's first treated period, <c>adoption:</c> of the readers) is neither a period of the panel,
/// nor before its first or after its last period, nor a never-treated code (<see cref="PanelReadOptions.NeverTreatedCodes"/>);
/// or it cannot be read in the periods' form (e.g. <c>2004Q2</c> for yearly periods); or it is a never-treated code
/// that is also a period of the panel.
/// </summary>
public sealed class InvalidAdoptionValueException(string message, IReadOnlyList<string> units)
    : PanelDataException(message, units);

/// <summary>The rows of one unit give two different adoption periods; a unit adopts once.</summary>
public sealed class InconsistentAdoptionException(string message, IReadOnlyList<string> units)
    : PanelDataException(message, units);

/// <summary>
/// The period labels can be read in two ways that order them differently (e.g. dates that parse both day-first and
/// month-first), or a given comparer ranks two distinct labels equal. The message shows example labels and how to
/// give the order (<see cref="PanelReadOptions.PeriodOrder"/>, <see cref="PanelReadOptions.PeriodFormat"/>).
/// </summary>
public sealed class AmbiguousPeriodOrderException(string message, IReadOnlyList<string> periods)
    : PanelDataException(message, periods: periods);

/// <summary>
/// The panel's dense N×T matrices would not fit in one .NET array or in the memory available to the process. Thrown
/// before anything N×T is allocated; the message gives N, T and the bytes needed.
/// </summary>
public sealed class PanelTooLargeException(string message, int unitCount, int periodCount, long bytes) : PanelDataException(message)
{
    /// <summary>Number of distinct units N.</summary>
    public int UnitCount { get; } = unitCount;

    /// <summary>Number of distinct periods T.</summary>
    public int PeriodCount { get; } = periodCount;

    /// <summary>Bytes the dense N×T outcome, treatment and covariate matrices would need.</summary>
    public long Bytes { get; } = bytes;
}
