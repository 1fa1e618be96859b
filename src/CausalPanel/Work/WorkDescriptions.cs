using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CausalPanel;

/// <summary>The text of what a job's results depend on (<see cref="WorkJob.Description"/>), so equal descriptions mean equal results.</summary>
internal static class WorkDescriptions
{
    /// <summary>SHA-256 (hex) of the panel: labels, outcomes and treatment (bit for bit), covariates.</summary>
    public static string Panel(PanelData data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string s) => hash.AppendData(Encoding.UTF8.GetBytes(s + "\u001f"));
        void Matrix(Func<int, int, double> value)
        {
            var row = new byte[8 * data.PeriodCount];
            for (var i = 0; i < data.UnitCount; i++)
            {
                for (var t = 0; t < data.PeriodCount; t++) BitConverter.TryWriteBytes(row.AsSpan(8 * t), value(i, t));
                hash.AppendData(row);
            }
        }
        Text(data.OutcomeName);
        foreach (var u in data.Units) Text(u);
        foreach (var p in data.Periods) Text(p);
        Matrix((i, t) => data.Outcomes[i, t]);
        Matrix((i, t) => data.Treatment[i, t] ? 1 : 0);
        foreach (var (name, x) in data.Covariates.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Text(name);
            Matrix((i, t) => x[i, t]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The estimator as its name and options record (<c>SDID: SyntheticWeightingOptions { … }</c>), and why it is not
    /// describable by data when it has no options record (null when it has).
    /// </summary>
    public static (string Text, string? Problem) Estimator(IEstimator estimator)
    {
        var inner = estimator is EstimatorNaming.NamedEstimator named ? named.Inner : estimator;
        var options = inner.GetType().GetProperty("Options", BindingFlags.Public | BindingFlags.Instance)?.GetValue(inner);
        if (options is DwcpOptions dwcp) options = dwcp with { Executor = null };   // where its fits run does not change them
        if (options is null)
            return ($"{estimator.Name}: {inner.GetType().FullName}", $"the estimator '{estimator.Name}' ({inner.GetType().Name}) has no options record to describe it.");
        var (data, problem) = Exact(options, $"the estimator '{estimator.Name}''s options");
        return ($"{estimator.Name}: {inner.GetType().Name} {options}{data}", problem);
    }

    /// <summary>
    /// " data &lt;sha-256&gt;" of a settings record's data form (<see cref="WorkJobJson"/>: every number bit for bit and every list
    /// whole, where the record's text rounds numbers to six digits and shows eight entries of a list), or why it has none.
    /// </summary>
    private static (string Text, string? Problem) Exact(object settings, string what)
    {
        try
        {
            return (" data " + Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(settings, settings.GetType(), WorkJobJson.Json))), null);
        }
        catch (NotSupportedException e)
        {
            return ("", $"{what} cannot be written as data ({e.Message}).");
        }
    }

    /// <summary>
    /// A simulation design: its settings and a SHA-256 of its data form (<see cref="WorkJobJson"/>: every setting and every
    /// number of its factor model and probabilities, bit for bit, where the settings' text rounds to six digits).
    /// </summary>
    public static string Design(SimulationDesign design)
    {
        using var sha = SHA256.Create();
        using (var hashing = new CryptoStream(Stream.Null, sha, CryptoStreamMode.Write))   // streamed: a large model's text is never held whole
            JsonSerializer.Serialize(hashing, design, WorkJobJson.Json);
        return $"{design} data {Convert.ToHexStringLower(sha.Hash!)}";
    }

    /// <summary>
    /// A variance method run inside a simulation (on each simulated panel) as its settings, and why it is not describable by
    /// data when it holds a callback (a cluster map, injected permutations or draws) or is not a <see cref="VarianceMethod"/> record.
    /// </summary>
    public static (string Text, string? Problem) Method(IVarianceEstimator method)
    {
        if (method is not VarianceMethod record) return (method.Name, $"the variance method '{method.Name}' is not a VarianceMethod record.");
        var callback = record.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => typeof(Delegate).IsAssignableFrom(p.PropertyType) && p.GetValue(record) is not null);
        var settings = record with { MaxDegreeOfParallelism = -1, Progress = null, Executor = null, Checkpoint = null };
        var (data, problem) = Exact(settings, $"the variance method '{record.Name}'");
        return (settings + data, callback is null ? problem : $"the variance method '{record.Name}' has a callback as its {callback.Name}.");
    }

    /// <summary>A variance method's replicates of <paramref name="statistic"/> on <paramref name="fit"/>.</summary>
    public static (string Text, string? Problem) Replicates(VarianceMethod method, EstimationResult fit, ReplicateStatistic statistic, string? details)
    {
        var settings = method with { MaxDegreeOfParallelism = -1, Progress = null, Executor = null, Checkpoint = null };
        var (estimator, problem) = fit.Source is { } source ? Estimator(source) : (fit.Estimator, $"the fit does not record its estimator.");
        var (data, settingsProblem) = Exact(settings, $"{method.Name}'s settings");
        var text = string.Create(CultureInfo.InvariantCulture,
            $"method: {settings}{data}\nestimator: {estimator}\npanel: {Panel(fit.Data)}\nfit ATT: {BitConverter.DoubleToInt64Bits(fit.Att):x16}\nstatistic: {statistic}\n{details}");
        return (text, problem ?? settingsProblem);
    }
}
