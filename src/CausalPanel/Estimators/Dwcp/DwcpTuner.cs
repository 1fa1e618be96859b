using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// Chooses DWCP's λ's (Athey, Imbens, Qu and Viviano 2025, §3 and footnote 2): one-dimensional
/// searches of each free λ from the "off" point (λ_unit = 0, λ_time = 0, λ_nuclear = ∞), then
/// coordinate-wise cycling from those optima until the triple stops changing. Ties go to the first grid
/// value; every triple is evaluated once. The criterion is leave-one-out prediction error (Eqs. 4–5) or
/// the authors' placebo block RMSE.
/// </summary>
internal static class DwcpTuner
{
    /// <summary>Searches the free λ's of <paramref name="o"/> minimising <paramref name="criterion"/>(λ_unit, λ_time, λ_nuclear).</summary>
    public static (double Unit, double Time, double Nuclear, IReadOnlyList<DwcpTuningPoint> Trace) Choose(
        DwcpOptions o, Func<double, double, double, double> criterion, CancellationToken ct)
    {
        if (o.LambdaUnit is { } u0 && o.LambdaTime is { } t0 && o.LambdaNuclear is { } n0) return (u0, t0, n0, []);

        var trace = new List<DwcpTuningPoint>();
        var memo = new Dictionary<(double, double, double), double>();
        double Q(double lu, double lt, double ln)
        {
            ct.ThrowIfCancellationRequested();
            if (memo.TryGetValue((lu, lt, ln), out var q)) return q;
            q = criterion(lu, lt, ln);
            memo[(lu, lt, ln)] = q;
            trace.Add(new DwcpTuningPoint(lu, lt, ln, q));
            return q;
        }

        static double ArgMin(IEnumerable<double> grid, Func<double, double> value)
        {
            double best = double.NaN, bestValue = double.PositiveInfinity;
            foreach (var g in grid)
            {
                var v = value(g);
                if (double.IsNaN(best) || v < bestValue) (best, bestValue) = (g, v);
            }
            return best;
        }

        var unitGrid = o.LambdaUnit is { } fu ? [fu] : o.LambdaUnitGrid.Prepend(0).Distinct().ToArray();
        var timeGrid = o.LambdaTime is { } ft ? [ft] : o.LambdaTimeGrid.Prepend(0).Distinct().ToArray();
        var nuclearGrid = o.LambdaNuclear is { } fn ? [fn] : o.LambdaNuclearGrid.Prepend(double.PositiveInfinity).Distinct().ToArray();
        double offU = o.LambdaUnit ?? 0, offT = o.LambdaTime ?? 0, offN = o.LambdaNuclear ?? double.PositiveInfinity;

        var lambdaUnit = ArgMin(unitGrid, g => Q(g, offT, offN));
        var lambdaTime = ArgMin(timeGrid, g => Q(offU, g, offN));
        var lambdaNuclear = ArgMin(nuclearGrid, g => Q(offU, offT, g));
        for (var cycle = 0; cycle < o.MaxTuningCycles; cycle++)
        {
            var before = (lambdaUnit, lambdaTime, lambdaNuclear);
            lambdaUnit = ArgMin(unitGrid, g => Q(g, lambdaTime, lambdaNuclear));
            lambdaTime = ArgMin(timeGrid, g => Q(lambdaUnit, g, lambdaNuclear));
            lambdaNuclear = ArgMin(nuclearGrid, g => Q(lambdaUnit, lambdaTime, g));
            if (before == (lambdaUnit, lambdaTime, lambdaNuclear)) break;
        }
        return (lambdaUnit, lambdaTime, lambdaNuclear, trace);
    }

    /// <summary>
    /// Q(λ) = Σ (Y_it − Ŷ_it^{(−it)}(λ))² over all untreated cells, or a seeded subset of
    /// <see cref="DwcpOptions.TuningCells"/> of them (the same for every λ); +∞ if any is not identified.
    /// </summary>
    public static Func<double, double, double, double> LeaveOneOut(DwcpOptions o, DwcpCore core, CancellationToken ct)
    {
        var cells = core.UntreatedCells().ToList();
        if (o.Tuning != DwcpTuning.LeaveOneOut && cells.Count > o.TuningCells)
        {
            var random = new Random(o.Seed);
            for (var k = 0; k < o.TuningCells; k++)
            {
                var j = k + random.Next(cells.Count - k);
                (cells[k], cells[j]) = (cells[j], cells[k]);
            }
            cells = cells.GetRange(0, o.TuningCells);
        }
        // Each cell's fit starts from its low-rank part and singular vectors at the previously evaluated triple
        // (the search moves one coordinate at a time, so that point is near).
        var warm = cells.Select(_ => new WeightedLowRankRegression.WarmStart()).ToArray();
        return (lu, lt, ln) =>
        {
            var errors = new double[cells.Count];
            core.InParallel(cells.Count, ct, (k, workspace) =>
            {
                var (i, s) = cells[k];
                var fit = core.Fit(i, s, lu, lt, ln, leaveOut: true, warm[k], ct, workspace);
                errors[k] = core.Identified(fit, i, s) ? Math.Pow(core.Outcome(i, s) - fit.Fitted(i, s), 2) : double.PositiveInfinity;
            });
            return errors.Sum();
        };
    }

    /// <summary>
    /// The authors' placebo block criterion: on the never-treated rows only, draw
    /// <paramref name="treatedUnits"/> of them per draw (seeded by (seed, draw), the same draws for every
    /// λ), whose last T1 periods <paramref name="estimate"/>(draw index, rows, λ's) treats; it returns τ̂
    /// (null if not identified), and the criterion is √(mean τ̂²). Each draw runs on one thread at a time.
    /// </summary>
    public static Func<double, double, double, double> Placebo(DwcpOptions o, int controls, int treatedUnits,
        Func<int, int[], double, double, double, double?> estimate, CancellationToken ct)
    {
        var draws = new int[o.PlaceboDraws][];
        for (var d = 0; d < draws.Length; d++)
        {
            var random = new Random(unchecked(o.Seed * 1_000_003 + d));   // deterministic across processes (HashCode is not)
            draws[d] = Enumerable.Range(0, controls).OrderBy(_ => random.Next()).Take(treatedUnits).Order().ToArray();
        }
        return (lu, lt, ln) =>
        {
            var squares = new double[draws.Length];
            Parallel.For(0, draws.Length, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, d =>
                squares[d] = estimate(d, draws[d], lu, lt, ln) is { } tau ? tau * tau : double.PositiveInfinity);
            return Math.Sqrt(squares.Average());
        };
    }
}
