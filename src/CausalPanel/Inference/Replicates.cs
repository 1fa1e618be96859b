using System.Collections.Concurrent;
using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>Shared machinery of the replicate-based variance methods.</summary>
internal static class Replicates
{
    /// <summary>
    /// Runs replicates 0..count−1 in parallel (<see cref="ForEach"/>). Each replicate must draw only from its own stream
    /// (<see cref="Stream"/>), so results do not depend on scheduling.
    /// </summary>
    public static T[] Run<T>(int count, Func<int, T> replicate, int maxDegreeOfParallelism, IProgress<int>? progress, CancellationToken ct)
    {
        var results = new T[count];
        var failures = new EstimationException?[count];
        var done = 0;
        ForEach(count, b =>
        {
            try
            {
                results[b] = replicate(b);
            }
            catch (EstimationException e)
            {
                failures[b] = e;   // every replicate runs, so the one reported does not depend on scheduling
            }
            progress?.Report(Interlocked.Increment(ref done));
        }, maxDegreeOfParallelism, ct);
        var first = Array.FindIndex(failures, f => f is not null);
        if (first >= 0)
            throw FailedAt(first, count, failures.Count(f => f is not null), failures[first]!.Message);
        return results;
    }

    /// <summary>The exception for a run whose first refused replicate is <paramref name="first"/> (0-based).</summary>
    public static ReplicateFailedException FailedAt(int first, int count, int failed, string message) =>
        new($"replicate {first + 1} of {count} could not be estimated ({failed} failed): {message}");

