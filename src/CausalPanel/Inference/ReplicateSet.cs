namespace CausalPanel;

/// <summary>How a variance method turns its replicates into a standard error.</summary>
internal enum ReplicateSpread
{
    /// <summary>√(mean (x − x̄)²), R synthdid's √((B − 1)/B)·sd: bootstrap and unit placebo.</summary>
    Centred,

    /// <summary>√((n − 1)/n · Σ (x − x̄)²): the leave-one-out jackknife.</summary>
    Jackknife,

    /// <summary>√(mean x²): placebo effects that are 0 by construction (time and unit×time placebos).</summary>
    Uncentred,
}

/// <summary>
/// What one replicate computes from its replicate fit: the ATT, the cohort × period grid (<see cref="EffectGrid"/>) and, when the
/// statistic asks for them (<see cref="ReplicateStatistic.PeriodScales"/>), the fit's unit coefficients, by replicate panel row
/// (null when not asked for or the estimator is not linear).
/// </summary>
internal readonly record struct ReplicateValue(double Att, EffectGrid Grid, IReadOnlyList<double>? Coefficients = null);

/// <summary>
/// The statistic every replicate computes, through one hook for every method: the replicate fit's ATT and its
/// <see cref="EffectGrid"/> with <see cref="Leads"/> leads (0 for a variance of the ATT alone, which needs no refits), for
/// SC, DIFP and SDID as the definition given defines them — so a replicate's leads are the event study's own — and, with
/// <see cref="PeriodScales"/>, the replicate fit's unit coefficients (<see cref="UnitCoefficients"/>).
/// </summary>
internal sealed class ReplicateStatistic(int leads, SyntheticLeads definition = SyntheticLeads.WeightGap, double[]? periodScales = null)
{
    /// <summary>The ATT and the treated cells' grid (no leads).</summary>
    public static ReplicateStatistic Att { get; } = new(0);

    /// <summary>Leads each replicate computes.</summary>
    public int Leads => leads;

    /// <summary>How SC, DIFP and SDID leads are defined.</summary>
    public SyntheticLeads Definition => definition;

    /// <summary>Period noise scales b²_t under which each replicate also computes its unit coefficients; null when it does not.</summary>
    public double[]? PeriodScales => periodScales;

    /// <summary>"ATT and grid, 3 leads (WeightGap)": what a replicate computes, for a job's description.</summary>
    public override string ToString() => $"ATT and grid, {leads} leads ({definition})"
        + (periodScales is null ? "" : $", unit coefficients under period scales {string.Join(" ", periodScales.Select(b => BitConverter.DoubleToInt64Bits(b).ToString("x16")))}");

    /// <summary>A replicate's value as a work item's result.</summary>
    public static WorkItemResult Item(ReplicateValue value, string? label = null, int discarded = 0) => new()
    {
        Index = 0, Att = value.Att, Label = label, Discarded = discarded, UnitCoefficients = value.Coefficients,
        Grid = value.Grid.Entries.Select(e => new WorkGridCell(e.Cohort, e.Period, e.Effect, e.Cells)).ToArray(),
    };

    /// <summary>A work item's result as a replicate's value (its grid must be present).</summary>
    public static ReplicateValue Value(WorkItemResult item) =>
        new(item.Att, EffectGrid.From(item.Grid!.Select(c => new LeadEffect(c.Cohort, c.Period, c.Effect, c.Cells)).ToArray()), item.UnitCoefficients);

    /// <summary>
    /// The statistic of <paramref name="replicate"/>, its grid moved by <paramref name="shift"/> columns (a time placebo's
    /// window aligned with the real adoption).
    /// </summary>
    public ReplicateValue Of(EstimationResult replicate, CancellationToken ct, int shift = 0) =>
        new(replicate.Att, EffectGrid.Of(replicate, leads, definition, ct).Shifted(shift),
            periodScales is null ? null : UnitCoefficients(replicate, periodScales));

