using System.Globalization;

namespace CausalPanel;

/// <summary>
/// Reads adoption values (a unit's first treated period) against a panel's periods, as R <c>did</c>/<c>fect</c>, Stata
/// <c>sdid</c> and Python <c>diff-diff</c> users write them: a period of the panel starts treatment there; a never-treated
/// code (<see cref="PanelReadOptions.NeverTreatedCodes"/>), null or a period after the last means never treated; a period
/// before the first means treated in every period. Anything else is refused by name.
/// </summary>
internal sealed class AdoptionValues
{
    /// <summary>What an adoption value means.</summary>
    public enum Kind { Never, After, Before, At }

    private readonly PeriodScale _scale;
    private readonly IReadOnlyList<string> _codes;
    private readonly double[] _numericCodes;

    public AdoptionValues(PeriodScale scale, PanelReadOptions options)
    {
        _scale = scale;
        _codes = options.NeverTreatedCodes ?? PanelReadOptions.DefaultNeverTreatedCodes;
        _numericCodes = _codes.Select(CodeNumber).Where(x => x is not null).Select(x => x!.Value).ToArray();
    }

    /// <summary>A short list of the never-treated codes for messages: "empty, 'NA', 'NaN', '.', '0', 'Inf', 'Infinity'".</summary>
    public string Codes => string.Join(", ", _codes.Select(c => c.Length == 0 ? "empty" : $"'{c}'"));

    /// <summary>The first treated column (-1 = never) and the kind of <paramref name="value"/>.</summary>
    /// <param name="value">The value (null or DBNull = never treated).</param>
    /// <param name="unit">Its unit, for messages.</param>
    /// <param name="place">Where it was read, e.g. "CSV line 12", for messages.</param>
    /// <param name="column">The adoption column, for messages.</param>
    /// <exception cref="InvalidAdoptionValueException">The value is neither a period, nor outside the periods, nor a never-treated code; or it is a code that is also a period.</exception>
    public (int Start, Kind Kind) Resolve(object? value, string unit, string place, string column)
    {
        if (value is null or DBNull) return (-1, Kind.Never);
        var text = value is string s ? s.Trim() : KeyOrder.Label(value);
        var (where, at) = _scale.Locate(value);
        if (IsCode(value, text))
        {
            if (where == PeriodScale.Place.At)
                throw new InvalidAdoptionValueException(
                    $"{place}: adoption column '{column}' holds '{text}' for unit '{unit}', which is both a never-treated code and a period of the panel ('{_scale.Labels[at]}'). " +
                    $"Set PanelReadOptions.NeverTreatedCodes to the codes this file uses for never treated (now {Codes}) without '{text}', or recode the never-treated units.", [unit]);
            return (-1, Kind.Never);
        }
        return where switch
        {
            PeriodScale.Place.At => (at, Kind.At),
            PeriodScale.Place.Before => (0, Kind.Before),
            PeriodScale.Place.After => (-1, Kind.After),
            PeriodScale.Place.Between => throw Refused(text, unit, place, column,
                $"falls between the periods '{_scale.Labels[at]}' and '{_scale.Labels[at + 1]}' of the panel, so it is not one of them"),
            _ => throw Refused(text, unit, place, column, _scale.Ordering == PeriodOrdering.Text
                ? "is not one of the panel's periods (their labels have no recognised form, so only a period's own label places a unit; give their order with PanelReadOptions.PeriodOrder to place other values)"
                : $"cannot be read as a period of this panel ({Domain()})"),
        };
    }

    private InvalidAdoptionValueException Refused(string text, string unit, string place, string column, string why) => new(
        $"{place}: adoption column '{column}' holds '{text}' for unit '{unit}', which {why}. Give each unit's first treated period as one of the panel's periods " +
        $"({CausalPanelException.List(_scale.Labels, 3)}), or a never-treated code ({Codes}; or set PanelReadOptions.NeverTreatedCodes), or a period after the last for never treated.", [unit]);

    private string Domain() => _scale.Ordering switch
    {
        PeriodOrdering.Numeric => "its periods are numbers",
        PeriodOrdering.Quarterly => "its periods are quarters",
        PeriodOrdering.Monthly => "its periods are months",
        PeriodOrdering.Chronological => "its periods are dates",
        _ => "its periods are in PanelReadOptions.PeriodOrder",
    };

    private bool IsCode(object value, string text)
    {
        foreach (var code in _codes)
            if (string.Equals(code, text, StringComparison.OrdinalIgnoreCase)) return true;
        double x;
        if (KeyOrder.TryNumber(value, out var typed)) x = typed;
        else if (value is string && CodeNumber(text) is { } parsed) x = parsed;
        else return false;
        foreach (var c in _numericCodes)
            if (c == x || double.IsNaN(c) && double.IsNaN(x)) return true;
        return false;
    }

    /// <summary>The number a code or value stands for, infinities and NaN included ("Inf", "-inf", "Infinity", "NaN", "0.0").</summary>
    private static double? CodeNumber(string text) =>
        text.Equals("inf", StringComparison.OrdinalIgnoreCase) ? double.PositiveInfinity
        : text.Equals("-inf", StringComparison.OrdinalIgnoreCase) ? double.NegativeInfinity
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : null;
}
