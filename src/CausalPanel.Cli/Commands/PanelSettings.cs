using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CausalPanel.Cli.Commands;

/// <summary>The panel a command reads (every command but simulate): the file or query, its columns and the reader's options.</summary>
internal class PanelSettings : CommandSettings
{
    [CommandArgument(0, "[FILE]")]
    [Description("A long CSV (one row per unit and period; '-' = standard input) or a Parquet file (.parquet). With --sql the file is the view 'panel' of the query.")]
    public string? File { get; init; }

    [CommandOption("--sql <QUERY>")]
    [Description("Read the panel from a DuckDB query, e.g. \"SELECT * FROM panel WHERE year >= 1975\" (FILE, if given, is the view 'panel') or \"SELECT * FROM read_parquet('x.parquet')\".")]
    public string? Sql { get; init; }

    [CommandOption("-u|--unit <COLUMN>")]
    [Description("The unit column.")]
    public string? Unit { get; init; }

    [CommandOption("-t|--time <COLUMN>")]
    [Description("The period column.")]
    public string? Time { get; init; }

    [CommandOption("-y|--outcome <COLUMN>")]
    [Description("The outcome column.")]
    public string? Outcome { get; init; }

    [CommandOption("-w|--treated <COLUMN>")]
    [Description("A 0/1 (or true/false) treatment column. Give this or --adoption.")]
    public string? Treated { get; init; }

    [CommandOption("-a|--adoption <COLUMN>")]
    [Description("A column with each unit's first treated period (R did's first.treat); empty, NA, 0, Inf or a period after the panel = never treated.")]
    public string? Adoption { get; init; }

    [CommandOption("--covariates <COLUMNS>")]
    [Description("Covariate columns, comma-separated.")]
    public string? Covariates { get; init; }

    [CommandOption("--delimiter <CHAR>")]
    [Description("CSV field delimiter: ',', ';', 'tab' or '|' (default: detected).")]
    public string? Delimiter { get; init; }

    [CommandOption("--decimal-separator <CHAR>")]
    [Description("Decimal separator of numbers written as text: '.' or ',' (default: detected).")]
    public string? DecimalSeparator { get; init; }

    [CommandOption("--period-order <LABELS>")]
    [Description("The periods in time order, comma-separated (when their labels do not sort by themselves, e.g. seasons).")]
    public string? PeriodOrder { get; init; }

    [CommandOption("--period-format <FORMAT>")]
    [Description("A .NET date format every period label follows, e.g. dd/MM/yyyy.")]
    public string? PeriodFormat { get; init; }

    [CommandOption("--never-treated <CODES>")]
    [Description("Adoption values meaning never treated, comma-separated (default: empty, NA, NaN, ., 0, Inf, Infinity).")]
    public string? NeverTreated { get; init; }

    [CommandOption("-q|--quiet")]
    [Description("No progress bars and no notes on standard error: only results and errors.")]
    public bool Quiet { get; init; }

    [CommandOption("--json")]
    [Description("Print the results as JSON (the schema of docs/cli.md) instead of tables.")]
    public bool Json { get; init; }

    public override ValidationResult Validate()
    {
        if (File is null && Sql is null) return ValidationResult.Error("Give a FILE (a CSV, '-' for standard input, or a .parquet file) or --sql \"SELECT ...\".");
        foreach (var (name, value) in new[] { ("--unit", Unit), ("--time", Time), ("--outcome", Outcome) })
            if (string.IsNullOrWhiteSpace(value)) return ValidationResult.Error($"Give {name} COLUMN.");
        if ((Treated is null) == (Adoption is null))
            return ValidationResult.Error("Give exactly one of --treated COLUMN (0/1) and --adoption COLUMN (each unit's first treated period).");
        return ValidationResult.Success();
    }

    /// <summary>The column of each unit's cluster, for commands that cluster their standard errors (null = none).</summary>
    public virtual string? ClusterColumn => null;

    /// <summary>The covariate columns named, or none.</summary>
    public IReadOnlyList<string>? CovariateList => Split(Covariates);

    /// <summary>The reader options given on the command line (null properties = detect).</summary>
    public PanelReadOptions ReadOptions() => new()
    {
        Delimiter = Delimiter switch
        {
            null => null,
            "tab" or "\\t" => '\t',
            { Length: 1 } d => d[0],
            _ => throw new UsageException($"--delimiter takes one character or 'tab', not '{Delimiter}'."),
        },
        DecimalSeparator = DecimalSeparator switch
        {
            null => null,
            { Length: 1 } d => d[0],
            _ => throw new UsageException($"--decimal-separator takes '.' or ',', not '{DecimalSeparator}'."),
        },
        PeriodOrder = Split(PeriodOrder),
        PeriodFormat = PeriodFormat,
        NeverTreatedCodes = NeverTreated is null ? null : NeverTreated.Split(',').Select(c => c.Trim()).ToArray(),
        Cluster = ClusterColumn,
    };

    /// <summary>What was read, for the JSON: the file or query and the columns.</summary>
    public object Input() => new
    {
        file = File, sql = Sql, unit = Unit, time = Time, outcome = Outcome, treated = Treated, adoption = Adoption, covariates = CovariateList,
    };

    private static string[]? Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
