using System.Globalization;

namespace CausalPanel;

public sealed partial class PanelData
{
    /// <summary>
    /// Builds a panel from an N×T outcome matrix and an N×T treatment indicator (both copied).
    /// </summary>
    /// <param name="outcomes">Outcomes, rows = units, columns = periods; NaN marks an unobserved cell.</param>
    /// <param name="treated">Treatment indicator of the same shape.</param>
    /// <param name="units">Unit labels (default "1".."N").</param>
    /// <param name="periods">Period labels in time order (default "1".."T").</param>
    /// <param name="outcomeName">What the outcome is called (<see cref="OutcomeName"/>; chart axes show it).</param>
    /// <exception cref="PanelDataException">Shapes or label counts disagree, labels repeat, an outcome is infinite, or a treated cell is unobserved.</exception>
    public static PanelData FromMatrices(double[,] outcomes, bool[,] treated, IEnumerable<string>? units = null, IEnumerable<string>? periods = null,
        string outcomeName = "outcome")
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(treated);
        ArgumentException.ThrowIfNullOrWhiteSpace(outcomeName);
        return new PanelData(new OutcomeMatrix(outcomes), new TreatmentMatrix(treated),
            units?.ToArray() ?? Numbered(outcomes.GetLength(0)), periods?.ToArray() ?? Numbered(outcomes.GetLength(1))) { OutcomeName = outcomeName };
    }

    /// <summary>
    /// Builds a panel from an N×T outcome matrix and an N×T 0/1 treatment matrix (both copied).
    /// </summary>
    /// <inheritdoc cref="FromMatrices(double[,], bool[,], IEnumerable{string}?, IEnumerable{string}?, string)"/>
    /// <param name="outcomes">Outcomes, rows = units, columns = periods; NaN marks an unobserved cell.</param>
    /// <param name="treatment">Treatment values, each exactly 0 or 1.</param>
    /// <param name="units">Unit labels (default "1".."N").</param>
    /// <param name="periods">Period labels in time order (default "1".."T").</param>
    /// <param name="outcomeName">What the outcome is called (<see cref="OutcomeName"/>; chart axes show it).</param>
    /// <exception cref="InvalidTreatmentValueException">A treatment value is not 0 or 1.</exception>
    public static PanelData FromMatrices(double[,] outcomes, double[,] treatment, IEnumerable<string>? units = null, IEnumerable<string>? periods = null,
        string outcomeName = "outcome")
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentException.ThrowIfNullOrWhiteSpace(outcomeName);
        var unitLabels = units?.ToArray() ?? Numbered(outcomes.GetLength(0));
        var periodLabels = periods?.ToArray() ?? Numbered(outcomes.GetLength(1));
        var w = new bool[treatment.GetLength(0), treatment.GetLength(1)];
        for (var i = 0; i < w.GetLength(0); i++)
            for (var t = 0; t < w.GetLength(1); t++)
                w[i, t] = ToTreated(treatment[i, t], () => (Label(unitLabels, i), Label(periodLabels, t)));
        return new PanelData(new OutcomeMatrix(outcomes), new TreatmentMatrix(w), unitLabels, periodLabels) { OutcomeName = outcomeName };
    }

    private static string Label(string[] labels, int k) => k < labels.Length ? labels[k] : $"#{k}";

    private static string[] Numbered(int count) =>
        Enumerable.Range(1, count).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>0 → false, 1 → true; anything else throws, naming the cell.</summary>
    private static bool ToTreated(double value, Func<(string Unit, string Period)> where)
    {
        if (value == 0) return false;
        if (value == 1) return true;
        var (unit, period) = where();
        throw NotBinary(value, null, unit, period);
    }

    /// <summary>A numeric treatment other than 0/1, naming the cell and, for readers, the row.</summary>
    /// <param name="value">The value.</param>
    /// <param name="row">The row a reader met it on (readers read NaN as missing), or null for a matrix (where NaN is refused too).</param>
    /// <param name="unit">The unit's label.</param>
    /// <param name="period">The period's label.</param>
    private static InvalidTreatmentValueException NotBinary(double value, long? row, string unit, string period)
    {
        var cell = $"unit '{unit}' in period '{period}' is {value.ToString(CultureInfo.InvariantCulture)}; it must be 0 (untreated) or 1 (treated)";
        return new InvalidTreatmentValueException(row is null
            ? $"Treatment of {cell}. Recode the treatment as a binary indicator."
            : $"Row {row}: treatment of {cell}, or NaN on a never-treated unit. Recode the treatment as a binary indicator, or, if it holds each unit's first treated period, pass it as adoption: instead of treated:.",
            [unit], [period]);
    }
}
