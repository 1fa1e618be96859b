using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CausalPanel.Cli.Commands;

/// <summary>causalpanel estimate: the ATT of each estimator, with standard errors, as the library's estimate table.</summary>
internal sealed class EstimateCommand : Command<EstimateCommand.Settings>
{
    public sealed class Settings : EstimatorSettings
    {
        [CommandOption("-e|--estimators <LIST>")]
        [Description("Comma-separated: did, sc, difp, sdid, mc, dwcp, or all (the six).")]
        [DefaultValue("did,sc,sdid")]
        public string Estimators { get; init; } = "did,sc,sdid";

        [CommandOption("--cluster <COLUMN>")]
        [Description("Cluster the standard errors on this column (e.g. the state of a county; constant within unit): placebo permutes clusters, bootstrap resamples them, jackknife leaves one out, regression is cluster-robust (CR1).")]
        public string? Cluster { get; init; }

        [CommandOption("--checkpoint <FILE>")]
        [Description("Append each finished replicate of the standard error to FILE; rerunning the same command resumes from it (a file of other arguments is refused). One estimator.")]
        public string? Checkpoint { get; init; }

        [CommandOption("--shard <K/N>")]
        [Description("Run only shard k of n of the replicates (a SLURM array task or Kubernetes Indexed Job pod; auto reads their environment) into the --checkpoint file; merge the shards with causalpanel merge. One estimator; --se placebo, bootstrap, jackknife or time-placebo.")]
        public string? Shard { get; init; }

        /// <inheritdoc/>
        public override string? ClusterColumn => Cluster;

        public override ValidationResult Validate()
        {
            var valid = base.Validate();
            if (!valid.Successful) return valid;
            if (Distribution.Problem(Shard, Checkpoint) is { } problem) return ValidationResult.Error(problem);
            if (Checkpoint is not null && Estimators.Contains(',') || Checkpoint is not null && Estimators.Trim() == "all")
                return ValidationResult.Error("--checkpoint and --shard hold one estimator's replicates; give one estimator (-e sdid), and run the others with their own files.");
            if (Checkpoint is not null && Se is "none" or "regression" or "regression-two-way" or "regression-simulated")
                return ValidationResult.Error($"--checkpoint and --shard hold the replicates of a standard error; '--se {Se}' has none.");
            if (Shard is not null && Se == "conditional")
                return ValidationResult.Error("--shard runs one variance method's replicates; '--se conditional' combines three. Shard --se placebo, bootstrap, jackknife or time-placebo (--checkpoint alone works with conditional).");
            if (Cluster is null) return valid;
            return VarianceNames.Clusterable.Contains(Se) ? valid
                : ValidationResult.Error($"--cluster needs --se {string.Join(", ", VarianceNames.Clusterable)}; '--se {Se}' does not cluster.");
        }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken ct)
    {
        var terminal = (Terminal)context.Data!;
        var data = PanelSource.Read(s, terminal.In);
        var estimators = EstimatorNames.Parse(s.Estimators, s);
        if (!s.Json) terminal.Note(data.Describe(), s.Quiet);
        if (VarianceNames.Note(s, data) is { } note) terminal.Note(note, s.Quiet || s.Json);

        var fits = new List<EstimationResult>();
        var variances = new List<VarianceResult?>();
        var shard = Distribution.Shard(s.Shard, Environment.GetEnvironmentVariable);
        IncompleteWorkException? shardDone = null;
        string? current = null;
        bool done;
        try
        {
            done = Work.TryRun(terminal, s.Quiet || s.Json, s.Checkpoint is null ? "nothing was written" : $"nothing was written; the finished replicates are in {s.Checkpoint}: rerun the same command to resume", work =>
            {
                foreach (var estimator in estimators)
                {
                    current = estimator.Name;
                    var fit = work.Step($"{estimator.Name} fit", null, _ => estimator.Estimate(data, ct));
                    VarianceResult? variance = null;
                    if (s.Se != "none")
                        variance = work.Step($"{estimator.Name} {s.Se} standard error", s.Cluster is null ? VarianceNames.ExpectedReplicates(s, data) : VarianceNames.ExpectedClusterReplicates(s, data),
                            progress =>
                            {
                                var method = VarianceNames.Clustered(VarianceNames.Create(s, progress)!, s.Cluster is null ? null : data.ClusterOf)
                                    with { Executor = Distribution.Executor(shard, s.Parallel), Checkpoint = s.Checkpoint };
                                try
                                {
                                    return fit.WithVariance(method, ct) with { ConfidenceLevel = s.Level };
                                }
                                catch (IncompleteWorkException e) when (shard is not null)
                                {
                                    shardDone = e;
                                    return null!;
                                }
                            });
                    fits.Add(fit);
                    variances.Add(variance);
                }
            });
        }
        catch (CausalPanelException)
        {
            // Said here, after the progress bars are gone; the library's message follows (exit code 1).
            terminal.Error.WriteLine($"causalpanel: {current} cannot estimate this panel.");
            throw;
        }
        if (!done) return ExitCodes.Cancelled;
        if (shardDone is not null)
        {
            Distribution.Written(terminal, shard!.Value, s.Checkpoint!, shardDone, s.Quiet);   // on standard error, so also with --json
            return ExitCodes.Ok;
        }

        var table = EstimateTable.Of(fits, variances);
        var json = ResultJson.Document("estimate", s.Input(), data, w =>
        {
            w.WriteStartArray("estimates");
            for (var k = 0; k < fits.Count; k++) ResultJson.Estimate(w, fits[k], variances[k]);
            w.WriteEndArray();
        });
        if (s.Json) terminal.Out.Write(json);
        else terminal.Out.WriteLine(table.ToString());
        foreach (var fit in fits)
        {
            foreach (var warning in fit.Warnings)
                terminal.Note(warning, s.Quiet || s.Json);
            var chosen = fit is MatrixCompletionResult ? s.McLambda is null : fit is DwcpResult && s.DwcpLambdas is null;
            if (chosen && ResultJson.PenaltyOption(fit) is { } option)
                terminal.Note($"{fit.Estimator} used {option} (give it to skip the tuning next time).", s.Quiet || s.Json);
        }

        if (s.Out is { } dir)
        {
            var folder = new OutputFolder(dir);
            folder.Table("estimates", table);
            folder.Write("cell-effects.csv", OutputFolder.CellEffects(fits));
            folder.Write("event-time-effects.csv", OutputFolder.EventTimeEffects(fits, variances));
            folder.Write("results.json", json);
            folder.Pattern(data);
            for (var k = 0; k < fits.Count; k++) folder.FitCharts(fits[k], variances[k]);
            Report(terminal, folder, dir, s.Quiet || s.Json);
        }
        return ExitCodes.Ok;
    }

    /// <summary>Says where the files went and which charts were not drawn.</summary>
    public static void Report(Terminal terminal, OutputFolder folder, string dir, bool quiet)
    {
        terminal.Note($"Wrote {folder.Written.Count} files to {dir}.", quiet);
        foreach (var skipped in folder.Skipped) terminal.Note($"Chart not drawn: {skipped}", quiet);
    }
}
