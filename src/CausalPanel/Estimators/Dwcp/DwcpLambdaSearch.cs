using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>The λ's the tuning chose, every triple it evaluated (in order), and a warning for each λ left on a search boundary.</summary>
internal sealed record DwcpLambdaChoice(double Unit, double Time, double Nuclear, IReadOnlyList<DwcpTuningPoint> Trace, IReadOnlyList<string> Warnings);

/// <summary>
/// Chooses DWCP's free λ's by coordinate-wise minimisation of a criterion Q(λ_unit, λ_time, λ_nuclear) (Athey, Imbens,
/// Qu and Viviano 2025, §3 and footnote 2: one-dimensional searches of each λ from the "off" point (0, 0, ∞), then
/// cycling through the coordinates from there until none moves). One coordinate's search, the others held:
/// <list type="number">
/// <item>the current value, the off value (λ_unit, λ_time = 0; λ_nuclear = ∞) and every grid value are evaluated, and
/// when the current value lies beyond an end of the grid, the extension ladder between them (end × or ÷ <see cref="ExtensionFactor"/>^j);</item>
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
/// finds one basin. A global step follows (<see cref="Restarts"/>: by default 0.005 with leave-one-out tuning): from the
/// first optimum's (λ_unit, λ_time) with λ_nuclear at each restart value, (λ_unit, λ_time) are cycled with λ_nuclear held
/// there (a basin at small λ_nuclear needs them to move first: freed at once, λ_nuclear would return to the first basin),
/// then all free λ's from the point reached; the lowest end point is kept. The restarts' searches are local
/// (<see cref="LocalSearch"/>: no grid, no off values, which at small λ_nuclear are the slowest fits and far from the
/// optimum) and refined, and their cycles stopped, to <see cref="DwcpOptions.RestartLambdaTolerance"/>; each of their
/// cycles that moves is followed by pattern moves (<see cref="PatternMoves"/>), and a restart end point that wins is
/// refined by local cycles to <see cref="DwcpOptions.LambdaTolerance"/>. Each evaluation
/// in a one-dimensional search is given as a bound the lowest value its search has found among the λ's searched values;
/// a criterion may stop once it is known to exceed it (<see cref="Bounded"/>), which changes no decision. Searching is
/// done with the criterion's fits solved to <see cref="DwcpOptions.TuningTolerance"/>; at the end every triple whose
/// criterion is within <see cref="ReevaluationMargin"/> of the lowest is re-evaluated at <see cref="DwcpOptions.Tolerance"/>
/// (its trace entry replaced), and the chosen triple is the lowest of the trace. A coordinate
/// "moves" when it changes by more than <see cref="DwcpOptions.LambdaTolerance"/> (in the restarts
/// <see cref="DwcpOptions.RestartLambdaTolerance"/>) in log λ or switches to or from an off value. Each triple is
/// evaluated once (memoised; one stopped early is evaluated again only when a later search gives it a higher bound); the criterion is called on the caller's thread, in a fixed order,
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

    /// <summary>The default λ_nuclear restart of leave-one-out tuning (see <see cref="DwcpOptions.LambdaNuclearRestarts"/>).</summary>
    public const double DefaultRestart = 0.005;

    private readonly DwcpOptions _o;
    private readonly Bounded _criterion;
    private readonly bool _loose;
    private readonly CancellationToken _ct;
    private readonly List<DwcpTuningPoint> _trace = [];
    private double _tolerance;   // of golden section and of a move: LambdaTolerance, RestartLambdaTolerance in the restarts
    private readonly Dictionary<(double, double, double), int> _memo = [];   // triple → its trace entry
    private readonly Dictionary<(int, double), string> _capped = [];   // (coordinate, value) of a capped end of a search: its warning

    /// <summary>One λ: its position in the triple, its names, its off value, the values searched as they are (the off value and 0 or ∞ in its grid), and its positive finite grid values in increasing order (empty when given).</summary>
    private sealed record Coordinate(int Index, string Name, string GridName, double Off, double[] Specials, double[] Positive);

    /// <summary>
    /// A criterion Q(λ_unit, λ_time, λ_nuclear, exact, bound) that may stop early: Complete = false when it stopped because
    /// a partial sum of its non-negative terms already exceeded <c>bound</c>; Value is then that partial sum, a lower bound
    /// of Q above <c>bound</c>.
    /// </summary>
    public delegate (double Value, bool Complete) Bounded(double unit, double time, double nuclear, bool exact, double bound);

    /// <summary>A criterion that always evaluates in full, as a <see cref="Bounded"/> one.</summary>
    public static Bounded Unbounded(Func<double, double, double, bool, double> criterion) => (u, t, n, exact, _) => (criterion(u, t, n, exact), true);

    private DwcpLambdaSearch(DwcpOptions o, Bounded criterion, bool loose, CancellationToken ct) =>
        (_o, _criterion, _loose, _ct, _tolerance) = (o, criterion, loose && o.TuningTolerance > o.Tolerance, ct, o.LambdaTolerance);

    /// <summary>
    /// Searches the λ's of <paramref name="o"/> left null, minimising the criterion Q(λ_unit, λ_time, λ_nuclear, exact) that
    /// <paramref name="criterion"/> builds — only when a λ is free, so that given λ's never pay for (or are refused by) the
    /// criterion's setup. With <paramref name="loose"/>, the criterion solves its fits to <see cref="DwcpOptions.TuningTolerance"/>
    /// unless asked for the exact value (to <see cref="DwcpOptions.Tolerance"/>), and the search re-evaluates its best triples
    /// exactly; otherwise the flag is ignored and every value is final.
    /// </summary>
    public static DwcpLambdaChoice Choose(DwcpOptions o, Func<Func<double, double, double, bool, double>> criterion, CancellationToken ct, bool loose = false) =>
        Choose(o, () => Unbounded(criterion()), ct, loose);

    /// <summary>
    /// As the overload above, with a criterion that may stop early once it exceeds the bound the search gives it: the
    /// lowest value evaluated so far by the current one-dimensional search among the λ's searched values (those that can
    /// be its best), so that an evaluation stopped early is known to be worse than a value already in hand and every
    /// decision of the search is the one the full values would give. Its trace entry is marked
    /// <see cref="DwcpTuningPoint.Partial"/>.
    /// </summary>
    public static DwcpLambdaChoice Choose(DwcpOptions o, Func<Bounded> criterion, CancellationToken ct, bool loose = false)
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
        var restarted = false;
        if (coordinates[2] is not null)
            foreach (var nuclear in Restarts(_o))
            {
                double[] q = [unit, time, nuclear];
                _tolerance = _o.RestartLambdaTolerance;
                Cycles(held, q, local: true);
                var settled = Cycles(free, q, local: true);
                _tolerance = _o.LambdaTolerance;
                if (Evaluate(q) < Evaluate(p)) (p, converged, restarted) = (q, settled, true);
            }
        // A restart's end point was searched to RestartLambdaTolerance only: when one wins, its basin is refined by local
        // cycles to LambdaTolerance (as the first optimum was), with pattern moves along its valley.
        if (restarted) converged = Cycles(free, p, local: true);

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
                _trace[k] = point with { Criterion = _criterion(point.LambdaUnit, point.LambdaTime, point.LambdaNuclear, true, double.PositiveInfinity).Value };
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

    /// <summary>
    /// The λ_nuclear restarts of <paramref name="o"/>: <see cref="DwcpOptions.LambdaNuclearRestarts"/>, or when it is null
    /// 0.005 for leave-one-out tuning and none for placebo tuning (whose criterion costs a placebo estimate per draw).
    /// </summary>
    public static IReadOnlyList<double> Restarts(DwcpOptions o) =>
        o.LambdaNuclearRestarts ?? (o.Tuning is DwcpTuning.LeaveOneOut or DwcpTuning.LeaveOneOutSubset || o.Tuning == DwcpTuning.Automatic && o.Mode == DwcpMode.PerCell ? [DefaultRestart] : []);

    /// <summary>Coordinate cycles over <paramref name="coordinates"/> from <paramref name="p"/> (updated in place) until none moves: whether they stopped moving within <see cref="DwcpOptions.MaxTuningCycles"/>.</summary>
    private bool Cycles(Coordinate[] coordinates, double[] p, bool local = false)
    {
        for (var cycle = 0; cycle < _o.MaxTuningCycles; cycle++)
        {
            var converged = true;
            var before = (double[])p.Clone();
            foreach (var c in coordinates)
            {
                var value = local ? LocalSearch(c, p) : Search(c, p);
                if (Moved(p[c.Index], value)) converged = false;
                p[c.Index] = value;
            }
            if (converged) return true;
            if (local) PatternMoves(coordinates, before, p);
        }
        return false;
    }

    /// <summary>
    /// After a local cycle moved from <paramref name="before"/> to <paramref name="p"/>: the same move again, in log λ
    /// (each free λ × its cycle's ratio), taken while strictly better and within the caps (Hooke and Jeeves' pattern move).
    /// In a valley along which the λ's move together — California's basin at small λ_nuclear, where λ_unit falls and
    /// λ_time rises with it — one-coordinate cycles advance a little each; the pattern move follows the valley's direction.
    /// Only when every free λ of both points is positive and finite.
    /// </summary>
    private void PatternMoves(Coordinate[] coordinates, double[] before, double[] p)
    {
        if (!coordinates.All(c => before[c.Index] > 0 && double.IsFinite(before[c.Index]) && p[c.Index] > 0 && double.IsFinite(p[c.Index]))) return;
        var ratios = coordinates.Select(c => p[c.Index] / before[c.Index]).ToArray();
        var f = Evaluate(p);
        while (true)
        {
            var q = (double[])p.Clone();
            for (var k = 0; k < coordinates.Length; k++)
            {
                var c = coordinates[k];
                q[c.Index] *= ratios[k];
                var (highest, smallest) = Caps(c);
                if (q[c.Index] > highest * (1 + 1e-12) || q[c.Index] < smallest * (1 - 1e-12)) return;
            }
            var fq = Evaluate(q, f);
            if (!(fq < f)) return;
            q.CopyTo(p, 0);
            f = fq;
        }
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
        var lowest = double.PositiveInfinity;   // of the positive finite values evaluated: the bound of every later evaluation
        double At(double v)
        {
            q[c.Index] = v;
            var f = Evaluate(q, lowest);
            if (v > 0 && double.IsFinite(v)) lowest = Math.Min(lowest, f);
            return f;
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
        // λ_nuclear's grid is evaluated downwards, so that each cell's fit starts from the solution at the next larger λ
        // (a continuation path from L = 0); the others' upwards. Either way the list is in increasing order.
        var points = (c.Index == 2 ? c.Positive.Reverse() : c.Positive).Select(v => (V: v, F: At(v))).OrderBy(point => point.V).ToList();
        var current = p[c.Index];
        if (current > 0 && double.IsFinite(current) && !points.Exists(point => point.V == current))
        {
            var at = points.FindIndex(point => point.V > current);
            points.Insert(at < 0 ? points.Count : at, (current, At(current)));
        }
        // A current value beyond the grid's end (from an earlier extension or refinement) is joined to it by the
        // extension ladder (end × or ÷ ExtensionFactor^j), so that a minimum between the two is bracketed and refined:
        // without it a current value at the cap was compared with the grid only, kept, and warned about as capped.
        for (var v = c.Positive[^1] * ExtensionFactor; v < current * (1 - 1e-12) && double.IsFinite(current); v *= ExtensionFactor)
            points.Add((v, At(v)));
        for (var v = c.Positive[0] / ExtensionFactor; v > current * (1 + 1e-12) && current > 0; v /= ExtensionFactor)
            points.Add((v, At(v)));
        points.Sort((a, b) => a.V.CompareTo(b.V));
        var (highest, smallest) = Caps(c);
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
                if (v < smallest * (1 - 1e-12)) { lowerCapped = true; break; }
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
            }, Math.Log(points[k - 1].V), Math.Log(points[k].V), points[k].F, Math.Log(points[k + 1].V), _tolerance);

        if (upperCapped) CappedAbove(c, points[^1].V, highest, infinityWorse: fInfinity is not null);
        if (lowerCapped) CappedBelow(c, points[0].V, smallest, zeroWorse: fZero is not null);
        return best;
    }

    /// <summary>Records the warning of a search whose lowest value was <paramref name="v"/>, its upper cap <paramref name="highest"/>.</summary>
    private void CappedAbove(Coordinate c, double v, double highest, bool infinityWorse) =>
        _capped[(c.Index, v)] = $"Tuning: the criterion was lowest at {c.Name} = {N(v)}, the largest value searched (the MaxGridExtensions cap is {c.GridName}'s largest value {N(c.Positive[^1])} × {N(ExtensionFactor)}^{_o.MaxGridExtensions} = {N(highest)}){(infinityWorse ? $", and {c.Name} = ∞ was worse" : "")}, so the optimum of {c.Name} may lie above it. Add larger values to {c.GridName} or raise MaxGridExtensions.";

    /// <summary>Records the warning of a search whose lowest value was <paramref name="v"/>, its lower cap <paramref name="smallest"/>.</summary>
    private void CappedBelow(Coordinate c, double v, double smallest, bool zeroWorse) =>
        _capped[(c.Index, v)] = $"Tuning: the criterion was lowest at {c.Name} = {N(v)}, the smallest positive value searched (the MaxGridExtensions cap is {c.GridName}'s smallest positive value {N(c.Positive[0])} / {N(ExtensionFactor)}^{_o.MaxGridExtensions} = {N(smallest)}){(zeroWorse ? $", and {c.Name} = 0 was worse, so the optimum of {c.Name} lies between 0 and {N(v)}" : $", so the optimum of {c.Name} may lie below it")}. Add smaller values to {c.GridName} or raise MaxGridExtensions.";

    private static string N(double x) => SummaryText.Number(x);

    /// <summary>
    /// One coordinate's local search from a positive finite current value (the others held at <paramref name="p"/>):
    /// the value and its neighbours × and ÷ <see cref="ExtensionFactor"/>, stepping on by that factor while the new end is
    /// strictly better (within the same caps as <see cref="Search"/>), then golden section between the best point's
    /// neighbours. The grid is not evaluated, and the off value only when the steps pass the grid's end towards it (taken if
    /// at least as good, as in <see cref="Search"/>). From an off value (0 or ∞) its neighbour is the
    /// grid's nearest positive value (the smallest, or the largest): the search moves there, and on from there, only if it
    /// is better.
    /// </summary>
    private double LocalSearch(Coordinate c, double[] p)
    {
        var x = p[c.Index];
        if (c.Positive.Length == 0) return Search(c, p);
        var q = (double[])p.Clone();
        if (!(x > 0 && double.IsFinite(x)))
        {
            var fOff = Evaluate(q);
            q[c.Index] = x == 0 ? c.Positive[0] : c.Positive[^1];
            if (!(Evaluate(q, fOff) < fOff)) return x;
            x = q[c.Index];
        }
        var lowestValue = double.PositiveInfinity;
        double At(double v)
        {
            q[c.Index] = v;
            var f = Evaluate(q, lowestValue);
            lowestValue = Math.Min(lowestValue, f);
            return f;
        }
        // Stepping past the grid towards the off value at that end (0 below for λ_unit and λ_time, ∞ above for λ_nuclear),
        // as in Search: the off value is evaluated, and taken if it is at least as good as the best value.
        bool OffIsAsGood(double end, double fBest)
        {
            if (end != c.Off) return false;
            q[c.Index] = end;
            return Evaluate(q, fBest) <= fBest;
        }
        var (highest, lowest) = Caps(c);
        double fx = At(x), hi = x * ExtensionFactor, lo = x / ExtensionFactor;
        double fhi = hi <= highest * (1 + 1e-12) ? At(hi) : double.PositiveInfinity;
        double flo = lo >= lowest * (1 - 1e-12) ? At(lo) : double.PositiveInfinity;
        bool upperCapped = false, lowerCapped = false;
        if (fhi < fx && fhi <= flo)
            while (fhi < fx)
            {
                (lo, flo, x, fx) = (x, fx, hi, fhi);
                hi = x * ExtensionFactor;
                if (hi > highest * (1 + 1e-12)) { upperCapped = true; break; }
                if (hi > c.Positive[^1] && OffIsAsGood(double.PositiveInfinity, fx)) return double.PositiveInfinity;
                fhi = At(hi);
            }
        else if (flo < fx)
            while (flo < fx)
            {
                (hi, fhi, x, fx) = (x, fx, lo, flo);
                lo = x / ExtensionFactor;
                if (lo < lowest * (1 - 1e-12)) { lowerCapped = true; break; }
                if (lo < c.Positive[0] && OffIsAsGood(0, fx)) return 0;
                flo = At(lo);
            }
        double best = x, fBest = fx;
        if (!upperCapped && !lowerCapped && double.IsFinite(fhi) && double.IsFinite(flo))
            GoldenSection.Minimise(u =>
            {
                var v = Math.Exp(u);
                var f = At(v);
                if (f < fBest) (best, fBest) = (v, f);
                return f;
            }, Math.Log(lo), Math.Log(x), fx, Math.Log(hi), _tolerance);
        if (upperCapped) CappedAbove(c, x, highest, infinityWorse: false);
        if (lowerCapped) CappedBelow(c, x, lowest, zeroWorse: false);
        return best;
    }

    /// <summary>How far a search may extend <paramref name="c"/>'s grid: its largest and smallest positive values × and ÷ <see cref="ExtensionFactor"/>^MaxGridExtensions.</summary>
    private (double Highest, double Smallest) Caps(Coordinate c)
    {
        var reach = Math.Pow(ExtensionFactor, _o.MaxGridExtensions);
        return (c.Positive[^1] * reach, c.Positive[0] / reach);
    }

    /// <summary>Whether a coordinate moved: to or from an off value, or by more than the tolerance in log λ.</summary>
    private bool Moved(double from, double to) =>
        from != to && (!(from > 0 && double.IsFinite(from) && to > 0 && double.IsFinite(to)) || Math.Abs(Math.Log(to / from)) > _tolerance);

    /// <summary>
    /// Q at the triple <paramref name="p"/>, evaluated once and recorded in the trace — or a lower bound above
    /// <paramref name="bound"/> if the criterion stopped early (a later call with a bound at or above it evaluates again,
    /// replacing the trace entry).
    /// </summary>
    private double Evaluate(double[] p, double bound = double.PositiveInfinity)
    {
        _ct.ThrowIfCancellationRequested();
        var key = (p[0], p[1], p[2]);
        if (_memo.TryGetValue(key, out var at) && (!_trace[at].Partial || _trace[at].Criterion > bound)) return _trace[at].Criterion;
        var (q, complete) = _criterion(p[0], p[1], p[2], !_loose, bound);
        var point = new DwcpTuningPoint(p[0], p[1], p[2], q) { Partial = !complete };
        if (_memo.TryGetValue(key, out at)) _trace[at] = point;
        else
        {
            _memo[key] = _trace.Count;
            _trace.Add(point);
        }
        return q;
    }
}
