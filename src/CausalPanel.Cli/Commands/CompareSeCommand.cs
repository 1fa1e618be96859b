using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CausalPanel.Cli.Commands;

/// <summary>
/// causalpanel compare-se: which standard error suits this panel — the library's <see cref="VarianceComparison"/> on a design
/// fitted to the file (<see cref="FactorModel"/> with its noise scales): each method's size overall and by tercile of the treated
/// cells' noise, its power at the given effects, the minimum detectable effect, the interval length, and the recommendation of
/// the rule (README "Which standard error?"; Almeida, Athey, Imbens, Lestant and Olaizola 2025).
/// </summary>
internal sealed class CompareSeCommand : Command<CompareSeCommand.Settings>
{
    /// <summary>The noise models of the simulated panels, by name.</summary>
    private static readonly Dictionary<string, Heteroskedasticity> NoiseModels = new()
    {
        ["two-way"] = Heteroskedasticity.TwoWay, ["units"] = Heteroskedasticity.Units, ["periods"] = Heteroskedasticity.Periods, ["none"] = Heteroskedasticity.None,
    };

    public sealed class Settings : SimulationSettings
    {
        [CommandOption("-e|--estimators <LIST>")]
        [Description("Comma-separated: did, sc, difp, sdid, mc, dwcp, or all.")]
        [DefaultValue("did,sdid")]
        public string Estimators { get; init; } = "did,sdid";

        [CommandOption("--se <LIST>")]
        [Description("Comma-separated variance methods: placebo, bootstrap, jackknife, time-placebo, conditional, regression, regression-two-way, regression-simulated (default: regression, regression-two-way, regression-simulated, placebo, time-placebo, conditional).")]
        public string Se { get; init; } = "regression,regression-two-way,regression-simulated,placebo,time-placebo,conditional";

        [CommandOption("-r|--replications <N>")]
        [Description("Simulated panels (the rule needs about 360 to tell a size of 0.10 from 0.05 in each noise tercile).")]
        [DefaultValue(400)]
        public int Replications { get; init; } = 400;

        [CommandOption("--se-replications <N>")]
        [Description("Replications of the placebo, bootstrap and conditional methods in each simulated panel.")]
        [DefaultValue(200)]
        public int SeReplications { get; init; } = 200;

        [CommandOption("--effects <LIST>")]
        [Description("True effects at which to measure power, in the outcome's units (default: 0.1 and 0.2 of its standard deviation).")]
        public string? Effects { get; init; }

        [CommandOption("--heteroskedasticity <MODEL>")]
        [Description("Noise scales of the simulated panels, fitted to the file's residuals: two-way (σ_it = a_i·b_t), units, periods or none.")]
        [DefaultValue("two-way")]
        public string Heteroskedasticity { get; init; } = "two-way";

        [CommandOption("--strength <P>")]
        [Description("The fitted noise scales raised to this power (1 = as fitted; larger for a stress test).")]
        [DefaultValue(1.0)]
        public double Strength { get; init; } = 1;

        [CommandOption("--assignment <MODEL>")]
        [Description("Which units a simulated panel treats: random (uniformly, what the noise terciles are about) or fitted (the logistic model fitted to the file's treated units).")]
        [DefaultValue("random")]
        public string Assignment { get; init; } = "random";

        [CommandOption("--treated-units <N>")]
        [Description("Treated units of a simulated panel, treated together (default: the file's, in its cohorts when its adoption is staggered).")]
        public int? TreatedUnits { get; init; }

        [CommandOption("--treated-periods <T>")]
        [Description("Treated periods at the end of a simulated panel, a block (default: the file's cohorts', or from its first adoption).")]
        public int? TreatedPeriods { get; init; }

        [CommandOption("-o|--out <DIR>")]
        [Description("Write variance-comparison.csv, variance-comparison.txt, results.json and the chart (charts/variance-power.svg, .vl.json) into this folder.")]
        public string? Out { get; init; }

        public IReadOnlyList<string> Methods => Se.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        public override ValidationResult Validate()
        {
            var panel = base.Validate();
            if (!panel.Successful) return panel;
            var known = VarianceNames.Known.Where(n => n != "none").ToArray();
            if (Methods.Count == 0 || Methods.Any(m => !known.Contains(m)))
                return ValidationResult.Error($"--se must list methods among {string.Join(", ", known)}; '{Se}' does not.");
            if (Methods.Distinct().Count() != Methods.Count) return ValidationResult.Error($"--se names a method twice: '{Se}'.");
            if (!NoiseModels.ContainsKey(Heteroskedasticity))
                return ValidationResult.Error($"--heteroskedasticity must be one of {string.Join(", ", NoiseModels.Keys)}; '{Heteroskedasticity}' is not.");
            if (Assignment is not ("random" or "fitted")) return ValidationResult.Error($"--assignment must be random or fitted; '{Assignment}' is not.");
            if (Effects is not null && ParseEffects(Effects) is null)
                return ValidationResult.Error($"--effects must be numbers separated by commas (e.g. 5,10), none of them 0; '{Effects}' is not.");
            return ValidationResult.Success();
        }

