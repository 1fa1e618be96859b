using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>The λ's the tuning chose, every triple it evaluated (in order), and a warning for each λ left on a search boundary.</summary>
internal sealed record DwcpLambdaChoice(double Unit, double Time, double Nuclear, IReadOnlyList<DwcpTuningPoint> Trace, IReadOnlyList<string> Warnings);

/// <summary>
/// Chooses DWCP's free λ's by coordinate-wise minimisation of a criterion Q(λ_unit, λ_time, λ_nuclear) (Athey, Imbens,
/// Qu and Viviano 2025, §3 and footnote 2: one-dimensional searches of each λ from the "off" point (0, 0, ∞), then
/// cycling through the coordinates from there until none moves). One coordinate's search, the others held:
/// <list type="number">
/// <item>the current value, the off value (λ_unit, λ_time = 0; λ_nuclear = ∞) and every grid value are evaluated;</item>
/// <item>if the best positive finite grid value is the grid's largest (smallest), the grid is extended geometrically
/// upwards (downwards) by <see cref="ExtensionFactor"/> while the new end is strictly better, at most
/// <see cref="DwcpOptions.MaxGridExtensions"/> times — unless the off value at that end (∞ above for λ_nuclear, 0 below for
/// λ_unit and λ_time) is at least as good, for then the criterion is approaching the off value, which was evaluated;</item>
/// <item>a best value with grid points on both sides is refined by golden-section search on log λ between them, to a
/// bracket of <see cref="DwcpOptions.LambdaTolerance"/>;</item>
/// <item>the coordinate takes the best value evaluated, the current one on ties.</item>
/// </list>
/// The cycles start from the best triple evaluated by the first searches and their combination, and every search
/// includes the current value, so Q never increases and the chosen triple has the lowest Q in the trace. A coordinate
/// "moves" when it changes by more than <see cref="DwcpOptions.LambdaTolerance"/> in log λ or switches to or from an off
/// value. Each triple is evaluated once (memoised); the criterion is called on the caller's thread, in a fixed order,
/// so the search is deterministic whenever the criterion is; cancellation is checked before every evaluation.
/// </summary>
internal sealed class DwcpLambdaSearch
{
    /// <summary>Each extension step multiplies (or divides) the outermost value by 2: a cap of k steps reaches 2^k times past the grid.</summary>
    public const double ExtensionFactor = 2;

    private readonly DwcpOptions _o;
    private readonly Func<double, double, double, double> _criterion;
    private readonly CancellationToken _ct;
    private readonly List<DwcpTuningPoint> _trace = [];
    private readonly Dictionary<(double, double, double), double> _memo = [];

    /// <summary>One λ: its position in the triple, its names, its off value, the values searched as they are (the off value and 0 or ∞ in its grid), and its positive finite grid values in increasing order (empty when given).</summary>
    private sealed record Coordinate(int Index, string Name, string GridName, double Off, double[] Specials, double[] Positive);

    private DwcpLambdaSearch(DwcpOptions o, Func<double, double, double, double> criterion, CancellationToken ct) =>
        (_o, _criterion, _ct) = (o, criterion, ct);

    /// <summary>
    /// Searches the λ's of <paramref name="o"/> left null, minimising the criterion Q(λ_unit, λ_time, λ_nuclear) that
    /// <paramref name="criterion"/> builds — only when a λ is free, so that given λ's never pay for (or are refused by) the
    /// criterion's setup.
    /// </summary>
    public static DwcpLambdaChoice Choose(DwcpOptions o, Func<Func<double, double, double, double>> criterion, CancellationToken ct)
    {
        if (o.LambdaUnit is { } u && o.LambdaTime is { } t && o.LambdaNuclear is { } n) return new(u, t, n, [], []);
        return new DwcpLambdaSearch(o, criterion(), ct).Run();
    }

    private DwcpLambdaChoice Run()
    {
        Coordinate?[] coordinates =
        [
            Free(0, "λ_unit", nameof(DwcpOptions.LambdaUnitGrid), _o.LambdaUnit, 0, _o.LambdaUnitGrid),
            Free(1, "λ_time", nameof(DwcpOptions.LambdaTimeGrid), _o.LambdaTime, 0, _o.LambdaTimeGrid),
            Free(2, "λ_nuclear", nameof(DwcpOptions.LambdaNuclearGrid), _o.LambdaNuclear, double.PositiveInfinity, _o.LambdaNuclearGrid),
        ];
        var free = coordinates.OfType<Coordinate>().ToArray();
        double[] off = [_o.LambdaUnit ?? 0, _o.LambdaTime ?? 0, _o.LambdaNuclear ?? double.PositiveInfinity];

        var start = (double[])off.Clone();
        foreach (var c in free) start[c.Index] = Search(c, off).Value;
        Evaluate(start);
        var best = _trace[0];
        foreach (var point in _trace) if (point.Criterion < best.Criterion) best = point;
        double[] p = [best.LambdaUnit, best.LambdaTime, best.LambdaNuclear];

        var boundaries = new string?[3];
        var converged = false;
        for (var cycle = 0; cycle < _o.MaxTuningCycles && !converged; cycle++)
        {
            converged = true;
            foreach (var c in free)
            {
                var (value, boundary) = Search(c, p);
                if (Moved(p[c.Index], value)) converged = false;
                p[c.Index] = value;
                boundaries[c.Index] = boundary;
            }
        }
        List<string> warnings = [.. boundaries.OfType<string>()];
        if (!converged)
            warnings.Add($"Tuning: the λ's still moved in the last of MaxTuningCycles = {_o.MaxTuningCycles} coordinate cycles, so the chosen triple is the best evaluated but not a coordinate-wise optimum. Raise MaxTuningCycles.");
        return new(p[0], p[1], p[2], _trace, warnings);
    }

