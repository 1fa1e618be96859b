using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Distributed;

/// <summary>
/// Work as data (issue 22): every executor — one local thread, all cores, four shards written to files and merged —
/// gives the same bits, and a checkpointed run that is cancelled resumes by redoing only the items it had not finished.
/// </summary>
public class WorkExecutionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("causalpanel-work-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    // 20 units, 3 adopting at period 8 of 12.
    private static readonly PanelData Block = RandomPanels.Staggered(3, [.. Enumerable.Repeat(-1, 17), 8, 8, 8], 12);

    private static readonly FactorModel Model = FactorModel.Fit(Datasets.Cps("log_wage", "min_wage"));

    /// <summary>Counts the items it is asked for and runs them on one local thread.</summary>
    private sealed class CountingExecutor : IWorkExecutor
    {
        public int Items;

        public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default)
        {
            Interlocked.Add(ref Items, items.Count);
            return new LocalWorkExecutor { MaxDegreeOfParallelism = 1 }.RunAsync(job, items, finished, ct);
        }
    }

    /// <summary>Runs <paramref name="run"/> as 4 shards, each to its own file, merges them and reruns on the merged file (counting what it computes).</summary>
    private T Sharded<T>(string name, Func<IWorkExecutor, string, T> run, out int recomputed)
    {
        var shards = Enumerable.Range(1, 4).Select(k => File($"{name}-{k}.jsonl")).ToArray();
        for (var k = 1; k <= 4; k++)
        {
            var shard = k;
            var missing = ((Action)(() => run(new ShardWorkExecutor { Shard = shard, Count = 4 }, shards[shard - 1]))).Should().Throw<IncompleteWorkException>().Which.Missing;
            missing.Should().OnlyContain(i => i % 4 != shard - 1, "a shard leaves exactly the other shards' items");
        }
        var merged = File($"{name}-merged.jsonl");
        WorkCheckpoint.Merge(shards, merged);
        var counting = new CountingExecutor();
        var result = run(counting, merged);
        recomputed = counting.Items;
        return result;
    }

    public static TheoryData<string> Methods => ["unit placebo", "bootstrap", "jackknife", "cluster bootstrap"];

    private static VarianceMethod Method(string name) => name switch
    {
        "unit placebo" => new UnitPlaceboVariance { Replications = 12, Seed = 7 },
        "bootstrap" => new BootstrapVariance { Replications = 12, Seed = 7 },
        "jackknife" => new JackknifeVariance(),
        _ => new BootstrapVariance { Replications = 12, Seed = 7, Cluster = u => $"c{int.Parse(u) % 7}" },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void SDID_variance_is_bit_identical_on_one_thread_all_cores_and_four_merged_shards(string name)
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        var method = Method(name);
        var serial = fit.WithVariance(method with { MaxDegreeOfParallelism = 1 });
        var parallel = fit.WithVariance(method with { MaxDegreeOfParallelism = -1 });
        var merged = Sharded(name, (executor, file) => fit.WithVariance(method with { Executor = executor, Checkpoint = file }), out var recomputed);

        serial.IsDefined.Should().BeTrue();
        recomputed.Should().Be(0, "the merged shard files hold every replicate");
        foreach (var other in new[] { parallel, merged })
        {
            other.Replicates.Should().Equal(serial.Replicates);
            other.ReplicateLabels.Should().Equal(serial.ReplicateLabels);
            BitConverter.DoubleToInt64Bits(other.StandardError).Should().Be(BitConverter.DoubleToInt64Bits(serial.StandardError));
            other.EventTimeStandardErrors.Should().Equal(serial.EventTimeStandardErrors);
        }
        // Outside check: the standard error is the method's spread formula over the replicates it reports.
        var x = serial.Replicates.ToArray();
        var squares = x.Sum(v => (v - x.Average()) * (v - x.Average()));
        serial.StandardError.Should().BeApproximately(Math.Sqrt(name == "jackknife" ? (x.Length - 1.0) / x.Length * squares : squares / x.Length), 1e-12);
    }

    /// <summary>A stand-in for a cluster engine: the job travels as JSON, a "worker" rebuilds it and computes each item with WorkItems.Execute.</summary>
    private sealed class JsonRoundTripExecutor : IWorkExecutor
    {
        public string? Sent;

        public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default)
        {
            Sent = job.ToJson();
            var rebuilt = WorkJob.FromJson(Sent, ct);
            rebuilt.Hash.Should().Be(job.Hash);
            foreach (var i in items.Reverse()) finished(WorkItems.Execute(rebuilt, i, ct));
            return Task.CompletedTask;
        }
    }

    public static TheoryData<string, string> Portable => new()
    {
        { "sdid", "unit placebo" }, { "sdid", "bootstrap" }, { "sdid", "jackknife" }, { "sdid", "cluster bootstrap" }, { "sdid", "time placebo" },
        { "sdid", "marginal" }, { "did", "bootstrap" }, { "mc", "jackknife" }, { "sc renamed", "unit placebo" }, { "dwcp", "bootstrap" },
        { "sdid", "conditional on both" }, { "dwcp", "conditional on both" }, { "mc", "conditional on both" },
    };

    [Theory]
    [MemberData(nameof(Portable))]
    public void A_job_sent_as_json_and_rebuilt_by_a_worker_gives_the_same_bits(string estimatorName, string methodName)
    {
        IEstimator estimator = estimatorName switch
        {
            "sdid" => new SyntheticDifferenceInDifferences(),
            "did" => new DifferenceInDifferences(),
            "mc" => new MatrixCompletion(new MatrixCompletionOptions { Lambda = 0.5 }),
            "sc renamed" => new SyntheticControl(new SyntheticWeightingOptions { EtaOmega = 0.5 }).Named("SC ridge"),
            _ => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.2, LambdaTime = 0.2, LambdaNuclear = double.PositiveInfinity, Mode = DwcpMode.Block }),
        };
        var method = methodName switch
        {
            "time placebo" => new TimePlaceboVariance(),
            "marginal" => new MarginalVariance { Replications = 6, Seed = 3 },
            // The rescaled unit placebo: each replicate's unit coefficients (from its linear weights) travel with it.
            "conditional on both" => new ConditionalVariance { Replications = 12, Seed = 7 },
            _ => Method(methodName) with { },
        };
        var fit = estimator.Estimate(Block);
        var local = fit.WithVariance(method);
        var remote = new JsonRoundTripExecutor();
        var sent = fit.WithVariance(method with { Executor = remote });
        remote.Sent.Should().Contain("\"format\":\"causalpanel-job/1\"");
        sent.Replicates.Should().Equal(local.Replicates);
        sent.ReplicateLabels.Should().Equal(local.ReplicateLabels);
        sent.EventTimeStandardErrors.Should().Equal(local.EventTimeStandardErrors);
    }

    [Fact]
    public void DWCP_bootstrap_at_fixed_lambdas_is_bit_identical_on_one_thread_all_cores_and_four_merged_shards()
    {
        var fit = new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.2, LambdaTime = 0.2, LambdaNuclear = double.PositiveInfinity }).Estimate(Block);
        var method = new BootstrapVariance { Replications = 8, Seed = 2 };
        var serial = fit.WithVariance(method with { MaxDegreeOfParallelism = 1 });
        var parallel = fit.WithVariance(method);
        var merged = Sharded("dwcp", (executor, file) => fit.WithVariance(method with { Executor = executor, Checkpoint = file }), out var recomputed);
        recomputed.Should().Be(0);
        parallel.Replicates.Should().Equal(serial.Replicates);
        merged.Replicates.Should().Equal(serial.Replicates);
        merged.StandardError.Should().Be(serial.StandardError);
    }

    private EstimatorComparison Comparison() => new()
    {
        Estimators = [new DifferenceInDifferences(), new SyntheticDifferenceInDifferences()],
        Designs = [new SimulationDesign { Model = Model, Name = "baseline" }, new SimulationDesign { Model = Model, Name = "no M", Interactive = false }],
        Replications = 6, Seed = 4,
    };

    [Fact]
    public void A_comparison_of_two_designs_is_bit_identical_on_one_thread_all_cores_and_four_merged_shards()
    {
        var serial = (Comparison() with { MaxDegreeOfParallelism = 1 }).Run();
        var parallel = Comparison().Run();
        var merged = Sharded("comparison", (executor, file) => (Comparison() with { Executor = executor, Checkpoint = file }).Run(), out var recomputed);
        recomputed.Should().Be(0);
        foreach (var other in new[] { parallel, merged })
        {
            other.Rows.Select(r => r.Estimates).Should().BeEquivalentTo(serial.Rows.Select(r => r.Estimates), o => o.WithStrictOrdering());
            other.Rows.Select(r => r.Rmse).Should().Equal(serial.Rows.Select(r => r.Rmse));
            other.ToCsv().Should().Be(serial.ToCsv());
        }
        // Outside check: RMSE is √(mean τ̂²) of the estimates (true effect 0).
        serial.Rows[0].Rmse.Should().BeApproximately(Math.Sqrt(serial.Rows[0].Estimates.Average(e => e * e)), 1e-12);
    }

    /// <summary>Cancels its token when the count of finished items reaches a number.</summary>
    private sealed class CancelAt(int at, CancellationTokenSource cts) : IProgress<int>
    {
        public void Report(int value)
        {
            if (value >= at) cts.Cancel();
        }
    }

    [Fact]
    public void A_cancelled_checkpointed_comparison_resumes_redoing_only_the_unfinished_items()
    {
        var uninterrupted = Comparison().Run();
        var checkpoint = File("resume.jsonl");
        using var cts = new CancellationTokenSource();
        var stopped = () => (Comparison() with { MaxDegreeOfParallelism = 1, Checkpoint = checkpoint, Progress = new CancelAt(5, cts) }).Run(cts.Token);
        stopped.Should().Throw<OperationCanceledException>();
        var finished = System.IO.File.ReadAllLines(checkpoint).Length - 1;   // the header, then one line per finished item
        finished.Should().Be(5, "one thread stops after the item that cancelled");

        var counting = new CountingExecutor();
        var resumed = (Comparison() with { Executor = counting, Checkpoint = checkpoint }).Run();
        counting.Items.Should().Be(12 - finished);
        resumed.ToCsv().Should().Be(uninterrupted.ToCsv());
        resumed.Rows.Select(r => r.Estimates).Should().BeEquivalentTo(uninterrupted.Rows.Select(r => r.Estimates), o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_half_written_last_line_is_redone_and_a_resumed_variance_run_is_identical()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        var method = new BootstrapVariance { Replications = 10, Seed = 1 };
        var full = fit.WithVariance(method);
        var checkpoint = File("bootstrap.jsonl");
        ((Action)(() => fit.WithVariance(method with { Executor = new ShardWorkExecutor { Shard = 1, Count = 2 }, Checkpoint = checkpoint }))).Should().Throw<IncompleteWorkException>();
        var lines = System.IO.File.ReadAllLines(checkpoint);
        System.IO.File.WriteAllText(checkpoint, string.Join("\n", lines) + "\n" + lines[^1][..10]);   // a crash mid-write
        var counting = new CountingExecutor();
        var resumed = fit.WithVariance(method with { Executor = counting, Checkpoint = checkpoint });
        counting.Items.Should().Be(5);
        resumed.Replicates.Should().Equal(full.Replicates);
    }

    [Fact]
    public void A_checkpoint_of_another_job_or_an_incomplete_merge_is_refused_by_name()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        var checkpoint = File("seed1.jsonl");
        fit.WithVariance(new BootstrapVariance { Replications = 4, Seed = 1, Checkpoint = checkpoint });
        var other = () => fit.WithVariance(new BootstrapVariance { Replications = 4, Seed = 2, Checkpoint = checkpoint });
        other.Should().Throw<WorkJobMismatchException>().WithMessage("*seed1.jsonl*another job*");

        var shards = Enumerable.Range(1, 3).Select(k => File($"part-{k}.jsonl")).ToArray();
        for (var k = 1; k <= 3; k++)
        {
            var shard = k;
            ((Action)(() => fit.WithVariance(new BootstrapVariance { Replications = 8, Seed = 1, Executor = new ShardWorkExecutor { Shard = shard, Count = 4 }, Checkpoint = shards[shard - 1] })))
                .Should().Throw<IncompleteWorkException>();
        }
        var merge = () => WorkCheckpoint.Merge(shards, File("merged.jsonl"));
        merge.Should().Throw<IncompleteWorkException>().Which.Missing.Should().Equal(3, 7);
        var mixed = () => WorkCheckpoint.Merge([shards[0], checkpoint], File("mixed.jsonl"));
        mixed.Should().Throw<WorkJobMismatchException>().WithMessage("*different jobs*");
    }

    [Fact]
    public void A_callback_option_cannot_travel_to_a_checkpoint()
    {
        var fit = new SyntheticDifferenceInDifferences().Estimate(Block);
        var injected = new UnitPlaceboVariance { Replications = 4, Permutations = (b, n) => Enumerable.Range(0, n).Reverse().ToArray() };
        fit.WithVariance(injected).IsDefined.Should().BeTrue("the local executor runs callbacks");
        var checkpointed = () => fit.WithVariance(injected with { Checkpoint = File("callback.jsonl") });
        checkpointed.Should().Throw<WorkNotPortableException>().WithMessage("*Permutations is a callback*");
        var remote = () => fit.WithVariance(injected with { Executor = new JsonRoundTripExecutor() });
        remote.Should().Throw<WorkNotPortableException>().WithMessage("*Permutations is a callback*");
    }
}
