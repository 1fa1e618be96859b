using System.Net;
using System.Text;

namespace CausalPanel;

/// <summary>A table cell: its text, whether it is a number (set in math in LaTeX), a footnote mark, and LaTeX source that replaces the escaped text.</summary>
internal readonly record struct TableCell(string Text, bool IsNumber = false, string? Mark = null, string? Latex = null)
{
    public static readonly TableCell Missing = new("—");

    public static implicit operator TableCell(string text) => new(text);
}

/// <summary>A line of a table body: a row of cells, a heading over all columns, or a rule between groups of rows.</summary>
internal abstract record TableLine;

internal sealed record TableRow(IReadOnlyList<TableCell> Cells) : TableLine;

internal sealed record TableHeading(string Text) : TableLine;

internal sealed record TableRule : TableLine;

/// <summary>A note under a table, with the mark that cells refer to it by (null: a note about the whole table).</summary>
internal readonly record struct TableNote(string? Mark, string Text);

/// <summary>
/// What the tables (<see cref="EstimateTable"/>, <see cref="EventStudyTable"/>) share: one layout — a header, rows
/// whose first cell is the stub, headings, rules and notes — written as fixed-width text, HTML, Markdown (a GitHub pipe
/// table) or LaTeX (a booktabs <c>tabular</c>). The stub column is left-aligned, every other right-aligned.
/// </summary>
internal sealed record TableLayout(IReadOnlyList<TableCell> Header, IReadOnlyList<TableLine> Lines, IReadOnlyList<TableNote> Notes)
{
    private int Columns => Header.Count;

    private IEnumerable<TableRow> Rows => Lines.OfType<TableRow>();

