using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CausalPanel.Cli.Commands;

/// <summary>The options of the commands that simulate panels from a factor model fitted to the file (compare, compare-se).</summary>
internal abstract class SimulationSettings : PanelSettings
{
    [CommandOption("--seed <N>")]
    [Description("Seed of the simulations (and of each simulated panel's replications).")]
    [DefaultValue(0)]
    public int Seed { get; init; }

    [CommandOption("--rank <K>")]
    [Description("Rank of the factor model fitted to the panel.")]
    [DefaultValue(4)]
    public int Rank { get; init; } = 4;

    [CommandOption("--parallel <N>")]
    [Description("Simulated panels run in parallel at most (-1 = all cores).")]
    [DefaultValue(-1)]
    public int Parallel { get; init; } = -1;

    [CommandOption("--checkpoint <FILE>")]
    [Description("Append each finished simulated panel to FILE; rerunning the same command resumes from it (a file of other arguments is refused).")]
    public string? Checkpoint { get; init; }

    [CommandOption("--shard <K/N>")]
    [Description("Run only shard k of n of the simulated panels (a SLURM array task or Kubernetes Indexed Job pod; auto reads their environment) into the --checkpoint file; merge the shards with causalpanel merge.")]
    public string? Shard { get; init; }

    /// <summary>The executor of --shard, or null (local).</summary>
    public IWorkExecutor? Executor() => Distribution.Executor(Distribution.Shard(Shard, Environment.GetEnvironmentVariable), Parallel);

    public override ValidationResult Validate()
    {
        var panel = base.Validate();
        if (!panel.Successful) return panel;
        return Distribution.Problem(Shard, Checkpoint) is { } problem ? ValidationResult.Error(problem) : ValidationResult.Success();
    }
}
