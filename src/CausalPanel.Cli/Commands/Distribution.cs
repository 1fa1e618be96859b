using System.Globalization;

namespace CausalPanel.Cli.Commands;

/// <summary>
/// --checkpoint and --shard, shared by estimate and compare: a checkpoint file the run appends finished items to and
/// resumes from, and a job-array shard (k of n) whose items go to that file (docs/distributed.md).
/// </summary>
internal static class Distribution
{
    /// <summary>
    /// The shard of <paramref name="spec"/>: "k/n" (1 ≤ k ≤ n); "auto" or "auto/n", k from the job array's environment
    /// (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN + 1, or Kubernetes' JOB_COMPLETION_INDEX + 1) and n from "/n" or
    /// SLURM_ARRAY_TASK_COUNT; null without a spec.
    /// </summary>
    /// <exception cref="UsageException">A spec that is not k/n, or auto without the environment it needs.</exception>
    public static (int Shard, int Count)? Shard(string? spec, Func<string, string?> environment)
    {
        if (spec is null) return null;
        var parts = spec.Split('/');
        static int? Number(string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        int? k, n = parts.Length == 2 ? Number(parts[1]) : null;
        if (parts[0] == "auto")
        {
            if (environment("SLURM_ARRAY_TASK_ID") is { } id)
            {
                k = Number(id) - (Number(environment("SLURM_ARRAY_TASK_MIN")) ?? 0) + 1;
                n ??= Number(environment("SLURM_ARRAY_TASK_COUNT"));
            }
            else if (environment("JOB_COMPLETION_INDEX") is { } index)
                k = Number(index) + 1;
            else
                throw new UsageException("--shard auto reads SLURM_ARRAY_TASK_ID (a SLURM job array) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); neither is set. Give the shard as --shard k/n.");
            if (n is null)
                throw new UsageException("--shard auto needs the number of shards: SLURM_ARRAY_TASK_COUNT is not set, so give it as --shard auto/n (n = the array's size or the Job's completions).");
        }
        else k = parts.Length == 2 ? Number(parts[0]) : null;
        if (k is not { } shard || n is not { } count || count < 1 || shard < 1 || shard > count)
            throw new UsageException($"--shard must be k/n with 1 ≤ k ≤ n (e.g. 3/8), auto or auto/n; '{spec}' gives {(k is null || n is null ? "no shard" : $"shard {k} of {n}")}.");
        return (shard, count);
    }

    /// <summary>The executor of a shard (its items on <paramref name="parallel"/> cores), or null (the local default).</summary>
    public static IWorkExecutor? Executor((int Shard, int Count)? shard, int parallel) =>
        shard is { } s ? new ShardWorkExecutor { Shard = s.Shard, Count = s.Count, Inner = new LocalWorkExecutor { MaxDegreeOfParallelism = parallel } } : null;

    /// <summary>Refuses --shard without --checkpoint (the shard's items go to that file).</summary>
    public static string? Problem(string? shard, string? checkpoint) =>
        shard is not null && checkpoint is null ? "--shard writes the shard's items to the --checkpoint file; give one per shard (e.g. --checkpoint shard-$SLURM_ARRAY_TASK_ID.jsonl)." : null;

    /// <summary>What a shard's run says when it has written its items (the other shards' are missing by design).</summary>
    public static void Written(Terminal terminal, (int Shard, int Count) shard, string file, IncompleteWorkException missing, bool quiet) =>
        terminal.Note($"Shard {shard.Shard} of {shard.Count}: its items are in {file} ({missing.Missing.Count} items are the other shards'). When every shard has run: causalpanel merge --out merged.jsonl SHARD-FILES..., then rerun this command without --shard and with --checkpoint merged.jsonl for the result.", quiet);
}
