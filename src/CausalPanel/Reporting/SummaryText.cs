using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace CausalPanel;

/// <summary>
/// What the human summaries (<c>ToString()</c> of results, variance results, tables and comparisons)
/// share: how a number is written, and the one-line form of an options record.
/// </summary>
internal static class SummaryText
{
    /// <summary>
    /// Six significant digits (−15.6038, −0.0477099), without an exponent for magnitudes up to 10¹⁵ (a
    /// dollar ATT of 1523457 stays readable); invariant culture; ∞ for infinities.
    /// </summary>
    public static string Number(double x) => x switch
    {
        double.PositiveInfinity => "∞",
        double.NegativeInfinity => "−∞",
        _ when Math.Abs(x) >= 1e6 && Math.Abs(x) < 1e15 => x.ToString("F0", CultureInfo.InvariantCulture),
        _ => x.ToString("G6", CultureInfo.InvariantCulture),
    };

    /// <summary>A p-value to three significant digits, "p &lt; 0.0001" below that.</summary>
    public static string PValue(double p) => p < 1e-4 ? "p < 0.0001" : string.Create(CultureInfo.InvariantCulture, $"p = {p:G3}");

    /// <summary>A line "covariates: β̂ x = 0.5, β̂ z = −2" after <paramref name="indent"/>; nothing without covariates.</summary>
    public static void AppendCoefficients(StringBuilder sb, string indent, string symbol, IReadOnlyDictionary<string, double> coefficients)
    {
        if (coefficients.Count > 0)
            sb.Append(indent).Append("covariates: ").AppendJoin(", ", coefficients.Select(c => $"{symbol} {c.Key} = {Number(c.Value)}")).AppendLine();
    }

    /// <summary>"1 unit", "5 units".</summary>
    public static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{count} {noun}s");

    /// <summary>
    /// The compiler's record form <c>Name { A = 1, B = x }</c> over the public properties (base type's
    /// first), except that a sequence prints as <c>[a, b, …]</c>, a delegate as <c>custom</c>, an estimator
    /// as its name and any other object whose <c>ToString</c> is <see cref="object.ToString"/> as its type's name — where the
    /// synthesised <c>ToString</c> prints <c>System.Collections.Generic.List`1[…]</c>. For options records
    /// that hold lists (grids, given weights) or callbacks.
    /// </summary>
    public static string Record(object value)
    {
        var sb = new StringBuilder(value.GetType().Name).Append(" { ");
        var first = true;
        foreach (var property in PublicProperties(value.GetType()))
        {
            if (!first) sb.Append(", ");
            first = false;
            sb.Append(property.Name).Append(" = ").Append(Value(property.GetValue(value)));
        }
        return sb.Append(first ? "}" : " }").ToString();
    }

    private static IEnumerable<PropertyInfo> PublicProperties(Type type)
    {
        var chain = new Stack<Type>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType) chain.Push(t);
        return chain.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true })
            .DistinctBy(p => p.Name);   // an overridden property once, where the base declares it (its getter is virtual)
    }

    private static string Value(object? value) => value switch
    {
        null => "null",
        string s => s,
        double d => Number(d),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        Delegate => "custom",
        IEstimator estimator => estimator.Name,
        IEnumerable items => Sequence(items),
        _ when value.ToString() is { } text && text != value.GetType().ToString() => text,
        _ => value.GetType().Name.Split('`')[0],
    };

    private static string Sequence(IEnumerable items)
    {
        const int shown = 8;
        var all = items.Cast<object?>().ToList();
        var text = string.Join(", ", all.Take(shown).Select(Value));
        return all.Count > shown ? string.Create(CultureInfo.InvariantCulture, $"[{text}, … ({all.Count} in all)]") : $"[{text}]";
    }
}
