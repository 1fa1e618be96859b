// Staggered adoption: units start treatment in different periods. A simulated panel with a known
// effect (2 in the first treated period, growing by 0.5 per period after), interactive confounding
// that plain DiD cannot remove, and three adoption cohorts.
// Run from the repository root:  dotnet run samples/staggered.cs
#:property PublishAot=false
#:project ../src/CausalPanel/CausalPanel.csproj

using CausalPanel;

const int units = 60, periods = 30;
var random = new Random(7);
var adoption = new int?[units];
for (var i = 0; i < units; i++)
    adoption[i] = i < 36 ? null : i < 44 ? 18 : i < 52 ? 22 : 26;       // never, then cohorts 18, 22, 26
var loading = Enumerable.Range(0, units).Select(i => random.NextDouble() + (adoption[i] is null ? 0 : 0.5)).ToArray();
var y = new double[units, periods];
var w = new bool[units, periods];
for (var i = 0; i < units; i++)
    for (var t = 0; t < periods; t++)
    {
        w[i, t] = adoption[i] is { } a && t >= a;
        var effect = w[i, t] ? 2 + 0.5 * (t - adoption[i]!.Value) : 0;
        y[i, t] = i * 0.1 + 0.2 * t + loading[i] * 0.15 * t + effect + random.NextDouble() - 0.5;
    }
var data = PanelData.FromMatrices(y, w, Enumerable.Range(1, units).Select(i => $"unit{i:00}"), Enumerable.Range(1995, periods).Select(t => t.ToString()));
Console.WriteLine(data.Describe());

// The true ATT over the treated cells.
var truth = Enumerable.Range(0, units).SelectMany(i => Enumerable.Range(0, periods).Where(t => w[i, t]).Select(t => 2 + 0.5 * (t - adoption[i]!.Value))).Average();
Console.WriteLine($"True ATT: {truth:F3}");
Console.WriteLine();

IEstimator[] estimators =
[
    new DifferenceInDifferences(),
    new SyntheticDifferenceInDifferences(),          // one SDID per cohort against the never-treated, cell-weighted
    new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 20 }),
];
var fits = estimators.Select(e => e.Estimate(data)).ToArray();
var errors = fits.Select(f => (VarianceResult?)f.WithVariance(new BootstrapVariance { Replications = 50, Seed = 1 })).ToArray();
Console.WriteLine(EstimateTable.Of(fits, errors));
Console.WriteLine();

// SDID's summary: one line per cohort with its τ̂, effective controls and largest weights.
Console.WriteLine(fits[1]);
Console.WriteLine();
Console.WriteLine("Effects by event time (MC-NNM):");
foreach (var e in fits[2].EffectsByEventTime)
    Console.WriteLine($"  {e.EventTime,3}  {e.Effect,7:F3}   (true {2 + 0.5 * e.EventTime:F1}, {e.TreatedCells} cells)");

Directory.CreateDirectory("artifacts");
File.WriteAllText("artifacts/staggered-pattern.svg", Charts.Pattern(data, "Staggered adoption: three cohorts"));
Console.WriteLine();
Console.WriteLine("Wrote artifacts/staggered-pattern.svg");
