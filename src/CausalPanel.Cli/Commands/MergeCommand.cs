using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CausalPanel.Cli.Commands;

/// <summary>
/// causalpanel merge: combines the files of a job array's shards (--shard k/n --checkpoint FILE) into one complete
/// checkpoint, checking that they belong to one job and that every item is present; rerunning the sharded command
/// without --shard and with --checkpoint on the merged file prints and writes the unsharded run's output.
/// </summary>
internal sealed class MergeCommand : Command<MergeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<SHARD-FILES>")]
        [Description("The shards' --checkpoint files (all of one run).")]
        public string[] Shards { get; init; } = [];

        [CommandOption("-o|--out <FILE>")]
        [Description("The merged checkpoint file to write.")]
        public string? Out { get; init; }

        [CommandOption("-q|--quiet")]
        [Description("No notes on standard error.")]
        public bool Quiet { get; init; }

        public override ValidationResult Validate() =>
            Out is null ? ValidationResult.Error("Give the merged file as --out FILE.") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken ct)
    {
        var terminal = (Terminal)context.Data!;
        if (s.Shards.FirstOrDefault(f => !File.Exists(f)) is { } absent)
            throw new UsageException($"The shard file '{absent}' does not exist; give the --checkpoint files the shards wrote.");
        var hash = WorkCheckpoint.Merge(s.Shards, s.Out!);
        terminal.Note($"Merged {s.Shards.Length} shard files of job {hash[..12]}… into {s.Out}; rerun the command without --shard and with --checkpoint {s.Out} for its output.", s.Quiet);
        return ExitCodes.Ok;
    }
}
