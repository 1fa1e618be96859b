using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Distributed;

/// <summary>
/// <see cref="VarianceComparison"/> on the executor (issue 22): its simulation cells (design × replication) are work
/// items, bit-identical on one thread, all cores, four merged shards and a worker that receives the job as JSON; a
/// cancelled checkpointed run resumes by computing only the cells it had not finished.
/// </summary>
public class VarianceComparisonWorkTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("causalpanel-variance-work-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    private static VarianceComparison Comparison() => SmallVarianceComparison.Create();

    private static long[] Bits(WorkItemResult item) => SmallVarianceComparison.CellBits(item);

    [Fact]
    public void Cells_are_bit_identical_on_one_thread_all_cores_four_merged_shards_and_a_worker_sent_the_job_as_json()
    {
        var serialCells = new RecordingExecutor();
        var serial = (Comparison() with { Executor = serialCells }).Run();
        var parallel = Comparison().Run();
        var shards = Enumerable.Range(1, 4).Select(k => File($"shard-{k}.jsonl")).ToArray();
        for (var k = 1; k <= 4; k++)
        {
            var shard = k;
            var run = () => (Comparison() with { Executor = new ShardWorkExecutor { Shard = shard, Count = 4 }, Checkpoint = shards[shard - 1] }).Run();
            run.Should().Throw<IncompleteWorkException>().Which.Missing.Should().OnlyContain(i => i % 4 != shard - 1);
        }
        WorkCheckpoint.Merge(shards, File("merged.jsonl"));
        var counting = new RecordingExecutor();
        var merged = (Comparison() with { Executor = counting, Checkpoint = File("merged.jsonl") }).Run();
        var worker = new JsonWorker();
        var sent = (Comparison() with { Executor = worker }).Run();

        counting.Items.Should().BeEmpty("the merged shard files hold every cell");
        worker.RebuiltHash.Should().Be(worker.SenderHash);
        worker.Items.Keys.Order().Should().Equal(Enumerable.Range(0, 8));
        foreach (var (index, cell) in serialCells.Items)
            Bits(worker.Items[index]).Should().Equal(Bits(cell), $"cell {index} computed by the worker");
        foreach (var other in new[] { parallel, merged, sent })
            other.ToCsv().Should().Be(serial.ToCsv());   // every number in round-trip form

        // Outside check: each row's size and power are the shares of the recorded cells' intervals that exclude 0
        // (method m's test at effect k at index m·2 + k of the estimator's lists).
        var defined = 0;
        for (var d = 0; d < 2; d++)
            for (var e = 0; e < 2; e++)
                for (var m = 0; m < 2; m++)
                {
                    var row = serial.Rows.Single(r => r.Design == Comparison().Designs[d].Name && r.Estimator == Comparison().Estimators[e].Name && r.Method == Comparison().Methods[m].Name);
                    var tests = Enumerable.Range(d * 4, 4).Select(i => serialCells.Items[i].Tests![e]).ToArray();
                    double Share(int k) => tests.Where(t => !double.IsNaN(t.HalfWidths[m * 2 + k])).Average(t => Math.Abs(t.Estimates[m * 2 + k]) > t.HalfWidths[m * 2 + k] ? 1.0 : 0.0);
                    row.Valid.Should().Be(tests.Count(t => !double.IsNaN(t.HalfWidths[m * 2])));
                    row.Size.Should().Be(Share(0));
                    row.Power[0].Should().Be(Share(1));
                    defined += row.Valid;
                }
        defined.Should().BeGreaterThan(24, "most of the 32 tests at zero effect are defined, so numbers and not only NaNs are compared");
    }

    [Fact]
    public void A_cancelled_checkpointed_run_resumes_computing_only_the_unfinished_cells()
    {
        var uninterrupted = Comparison().Run();
        var checkpoint = File("resume.jsonl");
        using var cts = new CancellationTokenSource();
        var stopped = () => (Comparison() with { MaxDegreeOfParallelism = 1, Checkpoint = checkpoint, Progress = new CancelAt(3, cts) }).Run(cts.Token);
        stopped.Should().Throw<OperationCanceledException>();
        var finished = System.IO.File.ReadAllLines(checkpoint).Length - 1;   // the header, then one line per finished cell
        finished.Should().Be(3, "one thread stops after the cell that cancelled");

        var resumedCells = new RecordingExecutor();
        var resumed = (Comparison() with { Executor = resumedCells, Checkpoint = checkpoint }).Run();
        resumedCells.Items.Keys.Order().Should().Equal(Enumerable.Range(3, 8 - 3), "cells 0–2 are read back, the 5 others computed");
        resumed.ToCsv().Should().Be(uninterrupted.ToCsv());
        System.IO.File.ReadAllLines(checkpoint).Length.Should().Be(1 + 8);
    }

    [Fact]
    public void A_checkpoint_written_before_noise_free_estimates_and_treated_units_reads_them_as_NaN_and_unknown()
    {
        var checkpoint = File("old.jsonl");
        var cells = new RecordingExecutor();
        var fresh = (Comparison() with { Executor = cells, Checkpoint = checkpoint }).Run();
        var lines = System.IO.File.ReadAllLines(checkpoint);
        lines[1].Should().Contain("\"noiseFreeEstimate\":").And.Contain("\"treatedUnits\":[");
        // The lines as the previous version wrote them: without the two members.
        var old = lines.Select((line, k) => k == 0 ? line : System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(line, ",\"noiseFreeEstimate\":[^,}]+", ""), ",\"treatedUnits\":\\[[^\\]]*\\]", "")).ToArray();
        old.Skip(1).Should().OnlyContain(l => !l.Contains("noiseFree") && !l.Contains("treatedUnits"));
        System.IO.File.WriteAllLines(checkpoint, old);

        var counting = new RecordingExecutor();
        var read = (Comparison() with { Executor = counting, Checkpoint = checkpoint }).Run();
        counting.Items.Should().BeEmpty("every cell is read back");
        read.Warnings.Should().BeEmpty("the treated units are unknown");
        foreach (var (row, was) in read.Rows.Zip(fresh.Rows))
        {
            row.MisfitShare.Should().Be(double.NaN);
            double.IsNaN(was.MisfitShare).Should().BeFalse();
            (row.Size, row.Bias, row.RootMeanSquaredError).Should().Be((was.Size, was.Bias, was.RootMeanSquaredError));
        }
    }
}