    /// <summary>The coordinate of a λ to tune (null when it is given).</summary>
    private static Coordinate? Free(int index, string name, string gridName, double? given, double off, IReadOnlyList<double> grid) =>
        given is null
            ? new(index, name, gridName, off, [off, .. grid.Where(g => g != off && !(g > 0 && double.IsFinite(g))).Distinct()],
                [.. grid.Where(g => g > 0 && double.IsFinite(g)).Distinct().Order()])
            : null;

    /// <summary>One coordinate's search with the others held at <paramref name="p"/>: its best value, and a warning if that is a capped end of the search.</summary>
    private (double Value, string? Boundary) Search(Coordinate c, double[] p)
    {
        var q = (double[])p.Clone();
        double At(double v)
        {
            q[c.Index] = v;
            return Evaluate(q);
        }
        double best = p[c.Index], fBest = At(best);
        void Consider(double v, double f)
        {
            if (f < fBest) (best, fBest) = (v, f);
        }
        double? fZero = null, fInfinity = null;
        foreach (var s in c.Specials)
        {
            var f = At(s);
            Consider(s, f);
            if (s == 0) fZero = f;
            if (double.IsPositiveInfinity(s)) fInfinity = f;
        }
        if (c.Positive.Length == 0) return (best, null);

        var points = c.Positive.Select(v => (V: v, F: At(v))).ToList();
        var k = 0;
        for (var j = 1; j < points.Count; j++) if (points[j].F < points[k].F) k = j;
        bool upperCapped = false, lowerCapped = false;
        if (k == points.Count - 1 && !(fInfinity <= points[k].F))
            for (var step = 0; ; step++)
            {
                if (step == _o.MaxGridExtensions) { upperCapped = true; break; }
                var v = points[^1].V * ExtensionFactor;
                points.Add((v, At(v)));
                if (!(points[^1].F < points[k].F)) break;
                k = points.Count - 1;
            }
        if (k == 0 && !(fZero <= points[0].F))
            for (var step = 0; ; step++)
            {
                if (step == _o.MaxGridExtensions) { lowerCapped = true; break; }
                var v = points[0].V / ExtensionFactor;
                points.Insert(0, (v, At(v)));
                k = 1;
                if (!(points[0].F < points[1].F)) break;
                k = 0;
            }
        Consider(points[k].V, points[k].F);
        if (k > 0 && k < points.Count - 1)
            GoldenSection.Minimise(u =>
            {
                var v = Math.Exp(u);
                var f = At(v);
                Consider(v, f);
                return f;
            }, Math.Log(points[k - 1].V), Math.Log(points[k].V), points[k].F, Math.Log(points[k + 1].V), _o.LambdaTolerance);

        string N(double x) => SummaryText.Number(x);
        string? boundary = null;
        if (upperCapped && best == points[^1].V)
            boundary = $"Tuning: the criterion was lowest at {c.Name} = {N(points[^1].V)}, the largest value searched ({c.GridName}'s largest value {N(c.Positive[^1])} × {N(ExtensionFactor)}^{_o.MaxGridExtensions}, the MaxGridExtensions cap){(fInfinity is null ? "" : $", and {c.Name} = ∞ was worse")}, so the optimum of {c.Name} may lie above it. Add larger values to {c.GridName} or raise MaxGridExtensions.";
        else if (lowerCapped && best == points[0].V)
            boundary = $"Tuning: the criterion was lowest at {c.Name} = {N(points[0].V)}, the smallest positive value searched ({c.GridName}'s smallest positive value {N(c.Positive[0])} / {N(ExtensionFactor)}^{_o.MaxGridExtensions}, the MaxGridExtensions cap){(fZero is null ? $", so the optimum of {c.Name} may lie below it" : $", and {c.Name} = 0 was worse, so the optimum of {c.Name} lies between 0 and {N(points[0].V)}")}. Add smaller values to {c.GridName} or raise MaxGridExtensions.";
        return (best, boundary);
    }

    /// <summary>Whether a coordinate moved: to or from an off value, or by more than the tolerance in log λ.</summary>
    private bool Moved(double from, double to) =>
        from != to && (!(from > 0 && double.IsFinite(from) && to > 0 && double.IsFinite(to)) || Math.Abs(Math.Log(to / from)) > _o.LambdaTolerance);

    /// <summary>Q at the triple <paramref name="p"/>, evaluated once and recorded in the trace.</summary>
    private double Evaluate(double[] p)
    {
        _ct.ThrowIfCancellationRequested();
        var key = (p[0], p[1], p[2]);
        if (_memo.TryGetValue(key, out var q)) return q;
        q = _criterion(p[0], p[1], p[2]);
        _memo[key] = q;
        _trace.Add(new DwcpTuningPoint(p[0], p[1], p[2], q));
        return q;
    }
}
