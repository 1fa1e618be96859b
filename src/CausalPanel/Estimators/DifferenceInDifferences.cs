using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// Difference-in-differences in imputation form: fit unit and period effects α_i + β_t by least
/// squares on the untreated observed cells, impute Ŷ_it(0) = α̂_i + β̂_t for every treated cell and
/// average Y_it − Ŷ_it(0) (Borusyak, Jaravel and Spiess 2024, REStud, Eq. 4–5; Gardner 2022).
/// On a balanced block design it equals the two-way fixed-effects coefficient, the 2×2 difference of
/// means and R <c>synthdid::did_estimate</c> (Arkhangelsky et al. 2021, AER, Eq. 1 with uniform
/// weights). Staggered and switching designs and unobserved cells are handled; each treated cell's
/// counterfactual must be identified (see <see cref="NotIdentifiedException"/>).
/// </summary>
public sealed class DifferenceInDifferences : IEstimator
{
    /// <inheritdoc/>
    public string Name => "DiD";

    /// <inheritdoc cref="IEstimator.Estimate"/>
    public DifferenceInDifferencesResult Estimate(PanelData data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ct.ThrowIfCancellationRequested();
        PanelRequirements.RequireEstimable(data, Name);

        int n = data.UnitCount, t = data.PeriodCount;
        var y = data.Outcomes.Values;
        var w = new double[n * t];
        for (var k = 0; k < w.Length; k++)
            w[k] = !data.Treatment.Values[k] && !double.IsNaN(y[k]) ? 1 : 0;
        var alpha = new double[n];
        var beta = new double[t];
        var component = new int[n + t];
        TwoWayFixedEffects.Fit(y, w, n, t, alpha, beta, component);
        PanelRequirements.RequireIdentified(data, Name, component);

        var treated = new List<(int, int, double)>(data.Treatment.TreatedCount);
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                if (data.Treatment[i, s]) treated.Add((i, s, alpha[i] + beta[s]));

        return new DifferenceInDifferencesResult(Name, data, treated, alpha, beta)
        {
            Trajectory = Trajectories.OfFit(data, (i, s) => component[i] == component[n + s] ? alpha[i] + beta[s] : null),
            Diagnostics = new SolverDiagnostics("weighted two-way fixed effects, Cholesky (exact)", 1, true),
        };
    }

    EstimationResult IEstimator.Estimate(PanelData data, CancellationToken ct) => Estimate(data, ct);
}

/// <summary>The result of <see cref="DifferenceInDifferences"/>: the common result plus the fitted fixed effects.</summary>
public sealed record DifferenceInDifferencesResult : EstimationResult
{
    internal DifferenceInDifferencesResult(string estimator, PanelData data, IEnumerable<(int, int, double)> counterfactuals,
        double[] unitEffects, double[] periodEffects)
        : base(estimator, data, counterfactuals)
    {
        UnitFixedEffects = unitEffects;
        PeriodFixedEffects = periodEffects;
    }

    /// <summary>α̂_i for each unit (row order of <see cref="PanelData.Units"/>); 0 for a unit with no untreated cell.</summary>
    public IReadOnlyList<double> UnitFixedEffects { get; }

    /// <summary>β̂_t for each period, normalised to sum to zero over the periods linked by untreated cells.</summary>
    public IReadOnlyList<double> PeriodFixedEffects { get; }
}
