using System.Text.Json;
using CausalPanel.Cli;

namespace CausalPanel.Cli.Tests;

/// <summary>Runs a causalpanel command line in-process with string writers for its streams (so not a terminal).</summary>
internal static class Tool
{
    public static string California => Path.Combine(AppContext.BaseDirectory, "TestData", "california_prop99.csv");

    public static string Staggered => Path.Combine(AppContext.BaseDirectory, "TestData", "staggered.csv");

    public static readonly string[] CaliforniaColumns = ["--unit", "State", "--time", "Year", "--outcome", "PacksPerCapita", "--treated", "treated"];

    public static readonly string[] StaggeredColumns = ["--unit", "county", "--time", "year", "--outcome", "y", "--adoption", "first_treat"];

    public sealed record Outcome(int Code, string Out, string Error)
    {
        public JsonElement Json => JsonDocument.Parse(Out).RootElement;
    }

    public static Outcome Run(params string[] args) => RunWith("", CancellationToken.None, args);

    public static Outcome RunWith(string stdin, CancellationToken ct, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CausalPanel.Cli.Cli.Run(args, new Terminal(output, error, new StringReader(stdin), ErrorIsTerminal: false), ct);
        return new Outcome(code, output.ToString(), error.ToString());
    }

    /// <summary>A fresh temporary folder.</summary>
    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "causalpanel-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
