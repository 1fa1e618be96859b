using CausalPanel.Cli.Commands;

namespace CausalPanel.Cli;

/// <summary>The variance methods by their command-line names (--se).</summary>
internal static class VarianceNames
{
    public static readonly string[] Known = ["none", "placebo", "bootstrap", "jackknife", "time-placebo", "conditional", "regression", "regression-two-way", "regression-simulated"];

    /// <summary>The method of --se with its replications, seed, parallelism and progress; null for none.</summary>
    public static VarianceMethod? Create(EstimatorSettings s, IProgress<int>? progress) => Create(s.Se, s.Replications, s.Seed, s.Parallel, progress);

    /// <summary>The method named <paramref name="name"/> (one of <see cref="Known"/>); null for none.</summary>
    public static VarianceMethod? Create(string name, int replications, int seed, int parallel, IProgress<int>? progress) => name switch
    {
        "placebo" => new UnitPlaceboVariance { Replications = replications, Seed = seed, MaxDegreeOfParallelism = parallel, Progress = progress },
        "bootstrap" => new BootstrapVariance { Replications = replications, Seed = seed, MaxDegreeOfParallelism = parallel, Progress = progress },
        "jackknife" => new JackknifeVariance { MaxDegreeOfParallelism = parallel, Progress = progress },
        "time-placebo" => new TimePlaceboVariance { MaxDegreeOfParallelism = parallel, Progress = progress },
        "conditional" => new ConditionalVariance { Replications = replications, Seed = seed, MaxDegreeOfParallelism = parallel, Progress = progress },
        "regression" => new RegressionVariance(),
        "regression-two-way" => new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods },
        "regression-simulated" => new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods, SimulationDraws = 50, Seed = seed, MaxDegreeOfParallelism = parallel },
        _ => null,
    };

    /// <summary>The --se methods that take a cluster (--cluster).</summary>
    public static readonly string[] Clusterable = ["placebo", "bootstrap", "jackknife", "regression"];

    /// <summary><paramref name="method"/> clustered by <paramref name="cluster"/> (unit → cluster), or as it is when null.</summary>
    public static VarianceMethod Clustered(VarianceMethod method, Func<string, string>? cluster) => cluster is null ? method : method switch
    {
        UnitPlaceboVariance m => m with { Cluster = cluster },
        BootstrapVariance m => m with { Cluster = cluster },
        JackknifeVariance m => m with { Cluster = cluster },
        RegressionVariance m => m with { Cluster = cluster },
        _ => throw new UsageException($"--cluster needs --se {string.Join(", ", Clusterable)}."),
    };

    /// <summary>How many replicates a clustered method reports, when known in advance: the jackknife leaves out each cluster once.</summary>
    public static int? ExpectedClusterReplicates(EstimatorSettings s, PanelData data) => s.Se switch
    {
        "jackknife" => data.Clusters.Values.Distinct().Count(),
        "bootstrap" => s.Replications,
        _ => null,   // the placebo enumerates the control clusters when one cluster is treated
    };

    /// <summary>
    /// How many replicates the method reports through its progress, when known in advance (the unit placebo with one
    /// treated unit enumerates the N0 never-treated units, as R synthdid does, whatever --replications says).
    /// </summary>
    public static int? ExpectedReplicates(EstimatorSettings s, PanelData data) => s.Se switch
    {
        "placebo" when data.Pattern.TreatedUnitCount == 1 => data.Pattern.NeverTreatedCount,
        "placebo" or "bootstrap" => s.Replications,
        "jackknife" => data.UnitCount,
        _ => null,
    };

    /// <summary>A note when the method does not run the replications asked for, or null.</summary>
    public static string? Note(EstimatorSettings s, PanelData data) =>
        s.Se == "placebo" && data.Pattern.TreatedUnitCount == 1 && s.Replications != data.Pattern.NeverTreatedCount
            ? $"Unit placebo with one treated unit: each of the {data.Pattern.NeverTreatedCount} never-treated units is the placebo once ({data.Pattern.NeverTreatedCount} replicates, not --replications {s.Replications})."
            : null;
}
