using System.ComponentModel;
using Spectre.Console.Cli;

namespace CausalPanel.Cli.Commands;

/// <summary>causalpanel describe: the design of the panel as the library reads it, and its treatment-pattern chart.</summary>
internal sealed class DescribeCommand : Command<DescribeCommand.Settings>
{
    public sealed class Settings : PanelSettings
    {
        [CommandOption("-o|--out <DIR>")]
        [Description("Write describe.json and the treatment-pattern chart (charts/pattern.svg, .vl.json) into this folder.")]
        public string? Out { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken ct)
    {
        var terminal = (Terminal)context.Data!;
        var data = PanelSource.Read(s, terminal.In);
        var json = ResultJson.Document("describe", s.Input(), data, _ => { });
        if (s.Json)
        {
            terminal.Out.Write(json);
        }
        else
        {
            var p = data.Pattern;
            terminal.Out.WriteLine(data.Describe());
            terminal.Out.WriteLine($"N = {data.UnitCount} units ({p.NeverTreatedCount} never treated, {p.TreatedUnitCount} treated), T = {data.PeriodCount} periods ({data.Periods[0]} to {data.Periods[^1]}), {p.TreatedCellCount} treated cells, {data.Outcomes.UnobservedCount} unobserved cells.");
            terminal.Out.WriteLine($"Period order: {data.PeriodOrdering}.");
            foreach (var cohort in p.Cohorts) terminal.Out.WriteLine($"Cohort {cohort}");
        }
        if (s.Out is { } dir)
        {
            var folder = new OutputFolder(dir);
            folder.Write("describe.json", json);
            folder.Pattern(data);
            EstimateCommand.Report(terminal, folder, dir, s.Quiet || s.Json);
        }
        return ExitCodes.Ok;
    }
}
