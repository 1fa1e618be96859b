namespace CausalPanel;

/// <summary>
/// Clustered inference (a variance method's <c>Cluster</c>) has too few treated or control clusters for the method: the
/// message gives both counts, the method's minimum and what to do (a coarser method or a finer clustering).
/// </summary>
public sealed class TooFewClustersException(string message, int treatedClusters, int controlClusters) : EstimationException(message)
{
    /// <summary>Clusters holding a treated unit (a cluster that mixes treated and never-treated units counts here).</summary>
    public int TreatedClusters { get; } = treatedClusters;

    /// <summary>Clusters of never-treated units only.</summary>
    public int ControlClusters { get; } = controlClusters;
}

/// <summary>A reader's cluster column (<see cref="PanelReadOptions.Cluster"/>) is missing on a row or differs between a unit's rows.</summary>
public sealed class InconsistentClusterException(string message, IReadOnlyList<string> units) : PanelDataException(message, units);
