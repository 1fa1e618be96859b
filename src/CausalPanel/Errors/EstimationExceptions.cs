namespace CausalPanel;

/// <summary>
/// The panel is valid data, but an estimator cannot use it (no treated cell, no control, no
/// pre-treatment period, a pattern the estimator does not handle, ...).
/// </summary>
public abstract class EstimationException : CausalPanelException
{
    /// <inheritdoc cref="CausalPanelException(string, IReadOnlyList{string}?, IReadOnlyList{string}?)"/>
    protected EstimationException(string message, IReadOnlyList<string>? units = null, IReadOnlyList<string>? periods = null)
        : base(message, units, periods) { }
}

/// <summary>The treatment matrix has no treated cell: there is no effect to estimate.</summary>
public sealed class NoTreatedCellsException(string message) : EstimationException(message);

/// <summary>In some treated period every unit is treated, so nothing shows how untreated outcomes move.</summary>
public sealed class NoControlUnitsException(string message, IReadOnlyList<string> periods)
    : EstimationException(message, periods: periods);

/// <summary>Some treated unit has no untreated observed period, so its untreated level is unknown.</summary>
public sealed class NoPreTreatmentPeriodException(string message, IReadOnlyList<string> units)
    : EstimationException(message, units);

/// <summary>Too few units or periods for any estimate (e.g. a single period).</summary>
public sealed class InsufficientDataException(string message) : EstimationException(message);

/// <summary>The estimator needs every unit observed in every period, and some cells are missing.</summary>
public sealed class UnbalancedPanelException(string message, IReadOnlyList<string> units, IReadOnlyList<string> periods)
    : EstimationException(message, units, periods);

/// <summary>The estimator cannot handle this treatment pattern (e.g. switching on and off).</summary>
public sealed class UnsupportedTreatmentPatternException(string message, IReadOnlyList<string>? units = null)
    : EstimationException(message, units);

/// <summary>
/// Some treated cells' untreated outcomes are not identified: their unit and period are not
/// linked through untreated cells, so unit and period effects cannot be compared.
/// </summary>
public sealed class NotIdentifiedException(string message, IReadOnlyList<string> units, IReadOnlyList<string> periods)
    : EstimationException(message, units, periods);

/// <summary>
/// A solver produced a non-finite number. This is a bug or an extreme input (e.g. outcomes near
/// 1e300); the message names the cells. CausalPanel throws this rather than return NaN.
/// </summary>
public sealed class NumericalFailureException(string message, IReadOnlyList<string> units, IReadOnlyList<string> periods)
    : EstimationException(message, units, periods);

/// <summary>Covariates are collinear with each other or with the unit and period effects on the untreated cells.</summary>
public sealed class CollinearCovariatesException(string message, IReadOnlyList<string> covariates)
    : EstimationException(message)
{
    /// <summary>Names of the covariates involved.</summary>
    public IReadOnlyList<string> Covariates { get; } = covariates;
}
