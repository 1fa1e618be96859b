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
    /// <param name="treated">A 0/1 or boolean treatment column (null on never-treated units); give this or <paramref name="adoption"/>.</param>
    /// <param name="adoption">A column with each unit's first treated period (the same on all its rows; null, 0, Inf, a never-treated
    /// code or a period after the panel = never treated); give this or <paramref name="treated"/>.</param>
    /// <param name="covariates">Covariate columns (one value per row), attached as N×T <see cref="PanelData.Covariates"/>.</param>
    /// <param name="options">Period order, decimal separator of numeric text, never-treated codes; null = detect.</param>
    /// <exception cref="ArgumentException">Neither or both of <paramref name="treated"/> and <paramref name="adoption"/> are given.</exception>
    /// <exception cref="MissingColumnException">A named column is not in the frame (the message names it and lists the columns).</exception>
    /// <exception cref="InvalidValueException">A null unit or period, or an outcome that is not a number (the message names the row and column).</exception>
    /// <exception cref="PanelDataException">Any other problem <see cref="PanelData.FromDataReader"/> reports (duplicate rows, a treatment that is not 0/1, an adoption value that is not a period, ...).</exception>
    public static PanelData ToPanelData(this DataFrame frame, string unit, string time, string outcome, string? treated = null,
        string? adoption = null, IReadOnlyList<string>? covariates = null, PanelReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        using var reader = new DataFrameDataReader(frame);
        return PanelData.FromDataReader(reader, unit, time, outcome, treated, adoption, covariates, options);
    }
}
