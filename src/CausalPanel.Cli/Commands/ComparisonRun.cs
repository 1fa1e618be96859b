namespace CausalPanel.Cli.Commands;

/// <summary>What compare and simulate share: running an <see cref="EstimatorComparison"/> with a progress bar and writing its results.</summary>
internal static class ComparisonRun
{
    /// <summary>Runs the comparison; prints and writes its results; returns the exit code.</summary>
    public static int Execute(Terminal terminal, EstimatorComparison comparison, string command, object? input, PanelData? data, FactorModel model,
        string? outDir, bool quiet, bool json, CancellationToken ct)
    {
        if (!json) terminal.Note(model.ToString(), quiet);
        var total = comparison.Replications * comparison.Designs.Count;
        if (Simulate(terminal, quiet || json, comparison.Checkpoint, comparison.Executor, $"{total} simulated panels × {comparison.Estimators.Count} estimators", total,
                progress => (comparison with { Progress = progress }).Run(ct), out var result) is { } early)
            return early;

        var document = ResultJson.Document(command, input, data, w =>
        {
            w.WriteStartObject("factorModel");
            w.WriteNumber("rank", model.Rank);
            w.WriteStartArray("shares");
            foreach (var share in model.FactorShares) w.WriteNumberValue(share);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("comparison");
            w.WriteNumber("replications", result.Replications);
            w.WriteNumber("seed", result.Seed);
            w.WriteStartArray("rows");
            foreach (var row in result.Rows)
            {
                w.WriteStartObject();
                w.WriteString("design", row.Design);
                w.WriteString("estimator", row.Estimator);
                ResultJson.Number(w, "rmse", row.Rmse);
                ResultJson.Number(w, "rmseStandardError", row.RmseStandardError);
                ResultJson.Number(w, "relativeRmse", row.Valid > 0 ? result.NormalisedRmse(row) : double.NaN);
                ResultJson.Number(w, "bias", row.Bias);
                w.WriteNumber("valid", row.Valid);
                w.WriteNumber("failed", row.Failed);
                if (row.FirstFailure is { } failure) w.WriteString("firstFailure", failure);
                else w.WriteNull("firstFailure");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("best");
            foreach (var design in result.Designs) w.WriteString(design, result.Best(design));
            w.WriteEndObject();
            w.WriteEndObject();
        });
        if (json)
        {
            terminal.Out.Write(document);
        }
        else
        {
            terminal.Out.WriteLine(result.ToString());
            foreach (var design in result.Designs) terminal.Out.WriteLine($"Best on \"{design}\": {result.Best(design)}");
        }
        if (outDir is not null)
        {
            var folder = new OutputFolder(outDir);
            folder.Write("comparison.csv", result.ToCsv());
            folder.Write("comparison.txt", result.ToString());
            folder.Write("results.json", document);
            folder.Chart("comparison", () => Charts.Comparison(result), () => VegaLite.Comparison(result));
            EstimateCommand.Report(terminal, folder, outDir, quiet || json);
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Runs a simulation (compare, simulate, compare-se) as one step with a progress bar over its <paramref name="total"/> panels:
    /// null with its <paramref name="result"/>, or the exit code to return at once — cancelled, or a shard whose panels are now
    /// in the checkpoint file (said on standard error).
    /// </summary>
    public static int? Simulate<T>(Terminal terminal, bool quiet, string? checkpoint, IWorkExecutor? executor, string label, int total,
        Func<IProgress<int>?, T> run, out T result) where T : class
    {
        T? value = null;
        IncompleteWorkException? shardDone = null;
        result = null!;
        if (!Work.TryRun(terminal, quiet, checkpoint is null ? "no comparison result was written (it reports whole designs only)"
                    : $"the finished simulated panels are in {checkpoint}; rerun the same command to resume", work =>
                value = work.Step(label, total, progress =>
                {
                    try
                    {
                        return run(progress);
                    }
                    catch (IncompleteWorkException e) when (executor is ShardWorkExecutor)
                    {
                        shardDone = e;
                        return null!;
                    }
                })))
            return ExitCodes.Cancelled;
        if (shardDone is not null && executor is ShardWorkExecutor shard)
        {
            Distribution.Written(terminal, (shard.Shard, shard.Count), checkpoint!, shardDone, quiet);   // on standard error, so also with --json
            return ExitCodes.Ok;
        }
        result = value!;
        return null;
    }
}
