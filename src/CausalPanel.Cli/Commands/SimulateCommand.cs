using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CausalPanel.Cli.Commands;

/// <summary>causalpanel simulate: the estimator comparison a settings file describes (docs/cli.md), so it can be re-run exactly.</summary>
internal sealed class SimulateCommand : Command<SimulateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<SETTINGS>")]
        [Description("A JSON settings file: the panel (a file and its columns, or a bundled dataset), rank, estimators, designs, replications, seed.")]
        public string Path { get; init; } = "";

        [CommandOption("-o|--out <DIR>")]
        [Description("Write comparison.csv, results.json and the chart into this folder.")]
        public string? Out { get; init; }

        [CommandOption("--parallel <N>")]
        [Description("Simulated panels run in parallel at most (-1 = all cores); results do not depend on it.")]
        [DefaultValue(-1)]
        public int Parallel { get; init; } = -1;

        [CommandOption("-q|--quiet")]
        [Description("No progress bars and no notes on standard error.")]
        public bool Quiet { get; init; }

        [CommandOption("--json")]
        [Description("Print the results as JSON (docs/cli.md).")]
        public bool Json { get; init; }
    }

    /// <summary>The settings file (docs/cli.md, "simulate").</summary>
    internal sealed record SimulationFile
    {
        public PanelSpec Panel { get; init; } = new();
        public int Rank { get; init; } = 4;
        public string[] Estimators { get; init; } = ["did", "sc", "sdid"];
        public int Replications { get; init; } = 100;
        public int Seed { get; init; }
        public DesignSpec[] Designs { get; init; } = [new()];
    }

    /// <summary>The panel: a bundled dataset ("california", "cps") or a file with its columns (relative to the settings file).</summary>
    internal sealed record PanelSpec
    {
        public string? Dataset { get; init; }
        public string? File { get; init; }
        public string? Unit { get; init; }
        public string? Time { get; init; }
        public string? Outcome { get; init; }
        public string? Treated { get; init; }
        public string? Adoption { get; init; }
    }

    /// <summary>One design: SimulationDesign's settings.</summary>
    internal sealed record DesignSpec
    {
        public string Name { get; init; } = "fitted";
        public int? TreatedUnits { get; init; }
        public int? TreatedPeriods { get; init; }
        public int[]? TreatedPeriodsByUnit { get; init; }
        public string Assignment { get; init; } = "fitted";
        public bool Additive { get; init; } = true;
        public bool Interactive { get; init; } = true;
        public string Noise { get; init; } = "autocorrelated";
        public int? ResampleUnits { get; init; }
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public override int Execute(CommandContext context, Settings s, CancellationToken ct)
    {
        var terminal = (Terminal)context.Data!;
        var file = Load(s.Path);
        var data = Panel(file.Panel, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(s.Path))!);
        var model = FactorModel.Fit(data, file.Rank);
        var designs = file.Designs.Select(d =>
        {
            var units = d.TreatedUnits ?? d.TreatedPeriodsByUnit?.Length ?? 10;
            var periods = d.TreatedPeriods ?? d.TreatedPeriodsByUnit?.Max() ?? Math.Max(1, Math.Min(10, model.PeriodCount / 4));
            CompareCommand.Check(units, periods, model);
            return new SimulationDesign
            {
                Model = model, Name = d.Name, TreatedUnits = units, TreatedPeriods = periods, TreatedPeriodsByUnit = d.TreatedPeriodsByUnit,
                Assignment = d.Assignment switch
                {
                    "fitted" => AssignmentModel.Fitted,
                    "uniform" => AssignmentModel.Uniform,
                    _ => throw new UsageException($"Design '{d.Name}': assignment must be fitted or uniform, not '{d.Assignment}'."),
                },
                Additive = d.Additive, Interactive = d.Interactive,
                Noise = d.Noise switch
                {
                    "autocorrelated" => NoiseModel.Autocorrelated,
                    "independent" => NoiseModel.Independent,
                    "none" => NoiseModel.None,
                    _ => throw new UsageException($"Design '{d.Name}': noise must be autocorrelated, independent or none, not '{d.Noise}'."),
                },
                ResampleUnits = d.ResampleUnits,
            };
        }).ToArray();
        var comparison = new EstimatorComparison
        {
            Estimators = EstimatorNames.Parse(string.Join(',', file.Estimators), null),
            Designs = designs,
            Replications = file.Replications,
            Seed = file.Seed,
            MaxDegreeOfParallelism = s.Parallel,
        };
        return ComparisonRun.Execute(terminal, comparison, "simulate", file, data, model, s.Out, s.Quiet, s.Json, ct);
    }

    private static SimulationFile Load(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"There is no settings file '{path}'.");
        try
        {
            return JsonSerializer.Deserialize<SimulationFile>(File.ReadAllText(path), Options) ?? throw new UsageException($"The settings file '{path}' is empty.");
        }
        catch (JsonException e)
        {
            throw new UsageException($"The settings file '{path}' cannot be read: {e.Message}");
        }
    }

    private static PanelData Panel(PanelSpec p, string folder) => p switch
    {
        { Dataset: "california" } => Datasets.CaliforniaSmoking(),
        { Dataset: "cps" } => Datasets.Cps("log_wage", "min_wage"),
        { Dataset: { } other } => throw new UsageException($"Unknown dataset '{other}': use california or cps, or give file and columns."),
        { File: { } f, Unit: { } u, Time: { } t, Outcome: { } y } when (p.Treated is null) != (p.Adoption is null) =>
            PanelData.ReadCsv(System.IO.Path.Combine(folder, f), u, t, y, p.Treated, p.Adoption),
        _ => throw new UsageException("The settings' panel needs a dataset (california, cps) or file, unit, time, outcome and one of treated and adoption."),
    };
}
