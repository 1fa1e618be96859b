namespace CausalPanel;

/// <summary>Renaming estimators for tables (e.g. two option sets of one estimator).</summary>
public static class EstimatorNaming
{
    /// <summary>The same estimator under another <see cref="IEstimator.Name"/>; its results are unchanged.</summary>
    public static IEstimator Named(this IEstimator estimator, string name)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new NamedEstimator(estimator, name);
    }

    internal sealed class NamedEstimator(IEstimator inner, string name) : IEstimator
    {
        public string Name => name;

        /// <summary>The estimator renamed.</summary>
        public IEstimator Inner => inner;

        public EstimationResult Estimate(PanelData data, CancellationToken ct = default) => inner.Estimate(data, ct);
    }
}
