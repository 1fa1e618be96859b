using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>One point of the cross-validation curve.</summary>
/// <param name="Lambda">The penalty λ.</param>
/// <param name="Rmse">√(mean over folds of the validation MSE).</param>
public readonly record struct CrossValidationPoint(double Lambda, double Rmse);

/// <summary>The result of <see cref="MatrixCompletion"/>: the common result plus the fitted decomposition and the tuning.</summary>
public sealed record MatrixCompletionResult : EstimationResult
{
    internal MatrixCompletionResult(string estimator, PanelData data, IEnumerable<(int, int, double)> counterfactuals)
        : base(estimator, data, counterfactuals) { }

    /// <summary>The chosen (or given) penalty λ.</summary>
    public required double Lambda { get; init; }

    /// <summary>The cross-validation curve over the λ grid (empty when λ was given).</summary>
    public required IReadOnlyList<CrossValidationPoint> CrossValidation { get; init; }

    /// <summary>The low-rank part L̂ (units × periods, panel order).</summary>
    public required double[,] LowRank { get; init; }

    /// <summary>Rank of L̂.</summary>
    public required int Rank { get; init; }

    /// <summary>Unit effects û (panel order).</summary>
    public required IReadOnlyList<double> UnitEffects { get; init; }

    /// <summary>Period effects v̂.</summary>
    public required IReadOnlyList<double> PeriodEffects { get; init; }

    /// <summary>
    /// β̂ per covariate of <see cref="PanelData.Covariates"/>, in the covariate's and the outcome's units: the fitted
    /// untreated outcome is L̂_it + û_i + v̂_t + Σ_k β̂_k X_kit (Athey et al. 2021, JASA, §8). Empty without covariates.
    /// </summary>
    public IReadOnlyDictionary<string, double> CovariateCoefficients { get; init; } = new Dictionary<string, double>();

    /// <summary>The fitted untreated outcome L̂_it + û_i + v̂_t (+ Σ_k β̂_k X_kit) of any observed cell.</summary>
    public double Fitted(int unit, int period) => LowRank[unit, period] + UnitEffects[unit] + PeriodEffects[period]
        + CovariateCoefficients.Sum(c => c.Value * Data.Covariates[c.Key][unit, period]);

    /// <summary>
    /// Leave-one-period-out leads (<see cref="HeldOutLeads"/>): lead −k refits MC-NNM at this fit's λ (not cross-validated
    /// again) to the fit cells less every treated unit's cell at event time −k − Anticipation, and averages Y − L̂ − û − v̂ over
    /// those cells (R <c>fect</c>'s placebo test, Liu, Wang and Xu 2024, §4.1, with <c>method = "mc"</c>).
    /// </summary>
    internal override IReadOnlyList<LeadEffect> LeadEffects(int count, CancellationToken ct)
    {
        var estimator = Source as MatrixCompletion ?? throw new InvalidOperationException($"This {Estimator} result does not record its estimator; leads refit it.");
        return HeldOutLeads.Compute(Data, count, Anticipation, (training, cells, token) =>
        {
            var fit = estimator.Fit(Data, training, Lambda, token);
            return cells.Select(c => (double?)fit.Fitted(c.I, c.T)).ToArray();
        }, ct);
    }

    /// <summary>
    /// Replicates keep this fit's λ and start from its L̂, û, v̂ (<see cref="NuclearNormCrossValidation.FromStart"/>), unless
    /// <see cref="MatrixCompletionOptions.RetuneLambdaInReplicates"/> asks for cross-validation on every replicate panel.
    /// </summary>
    internal override IEstimator ForReplicate(IReadOnlyList<int>? controls, bool fixWeights)
    {
        var estimator = Source as MatrixCompletion ?? throw new InvalidOperationException($"This {Estimator} result does not record its estimator; variance methods need it.");
        return estimator.Options.RetuneLambdaInReplicates ? estimator : estimator.StartingFrom(this);
    }

    /// <summary>λ and how it was chosen, the rank of L̂ and the covariate coefficients.</summary>
    private protected override void AppendDetails(System.Text.StringBuilder sb)
    {
        var how = CrossValidation.Count == 0 ? "given"
            : $"chosen by cross-validation over {CrossValidation.Count} values, RMSE {SummaryText.Number(CrossValidation.Min(p => p.Rmse))}";
        sb.AppendLine($"  λ = {SummaryText.Number(Lambda)} ({how}); rank of L̂ = {Rank}");
        SummaryText.AppendCoefficients(sb, "  ", "β̂", CovariateCoefficients);
    }
}
