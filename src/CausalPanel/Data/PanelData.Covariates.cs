namespace CausalPanel;

public sealed partial class PanelData
{
    private IReadOnlyDictionary<string, OutcomeMatrix> _covariates = new Dictionary<string, OutcomeMatrix>();

    /// <summary>
    /// Time-varying covariates by name, each an N×T matrix aligned with <see cref="Outcomes"/>
    /// (NaN only where the outcome is unobserved). Estimators that adjust for covariates use all
    /// of them; see each estimator's documentation.
    /// </summary>
    public IReadOnlyDictionary<string, OutcomeMatrix> Covariates => _covariates;

    /// <summary>
    /// The same panel with named N×T covariate matrices added (rows and columns in the panel's
    /// unit and period order; copied). A covariate must be finite wherever the outcome is observed.
    /// </summary>
    /// <param name="covariates">(name, values) pairs.</param>
    /// <exception cref="DimensionMismatchException">A matrix is not N×T.</exception>
    /// <exception cref="DuplicateLabelException">A name repeats, or is already a covariate.</exception>
    /// <exception cref="NonFiniteOutcomeException">A covariate is NaN or infinite where the outcome is observed.</exception>
    public PanelData WithCovariates(params (string Name, double[,] Values)[] covariates)
    {
        ArgumentNullException.ThrowIfNull(covariates);
        var all = new Dictionary<string, OutcomeMatrix>(_covariates, StringComparer.Ordinal);
        foreach (var (name, values) in covariates)
        {
            ArgumentNullException.ThrowIfNull(values);
            if (string.IsNullOrWhiteSpace(name))
                throw new InvalidValueException("A covariate has an empty name. Name every covariate.");
            if (values.GetLength(0) != UnitCount || values.GetLength(1) != PeriodCount)
                throw new DimensionMismatchException($"Covariate '{name}' is {values.GetLength(0)}×{values.GetLength(1)} but the panel is {UnitCount}×{PeriodCount} (units × periods).");
            if (!all.TryAdd(name, new OutcomeMatrix(values)))
                throw new DuplicateLabelException($"Covariate '{name}' is given twice. Give each covariate a distinct name.");
            var bad = new List<(int, int)>();
            for (var i = 0; i < UnitCount; i++)
                for (var t = 0; t < PeriodCount; t++)
                    if (Outcomes.IsObserved(i, t) && !double.IsFinite(values[i, t])) bad.Add((i, t));
            if (bad.Count > 0)
                throw new NonFiniteOutcomeException(
                    $"Covariate '{name}' is missing or infinite at {Cells(bad)}, where the outcome is observed. Fill these values or drop the cells.",
                    bad.Select(c => _units[c.Item1]).Distinct().ToList(), bad.Select(c => _periods[c.Item2]).Distinct().ToList());
        }
        return new PanelData(Outcomes, Treatment, _units, _periods) { _covariates = all };
    }
}
