using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CausalPanel;

/// <summary>
/// A job as data (<see cref="WorkJob.ToJson"/>, <see cref="WorkJob.FromJson"/>). A variance job: the panel (labels, outcomes
/// with NaN for unobserved cells, treatment, covariates), the estimator (its type, name and options record), the method (its
/// type and options record; clusters as a unit → cluster map) and the statistic (leads). A comparison job: the estimators,
/// the designs (their settings and factor models, every number in round-trip form), the seed, the replications and the
/// variance method or methods (<see cref="WorkJobJson"/>'s Simulation part). A worker rebuilds the job — for a variance job
/// by refitting the estimator, which is deterministic — checks that the rebuilt job's hash equals the sender's, and then
/// computes items with <see cref="WorkItems.Execute"/>.
/// </summary>
internal static partial class WorkJobJson
{
    private const string Format = "causalpanel-job/1";

    /// <summary>The serialiser settings of jobs: named NaN and infinities, camelCase, data only, factor models as their data.</summary>
    internal static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DataOnly } },
        Converters = { new FactorModel.JsonForm() },
    };

    /// <summary>Leaves out what is not data or not the job's: callbacks, progress, the executor and the checkpoint file.</summary>
    private static void DataOnly(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        for (var k = info.Properties.Count - 1; k >= 0; k--)
        {
            var p = info.Properties[k];
            if (typeof(Delegate).IsAssignableFrom(p.PropertyType) || p.PropertyType == typeof(IProgress<int>) || p.PropertyType == typeof(IWorkExecutor)
                || p.Name is "checkpoint")
                info.Properties.RemoveAt(k);
        }
    }

    /// <summary>What every job's JSON starts with: the format, the job's kind and its hash.</summary>
    private sealed record Header(string Format, string? Kind, string Hash);

    private sealed record Data(string Format, string Kind, string Hash, PanelData Panel, EstimatorData Estimator, string MethodType, JsonElement Method,
        Dictionary<string, string>? Clusters, int Leads, SyntheticLeads LeadDefinition, double[]? PeriodScales = null);

    private sealed record PanelData(string Outcome, string[] Units, string[] Periods, double[][] Outcomes, bool[][] Treatment, Dictionary<string, double[][]> Covariates);

    private sealed record EstimatorData(string Type, string Name, JsonElement Options);

    private sealed record MethodData(string Type, JsonElement Options);

    private static readonly Dictionary<string, Type> Methods = new[]
    {
        typeof(UnitPlaceboVariance), typeof(BootstrapVariance), typeof(JackknifeVariance), typeof(TimePlaceboVariance), typeof(MarginalVariance),
        typeof(RegressionVariance), typeof(ConditionalVariance),
    }.ToDictionary(t => t.Name);

    /// <summary>The job of <paramref name="method"/>'s replicates of <paramref name="statistic"/> on <paramref name="fit"/> as JSON.</summary>
    public static string Write(string hash, VarianceMethod method, EstimationResult fit, ReplicateStatistic statistic)
    {
        var data = fit.Data;
        double[][] Rows(Func<int, int, double> value) =>
            Enumerable.Range(0, data.UnitCount).Select(i => Enumerable.Range(0, data.PeriodCount).Select(t => value(i, t)).ToArray()).ToArray();
        var cluster = method.GetType().GetProperty("Cluster")?.GetValue(method) as Func<string, string>;
        return JsonSerializer.Serialize(new Data(Format, "replicates", hash,
            new PanelData(data.OutcomeName, [.. data.Units], [.. data.Periods], Rows((i, t) => data.Outcomes[i, t]),
                Enumerable.Range(0, data.UnitCount).Select(i => Enumerable.Range(0, data.PeriodCount).Select(t => data.Treatment[i, t]).ToArray()).ToArray(),
                data.Covariates.ToDictionary(c => c.Key, c => Rows((i, t) => c.Value[i, t]))),
            Describe(fit.Source!), method.GetType().Name, Describe(method).Options,
            cluster is null ? null : data.Units.ToDictionary(u => u, cluster), statistic.Leads, statistic.Definition, statistic.PeriodScales), Json);
    }

    /// <summary>Rebuilds the job of <paramref name="json"/>, of any kind.</summary>
    /// <exception cref="WorkJobMismatchException">Not a job, or the rebuilt job differs from the sender's (hash).</exception>
    public static WorkJob Read(string json, CancellationToken ct)
    {
        var header = Parse<Header>(json);
        if (header.Format != Format) throw new WorkJobMismatchException($"This text is not a CausalPanel job ({Format}) but '{header.Format}'.");
        var job = header.Kind switch
        {
            "replicates" => ReadReplicates(Parse<Data>(json), ct),
            "comparison" => ReadComparison(Parse<ComparisonData>(json), ct),
            "variance comparison" => ReadVarianceComparison(Parse<VarianceComparisonData>(json), ct),
            DwcpCellWork.Kind => ReadDwcpCells(Parse<DwcpCellsData>(json)),
            _ => throw new WorkJobMismatchException($"This CausalPanel job is of a kind ('{header.Kind}') this version does not know. Run every worker on the sender's CausalPanel version."),
        };
        if (job.Hash != header.Hash)
            throw new WorkJobMismatchException($"The {job.Kind} job rebuilt here (hash {job.Hash[..12]}…) differs from the sender's ({header.Hash[..12]}…): a refit on this machine gave another fit, or the library versions differ. Run every worker on the sender's CausalPanel version.");
        return job;
    }

    private static T Parse<T>(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new WorkJobMismatchException($"This text is not a CausalPanel job ({Format}): {e.Message}");
        }
    }

    /// <summary>A variance job: the panel, the estimator's fit, the method's replicates.</summary>
    private static WorkJob ReadReplicates(Data data, CancellationToken ct)
    {
        var p = data.Panel;
        var y = new double[p.Units.Length, p.Periods.Length];
        var w = new bool[p.Units.Length, p.Periods.Length];
        for (var i = 0; i < p.Units.Length; i++)
            for (var t = 0; t < p.Periods.Length; t++) (y[i, t], w[i, t]) = (p.Outcomes[i][t], p.Treatment[i][t]);
        var panel = CausalPanel.PanelData.FromMatrices(y, w, p.Units, p.Periods, p.Outcome);
        if (p.Covariates.Count > 0)
            panel = panel.WithCovariates(p.Covariates.Select(c =>
            {
                var x = new double[p.Units.Length, p.Periods.Length];
                for (var i = 0; i < p.Units.Length; i++)
                    for (var t = 0; t < p.Periods.Length; t++) x[i, t] = c.Value[i][t];
                return (c.Key, x);
            }).ToArray());
        var estimator = Estimator(data.Estimator);
        var fit = estimator.Estimate(panel, ct);
        if (fit.Source is null) fit = fit with { Source = estimator };
        var method = Method(new MethodData(data.MethodType, data.Method));
        if (data.Clusters is { } map)
        {
            method = method with { };
            method.GetType().GetProperty("Cluster")!.SetValue(method, new Func<string, string>(u => map[u]));   // its init accessor, on a fresh copy
        }
        var capture = new Capture();
        method = method with { Executor = capture, Checkpoint = null, Progress = null };
        try
        {
            method.Replicate(fit, new ReplicateStatistic(data.Leads, data.LeadDefinition, data.PeriodScales), ct);
        }
        catch (IncompleteWorkException) when (capture.Job is not null)
        {
        }
        return capture.Job ?? throw new WorkJobMismatchException($"The job's {method.Name} is undefined on the refitted {fit.Estimator} (the sender's fit differs from this machine's).");
    }

    /// <summary>An estimator as its type, name and options record (the estimator must have one: the job is portable).</summary>
    /// <exception cref="WorkNotPortableException">It is not one of the six a worker can rebuild (an estimator of the user's own with an options record).</exception>
    private static EstimatorData Describe(IEstimator estimator)
    {
        var inner = estimator is EstimatorNaming.NamedEstimator named ? named.Inner : estimator;
        var options = inner.GetType().GetProperty("Options")!.GetValue(inner)!;
        var data = new EstimatorData(inner.GetType().Name, estimator.Name, JsonSerializer.SerializeToElement(options, options.GetType(), Json));
        RequireRebuildable(() => Estimator(data), $"the estimator '{estimator.Name}' ({inner.GetType().Name})");
        return data;
    }

    /// <summary>A variance method as its type and options record (its callbacks left out: a portable job has none).</summary>
    /// <exception cref="WorkNotPortableException">It is not one of the library's methods (a method of the user's own).</exception>
    private static MethodData Describe(VarianceMethod method)
    {
        var data = new MethodData(method.GetType().Name, JsonSerializer.SerializeToElement(method, method.GetType(), Json));
        RequireRebuildable(() => Method(data), $"the variance method '{method.Name}' ({method.GetType().Name})");
        return data;
    }

    /// <summary>Refuses, where the job is written, what a worker could not rebuild.</summary>
    /// <exception cref="WorkNotPortableException">Rebuilding it here fails.</exception>
    private static void RequireRebuildable(Action rebuild, string what)
    {
        try
        {
            rebuild();
        }
        catch (WorkJobMismatchException e)
        {
            throw new WorkNotPortableException($"This job cannot be sent to other processes: a worker cannot rebuild {what}. {e.Message} Run it on the local executor.");
        }
    }

    private static VarianceMethod Method(MethodData m)
    {
        if (!Methods.TryGetValue(m.Type, out var type))
            throw new WorkJobMismatchException($"The job's method '{m.Type}' is not one of {string.Join(", ", Methods.Keys)}.");
        return (VarianceMethod)m.Options.Deserialize(type, Json)!;
    }

    private static IEstimator Estimator(EstimatorData e)
    {
        IEstimator estimator = e.Type switch
        {
            nameof(DifferenceInDifferences) => new DifferenceInDifferences(e.Options.Deserialize<DifferenceInDifferencesOptions>(Json)!),
            nameof(SyntheticControl) => new SyntheticControl(e.Options.Deserialize<SyntheticWeightingOptions>(Json)!),
            nameof(SyntheticControlWithIntercept) => new SyntheticControlWithIntercept(e.Options.Deserialize<SyntheticWeightingOptions>(Json)!),
            nameof(SyntheticDifferenceInDifferences) => new SyntheticDifferenceInDifferences(e.Options.Deserialize<SyntheticWeightingOptions>(Json)!),
            nameof(MatrixCompletion) => new MatrixCompletion(e.Options.Deserialize<MatrixCompletionOptions>(Json)!),
            nameof(DoublyWeightedCausalPanel) => new DoublyWeightedCausalPanel(e.Options.Deserialize<DwcpOptions>(Json)!),
            _ => throw new WorkJobMismatchException($"The job's estimator type '{e.Type}' is not one of the six (DiD, SC, DIFP, SDID, MC, DWCP)."),
        };
        return estimator.Name == e.Name ? estimator : estimator.Named(e.Name);
    }

    /// <summary>Records the job a method hands it and computes nothing.</summary>
    private sealed class Capture : IWorkExecutor
    {
        public WorkJob? Job { get; private set; }

        public Task RunAsync(WorkJob job, IReadOnlyList<int> items, Action<WorkItemResult> finished, CancellationToken ct = default)
        {
            Job = job;
            return Task.CompletedTask;
        }
    }
}
