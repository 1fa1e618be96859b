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
/// <item>if the best positive finite value among the grid and the current value is the largest (smallest) of them,
/// they are extended geometrically upwards (downwards) by <see cref="ExtensionFactor"/> while the new end is strictly
/// better, not past the grid's end × (÷) <see cref="ExtensionFactor"/>^<see cref="DwcpOptions.MaxGridExtensions"/> — unless the off value at that end (∞ above for λ_nuclear, 0 below for
/// λ_unit and λ_time) is at least as good, for then the criterion is approaching the off value, which was evaluated;</item>
/// <item>a best value with searched points on both sides is refined by golden-section search on log λ between them, to a
/// bracket of <see cref="DwcpOptions.LambdaTolerance"/>;</item>
/// <item>the coordinate takes the best value evaluated, the current one on ties.</item>
/// </list>
/// The cycles start from the best triple evaluated by the first searches and their combination, and every search
/// includes the current value, so Q never increases. The criterion is not unimodal in λ_nuclear (on California it has
/// local minima at λ_nuclear ≈ 0.068, 0.02 and, at other (λ_unit, λ_time), 0.007), so coordinate search from one start
/// finds one basin. A global step follows: from the first optimum's (λ_unit, λ_time) with λ_nuclear at each value of
/// <see cref="DwcpOptions.LambdaNuclearRestarts"/>, (λ_unit, λ_time) are cycled with λ_nuclear held there (a basin at
/// small λ_nuclear needs them to move first: freed at once, λ_nuclear would return to the first basin), then all free
/// λ's from the point reached; the lowest end point is kept. Searching is
/// done with the criterion's fits solved to <see cref="DwcpOptions.TuningTolerance"/>; at the end every triple whose
/// criterion is within <see cref="ReevaluationMargin"/> of the lowest is re-evaluated at <see cref="DwcpOptions.Tolerance"/>
/// (its trace entry replaced), and the chosen triple is the lowest of the trace. A coordinate
/// "moves" when it changes by more than <see cref="DwcpOptions.LambdaTolerance"/> in log λ or switches to or from an off
/// value. Each triple is evaluated once (memoised); the criterion is called on the caller's thread, in a fixed order,
/// so the search is deterministic whenever the criterion is; cancellation is checked before every evaluation.
/// </summary>
internal sealed class DwcpLambdaSearch
{
    /// <summary>Each extension step multiplies (or divides) the outermost value by 2: a cap of k steps reaches 2^k times past the grid.</summary>
    public const double ExtensionFactor = 2;

    /// <summary>
    /// Relative margin above the lowest search-tolerance criterion within which triples are re-evaluated at full
    /// tolerance: 10⁻³, 16 times the largest difference measured between the two (6·10⁻⁵ at tolerance 10⁻⁵ on
    /// California, λ_nuclear down to 0.005), so that no triple left at its search value can be below the re-evaluated
    /// minimum.
    /// </summary>
    public const double ReevaluationMargin = 1e-3;

    private readonly DwcpOptions _o;
    private readonly Func<double, double, double, bool, double> _criterion;
    private readonly bool _loose;
    private readonly CancellationToken _ct;
    private readonly List<DwcpTuningPoint> _trace = [];
    private readonly Dictionary<(double, double, double), double> _memo = [];
    private readonly Dictionary<(int, double), string> _capped = [];   // (coordinate, value) of a capped end of a search: its warning

    /// <summary>One λ: its position in the triple, its names, its off value, the values searched as they are (the off value and 0 or ∞ in its grid), and its positive finite grid values in increasing order (empty when given).</summary>
    private sealed record Coordinate(int Index, string Name, string GridName, double Off, double[] Specials, double[] Positive);

    private DwcpLambdaSearch(DwcpOptions o, Func<double, double, double, bool, double> criterion, bool loose, CancellationToken ct) =>
        (_o, _criterion, _loose, _ct) = (o, criterion, loose && o.TuningTolerance > o.Tolerance, ct);

    /// <summary>
    /// Searches the λ's of <paramref name="o"/> left null, minimising the criterion Q(λ_unit, λ_time, λ_nuclear, exact) that
    /// <paramref name="criterion"/> builds — only when a λ is free, so that given λ's never pay for (or are refused by) the
    /// criterion's setup. With <paramref name="loose"/>, the criterion solves its fits to <see cref="DwcpOptions.TuningTolerance"/>
    /// unless asked for the exact value (to <see cref="DwcpOptions.Tolerance"/>), and the search re-evaluates its best triples
    /// exactly; otherwise the flag is ignored and every value is final.
    /// </summary>
    public static DwcpLambdaChoice Choose(DwcpOptions o, Func<Func<double, double, double, bool, double>> criterion, CancellationToken ct, bool loose = false)
    {
        if (o.LambdaUnit is { } u && o.LambdaTime is { } t && o.LambdaNuclear is { } n) return new(u, t, n, [], []);
        return new DwcpLambdaSearch(o, criterion(), loose, ct).Run();
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
        foreach (var c in free) start[c.Index] = Search(c, off);
        Evaluate(start);
        var p = Best();
        var converged = Cycles(free, p);

        // Global step: from the first optimum's (λ_unit, λ_time) with λ_nuclear at each restart value, cycles of λ_unit
        // and λ_time with λ_nuclear held there, then of all free λ's; the lowest end point wins.
        var (unit, time) = (p[0], p[1]);
        var held = free.Where(c => c.Index != 2).ToArray();
        if (coordinates[2] is not null)
            foreach (var nuclear in _o.LambdaNuclearRestarts)
            {
                double[] q = [unit, time, nuclear];
                Cycles(held, q);
                var settled = Cycles(free, q);
                if (Evaluate(q) < Evaluate(p)) (p, converged) = (q, settled);
            }

        if (_loose)
        {
            // Re-evaluate the triples near the lowest at full tolerance; the others are above it by more than any
            // difference between the two tolerances.
            var lowest = _trace.Min(point => point.Criterion);
            for (var k = 0; k < _trace.Count; k++)
            {
                var point = _trace[k];
                if (!(point.Criterion <= lowest * (1 + ReevaluationMargin))) continue;
                _ct.ThrowIfCancellationRequested();
                _trace[k] = point with { Criterion = _criterion(point.LambdaUnit, point.LambdaTime, point.LambdaNuclear, true) };
            }
            p = Best();
        }

        List<string> warnings = [];
        foreach (var c in free)
            if (_capped.TryGetValue((c.Index, p[c.Index]), out var boundary)) warnings.Add(boundary);
        if (!converged)
            warnings.Add($"Tuning: the λ's still moved in the last of MaxTuningCycles = {_o.MaxTuningCycles} coordinate cycles, so the chosen triple is the best evaluated but not a coordinate-wise optimum. Raise MaxTuningCycles.");
        return new(p[0], p[1], p[2], _trace, warnings);
    }

