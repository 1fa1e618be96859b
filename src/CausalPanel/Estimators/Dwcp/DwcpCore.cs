using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// The per-cell DWCP/TROP fit on row-major arrays (Athey, Imbens, Qu and Viviano 2025): for a target
/// cell (i, t), weights v_js = ω_j θ_s on the untreated observed cells (the target itself left out for
/// leave-one-out), ω_j = exp(−λ_unit d_{−t}(j, i)) with d the RMS difference over periods where both
/// units are untreated, observed and ≠ t (Eq. 3), θ_s = exp(−λ_time |t − s|), and the prediction
/// α̂_i + β̂_t + L̂_it of the weighted low-rank fit (Eq. 2); with covariates X, + Σ_k b̂_k X_kit with b an unpenalised
/// block of each fit (§6.2, Eq. 14). Covariates are row-major n×t, finite on every cell (0 where unobserved). Cells
/// marked in <c>treated</c> (treated, or in the anticipation window) are not untreated information. With
/// <c>donors</c>, a target unit's fit uses only the donor units and its own cells (<see cref="ControlGroup.NeverTreated"/>).
/// </summary>
internal sealed class DwcpCore(double[] y, bool[] treated, int n, int t, int maxIterations, double tolerance, IReadOnlyList<double[]>? x = null,
    bool[]? donors = null)
{
    private int _unconverged;

    public int Units => n;
    public int Periods => t;
    public int UnconvergedFits => _unconverged;

    // What the fits depend on, for a work job's description and data form (DwcpCellWork).
    internal double[] Outcomes => y;
    internal bool[] SetAside => treated;
    internal IReadOnlyList<double[]>? Covariates => x;
    internal bool[]? Donors => donors;
    internal int MaxIterations => maxIterations;
    internal double Tolerance => tolerance;

    private bool Untreated(int k) => !treated[k] && !double.IsNaN(y[k]);

    /// <summary>ω^{(i,t)}: unit weights relative to unit i, distances leaving out period t; 0 for a unit that is not a donor.</summary>
    public double[] UnitWeights(int i, int excludedPeriod, double lambdaUnit)
    {
        var omega = new double[n];
        for (var j = 0; j < n; j++)
        {
            if (j != i && donors is not null && !donors[j]) continue;
            if (lambdaUnit == 0 || j == i) { omega[j] = 1; continue; }
            double sum = 0;
            var count = 0;
            for (var s = 0; s < t; s++)
            {
                if (s == excludedPeriod || !Untreated(i * t + s) || !Untreated(j * t + s)) continue;
                var d = y[i * t + s] - y[j * t + s];
                sum += d * d;
                count++;
            }
            omega[j] = count > 0 ? Math.Exp(-lambdaUnit * Math.Sqrt(sum / count)) : 0;   // no common period: d = ∞
        }
        return omega;
    }

    /// <summary>θ^{(t)}: time weights centred on period t.</summary>
    public double[] TimeWeights(int target, double lambdaTime)
    {
        var theta = new double[t];
        for (var s = 0; s < t; s++) theta[s] = Math.Exp(-lambdaTime * Math.Abs(target - s));
        return theta;
    }

    /// <summary>
    /// The weighted fit for target cell (i, s0); check <see cref="Identified"/> before reading a cell's
    /// prediction. With <paramref name="leaveOut"/>, the (untreated) target itself is left out of the fit.
    /// </summary>
    /// <param name="i">Target unit.</param>
    /// <param name="s0">Target period.</param>
    /// <param name="lambdaUnit">λ_unit.</param>
    /// <param name="lambdaTime">λ_time.</param>
    /// <param name="lambdaNuclear">λ_nuclear (∞ = no low-rank term).</param>
    /// <param name="leaveOut">Leave the target out of the fit.</param>
    /// <param name="warm">
    /// A previous fit of a nearby problem (e.g. this target at a nearby λ) to start from, updated with this fit's
    /// low-rank part; null to start from L = 0.
    /// </param>
    /// <param name="ct">Checked before the fit and at every solver step.</param>
    /// <param name="workspace">
    /// The calling worker's scratch (<see cref="WeightedLowRankRegression.Workspace"/>), so that its fits allocate no n×t arrays; the fit then
    /// lives in it (without <paramref name="warm"/>) or in <paramref name="warm"/> until the worker's next fit.
    /// Null: the fit allocates its own.
    /// </param>
    /// <param name="fitTolerance">The solver's relative tolerance for this fit; null: the core's.</param>
    public WeightedLowRankRegression.Solution Fit(int i, int s0, double lambdaUnit, double lambdaTime, double lambdaNuclear, bool leaveOut,
        WeightedLowRankRegression.WarmStart? warm = null, CancellationToken ct = default, WeightedLowRankRegression.Workspace? workspace = null,
        double? fitTolerance = null)
    {
        ct.ThrowIfCancellationRequested();
        var v = workspace?.Weights ?? new double[n * t];
        CellWeights(i, s0, lambdaUnit, lambdaTime, leaveOut, v);
        var solver = new WeightedLowRankRegression(y, v, n, t, x, warm, workspace);
        var fit = solver.Solve(lambdaNuclear, warm, maxIterations, fitTolerance ?? tolerance, ct);
        if (!fit.Converged) Interlocked.Increment(ref _unconverged);
        fit.Component = solver.Component.ToArray();
        return fit;
    }

    /// <summary>
    /// The loss weights v_js = ω_j θ_s of target cell (i, s0)'s fit on the untreated observed cells, 0 elsewhere (and on the
    /// target itself with <paramref name="leaveOut"/>), into the row-major n×t <paramref name="v"/>.
    /// </summary>
    private void CellWeights(int i, int s0, double lambdaUnit, double lambdaTime, bool leaveOut, double[] v)
    {
        var omega = UnitWeights(i, s0, lambdaUnit);
        var theta = TimeWeights(s0, lambdaTime);
        for (var j = 0; j < n; j++)
            for (var s = 0; s < t; s++)
            {
                var k = j * t + s;
                v[k] = Untreated(k) && !(leaveOut && j == i && s == s0) ? omega[j] * theta[s] : 0;
            }
    }

    /// <summary>
    /// Adds <paramref name="scale"/> times each of <paramref name="cells"/>' imputation weights to the row-major n×t
    /// <paramref name="a"/>, at λ_nuclear = ∞ with the weights ω and θ held at their values: Ŷ_it(0) = α̂_i + β̂_t (+ x_itᵀb̂)
    /// of the weighted two-way fit (Eq. 2 without L) is Σ_js h_js y_js, h the fit's hat row of (i, t)
    /// (<see cref="WeightedTwoWayHat"/>), one factorisation per group of cells that share a fit (<see cref="Groups"/>).
    /// Every cell must be identified (<see cref="Identified"/>).
    /// </summary>
    public void AddImputationWeights(IReadOnlyList<(int I, int T)> cells, double lambdaUnit, double lambdaTime, double scale, double[] a, CancellationToken ct)
    {
        var v = new double[n * t];
        foreach (var unit in Groups(cells, lambdaUnit, lambdaTime))
            foreach (var group in unit)
            {
                ct.ThrowIfCancellationRequested();
                var first = cells[group[0]];
                CellWeights(first.I, first.T, lambdaUnit, lambdaTime, leaveOut: false, v);
                var hat = new WeightedTwoWayHat(v, n, t, x);
                foreach (var k in group) hat.AddFitted(cells[k].I, cells[k].T, scale, a);
            }
    }

    /// <summary>
    /// Whether a fit identifies the untreated outcome of cell (i, s): unit i and period s are linked by positive-weight
    /// cells, and the weights identify the covariate coefficients.
    /// </summary>
    public bool Identified(WeightedLowRankRegression.Solution fit, int i, int s) =>
        fit.RegressorsIdentified && fit.Component![i] >= 0 && fit.Component[i] == fit.Component[n + s];

    /// <summary>
    /// Predicted untreated outcomes of treated cells (null where not identified), whether each fit converged, and its
    /// covariate coefficients (empty without covariates), the units' groups (<see cref="Groups"/>) in parallel on this
    /// machine: the tuning's placebo fits. The final fits run the same groups as a work job (<see cref="DwcpCellWork"/>).
    /// </summary>
    public (double? Value, bool Converged, double[] Coefficients)[] PredictTreated(IReadOnlyList<(int I, int T)> cells, double lambdaUnit, double lambdaTime, double lambdaNuclear, CancellationToken ct)
    {
        var groups = Groups(cells, lambdaUnit, lambdaTime);
        var predictions = new (double?, bool, double[])[cells.Count];
        InParallel(groups.Length, ct, (u, workspace) => PredictUnit(cells, groups[u], lambdaUnit, lambdaTime, lambdaNuclear, workspace, (k, p) => predictions[k] = p, ct));
        return predictions;
    }

    /// <summary>
    /// The fits of <paramref name="cells"/> by unit: entry u holds one unit's groups of cells (indices into
    /// <paramref name="cells"/>) in period order, each group's cells sharing one fit. Cells whose weights coincide share a
    /// fit: ω depends on the unit and θ on the period (a treated target's own period never enters its distances), so
    /// λ_time = 0 shares a unit's cells and λ_unit = 0 a period's (unless the donors depend on the unit; with λ_unit = 0
    /// and no donor set every cell is in one "unit").
    /// </summary>
    public int[][][] Groups(IReadOnlyList<(int I, int T)> cells, double lambdaUnit, double lambdaTime) =>
        [.. Enumerable.Range(0, cells.Count)
            .GroupBy(k => (Unit: lambdaUnit == 0 && donors is null ? -1 : cells[k].I, Period: lambdaTime == 0 ? -1 : cells[k].T))
            .GroupBy(g => g.Key.Unit)
            .Select(unit => unit.OrderBy(g => g.Key.Period).Select(g => g.ToArray()).ToArray())];

    /// <summary>
    /// One unit's fits (<paramref name="unit"/>, an entry of <see cref="Groups"/>), each starting from the previous
    /// period's low-rank part (neighbouring targets have similar weights), in <paramref name="workspace"/>; hands each
    /// cell k its prediction (null where not identified), whether its fit converged, and its covariate coefficients.
    /// </summary>
    public void PredictUnit(IReadOnlyList<(int I, int T)> cells, int[][] unit, double lambdaUnit, double lambdaTime, double lambdaNuclear,
        WeightedLowRankRegression.Workspace workspace, Action<int, (double? Value, bool Converged, double[] Coefficients)> predicted, CancellationToken ct)
    {
        var warm = workspace.ColdStart();
        foreach (var group in unit)
        {
            var first = cells[group[0]];
            var fit = Fit(first.I, first.T, lambdaUnit, lambdaTime, lambdaNuclear, leaveOut: false, warm, ct, workspace);
            foreach (var k in group)
                predicted(k, (Identified(fit, cells[k].I, cells[k].T) ? fit.Fitted(cells[k].I, cells[k].T) : null, fit.Converged, [.. fit.Gamma]));
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(k, workspace) for k = 0..count − 1 in parallel, each call holding one
    /// <see cref="WeightedLowRankRegression.Workspace"/> (about ten n×t arrays) taken from a pool and returned after it, so
    /// that at most one workspace per concurrently running call is ever allocated (Parallel.For's own per-task state would
    /// be re-created whenever it retires and replaces a worker task); the pool is released when the loop ends. At most one
    /// call per processor runs at once: the fits are long, and without a bound the thread pool, seeing its threads busy,
    /// keeps injecting more, each with its own workspace (measured: peaks of 2–3 GB within a minute on 5,000 × 100).
    /// </summary>
    public void InParallel(int count, CancellationToken ct, Action<int, WeightedLowRankRegression.Workspace> body)
    {
        var pool = new System.Collections.Concurrent.ConcurrentBag<WeightedLowRankRegression.Workspace>();
        Parallel.For(0, count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            if (!pool.TryTake(out var workspace)) workspace = new(n, t, x);
            body(k, workspace);
            pool.Add(workspace);
        });
    }

    /// <summary>Untreated observed cells (row, column), row-major order.</summary>
    public IEnumerable<(int I, int T)> UntreatedCells()
    {
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                if (Untreated(i * t + s)) yield return (i, s);
    }

    /// <summary>The (standardised) outcome of a cell.</summary>
    public double Outcome(int i, int s) => y[i * t + s];
}
