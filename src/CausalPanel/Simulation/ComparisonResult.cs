using System.Globalization;
using System.Text;

namespace CausalPanel;

/// <summary>One estimator on one design.</summary>
public sealed record ComparisonRow
{
    /// <summary>The design's name.</summary>
    public required string Design { get; init; }

    /// <summary>The estimator's name.</summary>
    public required string Estimator { get; init; }

    /// <summary>√(mean τ̂²) over the replications that produced an estimate (true effect 0).</summary>
    public required double Rmse { get; init; }

    /// <summary>Monte-Carlo standard error of <see cref="Rmse"/> (delta method: sd(τ̂²) / (2·RMSE·√R)).</summary>
    public required double RmseStandardError { get; init; }

    /// <summary>Mean τ̂.</summary>
    public required double Bias { get; init; }

    /// <summary>Share of intervals containing 0 (null without a variance method or when it was undefined throughout).</summary>
    public double? Coverage { get; init; }

    /// <summary>Replications with a defined interval.</summary>
    public int CoverageCount { get; init; }

    /// <summary>Replications that produced an estimate.</summary>
    public required int Valid { get; init; }

    /// <summary>Replications on which the estimator refused the panel (an <see cref="EstimationException"/>), with the first message.</summary>
    public int Failed { get; init; }

    /// <summary>The first refusal message, if any.</summary>
    public string? FirstFailure { get; init; }

    /// <summary>The estimates, in replication order (NaN where the estimator refused the panel).</summary>
    public required IReadOnlyList<double> Estimates { get; init; }

    /// <summary>"SDID on baseline: RMSE 0.123 (MC s.e. 0.004), bias −0.01, coverage 0.95 of 100; 100 of 100 estimated".</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"{Estimator} on {Design}: RMSE {SummaryText.Number(Rmse)} (MC s.e. {SummaryText.Number(RmseStandardError)}), bias {SummaryText.Number(Bias)}");
        if (Coverage is { } c) sb.Append(inv, $", coverage {c:F3} of {CoverageCount}");
        sb.Append(inv, $"; {Valid} of {Valid + Failed} estimated");
        if (Failed > 0) sb.Append(inv, $" (first refusal: {FirstFailure})");
        return sb.ToString();
    }

    internal static ComparisonRow From(string design, string estimator, (double? Estimate, bool? Covered, string? Failure)[] outcomes)
    {
        var estimates = outcomes.Where(o => o.Estimate is not null).Select(o => o.Estimate!.Value).ToArray();
        var squares = estimates.Select(e => e * e).ToArray();
        var meanSquare = squares.Length > 0 ? squares.Average() : double.NaN;
        var rmse = Math.Sqrt(meanSquare);
        var sdSquares = squares.Length > 1 ? Math.Sqrt(squares.Sum(s => (s - meanSquare) * (s - meanSquare)) / (squares.Length - 1)) : double.NaN;
        var covered = outcomes.Where(o => o.Covered is not null).Select(o => o.Covered!.Value).ToArray();
        return new ComparisonRow
        {
            Design = design, Estimator = estimator,
            Rmse = rmse, RmseStandardError = rmse > 0 ? sdSquares / (2 * rmse * Math.Sqrt(squares.Length)) : 0,
            Bias = estimates.Length > 0 ? estimates.Average() : double.NaN,
            Coverage = covered.Length > 0 ? covered.Average(c => c ? 1.0 : 0.0) : null, CoverageCount = covered.Length,
            Valid = estimates.Length, Failed = outcomes.Length - estimates.Length,
            FirstFailure = outcomes.FirstOrDefault(o => o.Failure is not null).Failure,
            Estimates = outcomes.Select(o => o.Estimate ?? double.NaN).ToArray(),
        };
    }
}

/// <summary>The table an <see cref="EstimatorComparison"/> produces, as text, CSV or an SVG chart.</summary>
[TypeFormatterSource(typeof(NotebookFormatterSource))]
public sealed class ComparisonResult
{
    internal ComparisonResult(IReadOnlyList<ComparisonRow> rows, int replications, int seed, string? variance)
    {
        Rows = rows;
        Replications = replications;
        Seed = seed;
        VarianceMethod = variance;
    }

