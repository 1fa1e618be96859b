using System.Text;

namespace CausalPanel.Tests.Reliability;

/// <summary>
/// The fuzz harness: random small panels (random N and T, treatment patterns, unobserved cells, scales from
/// 1e-12 to 1e12, ties, constant outcomes, duplicate rows, non-finite outcomes, non-binary treatment) built from
/// long rows, then every estimator and every variance method on each. Every run must either return finite
/// numbers (or a variance result marked undefined with a reason) or throw a <see cref="CausalPanelException"/>;
/// anything else (another exception type, NaN or ∞ in a result) is recorded as a failure with the seed that
/// reproduces it.
/// </summary>
internal sealed class Fuzz
{
    private readonly Dictionary<string, int> _counts = new();
    private readonly List<string> _failures = [];

    public int Panels { get; private set; }
    public int Runs { get; private set; }
    public IReadOnlyList<string> Failures => _failures;
    public IReadOnlyDictionary<string, int> Counts => _counts;

    /// <summary>The estimators under test, configured small enough for thousands of panels.</summary>
    public static IEstimator[] Estimators() =>
    [
        new DifferenceInDifferences(),
        new SyntheticControl(),
        new SyntheticControlWithIntercept(),
        new SyntheticDifferenceInDifferences(),
        new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 4, Folds = 2, MaxIterations = 200 }),
        new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.3, LambdaTime = 0.2, LambdaNuclear = 0.5, MaxIterations = 500 }),
    ];

    /// <summary>Every variance method, with few replications.</summary>
    public static IVarianceEstimator[] VarianceMethods() =>
    [
        new UnitPlaceboVariance { Replications = 8, Seed = 1 },
        new TimePlaceboVariance(),
        new BootstrapVariance { Replications = 8, Seed = 1 },
        new JackknifeVariance(),
        new MarginalVariance { Replications = 8, Seed = 1 },
        new ConditionalVariance { Replications = 8, Seed = 1 },
        new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods },
    ];

    /// <summary>Runs panel number <paramref name="index"/> (seeded by it) through everything.</summary>
    public void Run(int index, int seed)
    {
        Panels++;
        var random = Stream(index, seed);
        PanelData data;
        try
        {
            data = Build(random);
        }
        catch (Exception e)
        {
            Record(index, "build", "build", e);
            return;
        }
        Count("panel built");

        foreach (var estimator in Estimators())
        {
            EstimationResult fit;
            Runs++;
            try
            {
                fit = estimator.Estimate(data);
                Check(fit);
                Count($"{estimator.Name}: estimate");
            }
            catch (Exception e)
            {
                Record(index, estimator.Name, estimator.Name, e);
                continue;
            }

            // Variance methods on a share of the fits keep the harness fast; all methods see all estimators over many panels.
            if (random.NextDouble() > 0.35) continue;
            foreach (var method in VarianceMethods())
            {
                Runs++;
                try
                {
                    var v = fit.WithVariance(method);
                    if (v.IsDefined)
                    {
                        if (!double.IsFinite(v.StandardError) || v.StandardError < 0 || !double.IsFinite(v.Variance))
                            throw new FuzzFailure($"defined standard error {v.StandardError}");
                        Count($"{method.Name}: defined");
                    }
                    else
                    {
                        if (string.IsNullOrWhiteSpace(v.UndefinedReason)) throw new FuzzFailure("undefined without a reason");
                        Count($"{method.Name}: undefined with a reason");
                    }
                }
                catch (Exception e)
                {
                    Record(index, $"{estimator.Name} + {method.Name}", method.Name, e);
                }
            }
        }
    }

    private static Random Stream(int index, int seed) => new(unchecked(seed * 1_000_003 + index * 7919));

    /// <summary>Panel <paramref name="index"/> of the run seeded <paramref name="seed"/> (to reproduce a failure).</summary>
    public static PanelData Panel(int index, int seed) => Build(Stream(index, seed));

    private static void Check(EstimationResult fit)
    {
        if (!double.IsFinite(fit.Att)) throw new FuzzFailure($"ATT {fit.Att}");
        foreach (var cell in fit.CellEffects)
            if (!double.IsFinite(cell.Effect) || !double.IsFinite(cell.Counterfactual))
                throw new FuzzFailure($"cell ({cell.Unit}, {cell.Period}) effect {cell.Effect}");
    }

    /// <summary>A documented exception is counted under <paramref name="key"/>; anything else is a failure.</summary>
    private void Record(int index, string where, string key, Exception e)
    {
        // NumericalFailureException asks the user to report the panel as a bug: here it is one.
        if (e is CausalPanelException and not NumericalFailureException) Count($"{key}: {e.GetType().Name}");
        else _failures.Add($"panel {index} ({where}): {e.GetType().Name}: {e.Message.Split('\n')[0]}");
    }

    private void Count(string key) => _counts[key] = _counts.GetValueOrDefault(key) + 1;

    /// <summary>A random panel in long form: sizes 1–12 × 1–10, one of several patterns, and a few kinds of damage.</summary>
    private static PanelData Build(Random random)
    {
        int n = 1 + random.Next(12), t = 1 + random.Next(10);
        var w = new bool[n, t];
        switch (random.Next(6))
        {
            case 0:   // block: the last units from a common period
            case 1:
            {
                var treated = 1 + random.Next(Math.Max(1, n / 2));
                var start = random.Next(t);
                for (var i = n - treated; i < n; i++)
                    for (var s = start; s < t; s++) w[i, s] = true;
                break;
            }
            case 2:   // staggered adoption
                for (var i = 0; i < n; i++)
                {
                    var start = random.Next(t + 2);
                    for (var s = start; s < t; s++) w[i, s] = true;
                }
                break;
            case 3:   // switching on and off
                for (var i = 0; i < n; i++)
                    for (var s = 0; s < t; s++) w[i, s] = random.NextDouble() < 0.25;
                break;
            case 4:   // one treated cell
                w[random.Next(n), random.Next(t)] = true;
                break;
            default:  // nothing or everything treated
                if (random.Next(2) == 0)
                    for (var i = 0; i < n; i++)
                        for (var s = 0; s < t; s++) w[i, s] = true;
                break;
        }

        var scale = Math.Pow(10, random.Next(-12, 13));
        var offset = random.Next(3) == 0 ? scale * 1e3 * (random.NextDouble() - 0.5) : 0;
        var kind = random.Next(8);   // 0: constant, 1: integer ties, else continuous
        var missing = random.Next(3) == 0 ? 0.15 * random.NextDouble() : 0;
        var rows = new List<(string Unit, int Period, double Y, double W)>();
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                var y = kind switch
                {
                    0 => 1.0,
                    1 => Math.Round(3 * random.NextDouble()) + (i % 2),
                    _ => i * 0.3 + Math.Sin(s) + random.NextDouble() + (w[i, s] ? 1 : 0),
                };
                if (!w[i, s] && random.NextDouble() < missing)
                {
                    if (random.Next(2) == 0) continue;   // row absent
                    y = double.NaN;                        // row present, outcome missing
                }
                rows.Add(($"u{i}", 2000 + s, offset + scale * y, w[i, s] ? 1 : 0));
            }

        // Damage now and then: a duplicate row, an infinite outcome, a non-binary treatment, no rows at all.
        switch (random.Next(40))
        {
            case 0 when rows.Count > 0: rows.Add(rows[random.Next(rows.Count)]); break;
            case 1 when rows.Count > 0: { var k = random.Next(rows.Count); rows[k] = rows[k] with { Y = double.PositiveInfinity }; break; }
            case 2 when rows.Count > 0: { var k = random.Next(rows.Count); rows[k] = rows[k] with { W = 2 }; break; }
            case 3: rows.Clear(); break;
        }
        // Rows arrive in random order.
        for (var k = rows.Count - 1; k > 0; k--)
        {
            var j = random.Next(k + 1);
            (rows[k], rows[j]) = (rows[j], rows[k]);
        }
        return PanelData.FromLong(rows, r => r.Unit, r => r.Period, r => r.Y, r => r.W);
    }

    /// <summary>The counts as a markdown table.</summary>
    public string Report(string title, TimeSpan elapsed)
    {
        var s = new StringBuilder();
        s.AppendLine($"# {title}").AppendLine();
        s.AppendLine($"{Panels} random panels, {Runs} estimator and variance runs, {Failures.Count} failures (crashes or non-finite results), {elapsed.TotalSeconds:F0} s.").AppendLine();
        s.AppendLine("| outcome | runs |").AppendLine("|---|---:|");
        foreach (var (key, count) in _counts.OrderBy(p => p.Key, StringComparer.Ordinal)) s.AppendLine($"| {key} | {count} |");
        foreach (var f in _failures.Take(50)) s.AppendLine().Append("- ").Append(f);
        return s.ToString();
    }
}

/// <summary>A run that neither returned finite numbers nor threw a documented exception.</summary>
internal sealed class FuzzFailure(string message) : Exception(message);
