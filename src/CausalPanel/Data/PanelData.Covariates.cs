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
        var flat = new (string, double[])[covariates.Length];
        for (var c = 0; c < covariates.Length; c++)
        {
            var (name, values) = covariates[c];
            ArgumentNullException.ThrowIfNull(values);
            if (values.GetLength(0) != UnitCount || values.GetLength(1) != PeriodCount)
                throw new DimensionMismatchException($"Covariate '{name}' is {values.GetLength(0)}×{values.GetLength(1)} but the panel is {UnitCount}×{PeriodCount} (units × periods).");
            flat[c] = (name, RowMajor.Flatten(values));
        }
        return new PanelData(Outcomes, Treatment, _units, _periods)
        {
            _covariates = AddCovariates(flat),
            PeriodOrdering = PeriodOrdering,
            Notes = Notes,
            OutcomeName = OutcomeName,
            Clusters = Clusters,
        };
    }

    /// <summary>The covariates with row-major N×T <paramref name="covariates"/> (handed over, not copied) added, checked.</summary>
    private Dictionary<string, OutcomeMatrix> AddCovariates((string Name, double[] RowMajor)[] covariates)
    {
        var all = new Dictionary<string, OutcomeMatrix>(_covariates, StringComparer.Ordinal);
        var y = Outcomes.Values;
        foreach (var (name, values) in covariates)
        {
            if (string.IsNullOrWhiteSpace(name))
                throw new InvalidValueException("A covariate has an empty name. Name every covariate.");
            if (!all.TryAdd(name, new OutcomeMatrix(values, UnitCount, PeriodCount)))
                throw new DuplicateLabelException($"Covariate '{name}' is given twice. Give each covariate a distinct name.");
            var bad = new List<(int, int)>();
            for (var k = 0; k < values.Length; k++)
                if (!double.IsNaN(y[k]) && !double.IsFinite(values[k])) bad.Add((k / PeriodCount, k % PeriodCount));
            if (bad.Count > 0)
                throw new NonFiniteOutcomeException(
                    $"Covariate '{name}' is missing or infinite at {Cells(bad)}, where the outcome is observed. Fill these values or drop the cells.",
                    bad.Select(c => _units[c.Item1]).Distinct().ToList(), bad.Select(c => _periods[c.Item2]).Distinct().ToList());
        }
        return all;
    }
}