        /// <summary>The effects of --effects, or null when the list does not parse (or holds a 0, which is the size).</summary>
        public static double[]? ParseEffects(string text)
        {
            var parts = text.Split(',', StringSplitOptions.TrimEntries);
            var values = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v != 0 ? v : (double?)null).ToArray();
            return values.Length > 0 && values.All(v => v is not null) ? [.. values.Select(v => v!.Value)] : null;
        }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken ct)
    {
        var terminal = (Terminal)context.Data!;
        var data = PanelSource.Read(s, terminal.In);
        var model = FactorModel.Fit(data, s.Rank);
        var pattern = data.Pattern;
        var units = s.TreatedUnits ?? (pattern.TreatedUnitCount > 0 ? pattern.TreatedUnitCount : Math.Min(10, model.UnitCount / 4));
        var periods = s.TreatedPeriods ?? (pattern.Cohorts.Count > 0 ? data.PeriodCount - pattern.Cohorts[0].PeriodIndex : Math.Max(1, Math.Min(10, model.PeriodCount / 4)));
        CompareCommand.Check(units, periods, model);
        // FactorModel works in standard deviations of the outcome over all cells; effects and interval lengths are converted.
        var sd = OutcomeStandardDeviation(data);
        var effects = s.Effects is null ? [0.1 * sd, 0.2 * sd] : Settings.ParseEffects(s.Effects)!;
        var noise = s.Heteroskedasticity == "none" ? "homoskedastic" : s.Heteroskedasticity;
        // A staggered file's simulated panels repeat its cohorts (their sizes and treated periods, dealt to random units)
        // unless --treated-units or --treated-periods asks for a block.
        var staggered = pattern.Design == TreatmentDesign.Staggered && s.TreatedUnits is null && s.TreatedPeriods is null;
        var design = new SimulationDesign
        {
            Model = model, Name = $"{noise}, {units} × {periods}", TreatedUnits = units, TreatedPeriods = periods,
            Assignment = s.Assignment == "random" ? AssignmentModel.Random : AssignmentModel.Fitted,
            Heteroskedasticity = NoiseModels[s.Heteroskedasticity], HeteroskedasticityStrength = s.Strength,
        };
        if (staggered)
        {
            var adoption = SimulationDesign.ForAdoption(data, model);
            design = design with { TreatedPeriodsByUnit = adoption.TreatedPeriodsByUnit, TreatedPeriods = adoption.TreatedPeriods, Name = $"{noise}, {adoption.Name}" };
        }
        var comparison = new VarianceComparison
        {
            Estimators = EstimatorNames.Parse(s.Estimators, null),
            Methods = [.. s.Methods.Select(m => VarianceNames.Create(m, s.SeReplications, s.Seed, 1, null)!)],
            Designs = [design],
            EffectSizes = [.. effects.Select(e => e / sd)],
            Replications = s.Replications,
            Seed = s.Seed,
            PowerFromShift = true,
            MaxDegreeOfParallelism = s.Parallel,
            Executor = s.Executor(),
            Checkpoint = s.Checkpoint,
        };
        if (!s.Json)
        {
            terminal.Note(model.ToString(), s.Quiet);
            if (staggered)
                terminal.Note($"The file's adoption is staggered: a simulated panel treats {units} random units in its {pattern.Cohorts.Count} cohorts ({string.Join(", ", pattern.Cohorts.Select(c => data.PeriodCount - c.PeriodIndex is var n && n == 1 ? $"{c.Units.Count} for the last period" : $"{c.Units.Count} for the last {n} periods"))}); --treated-units or --treated-periods simulate a block instead.", s.Quiet);
            else if (pattern.Cohorts.Count > 1)
                terminal.Note($"The file's adoption is {(pattern.Design == TreatmentDesign.Staggered ? "staggered" : "not a single block")} ({pattern.Cohorts.Count} cohorts); a simulated panel treats {units} units together in its last {periods} periods (--treated-units, --treated-periods).", s.Quiet);
            terminal.Note(string.Create(CultureInfo.InvariantCulture,
                $"Effect sizes, minimum detectable effects and interval lengths below are in standard deviations of the outcome ({sd:G4}); the effects asked for are {string.Join(", ", effects.Select(e => e.ToString("G4", CultureInfo.InvariantCulture)))} in its units."), s.Quiet);
        }
        return VarianceComparisonRun.Execute(terminal, comparison, s.Input(), data, sd, s.Out, s.Quiet, s.Json, ct);
    }

    /// <summary>The outcomes' standard deviation over all cells (divisor N·T), the unit <see cref="FactorModel"/> standardises by.</summary>
    private static double OutcomeStandardDeviation(PanelData data)
    {
        var values = Enumerable.Range(0, data.UnitCount).SelectMany(i => Enumerable.Range(0, data.PeriodCount).Select(t => data.Outcomes[i, t])).ToArray();
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
