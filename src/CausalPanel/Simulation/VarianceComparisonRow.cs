using System.Globalization;
using System.Text;

namespace CausalPanel;

/// <summary>One variance method for one estimator on one design: size, size by tercile, power, MDE and interval length.</summary>
public sealed record VarianceComparisonRow
{
    /// <summary>The design's name.</summary>
    public required string Design { get; init; }

    /// <summary>The estimator's name.</summary>
    public required string Estimator { get; init; }

    /// <summary>The variance method's name.</summary>
    public required string Method { get; init; }

    /// <summary>Share of the intervals excluding 0 under a true effect of 0, over the replications where the method was defined (NaN when it never was).</summary>
    public required double Size { get; init; }

    /// <summary>The size within the replications whose treated cells' noise scale (root mean square of σ_it) is in the lowest, middle and highest third.</summary>
    public required IReadOnlyList<double> SizeByTercile { get; init; }

    /// <summary>Replications with a defined interval under a zero effect in each tercile.</summary>
    public required IReadOnlyList<int> TercileCounts { get; init; }

    /// <summary>The effect sizes of <see cref="Power"/>.</summary>
    public required IReadOnlyList<double> EffectSizes { get; init; }

    /// <summary>Share of the intervals excluding 0 when each effect size is added to the treated cells.</summary>
    public required IReadOnlyList<double> Power { get; init; }

    /// <summary>
    /// Size-adjusted power at each of <see cref="EffectSizes"/>: the test rejects when |τ̂| exceeds c times the interval's
    /// half-width, c being taken from this method's own zero-effect draws so that its size there is α — c is the
    /// (n − ⌊αn⌋)-th smallest of the n ratios |τ̂_b|/h_b, so ⌊αn⌋ of the null draws reject (exactly α at n = 1000, without
    /// ties) — and the power is the share of the draws with each effect (the shifted ones with
    /// <see cref="VarianceComparison.PowerFromShift"/>) that reject at that c. It compares methods at equal size: a method that
    /// over-rejects (somewhere) no longer gains power from it, one that under-rejects no longer loses it (the standard
    /// size-corrected power of Monte-Carlo studies). It is not a test a user can run, since c needs the true null distribution.
    /// </summary>
    public required IReadOnlyList<double> SizeAdjustedPower { get; init; }

    /// <summary>
    /// The smallest effect detected with probability 0.8 (null when none of the effect sizes reaches 0.8 and the shift below
    /// does not apply). When, in every replication and at every effect size, the effect shifted the estimate by exactly the
    /// effect and left the interval's width unchanged (so it is for the placebo and regression methods, which never read the
    /// treated cells' outcomes), the exact MDE of the shifted null draws (<see cref="MdeIsExact"/>); otherwise the linear
    /// interpolation of the power curve through (0, size) and the effect sizes. Also null when the method rejects at least
    /// 80% of the time at zero effect, where a detectable effect means nothing (<see cref="MdeWithheld"/>).
    /// </summary>
    public double? MinimumDetectableEffect { get; init; }

    /// <summary>
    /// True when <see cref="MinimumDetectableEffect"/> is null because the size is at least 0.8: the method already "detects"
    /// a zero effect that often, so the smallest effect it detects with probability 0.8 would be 0.
    /// </summary>
    public bool MdeWithheld => Size >= 0.8;

    /// <summary>True when <see cref="MinimumDetectableEffect"/> comes from the shifted null draws rather than interpolation.</summary>
    public bool MdeIsExact { get; init; }

    /// <summary>Mean length of the intervals under a zero effect.</summary>
    public required double MeanIntervalLength { get; init; }

    /// <summary>Simulated panels of the design.</summary>
    public required int Replications { get; init; }

    /// <summary>Replications with a defined interval under a zero effect.</summary>
    public required int Valid { get; init; }

    /// <summary>Replications (with any effect) where the estimator refused the panel or the method was undefined.</summary>
    public required int Undefined { get; init; }

    /// <summary>The estimator's first refusal message, if any.</summary>
    public string? FirstFailure { get; init; }

    /// <summary>
    /// The estimator's bias: the mean of τ̂ over the zero-effect panels it fitted (the true effect being 0). The same for every
    /// method of the estimator on the design; NaN when it fitted none (or read from a CSV written before it was recorded).
    /// </summary>
    public double Bias { get; init; } = double.NaN;

