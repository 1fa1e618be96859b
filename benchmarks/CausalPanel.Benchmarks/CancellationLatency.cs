using System.Diagnostics;
using System.Globalization;

namespace CausalPanel.Benchmarks;

/// <summary>
/// Issue 18 item 4, measured: the time from <see cref="CancellationTokenSource.Cancel()"/> to the
/// <see cref="OperationCanceledException"/> reaching the caller (goal ≤ 1 s), for every estimator and variance method on
/// the generated 2,000 × 100 block panel (<see cref="FactorPanels.Block"/>, the last 200 units treated over the last 20
/// periods, as the cancellation tests use) and for DiD, SC and SDID on the 100,000 × 50 block panel. Each case runs on
/// its own thread and is cancelled at a few offsets spread over its length: after a warm-up run, a probe run cancelled
/// at <see cref="Cap"/> gives the length (or, when it does not finish, the first latency); the offsets are then j/(k + 1)
/// of the shortest finished run so far (j = 1..k), or j/k of the cap for a run longer than the cap. A run that finishes before its
/// offset counts as finished first, not as a latency; one that returns its result after <c>Cancel()</c> (a last stretch
/// without checks) is counted apart and its time from <c>Cancel()</c> to the return is a latency like the exception's.
/// The tests assert the exception; this measures how long it takes.
/// </summary>
internal static class CancellationLatency
{
    /// <summary>The longest a run is let go before it is cancelled.</summary>
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(3);