    /// <summary>
    /// Runs <paramref name="body"/> on 0..count−1 in parallel (at most <paramref name="maxDegreeOfParallelism"/>, −1 = one
    /// per core: left unbounded, Parallel.For adds thread-pool threads while long items block it, and every concurrent
    /// item holds a fit's working set). Each running item takes a <see cref="WorkerScratch"/> that an earlier one left,
    /// so the run's solver memory is that of its workers rather than of its items.
    /// </summary>
    public static void ForEach(int count, Action<int> body, int maxDegreeOfParallelism, CancellationToken ct)
    {
        var idle = new ConcurrentBag<WorkerScratch>();   // one per concurrent item: Parallel.For's tasks are shorter-lived than its workers
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism, CancellationToken = ct }, b =>
        {
            if (!idle.TryTake(out var scratch)) scratch = new WorkerScratch();
            try
            {
                using (scratch.Enter())
                    body(b);
            }
            finally
            {
                idle.Add(scratch);
            }
        });
    }

    /// <summary>A replicate panel the estimator refused; <see cref="VarianceMethod.Estimate(EstimationResult, CancellationToken)"/> turns it into an undefined result.</summary>
    internal sealed class ReplicateFailedException(string message) : Exception(message);

    /// <summary>The random stream of replicate b: seeded by SplitMix64 of (seed, b).</summary>
    public static Random Stream(int seed, int replicate)
    {
        var z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)replicate + 1);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return new Random((int)((z ^ (z >> 31)) & 0x7FFFFFFF));
    }

    /// <summary>
    /// A panel of original rows <paramref name="rows"/> (repeats allowed, relabelled "label#2", ...) over the first
    /// <paramref name="periods"/> periods (all when null); replicate row r is treated from column
    /// <paramref name="adoption"/>(r) to the end, or never when it returns null; covariates follow their rows. Its outcomes are
    /// the rows' own, or <paramref name="outcome"/>(r, s) when given (a simulated panel).
    /// </summary>
    public static PanelData Panel(PanelData data, IReadOnlyList<int> rows, Func<int, int?> adoption, int? periods = null, Func<int, int, double>? outcome = null)
    {
        int t = periods ?? data.PeriodCount;
        var y = new double[rows.Count, t];
        var w = new bool[rows.Count, t];
        var labels = new string[rows.Count];
        var seen = new Dictionary<int, int>();
        for (var r = 0; r < rows.Count; r++)
        {
            var copy = seen[rows[r]] = seen.GetValueOrDefault(rows[r]) + 1;
            labels[r] = copy == 1 ? data.Units[rows[r]] : $"{data.Units[rows[r]]}#{copy}";
            var first = adoption(r) ?? t;
            for (var s = 0; s < t; s++)
            {
                y[r, s] = outcome?.Invoke(r, s) ?? data.Outcomes[rows[r], s];
                w[r, s] = s >= first;
            }
        }
        var panel = PanelData.FromMatrices(y, w, labels, data.Periods.Take(t), data.OutcomeName);
        if (data.Covariates.Count == 0) return panel;
        return panel.WithCovariates(data.Covariates.Select(c =>
        {
            var x = new double[rows.Count, t];
            for (var r = 0; r < rows.Count; r++)
                for (var s = 0; s < t; s++) x[r, s] = c.Value[rows[r], s];
            return (c.Key, x);
        }).ToArray());
    }

    /// <summary>A panel of original rows <paramref name="rows"/> whose treatment paths travel with them (resampling).</summary>
    public static PanelData Resampled(PanelData data, IReadOnlyList<int> rows) =>
        Panel(data, rows, r => data.Pattern.FirstTreatedPeriodIndex(rows[r]));

    /// <summary>
    /// Why a method that re-runs the estimator on resampled or placebo-treated units cannot run: the
    /// panel must be balanced with absorbing treatment (block or staggered adoption); null when it can.
    /// </summary>
    public static string? AdoptionDesignProblem(EstimationResult fit, string method)
    {
        var p = fit.Data.Pattern;
        if (p.Design is not (TreatmentDesign.Block or TreatmentDesign.Staggered))
            return $"{method} needs units that adopt treatment once and stay treated (block or staggered adoption); this panel has a {p.Design.ToString().ToLowerInvariant()} design (units {CausalPanelException.List(p.SwitchingUnitIndices.Select(i => fit.Data.Units[i]), 3)} switch).{fit.Data.PeriodOrderCaveat}";
        if (!fit.Data.IsBalanced)
            return $"{method} needs a balanced panel; this one has {fit.Data.Outcomes.UnobservedCount} unobserved cells.";
        return null;
    }

    /// <summary>Why a method that moves the treatment window in time cannot run: it needs a balanced block design; null when it can.</summary>
    public static string? BlockDesignProblem(EstimationResult fit, string method)
    {
        if (AdoptionDesignProblem(fit, method) is { } problem) return problem;
        var p = fit.Data.Pattern;
        return p.Design == TreatmentDesign.Block ? null
            : $"{method} slides one treatment window over the pre-period, so it needs a block design (one adoption period); this panel has {p.Cohorts.Count} adoption cohorts ({string.Join(", ", p.Cohorts.Select(c => c.Period))}). Use UnitPlaceboVariance or BootstrapVariance, which handle staggered adoption.";
    }

    /// <summary>
    /// Why a method that placebo-treats N1 of the never-treated units cannot run: not a balanced
    /// adoption design, or N0 ≤ N1 (R synthdid refuses that too); null when it can.
    /// </summary>
    public static string? UnitPlaceboProblem(EstimationResult fit, string method)
    {
        if (AdoptionDesignProblem(fit, method) is { } problem) return problem;
        var p = fit.Data.Pattern;
        return p.NeverTreatedCount > p.TreatedUnitCount ? null
            : $"the {method.ToLowerInvariant()} needs more never-treated units than treated ones (N0 = {p.NeverTreatedCount}, N1 = {p.TreatedUnitCount}).";
    }

    public static void Validate(int replications, int maxDegreeOfParallelism)
    {
        if (replications < 2) throw new ArgumentOutOfRangeException(nameof(replications), replications, "Replications must be at least 2.");
        ValidateParallelism(maxDegreeOfParallelism);
    }

    public static void ValidateParallelism(int maxDegreeOfParallelism)
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "MaxDegreeOfParallelism must be −1 (all cores) or at least 1.");
    }
}
