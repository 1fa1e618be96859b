using System.Globalization;
using System.Text;

namespace CausalPanel;

/// <summary>
/// An event study as a table: one row per event time, the leads (pre-treatment placebo effects, negative event
/// times) under their own heading before the effects, with the effect, its standard error, the pointwise interval
/// and the simultaneous (sup-t) band at the result's level and the treated cells averaged; the variance method and
/// the pre-trend tests as notes. As text, HTML, Markdown, LaTeX (booktabs) or CSV, like <see cref="EstimateTable"/>,
/// with one number of decimals for the table (<see cref="Decimals"/>).
/// </summary>
[TypeFormatterSource(typeof(NotebookFormatterSource))]
public sealed class EventStudyTable
{
    private EventStudyTable(EventStudyResult result, int decimals) => (Result, Decimals) = (result, decimals);

    /// <summary>The event study shown.</summary>
    public EventStudyResult Result { get; }

    /// <summary>
    /// The decimals of every effect, standard error and interval end: by default enough for the smallest standard error
    /// to show three significant digits (without standard errors, the smallest effect); see <see cref="WithDecimals"/>.
    /// </summary>
    public int Decimals { get; }

    /// <summary>A table of <paramref name="result"/>.</summary>
    /// <exception cref="ArgumentException">The result has no points.</exception>
    public static EventStudyTable Of(EventStudyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Points.Count == 0) throw new ArgumentException("The event study has no event times to show.", nameof(result));
        return new EventStudyTable(result, TableNumbers.Decimals(result.Points.Select(p => p.StandardError), result.Points.Select(p => p.Effect)));
    }

    /// <summary>The same table with <paramref name="decimals"/> decimals (0 to 10).</summary>
    public EventStudyTable WithDecimals(int decimals) => new(Result, TableNumbers.Checked(decimals, nameof(decimals)));

    /// <summary>Fixed-width text: leads, effects, then the notes (method, pre-trend and equivalence tests).</summary>
    public override string ToString() => Layout().ToText();

    /// <summary>An HTML table, the notes in its caption.</summary>
    public string ToHtml() => Layout().ToHtml("causalpanel-event-study");

    /// <summary>A Markdown (GitHub) pipe table, then the notes.</summary>
    public string ToMarkdown() => Layout().ToMarkdown();

    /// <summary>A LaTeX booktabs <c>tabular</c> (needs <c>\usepackage{booktabs}</c>), then the notes in <c>\footnotesize</c>.</summary>
    public string ToLatex() => Layout().ToLatex();

    /// <summary>
    /// CSV, one row per event time at full precision: event_time, is_lead, effect, std_error, lower, upper,
    /// uniform_lower, uniform_upper, treated_cells, level (NaN written as an empty field). An anticipation-window row
    /// (<see cref="EventStudyPoint.IsAnticipation"/>) has a negative event time and is_lead false.
    /// </summary>
    public string ToCsv()
    {
        var inv = CultureInfo.InvariantCulture;
        string R(double x) => double.IsNaN(x) ? "" : x.ToString("R", inv);
        var sb = new StringBuilder("event_time,is_lead,effect,std_error,lower,upper,uniform_lower,uniform_upper,treated_cells,level\n");
        foreach (var p in Result.Points)
            sb.AppendJoin(',', [p.EventTime.ToString(inv), p.IsLead ? "true" : "false", R(p.Effect), R(p.StandardError), R(p.Lower), R(p.Upper),
                R(p.UniformLower), R(p.UniformUpper), p.TreatedCells.ToString(inv), R(Result.Level)]).Append('\n');
        return sb.ToString();
    }

    private TableLayout Layout()
    {
        var d = Decimals;
        var level = TableNumbers.Percent(Result.Level);
        TableCell[] header = ["Event time", "Effect", "Std. error", $"{level} CI", $"{level} uniform band", "Treated cells"];
        TableRow Row(EventStudyPoint p) => new(
        [
            new TableCell(p.EventTime.ToString(CultureInfo.InvariantCulture), IsNumber: true), TableNumbers.Fixed(p.Effect, d), TableNumbers.Fixed(p.StandardError, d),
            TableNumbers.Interval(p.Lower, p.Upper, d), TableNumbers.Interval(p.UniformLower, p.UniformUpper, d), TableNumbers.Count(p.TreatedCells),
        ]);
        var lines = new List<TableLine>();
        var leads = Result.Points.Where(p => p.IsLead).OrderBy(p => p.EventTime).ToArray();
        var window = Result.Points.Where(p => p.IsAnticipation).OrderBy(p => p.EventTime).ToArray();
        var lags = Result.Points.Where(p => p.EventTime >= 0).OrderBy(p => p.EventTime).ToArray();
        if (leads.Length > 0)
        {
            lines.Add(new TableHeading("Leads (pre-treatment placebo effects)"));
            lines.AddRange(leads.Select(Row));
        }
        if (window.Length > 0)
        {
            lines.Add(new TableHeading($"Anticipation window (Anticipation = {Result.Fit.Anticipation}; effects before adoption, not in the ATT)"));
            lines.AddRange(window.Select(Row));
        }
        if (leads.Length + window.Length > 0 && lags.Length > 0) lines.Add(new TableHeading("Effects (event time 0 = first treated period)"));
        lines.AddRange(lags.Select(Row));

        var fit = Result.Fit;
        var notes = new List<TableNote>
        {
            new(null, $"{fit.Estimator} event study (ATT = {SummaryText.Number(fit.Att)} over {SummaryText.Count(fit.CellEffects.Count, "treated cell")}); "
                + $"{Result.Method} standard errors, pointwise {level} intervals and a {level} uniform (sup-t) band."),
        };
        if (Result.PreTrendTest is { } wald) notes.Add(new(null, $"{wald.ToString().TrimEnd('.')}."));
        if (Result.EquivalenceTest is { } tost)
            notes.Add(new(null, $"{tost.ToString().TrimEnd('.')}{(Result.EquivalenceBound is { } bound ? $" (bound ±{SummaryText.Number(bound)})" : "")}."));
        return new TableLayout(header, lines, notes);
    }
}
