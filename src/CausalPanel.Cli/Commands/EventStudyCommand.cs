using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CausalPanel.Cli.Commands;

/// <summary>causalpanel event-study: leads and lags of one estimator with a variance method's intervals and pre-trend tests.</summary>
internal sealed class EventStudyCommand : Command<EventStudyCommand.Settings>
{
    public sealed class Settings : EstimatorSettings
    {
        [CommandOption("-e|--estimator <NAME>")]
        [Description("One of did, sc, difp, sdid, mc, dwcp.")]
        [DefaultValue("did")]
        public string Estimator { get; init; } = "did";

        [CommandOption("--leads <N>")]
        [Description("Leads (pre-treatment event times) to estimate (default: the library's).")]
        public int? Leads { get; init; }

        [CommandOption("--in-time-placebo-leads")]
        [Description("SC, DIFP, SDID: leads as in-time placebos (refits before each cohort's adoption) instead of pre-period gaps.")]
        public bool InTimePlaceboLeads { get; init; }

        public override ValidationResult Validate()
        {
            var base_ = base.Validate();
            if (!base_.Successful) return base_;
            return Estimator.Contains(',', StringComparison.Ordinal) ? ValidationResult.Error("event-study takes one --estimator.") : ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken ct)
    {
        var terminal = (Terminal)context.Data!;
        var data = PanelSource.Read(s, terminal.In);
        var estimator = EstimatorNames.Parse(s.Estimator, s)[0];
        if (!s.Json) terminal.Note(data.Describe(), s.Quiet);
        if (VarianceNames.Note(s, data) is { } note) terminal.Note(note, s.Quiet || s.Json);
        var options = new EventStudyOptions { Leads = s.Leads, SyntheticLeads = s.InTimePlaceboLeads ? SyntheticLeads.InTimePlacebo : default };

        EventStudyResult study = null!;   // set by the step, or the command returns on cancellation
        if (!Work.TryRun(terminal, s.Quiet || s.Json, "nothing was written", work =>
            {
                var fit = work.Step($"{estimator.Name} fit", null, _ => estimator.Estimate(data, ct));
                var label = s.Se == "none" ? $"{estimator.Name} event study" : $"{estimator.Name} event study, {s.Se} standard errors";
                study = work.Step(label, VarianceNames.ExpectedReplicates(s, data),
                    progress => fit.EventStudy(VarianceNames.Create(s, progress), s.Level, options, ct));
            }))
            return ExitCodes.Cancelled;

        var table = EventStudyTable.Of(study);
        var json = ResultJson.Document("event-study", s.Input(), data, w => EventStudyJson(w, study));
        if (s.Json) terminal.Out.Write(json);
        else terminal.Out.WriteLine(table.ToString());
        if (s.Out is { } dir)
        {
            var folder = new OutputFolder(dir);
            folder.Write("event-study.txt", table.ToString());
            folder.Write("event-study.csv", table.ToCsv());
            folder.Write("event-study.md", table.ToMarkdown());
            folder.Write("event-study.tex", table.ToLatex());
            folder.Write("event-study.html", table.ToHtml());
            folder.Write("results.json", json);
            folder.Pattern(data);
            folder.Chart("event-study", () => Charts.EventStudy(study), () => VegaLite.EventStudy(study));
            EstimateCommand.Report(terminal, folder, dir, s.Quiet || s.Json);
        }
        return ExitCodes.Ok;
    }

    private static void EventStudyJson(System.Text.Json.Utf8JsonWriter w, EventStudyResult study)
    {
        w.WriteStartObject("eventStudy");
        w.WriteString("estimator", study.Fit.Estimator);
        ResultJson.Number(w, "att", study.Fit.Att);
        w.WriteString("method", study.Method);
        ResultJson.Number(w, "level", study.Level);
        if (study.UndefinedReason is { } reason) w.WriteString("undefinedReason", reason);
        else w.WriteNull("undefinedReason");
        w.WriteNumber("replications", study.Replications);
        w.WriteStartArray("points");
        foreach (var p in study.Points)
        {
            w.WriteStartObject();
            w.WriteNumber("eventTime", p.EventTime);
            w.WriteBoolean("isAnticipation", p.IsAnticipation);
            ResultJson.Number(w, "effect", p.Effect);
            ResultJson.Number(w, "standardError", p.StandardError);
            ResultJson.Number(w, "lower", p.Lower);
            ResultJson.Number(w, "upper", p.Upper);
            ResultJson.Number(w, "uniformLower", p.UniformLower);
            ResultJson.Number(w, "uniformUpper", p.UniformUpper);
            w.WriteNumber("treatedCells", p.TreatedCells);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        foreach (var (name, test) in new[] { ("preTrendTest", study.PreTrendTest), ("equivalenceTest", study.EquivalenceTest) })
        {
            if (test is null) { w.WriteNull(name); continue; }
            w.WriteStartObject(name);
            w.WriteString("name", test.Name);
            w.WriteBoolean("isDefined", test.IsDefined);
            ResultJson.Number(w, "statistic", test.Statistic);
            ResultJson.Number(w, "degreesOfFreedom", test.DegreesOfFreedom);
            ResultJson.Number(w, "denominatorDegreesOfFreedom", test.DenominatorDegreesOfFreedom);
            ResultJson.Number(w, "pValue", test.PValue);
            w.WriteString("verdict", test.Verdict);
            w.WriteEndObject();
        }
        ResultJson.Strings(w, "notes", study.Notes);
        w.WriteEndObject();
    }
}
