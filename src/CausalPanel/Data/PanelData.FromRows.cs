using System.Globalization;

namespace CausalPanel;

public sealed partial class PanelData
{
    /// <summary>
    /// Lays out the rows a reader gathered as an N×T panel: units and periods ordered (<see cref="KeyOrder"/>,
    /// <see cref="PeriodScale"/>), the size checked before anything N×T is allocated, the treatment read from the 0/1
    /// column or the adoption values, covariates attached, and how it was read recorded in <see cref="Notes"/>.
    /// </summary>
    /// <param name="rows">The gathered rows.</param>
    /// <param name="unitKeys">Distinct unit keys, by id.</param>
    /// <param name="periodKeys">Distinct period keys, by id.</param>
    /// <param name="adoptionValues">Distinct adoption values, by id (empty for a 0/1 treatment).</param>
    /// <param name="options">The read options.</param>
    /// <param name="notes">What the reader noted so far (delimiter, decimals); the layout adds its own.</param>
    /// <param name="outcomeName">The outcome column's name (<see cref="OutcomeName"/>).</param>
    /// <param name="clusterKeys">Distinct cluster values, by id (empty without a cluster column).</param>
    internal static PanelData FromRows(LongRows rows, object[] unitKeys, object[] periodKeys, object?[] adoptionValues, PanelReadOptions options, List<string> notes, string outcomeName,
        object[]? clusterKeys = null)
    {
        if (rows.Count == 0) throw new EmptyPanelException("The input has no rows. Supply one row per unit and period.");
        var (unitRow, units) = KeyOrder.Units(unitKeys);
        var scale = PeriodScale.Create(periodKeys, options, id => rows.PlaceOfFirst(rows.Periods, id));
        notes.Add(scale.Description);
        int n = units.Length, t = scale.Labels.Length;
        RequireDenseSize(n, t, rows.CovariateNames.Length);

        var cells = new int[rows.Count];
        var y = new double[n * t];
        Array.Fill(y, double.NaN);
        var seen = new bool[n * t];
        var duplicates = new List<(int, int)>();
        var unitIds = rows.Units;
        var periodIds = rows.Periods;
        var outcomes = rows.Outcomes;
        for (var r = 0; r < cells.Length; r++)
        {
            var k = cells[r] = unitRow[unitIds[r]] * t + scale.Column[periodIds[r]];
            if (seen[k]) duplicates.Add((k / t, k % t));
            seen[k] = true;
            y[k] = outcomes[r];
        }
        if (duplicates.Count > 0)
        {
            var dup = duplicates.Distinct().ToList();
            throw new DuplicateObservationException(
                $"{dup.Count} unit-period cell(s) have more than one row: {FormatCells(dup, units, scale.Labels)}. Keep one row per unit and period (aggregate or drop the duplicates).",
                dup.Select(c => units[c.Item1]).Distinct().ToList(), dup.Select(c => scale.Labels[c.Item2]).Distinct().ToList());
        }

        var w = rows.ByAdoption
            ? AdoptionTreatment(rows, cells, y, n, t, units, unitRow, new AdoptionValues(scale, options), adoptionValues, notes)
            : IndicatorTreatment(rows, cells, n, t, units, scale.Labels, unitRow, notes);
        var panel = new PanelData(new OutcomeMatrix(y, n, t), new TreatmentMatrix(w, n, t), units, scale.Labels)
        {
            PeriodOrdering = scale.Ordering,
            Notes = notes,
            OutcomeName = outcomeName,
            Clusters = UnitClusters(rows, clusterKeys ?? [], units, unitRow),
        };
        if (rows.CovariateNames.Length == 0) return panel;
        var covariates = new (string, double[])[rows.CovariateNames.Length];
        for (var c = 0; c < covariates.Length; c++)
        {
            var values = new double[n * t];
            Array.Fill(values, double.NaN);
            var column = rows.Covariates[c];
            for (var r = 0; r < cells.Length; r++) values[cells[r]] = column[r];
            covariates[c] = (rows.CovariateNames[c], values);
        }
        panel._covariates = panel.AddCovariates(covariates);
        return panel;
    }