    /// <summary>Coordinate cycles over <paramref name="coordinates"/> from <paramref name="p"/> (updated in place) until none moves: whether they stopped moving within <see cref="DwcpOptions.MaxTuningCycles"/>.</summary>
    private bool Cycles(Coordinate[] coordinates, double[] p)
    {
        for (var cycle = 0; cycle < _o.MaxTuningCycles; cycle++)
        {
            var converged = true;
            foreach (var c in coordinates)
            {
                var value = Search(c, p);
                if (Moved(p[c.Index], value)) converged = false;
                p[c.Index] = value;
            }
            if (converged) return true;
        }
        return false;
    }

    /// <summary>The lowest triple of the trace (the earliest on ties).</summary>
    private double[] Best()
    {
        var best = _trace[0];
        foreach (var point in _trace) if (point.Criterion < best.Criterion) best = point;
        return [best.LambdaUnit, best.LambdaTime, best.LambdaNuclear];
    }

    /// <summary>The coordinate of a λ to tune (null when it is given).</summary>
    private static Coordinate? Free(int index, string name, string gridName, double? given, double off, IReadOnlyList<double> grid) =>
        given is null
            ? new(index, name, gridName, off, [off, .. grid.Where(g => g != off && !(g > 0 && double.IsFinite(g))).Distinct()],
                [.. grid.Where(g => g > 0 && double.IsFinite(g)).Distinct().Order()])
            : null;

    /// <summary>
    /// One coordinate's search with the others held at <paramref name="p"/>: its best value. A capped end of the search
    /// is recorded with its warning, given if the chosen triple ends there.
    /// </summary>
    private double Search(Coordinate c, double[] p)
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
        if (c.Positive.Length == 0) return best;

        // The grid and the current value (a refined or restart value between or beyond the grid's points), in order; the
        // extensions stop at the grid's ends × or ÷ ExtensionFactor^MaxGridExtensions.
        var points = c.Positive.Select(v => (V: v, F: At(v))).ToList();
        var current = p[c.Index];
        if (current > 0 && double.IsFinite(current) && !points.Exists(point => point.V == current))
        {
            var at = points.FindIndex(point => point.V > current);
            points.Insert(at < 0 ? points.Count : at, (current, At(current)));
        }
        double reach = Math.Pow(ExtensionFactor, _o.MaxGridExtensions), highest = c.Positive[^1] * reach, lowest = c.Positive[0] / reach;
        var k = 0;
        for (var j = 1; j < points.Count; j++) if (points[j].F < points[k].F) k = j;
        bool upperCapped = false, lowerCapped = false;
        if (k == points.Count - 1 && !(fInfinity <= points[k].F))
            while (true)
            {
                var v = points[^1].V * ExtensionFactor;
                if (v > highest * (1 + 1e-12)) { upperCapped = true; break; }
                points.Add((v, At(v)));
                if (!(points[^1].F < points[k].F)) break;
                k = points.Count - 1;
            }
        if (k == 0 && !(fZero <= points[0].F))
            while (true)
            {
                var v = points[0].V / ExtensionFactor;
                if (v < lowest * (1 - 1e-12)) { lowerCapped = true; break; }
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
        if (upperCapped)
            _capped[(c.Index, points[^1].V)] = $"Tuning: the criterion was lowest at {c.Name} = {N(points[^1].V)}, the largest value searched (the MaxGridExtensions cap is {c.GridName}'s largest value {N(c.Positive[^1])} × {N(ExtensionFactor)}^{_o.MaxGridExtensions} = {N(highest)}){(fInfinity is null ? "" : $", and {c.Name} = ∞ was worse")}, so the optimum of {c.Name} may lie above it. Add larger values to {c.GridName} or raise MaxGridExtensions.";
        if (lowerCapped)
            _capped[(c.Index, points[0].V)] = $"Tuning: the criterion was lowest at {c.Name} = {N(points[0].V)}, the smallest positive value searched (the MaxGridExtensions cap is {c.GridName}'s smallest positive value {N(c.Positive[0])} / {N(ExtensionFactor)}^{_o.MaxGridExtensions} = {N(lowest)}){(fZero is null ? $", so the optimum of {c.Name} may lie below it" : $", and {c.Name} = 0 was worse, so the optimum of {c.Name} lies between 0 and {N(points[0].V)}")}. Add smaller values to {c.GridName} or raise MaxGridExtensions.";
        return best;
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
        q = _criterion(p[0], p[1], p[2], !_loose);
        _memo[key] = q;
        _trace.Add(new DwcpTuningPoint(p[0], p[1], p[2], q));
        return q;
    }
}
