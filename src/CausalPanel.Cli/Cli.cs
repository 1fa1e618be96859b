using CausalPanel.Cli.Commands;
using Spectre.Console.Cli;

namespace CausalPanel.Cli;

/// <summary>The commands, their help and examples, and the mapping of outcomes to exit codes (docs/cli.md).</summary>
internal static class Cli
{
    /// <summary>The library's messages name C# options; the same settings on the command line.</summary>
    private static readonly (string Library, string Option)[] Options =
    [
        ("Delimiter", "--delimiter"), ("DecimalSeparator", "--decimal-separator"), ("PeriodOrder", "--period-order"),
        ("PeriodFormat", "--period-format"), ("NeverTreatedCodes", "--never-treated"), ("DropUnfittableCohorts", "--drop-unfittable-cohorts"),
        ("Anticipation", "--anticipation"), ("ControlGroup", "--control-group"),
    ];

    /// <summary>"On the command line: ..." for the options a library message names, or null.</summary>
    private static string? OptionHint(string message)
    {
        var named = Options.Where(o => message.Contains(o.Library, StringComparison.Ordinal)).Select(o => $"{o.Library} is {o.Option}").ToArray();
        return named.Length == 0 ? null : $"On the command line: {string.Join("; ", named)}.";
    }

    /// <summary>Runs one command line; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, Terminal terminal, CancellationToken ct)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("causalpanel");
            config.SetApplicationVersion(typeof(PanelData).Assembly.GetName().Version?.ToString(3) ?? "?");
            config.ConfigureConsole(terminal.Console(terminal.Out, terminal.OutIsTerminal));
            config.PropagateExceptions();
            config.UseStrictParsing();
            config.AddCommand<DescribeCommand>("describe").WithData(terminal)
                .WithDescription("The design of a panel file: N, T, treated and never-treated units, cohorts, unobserved cells, the period order used; with --out the treatment-pattern chart.")
                .WithExample("describe", "prop99.csv", "--unit", "State", "--time", "Year", "--outcome", "PacksPerCapita", "--treated", "treated");
            config.AddCommand<EstimateCommand>("estimate").WithData(terminal)
                .WithDescription("Estimates the ATT with one or more estimators and, with --se, a standard error; prints the estimate table and with --out writes tables, effects, JSON and charts.")
                .WithExample("estimate", "prop99.csv", "--unit", "State", "--time", "Year", "--outcome", "PacksPerCapita", "--treated", "treated", "--estimators", "did,sc,sdid", "--se", "placebo", "--seed", "1", "--out", "results");
            config.AddCommand<EventStudyCommand>("event-study").WithData(terminal)
                .WithDescription("Effects by event time (leads and lags) with pointwise and sup-t intervals and the pre-trend tests, for one estimator and a variance method.")
                .WithExample("event-study", "mpdta.csv", "--unit", "countyreal", "--time", "year", "--outcome", "lemp", "--adoption", "first.treat", "--estimator", "did", "--se", "bootstrap", "--leads", "3");
            config.AddCommand<CompareCommand>("compare").WithData(terminal)
                .WithDescription("Which estimator suits this panel? Fits a factor model to the file, simulates placebo panels (true effect 0) from designs matched to it and reports each estimator's RMSE and bias. (Which standard error suits it: compare-se.)")
                .WithExample("compare", "prop99.csv", "--unit", "State", "--time", "Year", "--outcome", "PacksPerCapita", "--treated", "treated", "--estimators", "did,sc,sdid", "--replications", "100");
            config.AddCommand<CompareSeCommand>("compare-se").WithData(terminal)
                .WithDescription("Which standard error suits this panel? Simulates panels from a factor model fitted to the file, with its noise scales (two-way by default) and no effect, and reports each variance method's size (overall and by tercile of the treated cells' noise), power, minimum detectable effect and interval length, and the method the rule recommends per estimator.")
                .WithExample("compare-se", "prop99.csv", "--unit", "State", "--time", "Year", "--outcome", "PacksPerCapita", "--treated", "treated", "--estimators", "did,sdid", "--replications", "400", "--se-replications", "50");
            config.AddCommand<MergeCommand>("merge").WithData(terminal)
                .WithDescription("Combines the --checkpoint files of a job array's shards (estimate or compare with --shard k/n) into one, checking they are of one run and complete; rerun the command without --shard and with --checkpoint on the merged file for its output.")
                .WithExample("merge", "--out", "merged.jsonl", "shard-1.jsonl", "shard-2.jsonl", "shard-3.jsonl", "shard-4.jsonl");
            config.AddCommand<SimulateCommand>("simulate").WithData(terminal)
                .WithDescription("Runs the estimator comparison of a settings file (JSON: the panel, the designs, the estimators, replications and seed), so a simulation can be reproduced exactly.")
                .WithExample("simulate", "designs.json", "--out", "simulation");
        });
        try
        {
            // A bare '-' (standard input) would read as an option without a name; it travels as StandardInput.
            return app.Run(args.Select(a => a == "-" ? PanelSource.StandardInput : a), ct);
        }
        catch (CommandAppException e)
        {
            terminal.Error.WriteLine($"causalpanel: {e.Message}");
            terminal.Error.WriteLine("Run 'causalpanel --help' or 'causalpanel COMMAND --help' for the options and an example.");
            return ExitCodes.Usage;
        }
        catch (UsageException e)
        {
            terminal.Error.WriteLine($"causalpanel: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (CausalPanelException e)
        {
            terminal.Error.WriteLine($"causalpanel: {e.GetType().Name}: {e.Message}");
            if (OptionHint(e.Message) is { } hint) terminal.Error.WriteLine(hint);
            return ExitCodes.Refused;
        }
        catch (OperationCanceledException)
        {
            terminal.Error.WriteLine("causalpanel: cancelled before any result was computed; nothing was written.");
            return ExitCodes.Cancelled;
        }
        catch (ArgumentException e)
        {
            // The library's option checks (a level of 95, one replication, contradictory read options).
            terminal.Error.WriteLine($"causalpanel: {e.Message}");
            return ExitCodes.Usage;
        }
    }
}
