using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// DWCP's per-cell fits at fixed λ's (Athey, Imbens, Qu and Viviano 2025, Eqs. 2–3) as a <see cref="WorkJob"/> of kind
/// "dwcp cells" (issue 22): item u is one treated unit's cells (<see cref="DwcpCore.Groups"/>), fitted in turn from the
/// previous period's low-rank part by <see cref="DwcpCore.PredictUnit"/> in the worker's reusable workspace, and returns
/// each cell's prediction as a <see cref="WorkCellFit"/>. The job's data are the core's arrays (the standardised outcome,
/// the cells set aside, covariates and donors) with the λ's and the cells, so a remote worker rebuilds the same fits
/// without refitting anything. The tuning that chose the λ's stays on this machine.
/// </summary>
internal static class DwcpCellWork
{
    /// <summary>The jobs' <see cref="WorkJob.Kind"/>.</summary>
    public const string Kind = "dwcp cells";

    /// <summary>
    /// The predictions of <paramref name="cells"/> (null where not identified), whether each fit converged, its covariate
    /// coefficients, and how many fits stopped at the iteration cap: the job run on <paramref name="executor"/> (null: the
    /// local executor on every core), or, inside another job's work item (a variance replicate, a comparison's simulated
    /// panel), on that item's thread and workspace — a worker never fans out again, and an executor in the options of a
    /// replicate's estimator is not used.
    /// </summary>
    public static ((double? Value, bool Converged, double[] Coefficients)[] Predictions, int Unconverged) Predict(DwcpCore core,
        IReadOnlyList<(int I, int T)> cells, double lambdaUnit, double lambdaTime, double lambdaNuclear, IWorkExecutor? executor, CancellationToken ct)
    {
        var predictions = new (double?, bool, double[])[cells.Count];
        if (cells.Count == 0) return (predictions, 0);
        var groups = core.Groups(cells, lambdaUnit, lambdaTime);
        // Inside another item the units are fitted here, in turn: no job (its description hashes the whole panel) is built.
        var results = WorkPlan.InItem
            ? [.. Enumerable.Range(0, groups.Length).Select(u => Unit(core, cells, groups[u], lambdaUnit, lambdaTime, lambdaNuclear, u, ct))]
            : WorkRun.Run(Job(core, cells, groups, lambdaUnit, lambdaTime, lambdaNuclear), executor ?? new LocalWorkExecutor(), checkpoint: null, progress: null, ct);
        var unconverged = 0;
        foreach (var result in results)
        {
            var fits = result.Cells ?? throw new InvalidOperationException($"DWCP's per-cell item {result.Index} returned no cells ({result.Failure}).");
            var j = 0;
            foreach (var group in groups[result.Index])
            {
                if (!fits[j].Converged) unconverged++;   // the group's cells share one fit
                foreach (var k in group)
                {
                    var fit = fits[j++];
                    predictions[k] = (double.IsNaN(fit.Prediction) ? null : fit.Prediction, fit.Converged, [.. fit.Coefficients]);
                }
            }
        }
        return (predictions, unconverged);
    }

    /// <summary>The job of <paramref name="cells"/>' fits at the λ's, one item per entry of <paramref name="groups"/> (<see cref="DwcpCore.Groups"/>).</summary>
    public static WorkJob Job(DwcpCore core, IReadOnlyList<(int I, int T)> cells, int[][][] groups, double lambdaUnit, double lambdaTime, double lambdaNuclear) =>
        new(Kind, groups.Length, Describe(core, cells, lambdaUnit, lambdaTime, lambdaNuclear), null,
            new WorkPlan((u, ct) => Unit(core, cells, groups[u], lambdaUnit, lambdaTime, lambdaNuclear, u, ct)))
        { Writer = hash => WorkJobJson.Write(hash, core, cells, lambdaUnit, lambdaTime, lambdaNuclear) };

    /// <summary>Item <paramref name="index"/>: one unit's groups of cells (<paramref name="unit"/>) fitted in turn in this thread's workspace.</summary>
    private static WorkItemResult Unit(DwcpCore core, IReadOnlyList<(int I, int T)> cells, int[][] unit, double lambdaUnit, double lambdaTime, double lambdaNuclear, int index, CancellationToken ct)
    {
        var fits = new WorkCellFit[unit.Sum(g => g.Length)];
        var j = 0;
        core.PredictUnit(cells, unit, lambdaUnit, lambdaTime, lambdaNuclear, WorkerScratch.LowRank(core.Units, core.Periods, core.Covariates),
            (_, p) => fits[j++] = new WorkCellFit(p.Value ?? double.NaN, p.Converged, p.Coefficients), ct);
        return new WorkItemResult { Index = index, Cells = fits };
    }

    /// <summary>
    /// The λ's, the solver's settings and the sizes as text, and a SHA-256 of every number the fits read (the outcome,
    /// the cells set aside, the covariates, the donors, the cells), bit for bit.
    /// </summary>
    private static string Describe(DwcpCore core, IReadOnlyList<(int I, int T)> cells, double lambdaUnit, double lambdaTime, double lambdaNuclear)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(core.Outcomes.AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(core.SetAside.AsSpan()));
        foreach (var x in core.Covariates ?? []) hash.AppendData(MemoryMarshal.AsBytes(x.AsSpan()));
        if (core.Donors is { } donors) hash.AppendData(MemoryMarshal.AsBytes(donors.AsSpan()));
        foreach (var (i, t) in cells)
        {
            hash.AppendData(BitConverter.GetBytes(i));
            hash.AppendData(BitConverter.GetBytes(t));
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"per-cell DWCP fits of {cells.Count} cells on {core.Units} × {core.Periods} ({core.Covariates?.Count ?? 0} covariates, {(core.Donors is null ? "every unit a donor" : "donor set")}) at λ_unit = {lambdaUnit:R}, λ_time = {lambdaTime:R}, λ_nuclear = {lambdaNuclear:R}; max iterations {core.MaxIterations}, tolerance {core.Tolerance:R}\ndata: {Convert.ToHexStringLower(hash.GetHashAndReset())}");
    }
}
