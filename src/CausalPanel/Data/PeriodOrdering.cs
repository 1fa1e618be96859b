namespace CausalPanel;

/// <summary>
/// How the periods of a <see cref="PanelData"/> were put in order (<see cref="PanelData.PeriodOrdering"/>). Every order
/// except <see cref="Text"/> is a time order; <see cref="Text"/> means the labels had no recognised form and may be
/// out of time order, which <see cref="PanelData.Describe"/> and the messages about switching treatment then say.
/// </summary>
public enum PeriodOrdering
{
    /// <summary>Columns in the order the matrices gave them (<see cref="PanelData.FromMatrices(double[,], bool[,], IEnumerable{string}?, IEnumerable{string}?, string)"/>).</summary>
    AsGiven,

    /// <summary>Numbers (years, period indices), in numeric order.</summary>
    Numeric,

    /// <summary>Dates (typed dates, ISO <c>yyyy-MM-dd</c>, <c>dd/MM/yyyy</c> or <c>MM/dd/yyyy</c> when unambiguous, or <see cref="PanelReadOptions.PeriodFormat"/>), in time order.</summary>
    Chronological,

    /// <summary>Quarters (<c>2001Q1</c>, <c>2001-Q1</c>, <c>2001 Q1</c>, <c>Q1 2001</c>, <c>Q1-2001</c>, any case), in time order.</summary>
    Quarterly,

    /// <summary>Months by name (<c>Jan 2001</c>, <c>January 2001</c>, <c>2001-Jan</c>) or number (<c>2001-01</c>, <c>2001M01</c>, <c>01/2001</c>), in time order.</summary>
    Monthly,

    /// <summary>Labels of no recognised form, in ordinal text order: possibly not their time order (give it with <see cref="PanelReadOptions.PeriodOrder"/>).</summary>
    Text,

    /// <summary>The order given by <see cref="PanelReadOptions.PeriodOrder"/> or <see cref="PanelReadOptions.PeriodComparer"/>, or by the period key type's own <see cref="IComparable"/>.</summary>
    Given,
}