    /// <summary>Each unit's cluster from the cluster column, which must hold one value per unit; empty without one.</summary>
    private static Dictionary<string, string> UnitClusters(LongRows rows, object[] clusterKeys, string[] units, int[] unitRow)
    {
        var clusters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (rows.ClusterColumn is null) return clusters;
        var firstRow = new int[units.Length];
        Array.Fill(firstRow, -1);
        for (var r = 0; r < rows.Count; r++)
        {
            var i = unitRow[rows.Units[r]];
            ref var first = ref firstRow[i];
            if (first < 0) first = r;
            else if (rows.Clusters[r] != rows.Clusters[first])
                throw new InconsistentClusterException(
                    $"Unit '{units[i]}' is in two clusters in column '{rows.ClusterColumn}': '{KeyOrder.Label(clusterKeys[rows.Clusters[first]])}' on {rows.Place(first)} and '{KeyOrder.Label(clusterKeys[rows.Clusters[r]])}' on {rows.Place(r)}. " +
                    "A unit belongs to one cluster: give all its rows the same cluster (or cluster at a level that contains whole units).", [units[i]]);
        }
        for (var i = 0; i < units.Length; i++) clusters[units[i]] = KeyOrder.Label(clusterKeys[rows.Clusters[firstRow[i]]]);
        return clusters;
    }

    /// <summary>The 0/1 column: a missing value reads as untreated on never-treated units and is refused on treated ones.</summary>
    private static bool[] IndicatorTreatment(LongRows rows, int[] cells, int n, int t, string[] units, string[] periods, int[] unitRow, List<string> notes)
    {
        var w = new bool[n * t];
        var treated = rows.Treated;
        var firstMissing = new int[n];
        Array.Fill(firstMissing, -1);
        var missing = 0;
        for (var r = 0; r < cells.Length; r++)
        {
            if (treated[r] == LongRows.Missing)
            {
                missing++;
                ref var first = ref firstMissing[unitRow[rows.Units[r]]];
                if (first < 0) first = r;
            }
            else w[cells[r]] = treated[r] == 1;
        }
        if (missing == 0) return w;
        for (var i = 0; i < n; i++)
        {
            if (firstMissing[i] < 0) continue;
            var on = Array.IndexOf(w, true, i * t, t);
            if (on < 0) continue;
            var r = firstMissing[i];
            var period = periods[cells[r] % t];
            throw new InvalidTreatmentValueException(
                $"{rows.Place(r)}: treatment column '{rows.TreatmentColumn}' is missing (empty, NA or NaN) for unit '{units[i]}' in period '{period}', but the unit is treated in period '{periods[on - i * t]}'. " +
                "A missing treatment reads as untreated only on never-treated units: give 0 or 1 on every row of a treated unit.", [units[i]], [period]);
        }
        notes.Add($"{missing} row(s) of never-treated units have no treatment value (empty, NA or NaN in '{rows.TreatmentColumn}') and are read as untreated.");
        return w;
    }

    /// <summary>The adoption column: each unit treated in its observed cells from its first treated period on.</summary>
    private static bool[] AdoptionTreatment(LongRows rows, int[] cells, double[] y, int n, int t, string[] units, int[] unitRow,
        AdoptionValues reader, object?[] values, List<string> notes)
    {
        var firstRow = new int[values.Length];
        Array.Fill(firstRow, -1);
        var ids = rows.Adoption;
        for (var r = 0; r < cells.Length; r++)
            if (firstRow[ids[r]] < 0) firstRow[ids[r]] = r;
        var resolved = new (int Start, AdoptionValues.Kind Kind)[values.Length];
        for (var v = 0; v < values.Length; v++)
        {
            var r = firstRow[v];
            resolved[v] = reader.Resolve(values[v], units[cells[r] / t], rows.Place(r), rows.TreatmentColumn);
        }

        var unitFirst = new int[n];   // the row that set each unit's adoption
        Array.Fill(unitFirst, -1);
        for (var r = 0; r < cells.Length; r++)
        {
            var i = unitRow[rows.Units[r]];
            ref var first = ref unitFirst[i];
            if (first < 0) first = r;
            else if (resolved[ids[r]].Start != resolved[ids[first]].Start)
                throw new InconsistentAdoptionException(
                    $"Unit '{units[i]}' has two adoption periods in column '{rows.TreatmentColumn}': '{Text(values[ids[first]])}' on {rows.Place(first)} and '{Text(values[ids[r]])}' on {rows.Place(r)}. " +
                    "A unit adopts once: give all its rows the same first treated period (or a never-treated code).", [units[i]]);
        }

        var w = new bool[n * t];
        for (var r = 0; r < cells.Length; r++)
        {
            var k = cells[r];
            var start = resolved[ids[unitFirst[k / t]]].Start;
            w[k] = start >= 0 && k % t >= start && !double.IsNaN(y[k]);
        }
        AdoptionNotes(rows, units, values, resolved, unitFirst, notes);
        return w;
    }

