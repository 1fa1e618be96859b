using System.Text.Json;

namespace CausalPanel;

/// <summary>
/// Comparison jobs as data: the estimators (type, name, options record), the designs (their settings and factor models,
/// every number in round-trip form), the seed, the replications and the variance method or methods. A worker rebuilds the
/// comparison, which builds the same job (its hash is checked), and computes items with <see cref="WorkItems.Execute"/>.
/// </summary>
internal static partial class WorkJobJson
{
    private sealed record ComparisonData(string Format, string Kind, string Hash, EstimatorData[] Estimators, SimulationDesign[] Designs,
        int Replications, int Seed, MethodData? Variance);

    private sealed record VarianceComparisonData(string Format, string Kind, string Hash, EstimatorData[] Estimators, MethodData[] Methods,
        SimulationDesign[] Designs, double[] EffectSizes, bool PowerFromShift, double NominalSize, int Replications, int Seed,
        bool SeedMethodsPerReplication = false);

    /// <summary>The job of <paramref name="comparison"/>'s simulated panels as JSON (a portable job: every estimator has an options record, the variance method no callback).</summary>
    public static string Write(string hash, EstimatorComparison comparison) =>
        JsonSerializer.Serialize(new ComparisonData(Format, "comparison", hash, [.. comparison.Estimators.Select(Describe)], [.. comparison.Designs],
            comparison.Replications, comparison.Seed, comparison.Variance is VarianceMethod method ? Describe(method) : null), Json);

    /// <summary>The job of <paramref name="comparison"/>'s simulation cells as JSON (a portable job).</summary>
    public static string Write(string hash, VarianceComparison comparison) =>
        JsonSerializer.Serialize(new VarianceComparisonData(Format, "variance comparison", hash, [.. comparison.Estimators.Select(Describe)],
            [.. comparison.Methods.Cast<VarianceMethod>().Select(Describe)], [.. comparison.Designs], [.. comparison.EffectSizes],
            comparison.PowerFromShift, comparison.NominalSize, comparison.Replications, comparison.Seed, comparison.SeedMethodsPerReplication), Json);

    private static WorkJob ReadComparison(ComparisonData data, CancellationToken ct)
    {
        var capture = new Capture();
        return Rebuild(capture, () => new EstimatorComparison
        {
            Estimators = [.. data.Estimators.Select(Estimator)],
            Designs = data.Designs,
            Replications = data.Replications,
            Seed = data.Seed,
            Variance = data.Variance is { } method ? Method(method) : null,
            Executor = capture,
        }.Run(ct));
    }

    private static WorkJob ReadVarianceComparison(VarianceComparisonData data, CancellationToken ct)
    {
        var capture = new Capture();
        return Rebuild(capture, () => new VarianceComparison
        {
            Estimators = [.. data.Estimators.Select(Estimator)],
            Methods = [.. data.Methods.Select(Method)],
            Designs = data.Designs,
            EffectSizes = data.EffectSizes,
            PowerFromShift = data.PowerFromShift,
            NominalSize = data.NominalSize,
            Replications = data.Replications,
            Seed = data.Seed,
            SeedMethodsPerReplication = data.SeedMethodsPerReplication,
            Executor = capture,
        }.Run(ct));
    }

    /// <summary>Runs a rebuilt comparison on <paramref name="capture"/>, which records its job and computes nothing.</summary>
    private static WorkJob Rebuild(Capture capture, Action run)
    {
        try
        {
            run();
        }
        catch (IncompleteWorkException) when (capture.Job is not null)
        {
        }
        return capture.Job ?? throw new WorkJobMismatchException("The rebuilt comparison built no job.");
    }
}
