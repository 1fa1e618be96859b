using System.Globalization;

namespace CausalPanel.Cli.Commands;

/// <summary>compare-se's run: the <see cref="VarianceComparison"/> with a progress bar, its table and recommendations, and its files.</summary>
internal static class VarianceComparisonRun
{
    /// <summary>Runs the comparison; prints and writes its results (<paramref name="sd"/>: the outcome's unit); returns the exit code.</summary>
    public static int Execute(Terminal terminal, VarianceComparison comparison, object? input, PanelData data, double sd,
        string? outDir, bool quiet, bool json, CancellationToken ct)
    {
        var total = comparison.Replications * comparison.Designs.Count;
        if (ComparisonRun.Simulate(terminal, quiet || json, comparison.Checkpoint, comparison.Executor,
                $"{total} simulated panels × {comparison.Estimators.Count} estimators × {comparison.Methods.Count} methods", total,
                progress => (comparison with { Progress = progress }).Run(ct), out var result) is { } early)
            return early;

        var pairs = comparison.Designs.SelectMany(d => comparison.Estimators.Select(e => (Design: d.Name, Estimator: e.Name))).ToArray();
        var lines = pairs.Select(p => Recommendation(result, p.Design, p.Estimator, sd)).ToArray();
        var document = ResultJson.Document("compare-se", input, data, w =>
        {
            w.WriteStartObject("varianceComparison");
            w.WriteNumber("replications", comparison.Replications);
            w.WriteNumber("seed", result.Seed);
            w.WriteNumber("outcomeStandardDeviation", sd);
            ResultJson.Strings(w, "warnings", result.Warnings);
            w.WriteStartArray("rows");
            foreach (var row in result.Rows)
            {
                w.WriteStartObject();
                w.WriteString("design", row.Design);
                w.WriteString("estimator", row.Estimator);
                w.WriteString("method", row.Method);
                w.WriteNumber("valid", row.Valid);
                w.WriteNumber("undefined", row.Undefined);
                ResultJson.Number(w, "size", row.Size);
                ResultJson.Numbers(w, "sizeByNoiseTercile", row.SizeByTercile);
                ResultJson.Numbers(w, "effects", row.EffectSizes.Select(e => e * sd));
                ResultJson.Numbers(w, "power", row.Power);
                ResultJson.Numbers(w, "sizeAdjustedPower", row.SizeAdjustedPower);
                ResultJson.Number(w, "minimumDetectableEffect", row.MinimumDetectableEffect is { } mde && !row.MdeWithheld ? mde * sd : double.NaN);
                ResultJson.Number(w, "meanIntervalLength", row.MeanIntervalLength * sd);
                w.WriteBoolean("calibrated", result.IsCalibrated(row));
                w.WriteBoolean("recommended", ReferenceEquals(result.Recommend(row.Design, row.Estimator), row));
                if (row.FirstFailure is { } failure) w.WriteString("firstFailure", failure);
                else w.WriteNull("firstFailure");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
        if (json)
        {
            terminal.Out.Write(document);
        }
        else
        {
            terminal.Out.WriteLine(result.ToString());
            foreach (var line in lines) terminal.Out.WriteLine(line);
        }
        if (outDir is not null)
        {
            var folder = new OutputFolder(outDir);
            folder.Write("variance-comparison.csv", result.ToCsv());
            folder.Write("variance-comparison.txt", result + string.Join(Environment.NewLine, lines) + Environment.NewLine);
            folder.Write("results.json", document);
            folder.Chart("variance-power", () => Charts.VariancePower(result), () => VegaLite.VariancePower(result));
            EstimateCommand.Report(terminal, folder, outDir, quiet || json);
        }
        return ExitCodes.Ok;
    }

    /// <summary>"SDID on two-way, 9 × 5: Conditional on units and periods (size 0.048; MDE 2.1, CI length 4.3 in the outcome's units)", or none.</summary>
    private static string Recommendation(VarianceComparisonResult result, string design, string estimator, double sd)
    {
        var inv = CultureInfo.InvariantCulture;
        if (result.Recommend(design, estimator) is not { } row)
            return result.Rows.Any(r => r.Design == design && r.Estimator == estimator && result.HasEnoughReplications(r))
                ? $"{estimator} on {design}: no method is calibrated; no standard error is established on this design (see the table)."
                : $"{estimator} on {design}: too few simulated panels for the rule (at least {result.MinimumTercileReplications} valid per noise tercile); raise --replications to {4 * result.MinimumTercileReplications} or more.";
        var mde = row.MinimumDetectableEffect is { } m && !row.MdeWithheld ? string.Create(inv, $"MDE {m * sd:G3}, ") : "";
        return string.Create(inv, $"{estimator} on {design}: {row.Method} (size {row.Size:F3}; {mde}CI length {row.MeanIntervalLength * sd:G3} in the outcome's units)");
    }
}