    /// <summary>Several comparisons as one table (e.g. designs run with different estimator settings); designs must not repeat.</summary>
    public static ComparisonResult Combine(IReadOnlyList<ComparisonResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0) throw new ArgumentException("Give at least one result.", nameof(results));
        var rows = results.SelectMany(r => r.Rows).ToArray();
        if (rows.GroupBy(r => (r.Design, r.Estimator)).FirstOrDefault(g => g.Count() > 1) is { } twin)
            throw new ArgumentException($"Design \"{twin.Key.Design}\" appears in more than one result.", nameof(results));
        var variance = results.Select(r => r.VarianceMethod).Distinct().Count() == 1 ? results[0].VarianceMethod : null;
        return new ComparisonResult(rows, results.Min(r => r.Replications), results[0].Seed, variance);
    }

    /// <summary>Design × estimator rows, designs in the given order, estimators within each.</summary>
    public IReadOnlyList<ComparisonRow> Rows { get; }

    /// <summary>Replications per design.</summary>
    public int Replications { get; }

    /// <summary>The seed.</summary>
    public int Seed { get; }

    /// <summary>The variance method behind the coverage column (null without one).</summary>
    public string? VarianceMethod { get; }

    /// <summary>Design names in order.</summary>
    public IReadOnlyList<string> Designs => Rows.Select(r => r.Design).Distinct().ToArray();

    /// <summary>Estimator names in order.</summary>
    public IReadOnlyList<string> Estimators => Rows.Select(r => r.Estimator).Distinct().ToArray();

    /// <summary>The row of one design and estimator.</summary>
    public ComparisonRow this[string design, string estimator] =>
        Rows.FirstOrDefault(r => r.Design == design && r.Estimator == estimator)
        ?? throw new KeyNotFoundException($"No row for design \"{design}\" and estimator \"{estimator}\"; designs: {string.Join(", ", Designs)}; estimators: {string.Join(", ", Estimators)}.");

    /// <summary>RMSE divided by the smallest RMSE of the same design (1 = best), as TROP's Table 1.</summary>
    public double NormalisedRmse(ComparisonRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Rmse / Rows.Where(r => r.Design == row.Design && r.Valid > 0).Min(r => r.Rmse);
    }

    /// <summary>The estimator with the smallest RMSE on a design.</summary>
    public string Best(string design) => Rows.Where(r => r.Design == design && r.Valid > 0).MinBy(r => r.Rmse)!.Estimator;

    /// <summary>A fixed-width table: RMSE (MC s.e.) and, in brackets, RMSE relative to the best estimator; bias and coverage below.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var estimators = Estimators;
        var width = Math.Max(22, estimators.Max(e => e.Length) + 2);
        var designWidth = Math.Max(12, Designs.Max(d => d.Length) + 2);
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"RMSE (relative to the best) over {Replications} replications, seed {Seed}{(VarianceMethod is null ? "" : $"; coverage of {VarianceMethod} intervals")}");
        sb.Append("design".PadRight(designWidth));
        foreach (var e in estimators) sb.Append(e.PadLeft(width));
        sb.AppendLine();
        foreach (var design in Designs)
        {
            sb.Append(design.PadRight(designWidth));
            foreach (var e in estimators)
            {
                var row = this[design, e];
                sb.Append((row.Valid == 0 ? "—" : string.Create(inv, $"{row.Rmse:F4} ({NormalisedRmse(row):F2})")).PadLeft(width));
            }
            sb.AppendLine();
            sb.Append("  bias".PadRight(designWidth));
            foreach (var e in estimators) sb.Append(string.Create(inv, $"{this[design, e].Bias:F4}").PadLeft(width));
            sb.AppendLine();
            if (VarianceMethod is not null)
            {
                sb.Append("  coverage".PadRight(designWidth));
                foreach (var e in estimators) sb.Append((this[design, e].Coverage is { } c ? string.Create(inv, $"{c:F3}") : "—").PadLeft(width));
                sb.AppendLine();
            }
        }
        var failures = Rows.Where(r => r.Failed > 0).ToArray();
        foreach (var r in failures) sb.AppendLine(inv, $"{r.Estimator} refused {r.Failed} panel(s) of {r.Design}: {r.FirstFailure}");
        return sb.ToString().TrimEnd();
    }

    /// <summary>CSV with a header: design, estimator, replications, valid, failed, rmse, rmse_se, normalised_rmse, bias, coverage, coverage_count.</summary>
    public string ToCsv()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("design,estimator,replications,valid,failed,rmse,rmse_se,normalised_rmse,bias,coverage,coverage_count\n");
        foreach (var r in Rows)
            sb.Append(inv, $"{CsvText.Quote(r.Design)},{CsvText.Quote(r.Estimator)},{Replications},{r.Valid},{r.Failed},{r.Rmse:R},{r.RmseStandardError:R},{(r.Valid > 0 ? NormalisedRmse(r) : double.NaN):R},{r.Bias:R},{(r.Coverage is { } c ? c.ToString("R", inv) : "")},{r.CoverageCount}\n");
        return sb.ToString();
    }

    /// <summary>
    /// Reads a table written by <see cref="ToCsv"/> (e.g. to re-plot a long run); the per-replication
    /// estimates are not in the CSV, so <see cref="ComparisonRow.Estimates"/> is empty.
    /// </summary>
    public static ComparisonResult ReadCsv(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var table = CsvTable.Read(reader);
        int Column(string name) => Array.IndexOf(table.Header, name) is var k and >= 0 ? k
            : throw new MissingColumnException($"The comparison CSV has no column \"{name}\"; it has {string.Join(", ", table.Header)}.");
        var inv = CultureInfo.InvariantCulture;
        int design = Column("design"), estimator = Column("estimator"), replications = Column("replications"), valid = Column("valid"),
            failed = Column("failed"), rmse = Column("rmse"), se = Column("rmse_se"), bias = Column("bias"), coverage = Column("coverage"), count = Column("coverage_count");
        var rows = table.Rows.Select(r => new ComparisonRow
        {
            Design = r.Fields[design], Estimator = r.Fields[estimator],
            Rmse = double.Parse(r.Fields[rmse], inv), RmseStandardError = double.Parse(r.Fields[se], inv), Bias = double.Parse(r.Fields[bias], inv),
            Coverage = r.Fields[coverage].Length > 0 ? double.Parse(r.Fields[coverage], inv) : null, CoverageCount = int.Parse(r.Fields[count], inv),
            Valid = int.Parse(r.Fields[valid], inv), Failed = int.Parse(r.Fields[failed], inv), Estimates = [],
        }).ToArray();
        var reps = table.Rows.Count > 0 ? table.Rows.Min(r => int.Parse(r.Fields[replications], inv)) : 0;
        return new ComparisonResult(rows, reps, 0, null);
    }
}
