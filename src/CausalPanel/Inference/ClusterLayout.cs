namespace CausalPanel;

/// <summary>
/// The clusters of a panel's units for clustered inference (a variance method's <c>Cluster</c>): control clusters
/// (never-treated units only) first, then treated clusters (holding a treated unit; a cluster that mixes treated and
/// never-treated units is a treated cluster, its never-treated units travel with it), each in the order of its first
/// unit among the never-treated (resp. treated) units in panel order. With every unit its own cluster this is the
/// unclustered methods' unit order (never-treated, then treated), so their draws and results are reproduced exactly.
/// </summary>
internal sealed class ClusterLayout
{
    private readonly int[][] _members;

    private ClusterLayout(string[] labels, int[][] members, int controlCount)
    {
        Labels = labels;
        _members = members;
        ControlCount = controlCount;
    }

    /// <summary>Cluster labels, control clusters first.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Number of clusters G.</summary>
    public int Count => Labels.Count;

    /// <summary>Control clusters G0 (never-treated units only); they come first.</summary>
    public int ControlCount { get; }

    /// <summary>Treated clusters G1.</summary>
    public int TreatedCount => Count - ControlCount;

    /// <summary>Rows of the units of cluster <paramref name="g"/>, in panel order.</summary>
    public IReadOnlyList<int> Members(int g) => _members[g];

    /// <summary>
    /// The clusters of <paramref name="data"/>'s units under <paramref name="cluster"/> (unit label → cluster label).
    /// </summary>
    /// <exception cref="ArgumentException">The selector returns null or an empty label for a unit (named).</exception>
    public static ClusterLayout Of(PanelData data, Func<string, string> cluster)
    {
        var p = data.Pattern;
        var treatedUnit = new bool[data.UnitCount];
        foreach (var i in p.TreatedUnitIndices) treatedUnit[i] = true;
        var labelOf = new string[data.UnitCount];
        var hasTreated = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var i = 0; i < data.UnitCount; i++)
        {
            var label = cluster(data.Units[i]);
            if (string.IsNullOrWhiteSpace(label))
                throw new ArgumentException($"The Cluster selector gave no cluster for unit '{data.Units[i]}'. Return a non-empty cluster label for every unit.", nameof(cluster));
            labelOf[i] = label;
            hasTreated[label] = hasTreated.GetValueOrDefault(label) || treatedUnit[i];
        }
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in p.NeverTreatedUnitIndices.Where(i => !hasTreated[labelOf[i]]).Concat(p.TreatedUnitIndices))
            if (seen.Add(labelOf[i])) order.Add(labelOf[i]);
        var index = order.Select((label, g) => (label, g)).ToDictionary(x => x.label, x => x.g, StringComparer.Ordinal);
        var members = order.Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < data.UnitCount; i++) members[index[labelOf[i]]].Add(i);
        var controls = order.Count(label => !hasTreated[label]);
        return new ClusterLayout(order.ToArray(), members.Select(m => m.ToArray()).ToArray(), controls);
    }

    /// <summary>The unit → cluster map as text ("unit=cluster" per unit in panel order), for a job's description.</summary>
    public string Describe(PanelData data)
    {
        var labelOf = new string[data.UnitCount];
        for (var g = 0; g < Count; g++)
            foreach (var i in _members[g]) labelOf[i] = Labels[g];
        return "clusters: " + string.Join(";", labelOf.Select((label, i) => $"{data.Units[i]}={label}"));
    }

    /// <summary>
    /// The units of clusters <paramref name="clusters"/> (repeats allowed) as replicate rows: the never-treated units
    /// first, then the treated ones, each in the order of <paramref name="clusters"/>; and how many are never-treated
    /// (the replicate's controls, in the order <see cref="EstimationResult.ForReplicate"/> expects).
    /// </summary>
    public (int[] Rows, int Controls) Rows(IEnumerable<int> clusters, TreatmentPattern pattern)
    {
        var never = new List<int>();
        var treated = new List<int>();
        foreach (var g in clusters)
            foreach (var i in _members[g])
                (pattern.FirstTreatedPeriodIndex(i) is null ? never : treated).Add(i);
        return ([.. never, .. treated], never.Count);
    }

    /// <summary>
    /// Refuses a clustering with fewer than <paramref name="minTreated"/> treated or <paramref name="minControl"/> control
    /// clusters for <paramref name="method"/>, giving the counts and what to do.
    /// </summary>
    /// <exception cref="TooFewClustersException">Too few of either.</exception>
    public void Require(int minTreated, int minControl, string method, string rule)
    {
        if (TreatedCount >= minTreated && ControlCount >= minControl) return;
        throw new TooFewClustersException(
            $"{method} with clusters needs {rule}; this clustering has {TreatedCount} treated cluster(s) ({CausalPanelException.List(Labels.Skip(ControlCount), 3)}) " +
            $"and {ControlCount} control cluster(s) of never-treated units only (a cluster that holds any treated unit is a treated cluster). " +
            "Cluster at a finer level (e.g. counties rather than states), or, with one treated cluster, use UnitPlaceboVariance with Cluster, which needs only more control clusters than treated ones.",
            TreatedCount, ControlCount);
    }
}
