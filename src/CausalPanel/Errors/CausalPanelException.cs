namespace CausalPanel;

/// <summary>
/// Base class of every exception CausalPanel throws on purpose. The message always names the
/// offending units, periods, columns or options and says what to do; <see cref="Units"/> and
/// <see cref="Periods"/> carry the same labels for programmatic use.
/// </summary>
public abstract class CausalPanelException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full message, naming what is wrong and what to do.</param>
    /// <param name="units">Labels of the offending units, if any.</param>
    /// <param name="periods">Labels of the offending periods, if any.</param>
    protected CausalPanelException(string message, IReadOnlyList<string>? units = null, IReadOnlyList<string>? periods = null)
        : base(message)
    {
        Units = units ?? [];
        Periods = periods ?? [];
    }

    /// <summary>Labels of the units the problem concerns (empty when none in particular).</summary>
    public IReadOnlyList<string> Units { get; }

    /// <summary>Labels of the periods the problem concerns (empty when none in particular).</summary>
    public IReadOnlyList<string> Periods { get; }

    /// <summary>Formats up to <paramref name="max"/> items for a message, with "and N more".</summary>
    internal static string List(IEnumerable<string> items, int max = 5)
    {
        var all = items.ToList();
        var shown = string.Join(", ", all.Take(max).Select(s => $"'{s}'"));
        return all.Count > max ? $"{shown} and {all.Count - max} more" : shown;
    }
}