    private static void AdoptionNotes(LongRows rows, string[] units, object?[] values, (int Start, AdoptionValues.Kind Kind)[] resolved,
        int[] unitFirst, List<string> notes)
    {
        var byKind = new Dictionary<AdoptionValues.Kind, List<int>>();
        for (var i = 0; i < units.Length; i++)
        {
            var kind = resolved[rows.Adoption[unitFirst[i]]].Kind;
            if (!byKind.TryGetValue(kind, out var list)) byKind[kind] = list = [];
            list.Add(i);
        }
        string Value(int i) => Text(values[rows.Adoption[unitFirst[i]]]);
        string Examples(List<int> of, bool withValues)
        {
            var shown = string.Join(", ", of.Take(3).Select(i => withValues ? $"'{units[i]}' ({Value(i)})" : $"'{units[i]}'"));
            return of.Count > 3 ? $"{shown} and {of.Count - 3} more" : shown;
        }
        var column = rows.TreatmentColumn;
        if (byKind.TryGetValue(AdoptionValues.Kind.Never, out var never))
        {
            var codes = never.Select(Value).Distinct().Take(4).Select(v => v.Length == 0 ? "empty" : $"'{v}'");
            notes.Add($"{never.Count} unit(s) are never treated ('{column}' is {string.Join(" or ", codes)}): {Examples(never, false)}.");
        }
        if (byKind.TryGetValue(AdoptionValues.Kind.After, out var after))
            notes.Add($"{after.Count} unit(s) adopt after the panel's last period and are counted as never treated: {Examples(after, true)}.");
        if (byKind.TryGetValue(AdoptionValues.Kind.Before, out var before))
            notes.Add($"{before.Count} unit(s) adopt before the panel's first period and are treated in every period (estimators that need a pre-treatment period refuse them by name): {Examples(before, true)}.");
    }

    private static string Text(object? value) => value switch
    {
        null or DBNull => "NULL",
        string s => s,
        _ => KeyOrder.Label(value),
    };

    /// <summary>Refuses, before allocating, a panel whose dense N×T matrices do not fit in one array or in the memory available.</summary>
    /// <exception cref="PanelTooLargeException">They do not.</exception>
    internal static void RequireDenseSize(int n, int t, int covariates)
    {
        var cells = (long)n * t;
        var bytes = cells * ((1 + covariates) * sizeof(double) + sizeof(bool));
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (cells <= Array.MaxLength && bytes <= available) return;
        var inv = CultureInfo.InvariantCulture;
        var why = cells > Array.MaxLength
            ? string.Create(inv, $"more cells than one .NET array can hold ({Array.MaxLength:N0})")
            : string.Create(inv, $"more than the {Gigabytes(available)} of memory this process can use");
        var size = string.Create(inv,
            $"The panel has N = {n:N0} units and T = {t:N0} periods, {cells:N0} cells: its dense N×T {(covariates > 0 ? "outcome, treatment and covariate" : "outcome and treatment")} matrices would need {Gigabytes(bytes)} ({bytes:N0} bytes), {why}.");
        throw new PanelTooLargeException(size + " CausalPanel's estimators work on dense N×T matrices. Check that the unit and period columns are the right ones " +
            "(so many distinct values often means a wrong column), aggregate periods (e.g. days to months) or keep fewer units.", n, t, bytes);
    }

    private static string Gigabytes(long bytes) => (bytes / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + " GB";
}
