namespace CausalPanel;

/// <summary>
/// An estimator of the average effect of treatment on the treated cells of a panel. Estimators
/// are immutable and thread-safe: one instance may be used from many threads at once.
/// </summary>
public interface IEstimator
{
    /// <summary>A short name for tables ("DiD", "SC", "SDID", ...).</summary>
    string Name { get; }

    /// <summary>Estimates the untreated outcome of every treated cell and the average effect.</summary>
    /// <param name="data">The panel.</param>
    /// <param name="ct">Cancels long work (tuning, cross-validation).</param>
    /// <exception cref="EstimationException">The panel cannot be used by this estimator; the message says why and what to do.</exception>
    EstimationResult Estimate(PanelData data, CancellationToken ct = default);
}