    /// <summary>Columns padded to their widest cell, two spaces apart; headings on their own line; each note on its own line.</summary>
    public string ToText()
    {
        static string Plain(TableCell c) => c.Mark is null ? c.Text : $"{c.Text} ({c.Mark})";
        var widths = Enumerable.Range(0, Columns).Select(j => Rows.Select(r => Plain(r.Cells[j]).Length).Append(Plain(Header[j]).Length).Max()).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<TableCell> cells)
        {
            var line = new StringBuilder(Plain(cells[0]).PadRight(widths[0]));
            for (var j = 1; j < Columns; j++) line.Append("  ").Append(Plain(cells[j]).PadLeft(widths[j]));
            sb.AppendLine(line.ToString().TrimEnd());
        }
        Line(Header);
        foreach (var line in Lines)
        {
            if (line is TableRow row) Line(row.Cells);
            else if (line is TableHeading heading) sb.AppendLine(heading.Text);
        }
        foreach (var note in Notes) sb.AppendLine(note.Mark is null ? note.Text : $"({note.Mark}) {note.Text}");
        return sb.ToString().TrimEnd();
    }

    /// <summary>A table element of class <paramref name="cssClass"/>: marks as <c>sup</c>, rules as a top border, the notes in a bottom caption.</summary>
    public string ToHtml(string cssClass)
    {
        static string Html(TableCell c) => WebUtility.HtmlEncode(c.Text) + (c.Mark is null ? "" : $"<sup>{c.Mark}</sup>");
        var sb = new StringBuilder($"<table class=\"{cssClass}\">\n<thead><tr>");
        sb.Append("<th style=\"text-align:left\">").Append(Html(Header[0])).Append("</th>");
        foreach (var c in Header.Skip(1)) sb.Append("<th style=\"text-align:right\">").Append(Html(c)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        var ruled = false;
        foreach (var line in Lines)
        {
            var border = ruled ? " style=\"border-top:1px solid\"" : "";
            ruled = line is TableRule;
            if (line is TableHeading heading)
                sb.Append($"<tr{border}><th colspan=\"{Columns}\" style=\"text-align:left\"><em>{WebUtility.HtmlEncode(heading.Text)}</em></th></tr>\n");
            else if (line is TableRow row)
            {
                sb.Append($"<tr{border}><th style=\"text-align:left\">").Append(Html(row.Cells[0])).Append("</th>");
                foreach (var c in row.Cells.Skip(1)) sb.Append("<td style=\"text-align:right\">").Append(Html(c)).Append("</td>");
                sb.Append("</tr>\n");
            }
        }
        sb.Append("</tbody>\n");
        if (Notes.Count > 0)
            sb.Append("<caption style=\"caption-side:bottom;text-align:left\">")
                .AppendJoin("<br/>", Notes.Select(n => (n.Mark is null ? "" : $"<sup>{n.Mark}</sup> ") + WebUtility.HtmlEncode(n.Text)))
                .Append("</caption>\n");
        return sb.Append("</table>").ToString();
    }

    /// <summary>A GitHub pipe table (marks as <c>&lt;sup&gt;</c>, headings in bold), then each note as a paragraph.</summary>
    public string ToMarkdown()
    {
        static string Markdown(TableCell c) => (c.IsNumber ? c.Text : EscapeMarkdown(c.Text)) + (c.Mark is null ? "" : $"<sup>{c.Mark}</sup>");
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", Header.Select(Markdown)).AppendLine(" |");
        sb.Append("|:---|").Append(string.Concat(Enumerable.Repeat("---:|", Columns - 1))).AppendLine();
        foreach (var line in Lines)
        {
            if (line is TableRow row) sb.Append("| ").AppendJoin(" | ", row.Cells.Select(Markdown)).AppendLine(" |");
            else if (line is TableHeading heading) sb.Append("| **").Append(EscapeMarkdown(heading.Text)).Append("** |").Append(string.Concat(Enumerable.Repeat(" |", Columns - 1))).AppendLine();
        }
        foreach (var note in Notes) sb.AppendLine().Append(note.Mark is null ? "" : $"<sup>{note.Mark}</sup> ").AppendLine(EscapeMarkdown(note.Text));
        return sb.ToString().TrimEnd();
    }

    /// <summary>
    /// A booktabs <c>tabular</c> (<c>\toprule</c>, <c>\midrule</c>, <c>\bottomrule</c>; needs <c>\usepackage{booktabs}</c>),
    /// numbers in math, headings as <c>\multicolumn</c> in italics, marks as <c>\textsuperscript</c>, then the notes
    /// in <c>\footnotesize</c>, one paragraph each.
    /// </summary>
    public string ToLatex()
    {
        static string Latex(TableCell c) =>
            (c.Latex ?? (c.IsNumber ? LatexText.Number(c.Text) : LatexText.Escape(c.Text))) + (c.Mark is null ? "" : $@"\textsuperscript{{{c.Mark}}}");
        var sb = new StringBuilder();
        sb.Append(@"\begin{tabular}{l").Append('r', Columns - 1).AppendLine("}");
        sb.AppendLine(@"\toprule");
        sb.Append(string.Join(" & ", Header.Select(Latex))).AppendLine(@" \\");
        sb.AppendLine(@"\midrule");
        foreach (var line in Lines)
        {
            switch (line)
            {
                case TableRow row: sb.Append(string.Join(" & ", row.Cells.Select(Latex))).AppendLine(@" \\"); break;
                case TableHeading heading: sb.AppendLine($@"\multicolumn{{{Columns}}}{{l}}{{\textit{{{LatexText.Escape(heading.Text)}}}}} \\"); break;
                case TableRule: sb.AppendLine(@"\midrule"); break;
            }
        }
        sb.AppendLine(@"\bottomrule");
        sb.AppendLine(@"\end{tabular}");
        if (Notes.Count > 0)
        {
            sb.AppendLine().AppendLine(@"\smallskip").AppendLine(@"{\footnotesize");
            foreach (var note in Notes)
                sb.Append(note.Mark is null ? "" : $@"\textsuperscript{{{note.Mark}}}~").Append(LatexText.Escape(note.Text)).AppendLine(@"\par");
            sb.AppendLine("}");
        }
        return sb.ToString();
    }

    private static string EscapeMarkdown(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '|' or '*' or '_' or '`' or '[' or ']') sb.Append('\\');
            sb.Append(c is '<' ? "&lt;" : c is '>' ? "&gt;" : c.ToString());
        }
        return sb.ToString();
    }
}
