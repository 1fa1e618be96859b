using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace CausalPanel.Cli.Tests;

/// <summary>
/// "Nothing lost" (issue 22): a causalpanel process killed (SIGKILL, no chance to clean up) in the middle of a
/// checkpointed comparison, then started again with the same command, prints the table of an uninterrupted run and
/// computes only the simulated panels that were not in the checkpoint file. The kill must fall mid-run whatever the
/// machine's load: the test waits (on its own thread, not the thread pool's timers) for the sixth complete line, and the
/// run has 300 panels (about 15 ms each on one core) so that it is still going seconds after that; if it ended anyway,
/// or before its fifth panel, the failure says so with the counts and times.
/// </summary>
public sealed class KilledProcessTests
{
    private const int Replications = 150, Items = 2 * Replications;   // two designs

    private static readonly string[] Command =
        ["compare", Tool.California, .. Tool.CaliforniaColumns, "-e", "did,sdid", "--designs", "fitted,uniform", "-r", $"{Replications}", "--seed", "5", "--json"];

    /// <summary>Starts the tool (the CausalPanel.Cli.dll beside the tests) as a child process of the dotnet host running the tests.</summary>
    private static Process Start(params string[] args)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path
            : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8 };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CausalPanel.Cli.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }

    /// <summary>The item indices on the file's complete lines (those ending in a newline), in file order; the header skipped.</summary>
    private static List<int> FinishedItems(string file)
    {
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(file));
        var lines = text.Split('\n')[..^1];   // the last piece has no newline: empty, or a line cut by the kill
        return [.. lines.Skip(1).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("index").GetInt32())];
    }

    private static int CompleteLines(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var count = 0;
            for (var b = stream.ReadByte(); b >= 0; b = stream.ReadByte()) count += b == '\n' ? 1 : 0;
            return count;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task A_comparison_killed_mid_run_resumes_from_its_checkpoint_computing_only_the_unfinished_panels()
    {
        var checkpoint = Path.Combine(Tool.TempFolder(), "compare.jsonl");
        string[] command = [.. Command, "--parallel", "1", "--checkpoint", checkpoint];

        var first = Start(command);
        var output = first.StandardOutput.ReadToEndAsync();
        var errors = first.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        int lines;
        while ((lines = CompleteLines(checkpoint)) < 1 + 5 && !first.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120)) Thread.Sleep(5);
        var seen = clock.Elapsed;
        if (first.HasExited)
            Assert.Fail($"The first run ended before the test could kill it ({Math.Max(0, lines - 1)} of {Items} panels in the file after {seen.TotalSeconds:F1} s, exit code {first.ExitCode}); a loaded machine delayed the test's polling beyond the whole run, or the run failed: {await errors}");
        first.Kill();   // SIGKILL: no handler runs, the file is left as the last flush left it
        await first.WaitForExitAsync();
        var printed = await output;
        var before = FinishedItems(checkpoint);
        if (printed.Length > 0 || first.ExitCode == 0)
            Assert.Fail($"The first run finished between the test's last look at its file ({Math.Max(0, lines - 1)} panels after {seen.TotalSeconds:F1} s) and the kill (exit code {first.ExitCode}, {before.Count} of {Items} panels in the file): the kill fell after the run, not in it.");
        if (before.Count < 5)
            Assert.Fail($"The file had {Math.Max(0, lines - 1)} complete panel lines when the first run was killed after {seen.TotalSeconds:F1} s (the test waits at most 120 s for 5): the run started too slowly to be killed mid-comparison. Its errors: {await errors}");
        before.Count.Should().BeLessThan(Items, "the kill fell before the last panel");
        before.Should().OnlyHaveUniqueItems();

        var second = Start(command);
        var table = second.StandardOutput.ReadToEndAsync();
        var secondErrors = second.StandardError.ReadToEndAsync();
        await second.WaitForExitAsync();
        second.ExitCode.Should().Be(0, await secondErrors);

        // One line per panel: the rerun appended exactly the panels missing from the file, each once.
        var after = FinishedItems(checkpoint);
        after.Take(before.Count).Should().Equal(before, "the rerun keeps the finished panels' lines");
        var computed = after.Skip(before.Count).ToArray();
        computed.Should().HaveCount(Items - before.Count);
        computed.Should().BeEquivalentTo(Enumerable.Range(0, Items).Except(before));

        var uninterrupted = Tool.Run(Command);
        uninterrupted.Code.Should().Be(0, uninterrupted.Error);
        (await table).Should().Be(uninterrupted.Out);
    }
}
