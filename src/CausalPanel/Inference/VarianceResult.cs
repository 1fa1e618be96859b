using System.Globalization;
using System.Text;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace CausalPanel;

/// <summary>A confidence interval.</summary>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
/// <param name="Level">Coverage level, e.g. 0.95.</param>
/// <param name="Method">How it was formed ("normal", "Student t (k df)", "placebo quantiles").</param>
public readonly record struct ConfidenceInterval(double Lower, double Upper, double Level, string Method)
{
    /// <summary>"95% CI [−33.9703, 2.76267] (normal)".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Level * 100:0.##}% CI [{SummaryText.Number(Lower)}, {SummaryText.Number(Upper)}] ({Method})");
}

/// <summary>
/// What a variance method returns: the standard error of the point estimate, the interval and
/// p-value it implies, and the replicate estimates behind it. When the method is undefined for the
/// design (like R's NA, e.g. a bootstrap with one treated unit) <see cref="IsDefined"/> is false,
/// <see cref="UndefinedReason"/> says why, and the numeric fields are NaN.
/// </summary>
[TypeFormatterSource(typeof(NotebookFormatterSource))]
public sealed record VarianceResult
{
    /// <summary>Name of the variance method.</summary>
    public required string Method { get; init; }

    /// <summary>The variance the method targets.</summary>
    public required VarianceTarget Target { get; init; }

    /// <summary>The point estimate (ATT) the standard error belongs to.</summary>
    public required double Estimate { get; init; }

    /// <summary>False when the method is undefined for this panel; see <see cref="UndefinedReason"/>.</summary>
    public bool IsDefined { get; init; } = true;

    /// <summary>Why the method is undefined (null when defined).</summary>
    public string? UndefinedReason { get; init; }

    /// <summary>The standard error (NaN when undefined).</summary>
    public double StandardError { get; init; } = double.NaN;

    /// <summary>The variance, StandardError².</summary>
    public double Variance => StandardError * StandardError;

