using CausalPanel.Cli.Commands;

namespace CausalPanel.Cli;

/// <summary>The estimators by their command-line names (did, sc, difp, sdid, mc, dwcp; all = the six).</summary>
internal static class EstimatorNames
{
    public static readonly string[] All = ["did", "sc", "difp", "sdid", "mc", "dwcp"];

    /// <summary>The estimators of a comma-separated list, in its order, with the design options of <paramref name="s"/>.</summary>
    /// <exception cref="UsageException">An unknown name, or one named twice.</exception>
    public static IReadOnlyList<IEstimator> Parse(string list, EstimatorSettings? s)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).ToList();
        if (names is ["all"]) names = [.. All];
        if (names.Count == 0) throw new UsageException("Name at least one estimator: did, sc, difp, sdid, mc, dwcp or all.");
        if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice) throw new UsageException($"The estimator '{twice.Key}' is named twice.");
        return names.Select(n => Create(n, s)).ToArray();
    }

    private static IEstimator Create(string name, EstimatorSettings? s)
    {
        var k = s?.Anticipation ?? 0;
        var controls = s?.Controls;
        var synthetic = new SyntheticWeightingOptions { Anticipation = k, DropUnfittableCohorts = s?.DropUnfittableCohorts ?? false };
        if (controls is { } c) synthetic = synthetic with { ControlGroup = c };
        switch (name)
        {
            case "did":
                return new DifferenceInDifferences(new DifferenceInDifferencesOptions { Anticipation = k, ControlGroup = controls ?? ControlGroup.NotYetTreated });
            case "sc":
                return new SyntheticControl(synthetic);
            case "difp":
                return new SyntheticControlWithIntercept(synthetic);
            case "sdid":
                return new SyntheticDifferenceInDifferences(synthetic);
            case "mc":
                return new MatrixCompletion(new MatrixCompletionOptions { Anticipation = k, ControlGroup = controls ?? ControlGroup.NotYetTreated, Lambda = s?.McLambda });
            case "dwcp":
                var options = new DwcpOptions { Anticipation = k, ControlGroup = controls ?? ControlGroup.NotYetTreated };
                if (s?.Lambdas() is { } l) options = options with { LambdaUnit = l.Unit, LambdaTime = l.Time, LambdaNuclear = l.Nuclear };
                return new DoublyWeightedCausalPanel(options);
            default:
                throw new UsageException($"Unknown estimator '{name}': use did, sc, difp, sdid, mc, dwcp or all.");
        }
    }
}
