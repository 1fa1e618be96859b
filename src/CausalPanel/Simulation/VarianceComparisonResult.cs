using System.Globalization;
using System.Text;

namespace CausalPanel;

/// <summary>The table a <see cref="VarianceComparison"/> produces, with its recommendation, as text, CSV or an SVG chart.</summary>
[TypeFormatterSource(typeof(NotebookFormatterSource))]
public sealed class VarianceComparisonResult
{
    /// <summary>Monte-Carlo standard errors a calibrated method's size may be from nominal (overall and in each tercile).</summary>
    public const double CalibrationStandardErrors = 2.5;

    internal VarianceComparisonResult(IReadOnlyList<VarianceComparisonRow> rows, int seed, double nominalSize, IReadOnlyList<string>? warnings = null)
    {
        Rows = rows;
        Seed = seed;
        NominalSize = nominalSize;
        Warnings = warnings ?? [];
    }

    /// <summary>
    /// Several comparisons as one table (e.g. designs with their own effect sizes, or costly estimators run with fewer
    /// replications); design × estimator × method must not repeat, the nominal size must agree; their warnings are kept, in order.
    /// </summary>
    public static VarianceComparisonResult Combine(IReadOnlyList<VarianceComparisonResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0) throw new ArgumentException("Give at least one result.", nameof(results));
        if (results.Select(r => r.NominalSize).Distinct().Count() > 1) throw new ArgumentException("The results were run at different nominal sizes.", nameof(results));
        var rows = results.SelectMany(r => r.Rows).ToArray();
        if (rows.GroupBy(r => (r.Design, r.Estimator, r.Method)).FirstOrDefault(g => g.Count() > 1) is { } twin)
            throw new ArgumentException($"Design \"{twin.Key.Design}\", estimator \"{twin.Key.Estimator}\" and method \"{twin.Key.Method}\" appear in more than one result.", nameof(results));
        return new VarianceComparisonResult(rows, results[0].Seed, results[0].NominalSize, [.. results.SelectMany(r => r.Warnings)]);
    }

    /// <summary>Design × estimator × method rows.</summary>
    public IReadOnlyList<VarianceComparisonRow> Rows { get; }

    /// <summary>
    /// What makes the table answer another question than it seems to (printed first by <see cref="ToString"/>): a design whose
    /// simulated panels all treated the same units, whose sizes are then conditional on those units. Empty when there is none.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Simulated panels per design: "1000", or "200–1000" for a combination run with different numbers.</summary>
    public string Replications => Rows.Min(r => r.Replications) is var min && Rows.Max(r => r.Replications) is var max && min == max
        ? min.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{min}–{max}");

    /// <summary>The seed.</summary>
    public int Seed { get; }

    /// <summary>The nominal size α.</summary>
    public double NominalSize { get; }

    /// <summary>Design names in order.</summary>
    public IReadOnlyList<string> Designs => Rows.Select(r => r.Design).Distinct().ToArray();

    /// <summary>Estimator names in order.</summary>
    public IReadOnlyList<string> Estimators => Rows.Select(r => r.Estimator).Distinct().ToArray();

    /// <summary>Method names in order.</summary>
    public IReadOnlyList<string> Methods => Rows.Select(r => r.Method).Distinct().ToArray();

    /// <summary>The row of one design, estimator and method.</summary>
    public VarianceComparisonRow this[string design, string estimator, string method] =>
        Rows.FirstOrDefault(r => r.Design == design && r.Estimator == estimator && r.Method == method)
        ?? throw new KeyNotFoundException($"No row for design \"{design}\", estimator \"{estimator}\" and method \"{method}\"; designs: {string.Join(", ", Designs)}; estimators: {string.Join(", ", Estimators)}; methods: {string.Join(", ", Methods)}.");

    /// <summary>How far a size over n replications may be from nominal: <see cref="CalibrationStandardErrors"/> · √(α(1 − α)/n).</summary>
    public double Tolerance(int n) => CalibrationStandardErrors * Math.Sqrt(NominalSize * (1 - NominalSize) / n);

    /// <summary>
    /// True when the method was defined in every replication and its size is within <see cref="Tolerance"/> of nominal
    /// overall and in each tercile of the treated cells' noise scale.
    /// </summary>
    public bool IsCalibrated(VarianceComparisonRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Valid < row.Replications || row.Undefined > 0) return false;
        if (!(Math.Abs(row.Size - NominalSize) <= Tolerance(row.Valid))) return false;
        for (var k = 0; k < 3; k++)
            if (!(Math.Abs(row.SizeByTercile[k] - NominalSize) <= Tolerance(row.TercileCounts[k]))) return false;
        return true;
    }

    /// <summary>
    /// The fewest valid replications a noise tercile needs for <see cref="HasEnoughReplications"/>: the smallest m with
    /// <see cref="Tolerance"/>(m) &lt; α, i.e. m &gt; c²(1 − α)/α with c = <see cref="CalibrationStandardErrors"/> — 119 at
    /// α = 0.05 (about 357 replications in all; a tercile's MC s.e. of a size of 0.05 is then at most 0.020, overall 0.012).
    /// </summary>
    public int MinimumTercileReplications => (int)Math.Floor(CalibrationStandardErrors * CalibrationStandardErrors * (1 - NominalSize) / NominalSize) + 1;

    /// <summary>
    /// True when every noise tercile has at least <see cref="MinimumTercileReplications"/> valid replications, so that the
    /// calibration band α ± <see cref="Tolerance"/> of each tercile excludes 2α: a size of 0.10 (twice nominal) could not
    /// pass as calibrated. With fewer replications the band is so wide that almost any method "looks calibrated" (at 60
    /// replications a tercile's band is 0.05 ± 0.07), so such a method is not eligible for <see cref="Recommend"/>.
    /// </summary>
    public bool HasEnoughReplications(VarianceComparisonRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.TercileCounts.Count == 3 && row.TercileCounts.All(m => m >= MinimumTercileReplications);
    }

    /// <summary>
    /// The recommendation rule (issue 20): among the methods simulated often enough to tell a size of 2α from α in every
    /// tercile (<see cref="HasEnoughReplications"/>: at least <see cref="MinimumTercileReplications"/> valid replications per
    /// tercile, 119 at α = 0.05) whose size is within Monte-Carlo error of nominal overall and in every tercile of the
    /// treated cells' noise (<see cref="IsCalibrated"/>), the most powerful — the highest mean over the effect sizes of
    /// min(power, <see cref="VarianceComparisonRow.SizeAdjustedPower"/>), then the highest mean raw power, then the shorter mean
    /// interval (comparisons without effect sizes). The minimum is the power a method can be counted on for: its raw power, but
    /// no more than at equal size, so that neither excess rejections (a liberal method near the top of the calibration band,
    /// which is a Monte-Carlo tolerance) nor unused size (a conservative one, whose size-adjusted power a user does not get)
    /// counts. Ranked by raw power alone, DiD's jackknife (a tercile at 0.066) beat its two-way plug-in on a 10 × 10 block of
    /// docs/simulations/variance-power.md, though less powerful at equal size (0.488 / 0.796 against 0.514 / 0.854); ranked by
    /// size-adjusted power alone, conservative placebos (a tercile at 0.021) beat plug-ins that hold their size.
    /// Null when no eligible method is calibrated on the design: then no standard error is established there
    /// (<see cref="ToString"/> names the methods left out for too few replications).
    /// </summary>
    public VarianceComparisonRow? Recommend(string design, string estimator) =>
        Rows.Where(r => r.Design == design && r.Estimator == estimator && HasEnoughReplications(r) && IsCalibrated(r))
            .OrderByDescending(r => r.Power.Count > 0 ? r.Power.Zip(r.SizeAdjustedPower, Math.Min).Average() : 0)
            .ThenByDescending(r => r.Power.Count > 0 ? r.Power.Average() : 0).ThenBy(r => r.MeanIntervalLength).FirstOrDefault();

    /// <summary>
    /// The <see cref="Warnings"/>, then per design and estimator: the estimator's bias, RMSE and misfit share on the zero-effect
    /// panels, then per method its size (low / mid / high tercile), power at each effect size (pow@), size-adjusted power (adj@,
    /// <see cref="VarianceComparisonRow.SizeAdjustedPower"/>), MDE at 80% power, mean CI length, and the recommendation.
    /// </summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        foreach (var warning in Warnings) sb.AppendLine("warning: " + warning);
        sb.AppendLine(inv, $"Size and power of {100 * (1 - NominalSize):0.##}% intervals over {Replications} replications, seed {Seed}; calibrated = size within {CalibrationStandardErrors} MC s.e. of {NominalSize} overall and by tercile of the treated cells' noise; eligible = at least {MinimumTercileReplications} valid replications per tercile (to tell {NominalSize} from {2 * NominalSize})");
        var methodWidth = Math.Max(8, Methods.Max(m => m.Length) + 2);
        foreach (var design in Designs)
            foreach (var estimator in Estimators)
            {
                var rows = Rows.Where(r => r.Design == design && r.Estimator == estimator).ToArray();
                if (rows.Length == 0) continue;
                var effects = rows[0].EffectSizes;
                sb.AppendLine();
                sb.AppendLine(inv, $"{estimator} on {design}");
                var error = rows.Where(r => !double.IsNaN(r.Bias)).MaxBy(r => r.Replications);   // the same for every method of a run; the most replications when combined
                if (error is not null)
                {
                    sb.Append(inv, $"  {estimator} on the zero-effect panels: bias {error.Bias:G3}, RMSE {error.RootMeanSquaredError:G3}");
                    if (!double.IsNaN(error.MisfitShare)) sb.Append(inv, $", {100 * error.MisfitShare:F0}% of the mean square is misfit (its estimate on the noise-free panels)");
                    sb.AppendLine();
                }
                // Each power column as wide as its header and a space (at least 10), so that long effect sizes keep them apart.
                var column = effects.Select(e => 1 + ("pow@" + SummaryText.Number(e)).Length).Append(10).Max();
                sb.Append("  " + "method".PadRight(methodWidth) + "size".PadLeft(7) + "  by noise tercile    ");
                foreach (var e in effects) sb.Append(("pow@" + SummaryText.Number(e)).PadLeft(column));
                foreach (var e in effects) sb.Append(("adj@" + SummaryText.Number(e)).PadLeft(column));
                sb.AppendLine("     MDE80  CI length");
                var recommended = Recommend(design, estimator);
                foreach (var r in rows)
                {
                    sb.Append("  " + r.Method.PadRight(methodWidth));
                    if (r.Valid == 0)
                    {
                        sb.AppendLine("undefined".PadLeft(7));
                        continue;
                    }
                    sb.Append(inv, $"{r.Size,7:F3}  {string.Join(" / ", r.SizeByTercile.Select(p => p.ToString("F3", inv)))}");
                    foreach (var p in r.Power.Concat(r.SizeAdjustedPower)) sb.Append(p.ToString("F3", inv).PadLeft(column));
                    sb.Append((r.MinimumDetectableEffect is { } m ? m.ToString("G3", inv) : "—").PadLeft(10));
                    sb.Append(r.MeanIntervalLength.ToString("G4", inv).PadLeft(11));
                    sb.AppendLine(r == recommended ? "  ◀ recommended" : IsCalibrated(r) ? "  calibrated" : "");
                }
                if (rows.Any(r => r.Valid > 0 && r.MdeWithheld))
                    sb.AppendLine("  MDE —: rejects ≥ 80% of the time with no effect");
                var few = rows.Where(r => r.Valid > 0 && !HasEnoughReplications(r)).Select(r => r.Method).ToArray();
                if (few.Length > 0)
                    sb.AppendLine(inv, $"  not eligible, too few replications (< {MinimumTercileReplications} per noise tercile): {string.Join(", ", few)}");
                var misfit = error?.MisfitShare > 0.5
                    ? "; most of the estimator's error is misfit, fixed given the treated units, which a variance of the noise alone does not cover: compare estimators (EstimatorComparison; `causalpanel compare` in a shell), and use a variance that counts the misfit over the assignment (the unit placebo, or conditional on units and periods, which models it; --se placebo or conditional in a shell)"
                    : "";
                sb.AppendLine(recommended is not null ? $"  recommended: {recommended.Method}"
                    : (few.Length > 0 ? "  no eligible method is calibrated on this design" : "  no method is calibrated on this design") + misfit);
            }
        return sb.ToString().TrimEnd();
    }

    /// <summary>
    /// CSV with a header: design, estimator, method, replications, valid, undefined, size, size_low, size_mid, size_high,
    /// mde80, mde_exact, ci_length, calibrated, recommended, bias, rmse, misfit_share (the estimator's, see
    /// <see cref="VarianceComparisonRow.Bias"/>), then effect_k, power_k and sa_power_k (size-adjusted) for each effect size.
    /// </summary>
    public string ToCsv()
    {
        var inv = CultureInfo.InvariantCulture;
        var effects = Rows.Max(r => r.EffectSizes.Count);
        var sb = new StringBuilder("design,estimator,method,replications,valid,undefined,size,size_low,size_mid,size_high,mde80,mde_exact,ci_length,calibrated,recommended,bias,rmse,misfit_share");
        for (var k = 1; k <= effects; k++) sb.Append(inv, $",effect_{k},power_{k},sa_power_{k}");
        sb.Append('\n');
        foreach (var r in Rows)
        {
            sb.Append(inv, $"{CsvText.Quote(r.Design)},{CsvText.Quote(r.Estimator)},{CsvText.Quote(r.Method)},{r.Replications},{r.Valid},{r.Undefined},");
            sb.Append(inv, $"{r.Size:R},{r.SizeByTercile[0]:R},{r.SizeByTercile[1]:R},{r.SizeByTercile[2]:R},{(r.MinimumDetectableEffect is { } m ? m.ToString("R", inv) : "")},{(r.MdeIsExact ? "true" : "false")},{r.MeanIntervalLength:R},");
            sb.Append(IsCalibrated(r) ? "true," : "false,").Append(Recommend(r.Design, r.Estimator) == r ? "true" : "false");
            sb.Append(inv, $",{r.Bias:R},{r.RootMeanSquaredError:R},{r.MisfitShare:R}");
            for (var k = 0; k < effects; k++)
                sb.Append(k < r.EffectSizes.Count ? string.Create(inv, $",{r.EffectSizes[k]:R},{r.Power[k]:R},{r.SizeAdjustedPower[k]:R}") : ",,,");
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