    /// <summary>
    /// Estimate ± q·SE at <see cref="ConfidenceLevel"/>, q the normal quantile, or the Student-t one with
    /// <see cref="DegreesOfFreedom"/> when the SE rests on few replicates.
    /// </summary>
    public ConfidenceInterval ConfidenceInterval
    {
        get
        {
            var p = 0.5 + ConfidenceLevel / 2;
            var q = DegreesOfFreedom is { } df ? StudentT.InvCDF(0, 1, df, p) : Normal.InvCDF(0, 1, p);
            return new ConfidenceInterval(Estimate - q * StandardError, Estimate + q * StandardError, ConfidenceLevel, DegreesOfFreedom is { } d ? $"Student t ({d.ToString("0.#", CultureInfo.InvariantCulture)} df)" : "normal");
        }
    }

    /// <summary>Two-sided p-value for a zero effect (normal, or Student t with <see cref="DegreesOfFreedom"/>).</summary>
    public double PValue
    {
        get
        {
            var z = Math.Abs(Estimate / StandardError);
            return 2 * (1 - (DegreesOfFreedom is { } df ? StudentT.CDF(0, 1, df, z) : Normal.CDF(0, 1, z)));
        }
    }

    /// <summary>
    /// True when <see cref="Replicates"/> are placebo effects, draws of the estimator's error under no
    /// effect (unit, time and unit×time placebos), so <see cref="PlaceboInterval"/> and
    /// <see cref="PlaceboPValue"/> are defined.
    /// </summary>
    public bool ReplicatesArePlaceboEffects { get; init; }

    /// <summary>
    /// The placebo-quantile interval [τ̂ − q(1 − α/2), τ̂ − q(α/2)], q the quantiles (R type 7) of the
    /// placebo effects: no normality assumed, so it suits the few, skewed placebos of conditional methods
    /// (spec §3.4). Null unless <see cref="ReplicatesArePlaceboEffects"/>.
    /// </summary>
    public ConfidenceInterval? PlaceboInterval
    {
        get
        {
            if (!ReplicatesArePlaceboEffects || !IsDefined || Replicates.Count == 0) return null;
            var sorted = Replicates.Order().ToArray();
            var alpha = 1 - ConfidenceLevel;
            return new ConfidenceInterval(
                Estimate - SortedArrayStatistics.QuantileCustom(sorted, 1 - alpha / 2, QuantileDefinition.R7),
                Estimate - SortedArrayStatistics.QuantileCustom(sorted, alpha / 2, QuantileDefinition.R7),
                ConfidenceLevel, "placebo quantiles");
        }
    }

    /// <summary>
    /// The placebo rank p-value for a zero effect, (1 + #{b : |τ̂_b| ≥ |τ̂|}) / (B + 1) (Abadie, Diamond
    /// and Hainmueller 2010, §2.4 in-space placebo inference). Null unless <see cref="ReplicatesArePlaceboEffects"/>.
    /// </summary>
    public double? PlaceboPValue => ReplicatesArePlaceboEffects && IsDefined && Replicates.Count > 0
        ? (1.0 + Replicates.Count(r => Math.Abs(r) >= Math.Abs(Estimate))) / (Replicates.Count + 1)
        : null;

    /// <summary>Degrees of freedom of a Student-t interval (null = normal interval).</summary>
    public double? DegreesOfFreedom { get; init; }

    /// <summary>
    /// Coverage level of <see cref="ConfidenceInterval"/> and <see cref="PlaceboInterval"/>, strictly between 0 and 1.
    /// Default 0.95; for 90% intervals: <c>fit.WithVariance(method) with { ConfidenceLevel = 0.9 }</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A level not strictly between 0 and 1 (e.g. 90 for 90%).</exception>
    public double ConfidenceLevel
    {
        get;
        init => field = value is > 0 and < 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), value, "ConfidenceLevel must be between 0 and 1 (0.9 for 90% intervals).");
    } = 0.95;

    /// <summary>The replicate estimates (placebo, bootstrap or leave-one-out ATTs), in replicate order.</summary>
    public IReadOnlyList<double> Replicates { get; init; } = [];

    /// <summary>
    /// The standard error of the effect at each event time (0 = first treated period), from the same
    /// replicates and with the same formula as <see cref="StandardError"/>; empty when the method has no replicates
    /// (regression, the two-way combination). A view of what <c>fit.EventStudy(method)</c> gives with leads, intervals
    /// and a simultaneous band (<see cref="EventStudyResult"/>).
    /// </summary>
    public IReadOnlyDictionary<int, double> EventTimeStandardErrors { get; init; } = new Dictionary<int, double>();

    /// <summary>What each replicate was (e.g. the placebo-treated units, the unit left out).</summary>
    public IReadOnlyList<string> ReplicateLabels { get; init; } = [];

    /// <summary>Replications asked for.</summary>
    public int RequestedReplications { get; init; }

    /// <summary>Replications that produced an estimate.</summary>
    public int ValidReplications => Replicates.Count;

    /// <summary>Draws discarded and redrawn (e.g. bootstrap samples without a control or a treated unit).</summary>
    public int DiscardedReplications { get; init; }

    /// <summary>The seed of the replicate streams (null for deterministic methods).</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// What to keep in mind about this standard error beyond its numbers (printed by <see cref="ToString"/> as a line
    /// "caveat: …"), e.g. that the method is an experimental construction of ours; null when there is nothing to add.
    /// </summary>
    public string? Caveat { get; init; }

    /// <summary>The <see cref="Caveat"/> of the variances conditional on units and periods, which are our constructions.</summary>
    internal const string ConditionalOnBothCaveat =
        "experimental: our reconstruction of the variance conditional on units and periods (Almeida, Athey, Imbens, Lestant and Olaizola 2025), not the paper's formula; see docs/simulations/heteroskedasticity.md";

    /// <summary>
    /// A compact summary: the method and what it targets, the ATT, SE, interval and p-value (and the
    /// placebo-quantile ones when the replicates are placebo effects), the replicates behind them, and a line
    /// per component of a combined method; or, when undefined, why; then the <see cref="Caveat"/>, if any.
    /// </summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var target = Target switch
        {
            VarianceTarget.Marginal => "marginal",
            VarianceTarget.ConditionalOnUnits => "conditional on units",
            VarianceTarget.ConditionalOnPeriods => "conditional on periods",
            _ => "conditional on units and periods",
        };
        sb.Append(Method);
        if (!Method.Contains(target, StringComparison.OrdinalIgnoreCase)) sb.Append(inv, $" ({target})");
        sb.Append(inv, $": ATT = {SummaryText.Number(Estimate)}");
        if (!IsDefined)
            sb.Append(inv, $", standard error undefined — {UndefinedReason}");
        else
        {
            sb.Append(inv, $", SE = {SummaryText.Number(StandardError)}, {ConfidenceInterval}, {SummaryText.PValue(PValue)}");
            if (ValidReplications > 0)
                sb.Append(inv, $"; {ValidReplications}{(RequestedReplications > 0 && RequestedReplications != ValidReplications ? $" of {RequestedReplications}" : "")} replicates");
            if (DiscardedReplications > 0) sb.Append(inv, $" ({DiscardedReplications} draws discarded and redrawn)");
            if (PlaceboInterval is { } placebo)
                sb.Append(inv, $"{Environment.NewLine}  {placebo}, placebo rank {SummaryText.PValue(PlaceboPValue!.Value)}");
        }
        if (Caveat is not null) sb.Append(inv, $"{Environment.NewLine}  caveat: {Caveat}");
        return sb.ToString();
    }

    internal static VarianceResult Undefined(string method, VarianceTarget target, double estimate, string reason, int requested = 0) =>
        new() { Method = method, Target = target, Estimate = estimate, IsDefined = false, UndefinedReason = reason, RequestedReplications = requested };
}
