using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CausalPanel.Cli.Commands;

/// <summary>
/// causalpanel compare: the semi-synthetic estimator comparison (Arkhangelsky et al. 2021, §3; Athey, Imbens, Qu and
/// Viviano 2025, §3) on designs fitted to the file. The variance methods' comparison is compare-se.
/// </summary>
internal sealed class CompareCommand : Command<CompareCommand.Settings>
{
    /// <summary>The designs compare can run, by name.</summary>
    public static readonly string[] DesignNames = ["fitted", "uniform", "no-interactive", "no-additive", "independent-noise", "no-noise"];

    public sealed class Settings : SimulationSettings
    {
        [CommandOption("-e|--estimators <LIST>")]
        [Description("Comma-separated: did, sc, difp, sdid, mc, dwcp, or all.")]
        [DefaultValue("did,sc,sdid")]
        public string Estimators { get; init; } = "did,sc,sdid";

        [CommandOption("--designs <LIST>")]
        [Description("Comma-separated: fitted (assignment by the fitted logistic model), uniform (random assignment), no-interactive, no-additive, independent-noise, no-noise.")]
        [DefaultValue("fitted,uniform,no-interactive")]
        public string Designs { get; init; } = "fitted,uniform,no-interactive";

        [CommandOption("-r|--replications <N>")]
        [Description("Simulated panels per design.")]
        [DefaultValue(100)]
        public int Replications { get; init; } = 100;

        [CommandOption("--treated-units <N>")]
        [Description("Cap on the treated units of a simulated panel.")]
        [DefaultValue(10)]
        public int TreatedUnits { get; init; } = 10;

        [CommandOption("--treated-periods <T>")]
        [Description("Treated periods at the end of a simulated panel (default: min(10, T/4)).")]
        public int? TreatedPeriods { get; init; }

        [CommandOption("-o|--out <DIR>")]
        [Description("Write comparison.csv, results.json and the chart (charts/comparison.svg, .vl.json) into this folder.")]
        public string? Out { get; init; }

        public override ValidationResult Validate()
        {
            var panel = base.Validate();
            if (!panel.Successful) return panel;
            var unknown = Designs.Split(',', StringSplitOptions.TrimEntries).FirstOrDefault(d => !DesignNames.Contains(d));
            return unknown is null ? ValidationResult.Success() : ValidationResult.Error($"Unknown design '{unknown}': use {string.Join(", ", DesignNames)}.");
        }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken ct)
    {
        var terminal = (Terminal)context.Data!;
        var data = PanelSource.Read(s, terminal.In);
        var model = FactorModel.Fit(data, s.Rank);
        var periods = s.TreatedPeriods ?? Math.Max(1, Math.Min(10, model.PeriodCount / 4));
        Check(s.TreatedUnits, periods, model);
        var designs = s.Designs.Split(',', StringSplitOptions.TrimEntries).Select(name => Design(name, model, s.TreatedUnits, periods)).ToArray();
        var comparison = new EstimatorComparison
        {
            Estimators = EstimatorNames.Parse(s.Estimators, null),
            Designs = designs,
            Replications = s.Replications,
            Seed = s.Seed,
            MaxDegreeOfParallelism = s.Parallel,
            Executor = s.Executor(),
            Checkpoint = s.Checkpoint,
        };
        return ComparisonRun.Execute(terminal, comparison, "compare", s.Input(), data, model, s.Out, s.Quiet, s.Json, ct);
    }

    /// <summary>Refuses a design the panel cannot hold, before any simulation starts.</summary>
    public static void Check(int treatedUnits, int treatedPeriods, FactorModel model)
    {
        if (treatedUnits < 1 || treatedUnits >= model.UnitCount)
            throw new UsageException($"The treated units of a simulated panel must be between 1 and N − 1 = {model.UnitCount - 1}, not {treatedUnits}.");
        if (treatedPeriods < 1 || treatedPeriods >= model.PeriodCount)
            throw new UsageException($"The treated periods of a simulated panel must be between 1 and T − 1 = {model.PeriodCount - 1}, not {treatedPeriods}.");
    }

    /// <summary>A named design on the fitted model (SimulationDesign's ablations).</summary>
    public static SimulationDesign Design(string name, FactorModel model, int treatedUnits, int treatedPeriods)
    {
        var design = new SimulationDesign { Model = model, Name = name, TreatedUnits = treatedUnits, TreatedPeriods = treatedPeriods };
        return name switch
        {
            "fitted" => design,
            "uniform" => design with { Assignment = AssignmentModel.Uniform },
            "no-interactive" => design with { Interactive = false },
            "no-additive" => design with { Additive = false },
            "independent-noise" => design with { Noise = NoiseModel.Independent },
            "no-noise" => design with { Noise = NoiseModel.None },
            _ => throw new UsageException($"Unknown design '{name}': use {string.Join(", ", DesignNames)}."),
        };
    }
}
