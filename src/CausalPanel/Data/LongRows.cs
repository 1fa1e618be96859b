namespace CausalPanel;

/// <summary>
/// Long-format rows as a reader gathers them, one list per column: unit and period as ids into the distinct keys the
/// reader met, the outcome, the treatment (0, 1 or <see cref="Missing"/>; or an id into the distinct adoption values),
/// covariates, and where each row came from (a line or row number). <see cref="PanelData"/> lays them out as N×T
/// matrices; one row costs a few bytes, whatever the reader.
/// </summary>
internal sealed class LongRows(string source, string treatmentColumn, bool byAdoption, string[] covariateNames)
{
    /// <summary>A missing 0/1 treatment (empty, NA, NaN, NULL).</summary>
    public const sbyte Missing = -1;

    /// <summary>How a row is named in messages: "CSV line" or "Row".</summary>
    public string Source { get; } = source;

    /// <summary>The treatment or adoption column, for messages.</summary>
    public string TreatmentColumn { get; } = treatmentColumn;

    /// <summary>Whether the treatment is each unit's adoption period (else a 0/1 indicator).</summary>
    public bool ByAdoption { get; } = byAdoption;

    public string[] CovariateNames { get; } = covariateNames;

    public List<int> Units { get; } = [];
    public List<int> Periods { get; } = [];
    public List<double> Outcomes { get; } = [];

    /// <summary>0, 1 or <see cref="Missing"/>, when not <see cref="ByAdoption"/>.</summary>
    public List<sbyte> Treated { get; } = [];

    /// <summary>Ids into the distinct adoption values, when <see cref="ByAdoption"/>.</summary>
    public List<int> Adoption { get; } = [];

    public List<double>[] Covariates { get; } = Array.ConvertAll(covariateNames, _ => new List<double>());

    /// <summary>The cluster column (<see cref="PanelReadOptions.Cluster"/>), or null.</summary>
    public string? ClusterColumn { get; init; }

    /// <summary>Ids into the distinct cluster values, when <see cref="ClusterColumn"/> is set.</summary>
    public List<int> Clusters { get; } = [];

    /// <summary>Line or row number of each row.</summary>
    public List<long> Places { get; } = [];

    public int Count => Outcomes.Count;

    /// <summary>Where row <paramref name="r"/> came from, e.g. "CSV line 12".</summary>
    public string Place(int r) => $"{Source} {Places[r]}";

    /// <summary>Where the first row whose id in <paramref name="ids"/> is <paramref name="id"/> came from.</summary>
    public string PlaceOfFirst(List<int> ids, int id) => Place(ids.IndexOf(id));
}
