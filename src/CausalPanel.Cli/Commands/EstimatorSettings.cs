using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CausalPanel.Cli.Commands;

/// <summary>The estimators' design options and the variance method, shared by estimate and event-study.</summary>
internal class EstimatorSettings : PanelSettings
{
    [CommandOption("--se <METHOD>")]
    [Description("Standard errors: none, placebo (unit placebo), bootstrap, jackknife, time-placebo, conditional (on units and periods), regression (homoskedastic plug-in), regression-two-way (two-way heteroskedastic plug-in), regression-simulated (the same with the fit's variance simulated on 50 noise-only panels: DIFP, SDID).")]
    [DefaultValue("none")]
    public string Se { get; init; } = "none";

    [CommandOption("-r|--replications <N>")]
    [Description("Replications of placebo, bootstrap and conditional standard errors.")]
    [DefaultValue(200)]
    public int Replications { get; init; } = 200;

    [CommandOption("--seed <N>")]
    [Description("Seed of the replications (results do not depend on the number of threads).")]
    [DefaultValue(0)]
    public int Seed { get; init; }

    [CommandOption("--level <P>")]
    [Description("Confidence level of the intervals, between 0 and 1.")]
    [DefaultValue(0.95)]
    public double Level { get; init; } = 0.95;

    [CommandOption("--anticipation <K>")]
    [Description("Periods before adoption in which units may already react (kept out of the fit and the ATT).")]
    [DefaultValue(0)]
    public int Anticipation { get; init; }

    [CommandOption("--control-group <GROUP>")]
    [Description("never-treated or not-yet-treated (default: each estimator's own: SC, DIFP and SDID never-treated, the others not-yet-treated).")]
    public string? ControlGroup { get; init; }

    [CommandOption("--drop-unfittable-cohorts")]
    [Description("SC, DIFP, SDID: estimate the other cohorts when a cohort has too few pre-periods (instead of refusing).")]
    public bool DropUnfittableCohorts { get; init; }

    [CommandOption("--dwcp-lambdas <UNIT,TIME,NUCLEAR>")]
    [Description("DWCP's λ_unit, λ_time, λ_nuclear ('inf' = no low-rank term); skips its tuning, e.g. 0,0,inf is DiD.")]
    public string? DwcpLambdas { get; init; }

    [CommandOption("--mc-lambda <VALUE>")]
    [Description("MC-NNM's nuclear-norm penalty λ; skips its cross-validation (default: chosen by cross-validation, as MCPanel's mcnnm_cv).")]
    public double? McLambda { get; init; }

    [CommandOption("--parallel <N>")]
    [Description("Replications run in parallel at most (-1 = all cores).")]
    [DefaultValue(-1)]
    public int Parallel { get; init; } = -1;

    [CommandOption("-o|--out <DIR>")]
    [Description("Write tables, effects, the JSON of every result and charts (SVG and Vega-Lite) into this folder.")]
    public string? Out { get; init; }

    public override ValidationResult Validate()
    {
        var panel = base.Validate();
        if (!panel.Successful) return panel;
        if (!VarianceNames.Known.Contains(Se)) return ValidationResult.Error($"--se must be one of {string.Join(", ", VarianceNames.Known)}; '{Se}' is not.");
        if (ControlGroup is not (null or "never-treated" or "not-yet-treated")) return ValidationResult.Error($"--control-group must be never-treated or not-yet-treated, not '{ControlGroup}'.");
        return ValidationResult.Success();
    }

    /// <summary>The control group given, or null for each estimator's default.</summary>
    public ControlGroup? Controls => ControlGroup switch
    {
        "never-treated" => CausalPanel.ControlGroup.NeverTreated,
        "not-yet-treated" => CausalPanel.ControlGroup.NotYetTreated,
        _ => null,
    };

    /// <summary>DWCP's three λ's, or null (tuned).</summary>
    public (double Unit, double Time, double Nuclear)? Lambdas()
    {
        if (DwcpLambdas is null) return null;
        var parts = DwcpLambdas.Split(',', StringSplitOptions.TrimEntries);
        var values = parts.Select(p => p is "inf" or "Inf" or "∞" ? double.PositiveInfinity
            : double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray();
        if (values.Length != 3 || values.Any(double.IsNaN))
            throw new UsageException($"--dwcp-lambdas takes three numbers UNIT,TIME,NUCLEAR (NUCLEAR may be 'inf'), not '{DwcpLambdas}'.");
        return (values[0], values[1], values[2]);
    }
}
