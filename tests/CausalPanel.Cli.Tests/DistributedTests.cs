using CausalPanel.Cli.Commands;

namespace CausalPanel.Cli.Tests;

/// <summary>--checkpoint, --shard and merge (docs/distributed.md): four shards merged give the unsharded run's output.</summary>
public sealed class DistributedTests
{
    private static Tool.Outcome Sharded(string[] command, string dir, int shards)
    {
        for (var k = 1; k <= shards; k++)
        {
            var shard = Tool.Run([.. command, "--shard", $"{k}/{shards}", "--checkpoint", Path.Combine(dir, $"shard-{k}.jsonl")]);
            shard.Code.Should().Be(0, shard.Error);
            shard.Error.Should().Contain($"Shard {k} of {shards}");
        }
        var merge = Tool.Run(["merge", "--out", Path.Combine(dir, "merged.jsonl"), .. Enumerable.Range(1, shards).Select(k => Path.Combine(dir, $"shard-{k}.jsonl"))]);
        merge.Code.Should().Be(0, merge.Error);
        return Tool.Run([.. command, "--checkpoint", Path.Combine(dir, "merged.jsonl")]);
    }

    [Fact]
    public void Four_merged_shards_of_an_estimate_print_the_unsharded_output()
    {
        string[] command = ["estimate", Tool.California, .. Tool.CaliforniaColumns, "-e", "sdid", "--se", "placebo", "--seed", "2", "--json"];
        var whole = Tool.Run(command);
        whole.Code.Should().Be(0, whole.Error);
        var dir = Tool.TempFolder();
        var merged = Sharded(command, dir, 4);
        merged.Code.Should().Be(0, merged.Error);
        merged.Out.Should().Be(whole.Out);

        // California has 38 never-treated units, each the placebo once: shard 4 of 4 holds items 3, 7, …, 35.
        var three = Tool.Run("merge", "--out", Path.Combine(dir, "three.jsonl"), Path.Combine(dir, "shard-1.jsonl"), Path.Combine(dir, "shard-2.jsonl"), Path.Combine(dir, "shard-3.jsonl"));
        three.Code.Should().Be(1);
        three.Error.Should().Contain("IncompleteWorkException").And.Contain("3, 7, 11");
    }

    [Fact]
    public void Two_merged_shards_of_a_comparison_print_the_unsharded_table_and_a_checkpoint_of_other_arguments_is_refused()
    {
        string[] command = ["compare", Tool.California, .. Tool.CaliforniaColumns, "-e", "did,sc", "--designs", "fitted,uniform", "-r", "4", "--seed", "3"];
        var whole = Tool.Run(command);
        whole.Code.Should().Be(0, whole.Error);
        var dir = Tool.TempFolder();
        var merged = Sharded(command, dir, 2);
        merged.Code.Should().Be(0, merged.Error);
        merged.Out.Should().Be(whole.Out);

        var other = Tool.Run([.. command[..^1], "4", "--checkpoint", Path.Combine(dir, "merged.jsonl")]);
        other.Code.Should().Be(1);
        other.Error.Should().Contain("WorkJobMismatchException").And.Contain("merged.jsonl");
    }

    [Fact]
    public void The_shard_comes_from_k_of_n_or_the_job_arrays_environment()
    {
        static string? None(string _) => null;
        Distribution.Shard("3/8", None).Should().Be((3, 8));
        Distribution.Shard("auto", v => v switch { "SLURM_ARRAY_TASK_ID" => "0", "SLURM_ARRAY_TASK_MIN" => "0", "SLURM_ARRAY_TASK_COUNT" => "4", _ => null }).Should().Be((1, 4));
        Distribution.Shard("auto", v => v switch { "SLURM_ARRAY_TASK_ID" => "4", "SLURM_ARRAY_TASK_MIN" => "1", "SLURM_ARRAY_TASK_COUNT" => "4", _ => null }).Should().Be((4, 4));
        Distribution.Shard("auto/16", v => v == "JOB_COMPLETION_INDEX" ? "15" : null).Should().Be((16, 16));
        ((Action)(() => Distribution.Shard("auto", v => v == "JOB_COMPLETION_INDEX" ? "2" : null))).Should().Throw<UsageException>().WithMessage("*auto/n*");
        ((Action)(() => Distribution.Shard("5/4", None))).Should().Throw<UsageException>();
        ((Action)(() => Distribution.Shard("auto", None))).Should().Throw<UsageException>().WithMessage("*SLURM_ARRAY_TASK_ID*");

        var noFile = Tool.Run(["compare", Tool.California, .. Tool.CaliforniaColumns, "--shard", "1/2"]);
        noFile.Code.Should().Be(2);
        noFile.Error.Should().Contain("--checkpoint");
    }
}
