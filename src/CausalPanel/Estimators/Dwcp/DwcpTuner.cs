using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// The criteria DWCP's λ's are tuned on (Athey, Imbens, Qu and Viviano 2025, §3): leave-one-out prediction error
/// (Eqs. 4–5) or the authors' placebo block RMSE; <see cref="DwcpLambdaSearch"/> minimises them.
/// </summary>
internal static class DwcpTuner
{
    /// <summary>
    /// Leave-one-out cells fitted between two checks of the partial sum against the search's bound: 10, so that an
    /// evaluation worse than the bound stops within a tenth of the default 100 cells of where its sum passed it, while each
    /// block still gives every processor of a small machine several fits.
    /// </summary>
    public const int StoppingBlock = 10;

    /// <summary>
    /// Q(λ) = Σ (Y_it − Ŷ_it^{(−it)}(λ))² over all untreated cells, or a seeded subset of
    /// <see cref="DwcpOptions.TuningCells"/> of them (the same for every λ); +∞ if any is not identified. The last argument
    /// (exact) solves the fits to the core's tolerance (<see cref="DwcpOptions.Tolerance"/>); without it, to the looser of
    /// that and <see cref="DwcpOptions.TuningTolerance"/>, as the search does (see <see cref="DwcpLambdaSearch"/>).
    /// The cells are summed in blocks of <see cref="StoppingBlock"/>, in a fixed order, or with
    /// <paramref name="worstFirst"/> in decreasing order of each cell's error at the last evaluation that fitted it (cells
    /// not fitted yet first; ties by position), so that a triple worse than the bound passes it after fewer cells — the
    /// errors are non-negative, so in any order a partial sum above the bound proves Q above it. Deterministic either way.
    /// </summary>
    public static DwcpLambdaSearch.Bounded LeaveOneOut(DwcpOptions o, DwcpCore core, CancellationToken ct, bool worstFirst = false)
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
        var loose = Math.Max(o.TuningTolerance, o.Tolerance);
        var errors = new double[cells.Count];   // each cell's error at the last evaluation that fitted it
        if (worstFirst) Array.Fill(errors, double.PositiveInfinity);
        var order = Enumerable.Range(0, cells.Count).ToArray();
        return (lu, lt, ln, exact, bound) =>
        {
            if (worstFirst) Array.Sort(order, (a, b) => errors[a] != errors[b] ? errors[b].CompareTo(errors[a]) : a.CompareTo(b));
            // The cells in blocks of a fixed size, so that where an evaluation stops (and hence which cells' warm starts
            // moved on) does not depend on the number of processors.
            double sum = 0;
            for (var start = 0; start < cells.Count; start += StoppingBlock)
            {
                var first = start;
                core.InParallel(Math.Min(StoppingBlock, cells.Count - first), ct, (k, workspace) =>
                {
                    var c = order[first + k];
                    var (i, s) = cells[c];
                    var fit = core.Fit(i, s, lu, lt, ln, leaveOut: true, warm[c], ct, workspace, exact ? null : loose);
                    errors[c] = core.Identified(fit, i, s) ? Math.Pow(core.Outcome(i, s) - fit.Fitted(i, s), 2) : double.PositiveInfinity;
                });
                for (var k = first; k < Math.Min(first + StoppingBlock, cells.Count); k++) sum += errors[order[k]];
                if (sum > bound && first + StoppingBlock < cells.Count) return (sum, double.IsPositiveInfinity(sum));
            }
            return (sum, true);
        };
    }

    /// <summary>
    /// The authors' placebo block criterion: on the never-treated rows only, draw
    /// <paramref name="treatedUnits"/> of them per draw (seeded by (seed, draw), the same draws for every
    /// λ), whose last T1 periods <paramref name="estimate"/>(draw index, rows, λ's) treats; it returns τ̂
    /// (null if not identified), and the criterion is √(mean τ̂²). Each draw runs on one thread at a time; its fits are
    /// always solved to <see cref="DwcpOptions.Tolerance"/> (the exact flag is ignored).
    /// </summary>
    public static Func<double, double, double, bool, double> Placebo(DwcpOptions o, int controls, int treatedUnits,
        Func<int, int[], double, double, double, double?> estimate, CancellationToken ct)
    {
        var draws = new int[o.PlaceboDraws][];
        for (var d = 0; d < draws.Length; d++)
        {
            var random = new Random(unchecked(o.Seed * 1_000_003 + d));   // deterministic across processes (HashCode is not)
            draws[d] = Enumerable.Range(0, controls).OrderBy(_ => random.Next()).Take(treatedUnits).Order().ToArray();
        }
        return (lu, lt, ln, _) =>
        {
            var squares = new double[draws.Length];
            Parallel.For(0, draws.Length, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, d =>
                squares[d] = estimate(d, draws[d], lu, lt, ln) is { } tau ? tau * tau : double.PositiveInfinity);
            return Math.Sqrt(squares.Average());
        };
    }
}
