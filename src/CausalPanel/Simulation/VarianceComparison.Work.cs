using System.Globalization;

namespace CausalPanel;

/// <summary>The simulation cells of a <see cref="VarianceComparison"/> as a <see cref="WorkJob"/>: on any executor, checkpointed, sent as data.</summary>
public sealed partial record VarianceComparison
{
    /// <summary>
    /// Runs the simulation cells (a <see cref="WorkJob"/> of Designs × Replications items, design d's replication b being
    /// item d·Replications + b): null (default) = <see cref="LocalWorkExecutor"/> with <see cref="MaxDegreeOfParallelism"/>.
    /// Results do not depend on it.
    /// </summary>
    public IWorkExecutor? Executor { get; init; }

    /// <summary>
    /// A checkpoint file (<see cref="WorkCheckpoint"/>): finished cells are appended as they finish, and a rerun with the
    /// same settings skips those already in it; a file of another comparison is refused (<see cref="WorkJobMismatchException"/>).
    /// </summary>
    public string? Checkpoint { get; init; }

    /// <summary>
    /// One simulation cell: the treated cells' noise scale, the tests (estimator × method × effect), each estimator's refusal and
    /// its estimate on the noise-free panel, and the treated units' labels (null when read from a checkpoint written before them).
    /// </summary>
    private sealed record Cell(double Scale, TestDraw[][][] Draws, string?[] Failures, double[] NoiseFree, IReadOnlyList<string>? TreatedUnits);

    /// <summary>Every <see cref="Cell"/>, through <see cref="Executor"/> and <see cref="Checkpoint"/>.</summary>
    private Cell[] RunCells(double[] effects, CancellationToken ct)
    {
        var estimators = Estimators.Select(WorkDescriptions.Estimator).ToArray();
        var methods = Methods.Select(WorkDescriptions.Method).ToArray();
        var description = string.Create(CultureInfo.InvariantCulture,
                $"seed: {Seed}\nreplications: {Replications}\nnominal size: {NominalSize:R}\neffects: {string.Join(", ", effects.Select(e => e.ToString("R", CultureInfo.InvariantCulture)))}\npower from shift: {PowerFromShift}\n{(SeedMethodsPerReplication ? "method seeds: per replication\n" : "")}")
            + string.Join("\n", estimators.Select(e => $"estimator: {e.Text}")) + "\n"
            + string.Join("\n", methods.Select(m => $"method: {m.Text}")) + "\n"
            + string.Join("\n", Designs.Select(d => $"design: {WorkDescriptions.Design(d)}"));
        var problem = estimators.Select(e => e.Problem).Concat(methods.Select(m => m.Problem)).FirstOrDefault(p => p is not null);
        var job = new WorkJob("variance comparison", Designs.Count * Replications, description, problem, new WorkPlan((item, token) =>
        {
            int d = item / Replications, b = item % Replications;
            var cell = Replicate(Designs[d], unchecked(Seed * 1_000_003 + d), b, effects, token);
            return new WorkItemResult
            {
                Index = item,
                TreatedNoiseScale = cell.Scale,
                TreatedUnits = cell.TreatedUnits,
                Tests = [.. cell.Failures.Select((failure, e) => new WorkTestOutcome(failure,
                    [.. cell.Draws[e].SelectMany(byEffect => byEffect.Select(t => t.Estimate))], [.. cell.Draws[e].SelectMany(byEffect => byEffect.Select(t => t.HalfWidth))],
                    cell.NoiseFree[e]))],
            };
        })) { Writer = hash => WorkJobJson.Write(hash, this) };
        var cells = WorkRun.Run(job, Executor ?? new LocalWorkExecutor { MaxDegreeOfParallelism = MaxDegreeOfParallelism }, Checkpoint, Progress, ct);
        var failed = cells.Where(c => c.Failure is not null).ToArray();
        if (failed.Length > 0) throw Replicates.FailedAt(failed[0].Index, cells.Length, failed.Length, failed[0].Failure!);
        var k = effects.Length + 1;
        return [.. cells.Select(c => new Cell(c.TreatedNoiseScale!.Value,
            c.Tests!.Select(e => Enumerable.Range(0, Methods.Count).Select(m => Enumerable.Range(0, k).Select(j => new TestDraw(e.Estimates[m * k + j], e.HalfWidths[m * k + j])).ToArray()).ToArray()).ToArray(),
            c.Tests!.Select(e => e.Failure).ToArray(), c.Tests!.Select(e => e.NoiseFreeEstimate).ToArray(), c.TreatedUnits))];
    }
}
