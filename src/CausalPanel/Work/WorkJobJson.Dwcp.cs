using System.Text.Json;

namespace CausalPanel;

/// <summary>
/// DWCP per-cell jobs (<see cref="DwcpCellWork"/>) as data: the core's arrays (the standardised outcome row-major with NaN
/// for unobserved cells, the cells set aside, the covariates, the donors), the solver's settings, the λ's and the cells,
/// every number in round-trip form. A worker rebuilds the core and the job from them (its hash is checked).
/// </summary>
internal static partial class WorkJobJson
{
    private sealed record DwcpCellsData(string Format, string Kind, string Hash, int Units, int Periods, double[] Outcomes, bool[] SetAside,
        double[][]? Covariates, bool[]? Donors, int MaxIterations, double Tolerance, double LambdaUnit, double LambdaTime, double LambdaNuclear, int[][] Cells);

    /// <summary>The job of <paramref name="core"/>'s fits of <paramref name="cells"/> at the λ's as JSON.</summary>
    public static string Write(string hash, DwcpCore core, IReadOnlyList<(int I, int T)> cells, double lambdaUnit, double lambdaTime, double lambdaNuclear) =>
        JsonSerializer.Serialize(new DwcpCellsData(Format, DwcpCellWork.Kind, hash, core.Units, core.Periods, core.Outcomes, core.SetAside,
            core.Covariates?.ToArray(), core.Donors, core.MaxIterations, core.Tolerance, lambdaUnit, lambdaTime, lambdaNuclear,
            [.. cells.Select(c => new[] { c.I, c.T })]), Json);

    private static WorkJob ReadDwcpCells(DwcpCellsData d)
    {
        int n = d.Units, t = d.Periods;
        if (n < 1 || t < 1 || d.Outcomes.Length != n * t || d.SetAside.Length != n * t || d.Covariates?.Any(x => x.Length != n * t) == true
            || d.Donors?.Length is { } donors && donors != n || d.Cells.Any(c => c.Length != 2 || c[0] < 0 || c[0] >= n || c[1] < 0 || c[1] >= t))
            throw new WorkJobMismatchException($"This DWCP per-cell job's arrays do not fit its {n} × {t} panel.");
        var core = new DwcpCore(d.Outcomes, d.SetAside, n, t, d.MaxIterations, d.Tolerance, d.Covariates, d.Donors);
        var cells = d.Cells.Select(c => (c[0], c[1])).ToArray();
        return DwcpCellWork.Job(core, cells, core.Groups(cells, d.LambdaUnit, d.LambdaTime), d.LambdaUnit, d.LambdaTime, d.LambdaNuclear);
    }
}
