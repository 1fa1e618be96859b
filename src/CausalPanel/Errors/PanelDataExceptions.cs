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

/// <summary>A treatment value is neither 0 nor 1 (nor true/false).</summary>
public sealed class InvalidTreatmentValueException(string message, IReadOnlyList<string>? units = null, IReadOnlyList<string>? periods = null)
    : PanelDataException(message, units, periods);

/// <summary>A cell is marked treated but its outcome is missing, so its effect cannot be measured.</summary>
public sealed class UnobservedTreatedCellException(string message, IReadOnlyList<string> units, IReadOnlyList<string> periods)
    : PanelDataException(message, units, periods);

/// <summary>A column named for <see cref="PanelData.ReadCsv(string, string, string, string, string)"/> is not in the header.</summary>
public sealed class MissingColumnException(string message) : PanelDataException(message);

/// <summary>A cell of the input cannot be read (an unparsable number, an empty unit or period).</summary>
public sealed class InvalidValueException(string message) : PanelDataException(message);