    /// <summary>
    /// The unit coefficients s_i of a fit that is linear in the outcomes once its weights are held at their fitted values
    /// (ATT = Σ_it c_it Y_it, <see cref="EstimationResult.LinearWeights"/>): s_i = ±√(Σ_t c²_it b²_t), signed as Σ_t c_it over the
    /// periods from the first adoption on (+ for treated units, − for the controls they are compared with). Under independent
    /// noise of variance a²_i b²_t the ATT's variance is Σ_i s²_i a²_i, and the covariance of two such fits' ATTs is Σ_i s_i s'_i a²_i
    /// when their period profiles agree (exact for DiD, SC and DIFP on one adoption date, whose c_it = u_i v_t share v; an
    /// approximation where the time weights are refitted, SDID, or c is not of rank one, DWCP). Null when the fit is not linear.
    /// </summary>
    public static double[]? UnitCoefficients(EstimationResult fit, double[] periodScales)
    {
        if (fit.LinearWeights() is not { } c) return null;
        int n = fit.Data.UnitCount, t = fit.Data.PeriodCount;
        if (periodScales.Length != t) throw new ArgumentException($"{periodScales.Length} period scales for a panel of {t} periods.", nameof(periodScales));
        var first = fit.Data.Pattern.Cohorts.Count == 0 ? t : fit.Data.Pattern.Cohorts[0].PeriodIndex;
        var s = new double[n];
        for (var i = 0; i < n; i++)
        {
            double squares = 0, post = 0;
            for (var k = 0; k < t; k++)
            {
                var w = c[i * t + k];
                squares += w * w * periodScales[k];
                if (k >= first) post += w;
            }
            s[i] = post < 0 ? -Math.Sqrt(squares) : Math.Sqrt(squares);
        }
        return s;
    }
}

/// <summary>
/// A variance method's replicates of a <see cref="ReplicateStatistic"/>, with what turns them into standard errors (the
/// spread, the Student-t degrees of freedom) and what a result reports about them; or, when the method is undefined
/// for the design or has no replicates, why.
/// </summary>
internal sealed record ReplicateSet
{
    /// <summary>Name of the method.</summary>
    public required string Method { get; init; }

    /// <summary>The variance the method targets.</summary>
    public required VarianceTarget Target { get; init; }

    /// <summary>Why there are no replicates (null when there are).</summary>
    public string? UndefinedReason { get; init; }

    /// <summary>One value per replicate, in replicate order.</summary>
    public IReadOnlyList<ReplicateValue> Values { get; init; } = [];

    /// <summary>What each replicate was.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>How the replicates become a standard error.</summary>
    public ReplicateSpread Spread { get; init; }

    /// <summary>Degrees of freedom of Student-t intervals (null = normal).</summary>
    public double? DegreesOfFreedom { get; init; }

    /// <summary>True when the replicates are placebo effects (0 by construction).</summary>
    public bool ArePlaceboEffects { get; init; }

    /// <summary>The seed of the replicate streams (null for deterministic methods).</summary>
    public int? Seed { get; init; }

    /// <summary>Replications asked for.</summary>
    public int Requested { get; init; }

    /// <summary>Draws discarded and redrawn.</summary>
    public int Discarded { get; init; }

    /// <summary>A set without replicates, saying why.</summary>
    public static ReplicateSet Undefined(IVarianceEstimator method, string reason, int requested = 0) =>
        new() { Method = method.Name, Target = method.Target, UndefinedReason = reason, Requested = requested };

    /// <summary>
    /// The spread of <paramref name="draws"/> (NaN entries, replicates without the quantity, left out) by
    /// <see cref="Spread"/>; NaN with fewer than two.
    /// </summary>
    public double StandardError(IEnumerable<double> draws)
    {
        var x = draws.Where(d => !double.IsNaN(d)).ToArray();
        if (x.Length < 2) return double.NaN;
        if (Spread == ReplicateSpread.Uncentred) return Math.Sqrt(x.Average(v => v * v));
        var mean = x.Average();
        var squares = x.Sum(v => (v - mean) * (v - mean));
        return Math.Sqrt(Spread == ReplicateSpread.Jackknife ? (x.Length - 1.0) / x.Length * squares : squares / x.Length);
    }

    /// <summary>
    /// The variance of the fit's ATT these replicates give, with the standard error of each event time after adoption
    /// from the same replicates and formula (<see cref="VarianceResult.EventTimeStandardErrors"/>).
    /// </summary>
    public VarianceResult ToVarianceResult(EstimationResult fit)
    {
        if (UndefinedReason is not null) return VarianceResult.Undefined(Method, Target, fit.Att, UndefinedReason, Requested);
        var estimates = Values.Select(v => v.Att).ToArray();
        var eventTimes = new Dictionary<int, double>();
        foreach (var e in fit.EffectsByEventTime)
            if (StandardError(Values.Select(v => v.Grid.Mean((g, t) => t - g == e.EventTime).Effect)) is var se && !double.IsNaN(se))
                eventTimes[e.EventTime] = se;
        return new VarianceResult
        {
            Method = Method, Target = Target, Estimate = fit.Att, Seed = Seed,
            StandardError = StandardError(estimates), DegreesOfFreedom = DegreesOfFreedom, ReplicatesArePlaceboEffects = ArePlaceboEffects,
            Replicates = estimates, ReplicateLabels = Labels, RequestedReplications = Requested, DiscardedReplications = Discarded,
            EventTimeStandardErrors = eventTimes,
        };
    }
}