    /// <summary>The estimator's root mean squared error over the same panels, √(mean τ̂²) (the true effect being 0).</summary>
    public double RootMeanSquaredError { get; init; } = double.NaN;

    /// <summary>
    /// The share of the estimator's mean square error that is structural misfit: mean τ̂₀² / mean τ̂², τ̂₀ the same estimator on the
    /// same replication's panel drawn with <see cref="NoiseModel.None"/> (the same treated units, no noise), over the zero-effect
    /// panels where both fits succeeded. The misfit — e.g. interactive factors the estimator does not remove — is fixed given the
    /// treated units, so a variance of the noise alone cannot cover it: near 1, such a method is not calibrated, and the remedies
    /// are another estimator and a variance that counts the misfit over the assignment (the unit placebo; "conditional on units and
    /// periods", which models each unit's error as noise plus misfit, <see cref="ConditionalVariance"/>). NaN when no panel had both fits.
    /// </summary>
    public double MisfitShare { get; init; } = double.NaN;

    /// <summary>"Unit placebo for DiD on two-way: size 0.052 (0.049 / 0.055 / 0.051 by noise tercile), power 0.81 at 1, MDE 0.97, CI length 2.1; 1000 valid".</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"{Method} for {Estimator} on {Design}: size {Size:F3} ({string.Join(" / ", SizeByTercile.Select(p => p.ToString("F3", inv)))} by noise tercile)");
        for (var k = 0; k < EffectSizes.Count; k++) sb.Append(inv, $", power {Power[k]:F3} at {SummaryText.Number(EffectSizes[k])} ({SizeAdjustedPower[k]:F3} size-adjusted)");
        if (MinimumDetectableEffect is { } mde) sb.Append(inv, $", MDE {SummaryText.Number(mde)}");
        sb.Append(inv, $", CI length {SummaryText.Number(MeanIntervalLength)}; {Valid} valid");
        if (Undefined > 0) sb.Append(inv, $", {Undefined} undefined");
        if (FirstFailure is not null) sb.Append(inv, $" (first refusal: {FirstFailure})");
        return sb.ToString();
    }

    /// <summary>
    /// The row of replications' <paramref name="draws"/> (per replication: the zero-effect test, then one per effect), their treated
    /// noise <paramref name="scales"/> and the estimator's estimates on the noise-free panels (null: unknown).
    /// </summary>
    internal static VarianceComparisonRow From(string design, string estimator, string method, double[] effects, double alpha,
        TestDraw[][] draws, double[] scales, string? failure, double[]? noiseFree = null)
    {
        var r = draws.Length;
        var nulls = draws.Select(d => d[0]).ToArray();
        var fitted = nulls.Select(d => d.Estimate).Where(x => !double.IsNaN(x)).ToArray();
        var both = noiseFree is null ? [] : Enumerable.Range(0, r).Where(b => !double.IsNaN(nulls[b].Estimate) && !double.IsNaN(noiseFree[b])).ToArray();
        var meanSquare = both.Sum(b => nulls[b].Estimate * nulls[b].Estimate);
        var order = Enumerable.Range(0, r).OrderBy(b => scales[b]).ThenBy(b => b).ToArray();
        var third = r / 3;
        int[][] terciles = [order[..third], order[third..^third], order[^third..]];
        double Rate(IEnumerable<TestDraw> set)
        {
            var defined = set.Where(d => d.IsDefined).ToArray();
            return defined.Length == 0 ? double.NaN : defined.Count(d => d.Rejects) / (double)defined.Length;
        }
        var size = Rate(nulls);
        var power = effects.Select((_, k) => Rate(draws.Select(d => d[k + 1]))).ToArray();
        var exact = effects.Length > 0 && ShiftsExactly(draws, effects);
        return new VarianceComparisonRow
        {
            Design = design, Estimator = estimator, Method = method,
            Size = size,
            SizeByTercile = terciles.Select(t => Rate(t.Select(b => nulls[b]))).ToArray(),
            TercileCounts = terciles.Select(t => t.Count(b => nulls[b].IsDefined)).ToArray(),
            EffectSizes = effects, Power = power,
            SizeAdjustedPower = SizeAdjusted(nulls, draws, effects.Length, alpha),
            MinimumDetectableEffect = size >= 0.8 ? null : exact ? ShiftedMde(nulls) : InterpolatedMde(size, effects, power),
            MdeIsExact = exact,
            MeanIntervalLength = nulls.Any(d => d.IsDefined) ? nulls.Where(d => d.IsDefined).Average(d => 2 * d.HalfWidth) : double.NaN,
            Replications = r,
            Valid = nulls.Count(d => d.IsDefined),
            Undefined = draws.Sum(d => d.Count(x => !x.IsDefined)),
            FirstFailure = failure,
            Bias = fitted.Length == 0 ? double.NaN : fitted.Average(),
            RootMeanSquaredError = fitted.Length == 0 ? double.NaN : Math.Sqrt(fitted.Average(x => x * x)),
            MisfitShare = meanSquare > 0 ? both.Sum(b => noiseFree![b] * noiseFree[b]) / meanSquare : double.NaN,
        };
    }

    /// <summary>
    /// <see cref="SizeAdjustedPower"/>: the critical ratio c of the defined null draws with ⌊αn⌋ ratios |τ̂_b|/h_b above it,
    /// then at each effect the share of defined draws with |τ̂| &gt; c·h (NaN without defined null draws).
    /// </summary>
    private static double[] SizeAdjusted(TestDraw[] nulls, TestDraw[][] draws, int effects, double alpha)
    {
        var ratios = nulls.Where(d => d.IsDefined).Select(d => Math.Abs(d.Estimate) / d.HalfWidth).Order().ToArray();
        if (ratios.Length == 0) return [.. Enumerable.Repeat(double.NaN, effects)];
        var critical = ratios[ratios.Length - (int)Math.Floor(alpha * ratios.Length) - 1];
        var power = new double[effects];
        for (var k = 0; k < effects; k++)
        {
            var defined = draws.Select(d => d[k + 1]).Where(d => d.IsDefined).ToArray();
            power[k] = defined.Length == 0 ? double.NaN : defined.Count(d => Math.Abs(d.Estimate) > critical * d.HalfWidth) / (double)defined.Length;
        }
        return power;
    }

    private static bool ShiftsExactly(TestDraw[][] draws, double[] effects)
    {
        foreach (var d in draws)
            for (var k = 0; k < effects.Length; k++)
            {
                if (!d[k + 1].Matches(d[0] with { Estimate = d[0].Estimate + effects[k] })) return false;
            }
        return true;
    }

    /// <summary>
    /// The smallest τ ≥ 0 with power(τ) = share of b with |τ̂_b + τ| &gt; h_b at least 0.8 over the defined null draws. A draw
    /// rejects above u_b = h_b − τ̂_b and below l_b = −h_b − τ̂_b (never both), so power rises only at the u_b: the answer
    /// is 0 or one of them.
    /// </summary>
    private static double? ShiftedMde(TestDraw[] nulls)
    {
        var defined = nulls.Where(d => d.IsDefined).ToArray();
        if (defined.Length == 0) return null;
        var upper = defined.Select(d => d.HalfWidth - d.Estimate).Order().ToArray();
        var lower = defined.Select(d => -d.HalfWidth - d.Estimate).Order().ToArray();
        var needed = 0.8 * defined.Length;
        foreach (var tau in upper.Where(u => u >= 0).Prepend(0.0))
        {
            var above = UpperBound(upper, tau);                           // u_b ≤ τ: rejects just above τ
            var below = lower.Length - UpperBound(lower, tau);            // l_b > τ
            if (above + below >= needed) return tau;
        }
        return null;
    }

    /// <summary>Number of sorted values ≤ x.</summary>
    private static int UpperBound(double[] sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static double? InterpolatedMde(double size, double[] effects, double[] power)
    {
        var points = effects.Zip(power).Where(p => !double.IsNaN(p.Second)).OrderBy(p => p.First).Prepend((First: 0.0, Second: size)).ToArray();
        if (double.IsNaN(size) && points.Length > 0) points = points[1..];
        for (var k = 0; k < points.Length; k++)
        {
            if (points[k].Second < 0.8) continue;
            if (k == 0) return points[0].First;
            var (x0, y0) = points[k - 1];
            var (x1, y1) = points[k];
            return x0 + (0.8 - y0) / (y1 - y0) * (x1 - x0);
        }
        return null;
    }
}