    /// <summary>How long the warm-up run (not measured) is let go.</summary>
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);

    /// <summary>A case: <paramref name="Prepare"/> builds its panel or fit (not timed), <paramref name="Run"/> is what is cancelled.</summary>
    private sealed record Case(string Name, int Offsets, Action Prepare, Func<CancellationToken, object?> Run);

    private static readonly Lazy<PanelData> Block = new(() => FactorPanels.Block(2000, 100, 200, 20));
    private static readonly Lazy<PanelData> Wide = new(() => FactorPanels.Block(100_000, 50, 5000, 10));

    private static readonly Lazy<EstimationResult> SdidFit = new(() => new SyntheticDifferenceInDifferences().Estimate(Block.Value));

    /// <summary>MC-NNM at a fixed λ (a 10-value path, the peak mode's): its replicates keep that λ.</summary>
    private static readonly Lazy<EstimationResult> McFit = new(() =>
        new MatrixCompletion(new MatrixCompletionOptions { Lambda = 2e-4, LambdaCount = 10 }).Estimate(Block.Value));

    /// <summary>DWCP with λ_time = 0 and λ_nuclear = ∞: one closed-form weighted fit per treated unit, so the fit is quick.</summary>
    private static readonly Lazy<EstimationResult> DwcpFit = new(() =>
        new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.4, LambdaTime = 0, LambdaNuclear = double.PositiveInfinity }).Estimate(Block.Value));

    private static readonly DwcpOptions Fixed = new() { LambdaUnit = 0.4, LambdaTime = 0.2, LambdaNuclear = 0.1 };

    private static IEnumerable<Case> Cases()
    {
        Case Fit(string name, IEstimator estimator, Lazy<PanelData> panel, int offsets = 5) =>
            new(name, offsets, () => _ = panel.Value, ct => estimator.Estimate(panel.Value, ct));
        Case Variance(string name, Lazy<EstimationResult> fit, IVarianceEstimator method) =>
            new(name, 5, () => _ = fit.Value, ct => method.Estimate(fit.Value, ct));

        yield return Fit("2000x100 DiD", new DifferenceInDifferences(), Block);
        yield return Fit("2000x100 SC", new SyntheticControl(), Block);
        yield return Fit("2000x100 DIFP", new SyntheticControlWithIntercept(), Block);
        yield return Fit("2000x100 SDID", new SyntheticDifferenceInDifferences(), Block);
        yield return Fit("2000x100 MC-NNM (mcnnm_cv defaults)", new MatrixCompletion(), Block);
        yield return Fit("2000x100 DWCP per cell, fixed λ", new DoublyWeightedCausalPanel(Fixed), Block);
        yield return Fit("2000x100 DWCP per cell, tuned", new DoublyWeightedCausalPanel(), Block);
        yield return Fit("2000x100 DWCP block, fixed λ", new DoublyWeightedCausalPanel(Fixed with { Mode = DwcpMode.Block }), Block);
        yield return Fit("2000x100 DWCP block, tuned", new DoublyWeightedCausalPanel(new DwcpOptions { Mode = DwcpMode.Block }), Block);
        yield return Variance("2000x100 SDID unit placebo", SdidFit, new UnitPlaceboVariance());
        yield return Variance("2000x100 SDID time placebo", SdidFit, new TimePlaceboVariance());
        yield return Variance("2000x100 SDID bootstrap", SdidFit, new BootstrapVariance());
        yield return Variance("2000x100 SDID jackknife", SdidFit, new JackknifeVariance());
        yield return Variance("2000x100 SDID regression", SdidFit, new RegressionVariance());
        yield return Variance("2000x100 SDID regression, units and periods", SdidFit, new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods });
        yield return Variance("2000x100 SDID marginal", SdidFit, new MarginalVariance());
        yield return Variance("2000x100 SDID conditional", SdidFit, new ConditionalVariance());
        yield return Variance("2000x100 MC-NNM unit placebo", McFit, new UnitPlaceboVariance());
        yield return Variance("2000x100 MC-NNM bootstrap", McFit, new BootstrapVariance());
        yield return Variance("2000x100 MC-NNM jackknife", McFit, new JackknifeVariance());
        yield return Variance("2000x100 DWCP bootstrap", DwcpFit, new BootstrapVariance());
        yield return Fit("100000x50 DiD", new DifferenceInDifferences(), Wide, offsets: 10);
        yield return Fit("100000x50 SC", new SyntheticControl(), Wide, offsets: 4);
        yield return Fit("100000x50 SDID", new SyntheticDifferenceInDifferences(), Wide, offsets: 4);
    }

    /// <summary>Runs the cases whose name contains <paramref name="filter"/> (all when null) and prints the table.</summary>
    public static void Run(string? filter)
    {
        var started = DateTime.UtcNow;
        var loadBefore = LoadAverage();
        Console.WriteLine($"Cancellation latency (Cancel() → OperationCanceledException), {started:yyyy-MM-dd HH:mm} UTC, " +
            $"{Environment.ProcessorCount} cores, load average {loadBefore}");
        Console.WriteLine("| case | run (s) | threw | returned | finished first | median (ms) | max (ms) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var c in Cases().Where(c => filter is null || c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)))
        {
            c.Prepare();
            var warmup = Once(c.Run, Warmup);   // compiles the run's code (a first run of a quick case is mostly the JIT)
            var probe = Once(c.Run, Cap);
            var runs = new List<Outcome> { probe };
            if (probe.SinceCancel is null)
            {
                // A quick run's length varies from run to run (the first ones are slower): the offsets are fractions of the
                // shortest finished run so far, so that they fall inside most runs.
                var shortest = warmup.SinceCancel is null && warmup.Length < probe.Length ? warmup.Length : probe.Length;
                for (var j = 1; j <= c.Offsets; j++)
                {
                    var run = Once(c.Run, shortest * j / (c.Offsets + 1));
                    if (!run.Threw && run.Length < shortest) shortest = run.Length;
                    runs.Add(run);
                }
            }
            else runs.AddRange(Enumerable.Range(1, c.Offsets - 1).Select(j => Once(c.Run, Cap * j / c.Offsets)));
            var latencies = runs.Where(r => r.SinceCancel is not null).Select(r => r.SinceCancel!.Value).Order().ToList();
            var length = probe.SinceCancel is null ? probe.Length.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) : $"> {Cap.TotalSeconds:F0}";
            string Ms(double ms) => ms.ToString(ms < 10 ? "F1" : "F0", CultureInfo.InvariantCulture);
            var (threw, returned) = (runs.Count(r => r.Threw), runs.Count(r => r.SinceCancel is not null && !r.Threw));
            Console.WriteLine($"| {c.Name} | {length} | {threw} | {returned} | {runs.Count - threw - returned} | " +
                (latencies.Count == 0 ? "– | – |" : $"{Ms(Median(latencies))} | {Ms(latencies[^1])} |"));
        }
        Console.WriteLine($"load average at the end {LoadAverage()}; {(DateTime.UtcNow - started).TotalMinutes:F1} min");
    }

    /// <summary>
    /// One run: <paramref name="SinceCancel"/> ms from <c>Cancel()</c> until the call gave control back (null when it finished
    /// before <c>Cancel()</c>), <paramref name="Threw"/> whether by <see cref="OperationCanceledException"/> (else by
    /// returning its result), <paramref name="Length"/> the run's length.
    /// </summary>
    private sealed record Outcome(double? SinceCancel, bool Threw, TimeSpan Length);

    /// <summary>
    /// Runs <paramref name="run"/> on its own thread and cancels its token after <paramref name="offset"/> unless it has
    /// finished. Any exception but the cancellation is a failure of the harness or of the library.
    /// </summary>
    private static Outcome Once(Func<CancellationToken, object?> run, TimeSpan offset)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var source = new CancellationTokenSource();
        long start = 0, end = 0;
        Exception? error = null;
        var threw = false;
        var worker = new Thread(() =>
        {
            start = Stopwatch.GetTimestamp();
            try { run(source.Token); }
            catch (OperationCanceledException) { threw = true; }
            catch (Exception e) { error = e; }
            end = Stopwatch.GetTimestamp();
        }, maxStackSize: 16 << 20);
        worker.Start();
        long cancelledAt = 0;
        if (!worker.Join(offset))
        {
            cancelledAt = Stopwatch.GetTimestamp();
            source.Cancel();
            worker.Join();
        }
        if (error is not null) throw new InvalidOperationException($"The run failed with {error.GetType().Name}: {error.Message}", error);
        if (threw && cancelledAt == 0) throw new InvalidOperationException("The run was cancelled before Cancel() was called.");
        // Cancel() may fall after the run's last statement but before Join saw it end: then the run ended first.
        var sinceCancel = cancelledAt == 0 || end < cancelledAt ? (double?)null : Stopwatch.GetElapsedTime(cancelledAt, end).TotalMilliseconds;
        return new(sinceCancel, threw, Stopwatch.GetElapsedTime(start, end));
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
