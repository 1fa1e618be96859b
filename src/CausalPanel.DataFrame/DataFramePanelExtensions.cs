using Microsoft.Data.Analysis;

namespace CausalPanel;

/// <summary>Panels from Microsoft.Data.Analysis DataFrames.</summary>
public static class DataFramePanelExtensions
{
    /// <summary>
    /// Builds a panel from a DataFrame in long format (one row per unit-period), as
    /// <see cref="PanelData.FromDataReader"/> builds one from a database query, reading the columns in place
    /// through a <see cref="DataFrameDataReader"/>. Units and periods keep their column types, so integer
    /// years sort numerically and <c>DateTime</c> periods chronologically; outcomes may be any numeric column
    /// (a null cell is an unobserved cell); treatment may be a boolean or 0/1 column. Column names match
    /// case-insensitively. <c>DataFrame.LoadCsv</c> guesses numeric columns as <c>float</c> (7 digits): give
    /// it <c>dataTypes</c> with <c>typeof(double)</c> for the outcome to keep every digit.
    /// </summary>
    /// <param name="frame">The rows.</param>
    /// <param name="unit">The unit column.</param>
    /// <param name="time">The period column.</param>
    /// <param name="outcome">The outcome column.</param>
    /// <param name="treated">The 0/1 or boolean treatment column.</param>
    /// <exception cref="MissingColumnException">A named column is not in the frame (the message names it and lists the columns).</exception>
    /// <exception cref="InvalidValueException">A null unit or period, or an outcome that is not a number (the message names the row and column).</exception>
    /// <exception cref="PanelDataException">Any other problem <see cref="PanelData.FromDataReader"/> reports (duplicate rows, a treatment that is not 0/1, ...).</exception>
    public static PanelData ToPanelData(this DataFrame frame, string unit, string time, string outcome, string treated)
    {
        ArgumentNullException.ThrowIfNull(frame);
        using var reader = new DataFrameDataReader(frame);
        // TODO(issue 16, integrator): once the readers' branch is merged, PanelData.FromDataReader takes
        // (reader, unit, time, outcome, string? treated = null, string? adoption = null,
        // IReadOnlyList<string>? covariates = null, PanelReadOptions? options = null). Then make this signature
        // (frame, unit, time, outcome, string? treated = null, string? adoption = null,
        // IReadOnlyList<string>? covariates = null, PanelReadOptions? options = null), document the three new
        // parameters as FromDataReader does, and forward them in this one line:
        // return PanelData.FromDataReader(reader, unit, time, outcome, treated, adoption, covariates, options);
        return PanelData.FromDataReader(reader, unit, time, outcome, treated);
    }
}
