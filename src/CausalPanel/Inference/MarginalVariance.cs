namespace CausalPanel;

/// <summary>
/// The marginal variance, over draws of both the unit and the period. With
/// <see cref="Approach"/> = <see cref="VarianceApproach.Regression"/> it is the homoskedastic residual
/// plug-in (<see cref="RegressionVariance"/>, one fit, linear estimators). By default it is the unit×time placebo (Doudchenko and Imbens' third placebo type; spec §3.3b and
/// §4.3, our reading of Almeida et al. 2025): drop the treated units; in each replication give N1 random
/// never-treated units a placebo treatment over a random T1-period window of the pre-period (keeping the
/// periods up to the window's end) and re-estimate; V̂ = mean of the squared placebo effects (uncentred:
/// they are 0 by construction). Targets the variance over draws of both the unit and the period.
/// Block designs; needs N0 &gt; N1 and T0 ≥ T1 + <see cref="MinPrePeriods"/> (+ k for a fit with an anticipation window of
/// k periods, which every placebo window then has before it).
/// </summary>
public sealed record MarginalVariance : VarianceMethod
{
    /// <summary>Placebo (default, any estimator) or regression plug-in (DiD, SC, DIFP, SDID, DWCP at λ_nuclear = ∞).</summary>
    public VarianceApproach Approach { get; init; }

    /// <summary>Replications. Default 200.</summary>
    public int Replications { get; init; } = 200;

    /// <summary>Seed of the per-replicate random streams.</summary>
    public int Seed { get; init; }

    /// <inheritdoc/>
    internal override VarianceMethod Reseeded(int seed) => this with { Seed = seed };

    /// <summary>Untreated periods required before each placebo window. Default 2.</summary>
    public int MinPrePeriods { get; init; } = 2;

    /// <summary>
    /// Replaces the random draws: given the replicate index, the placebo units (indices among the
    /// never-treated units in panel order, N1 of them) and the first placebo period (column).
    /// </summary>
    public Func<int, (IReadOnlyList<int> Units, int Start)>? Draws { get; init; }

    /// <inheritdoc/>
    public override string Name => Approach == VarianceApproach.Regression ? "Regression (homoskedastic)" : "Unit×time placebo";

    /// <inheritdoc/>
    public override VarianceTarget Target => VarianceTarget.Marginal;

    /// <inheritdoc/>
    protected override VarianceResult Compute(EstimationResult fit, CancellationToken ct) =>
        Approach == VarianceApproach.Regression ? new RegressionVariance { On = Target }.Estimate(fit, ct) : base.Compute(fit, ct);

    private protected override ReplicateSet ReplicateCore(EstimationResult fit, ReplicateStatistic statistic, CancellationToken ct)
    {
        if (Approach == VarianceApproach.Regression) return base.ReplicateCore(fit, statistic, ct);
        Replicates.Validate(Replications, MaxDegreeOfParallelism);
        if ((Replicates.BlockDesignProblem(fit, Name) ?? Replicates.UnitPlaceboProblem(fit, Name)) is { } problem)
            return ReplicateSet.Undefined(this, problem, Replications);
        var data = fit.Data;
        var p = data.Pattern;
        var controls = p.NeverTreatedUnitIndices;
        int n0 = controls.Count, n1 = p.TreatedUnitCount, t0 = p.Cohorts[0].PeriodIndex, t1 = data.PeriodCount - t0, k = fit.Anticipation;
        var windows = t0 - t1 - MinPrePeriods - k + 1;   // each placebo window has the fit's anticipation window before it
        if (windows < 1)
            return ReplicateSet.Undefined(this, k == 0
                ? $"the unit×time placebo needs T0 ≥ T1 + MinPrePeriods, but T0 = {t0}, T1 = {t1}, MinPrePeriods = {MinPrePeriods}."
                : $"the unit×time placebo needs T0 ≥ T1 + MinPrePeriods + k with the anticipation window of k periods before each placebo window, but T0 = {t0}, T1 = {t1}, MinPrePeriods = {MinPrePeriods}, k = {k}.", Replications);

        var estimator = fit.ForReplicate(null, fixWeights: false);
        var draws = RunReplicates(fit, statistic, Replications, null, Draws is null ? null : nameof(Draws), (b, ct) =>
        {
            IReadOnlyList<int> units;
            int start;
            if (Draws is not null) (units, start) = Draws(b);
            else
            {
                var random = Replicates.Stream(Seed, b);
                var order = Enumerable.Range(0, n0).ToArray();
                random.Shuffle(order);
                (units, start) = (order[..n1], MinPrePeriods + k + random.Next(windows));
            }
            var placebo = new HashSet<int>(units);
            var end = start + t1;
            var y = new double[n0, end];
            var w = new bool[n0, end];
            for (var r = 0; r < n0; r++)
                for (var s = 0; s < end; s++)
                {
                    y[r, s] = data.Outcomes[controls[r], s];
                    w[r, s] = placebo.Contains(r) && s >= start;
                }
            var panel = PanelData.FromMatrices(y, w, controls.Select(i => data.Units[i]), data.Periods.Take(end), data.OutcomeName);
            var label = $"{string.Join("+", units.Select(r => data.Units[controls[r]]))} from {data.Periods[start]}";
            return ReplicateStatistic.Item(statistic.Of(estimator.Estimate(panel, ct), ct, shift: t0 - start), label);
        }, ct);

        return new ReplicateSet
        {
            Method = Name, Target = Target, Spread = ReplicateSpread.Uncentred, ArePlaceboEffects = true, Seed = Draws is null ? Seed : null,
            Values = draws.Select(ReplicateStatistic.Value).ToArray(), Labels = draws.Select(d => d.Label!).ToArray(), Requested = Replications,
        };
    }
}
