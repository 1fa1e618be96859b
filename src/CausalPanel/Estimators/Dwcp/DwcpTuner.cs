namespace CausalPanel;

/// <summary>
/// Chooses DWCP's λ's by leave-one-out prediction error on untreated cells (Athey, Imbens, Qu and
/// Viviano 2025, Eqs. 4–5): Q(λ) = Σ (Y_it − Ŷ_it^{(−it)}(λ))² over the scored cells, +∞ if any is not
/// identified. Search (paper footnote 2): one-dimensional searches of each free λ from the "off" point
/// (λ_unit = 0, λ_time = 0, λ_nuclear = ∞), then coordinate-wise cycling from those optima until the
/// triple stops changing. Ties go to the first grid value; every triple is evaluated once.
/// </summary>
internal static class DwcpTuner
{
    public static (double Unit, double Time, double Nuclear, IReadOnlyList<DwcpTuningPoint> Trace) Choose(DwcpOptions o, DwcpCore core, CancellationToken ct)
    {
        if (o.LambdaUnit is { } u0 && o.LambdaTime is { } t0 && o.LambdaNuclear is { } n0) return (u0, t0, n0, []);

        var cells = core.UntreatedCells().ToList();
        if (o.Tuning == DwcpTuning.LeaveOneOutSubset && cells.Count > o.TuningCells)
        {
            var random = new Random(o.Seed);
            for (var k = 0; k < o.TuningCells; k++)
            {
                var j = k + random.Next(cells.Count - k);
                (cells[k], cells[j]) = (cells[j], cells[k]);
            }
            cells = cells.GetRange(0, o.TuningCells);
        }

        var trace = new List<DwcpTuningPoint>();
        var memo = new Dictionary<(double, double, double), double>();
        double Q(double lu, double lt, double ln)
        {
            if (memo.TryGetValue((lu, lt, ln), out var q)) return q;
            var errors = new double[cells.Count];
            Parallel.For(0, cells.Count, new ParallelOptions { CancellationToken = ct }, k =>
            {
                var (i, s) = cells[k];
                var fit = core.Fit(i, s, lu, lt, ln, leaveOut: true);
                errors[k] = core.Identified(fit, i, s) ? Math.Pow(core.Outcome(i, s) - fit.Fitted(i, s), 2) : double.PositiveInfinity;
            });
            q = errors.Sum();
            memo[(lu, lt, ln)] = q;
            trace.Add(new DwcpTuningPoint(lu, lt, ln, q));
            return q;
        }

        static double ArgMin(IEnumerable<double> grid, Func<double, double> criterion)
        {
            double best = double.NaN, bestValue = double.PositiveInfinity;
            foreach (var g in grid)
            {
                var value = criterion(g);
                if (double.IsNaN(best) || value < bestValue) (best, bestValue) = (g, value);
            }
            return best;
        }

        var unitGrid = o.LambdaUnit is { } fu ? [fu] : o.LambdaUnitGrid.Prepend(0).Distinct().ToArray();
        var timeGrid = o.LambdaTime is { } ft ? [ft] : o.LambdaTimeGrid.Prepend(0).Distinct().ToArray();
        var nuclearGrid = o.LambdaNuclear is { } fn ? [fn] : o.LambdaNuclearGrid.Prepend(double.PositiveInfinity).Distinct().ToArray();
        double offU = o.LambdaUnit ?? 0, offT = o.LambdaTime ?? 0, offN = o.LambdaNuclear ?? double.PositiveInfinity;

        // Stage 1: one-dimensional searches from the off point.
        var lambdaUnit = ArgMin(unitGrid, g => Q(g, offT, offN));
        var lambdaTime = ArgMin(timeGrid, g => Q(offU, g, offN));
        var lambdaNuclear = ArgMin(nuclearGrid, g => Q(offU, offT, g));

        // Stage 2: coordinate-wise cycling.
        for (var cycle = 0; cycle < o.MaxTuningCycles; cycle++)
        {
            ct.ThrowIfCancellationRequested();
            var before = (lambdaUnit, lambdaTime, lambdaNuclear);
            lambdaUnit = ArgMin(unitGrid, g => Q(g, lambdaTime, lambdaNuclear));
            lambdaTime = ArgMin(timeGrid, g => Q(lambdaUnit, g, lambdaNuclear));
            lambdaNuclear = ArgMin(nuclearGrid, g => Q(lambdaUnit, lambdaTime, g));
            if (before == (lambdaUnit, lambdaTime, lambdaNuclear)) break;
        }
        return (lambdaUnit, lambdaTime, lambdaNuclear, trace);
    }
}
