namespace CausalPanel;

public sealed partial class PanelData
{
    /// <summary>
    /// Each unit's cluster (unit label → cluster label, e.g. county → state), as read from the cluster column
    /// (<see cref="PanelReadOptions.Cluster"/>); empty when none was read. Kept by <see cref="WithTreatment"/>,
    /// <see cref="WithCovariates"/> and <see cref="WithOutcomeName"/>. Variance methods cluster when given
    /// <see cref="ClusterOf"/> as their <c>Cluster</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Clusters { get; private init; } = new Dictionary<string, string>();

    /// <summary>
    /// The cluster of the unit labelled <paramref name="unit"/>: pass it to a variance method, e.g.
    /// <c>new UnitPlaceboVariance { Cluster = data.ClusterOf }</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The panel was read without a cluster column.</exception>
    /// <exception cref="ArgumentException">No unit has that label.</exception>
    public string ClusterOf(string unit)
    {
        if (Clusters.Count == 0)
            throw new InvalidOperationException("This panel has no clusters: read it with PanelReadOptions { Cluster = \"column\" }, or give the variance method a Cluster selector of your own.");
        return Clusters.TryGetValue(unit, out var cluster) ? cluster
            : throw new ArgumentException($"No unit is labelled '{unit}'. Units are {CausalPanelException.List(_units)}.", nameof(unit));
    }
}
