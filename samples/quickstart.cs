// CausalPanel quickstart: California's Proposition 99 (Abadie, Diamond & Hainmueller 2010).
// Run from the repository root:  dotnet run samples/quickstart.cs
#:property PublishAot=false
#:project ../src/CausalPanel/CausalPanel.csproj

using CausalPanel;

var data = Datasets.CaliforniaSmoking();
Console.WriteLine(data.Describe());
Console.WriteLine();

IEstimator[] estimators =
[
    new DifferenceInDifferences(),
    new SyntheticControl(),
    new SyntheticControlWithIntercept(),
    new SyntheticDifferenceInDifferences(),
    new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 20 }),   // as in the SDID paper
    // Given λ's (rounded) from the leave-one-out search without its global step
    // (`new DwcpOptions { LambdaNuclearRestarts = [] }`: (2.346, 2.474, 0.0652), 122 evaluations, 5 s in Release).
    // The default search, `new DoublyWeightedCausalPanel().Estimate(data)`, adds a restart at λ_nuclear = 0.005 and
    // picks (1.529, 3.654, 0.00384): criterion 2.5% lower, ATT −19.50, 172 evaluations, 15 s (docs/simulations/dwcp-tuning.md).
    new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 2.35, LambdaTime = 2.44, LambdaNuclear = 0.068 }),
];

// With one treated state the placebo over units is the defined standard error (every control state
// is the placebo once), as in the SDID paper's Table 1.
var fits = estimators.Select(e => e.Estimate(data)).ToArray();
var errors = fits.Select(f => (VarianceResult?)f.WithVariance(new UnitPlaceboVariance())).ToArray();
Console.WriteLine("ATT of Proposition 99 on cigarette sales (packs per capita)");
Console.WriteLine(EstimateTable.Of(fits, errors));
Console.WriteLine();

// A result prints its summary: ATT, design, effective controls and pre-periods, largest weights, solver.
var sdid = new SyntheticDifferenceInDifferences().Estimate(data);
Console.WriteLine(sdid);
Console.WriteLine();

Console.WriteLine("SDID effect by year:");
foreach (var e in sdid.EffectsByPeriod)
    Console.WriteLine($"  {e.Period}  {e.Effect,8:F2}");

// Which standard error for a panel like this one? Panels simulated from a factor model fitted to California (its own
// two-way noise scales and AR(2) noise, a random state treated over the last 12 years), SDID's variance methods compared:
// size overall and by tercile of the treated state's noise, power at effects of 0.5 and 1 sd of the outcome (raw and
// size-adjusted), CI length, and the rule's pick (README, "Which standard error?"). 400 panels are the fewest with which
// the rule can tell a size of 0.10 from 0.05 in each noise tercile (119 per tercile); 1,000 narrow its tolerance further.
const int panels = 400;
var comparison = new VarianceComparison
{
    Estimators = [new SyntheticDifferenceInDifferences()],
    Methods = [new RegressionVariance(), new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods },
               new UnitPlaceboVariance { MaxDegreeOfParallelism = 1 }, new TimePlaceboVariance { MaxDegreeOfParallelism = 1 },
               new ConditionalVariance { MaxDegreeOfParallelism = 1 }],
    Designs = [new SimulationDesign { Model = FactorModel.Fit(data), Name = "California-like panels", TreatedUnits = 1, TreatedPeriods = 12,
                                      Assignment = AssignmentModel.Random, Heteroskedasticity = Heteroskedasticity.TwoWay }],
    EffectSizes = [0.5, 1], Replications = panels, Seed = 1, PowerFromShift = true,
}.Run();
Console.WriteLine();
Console.WriteLine(comparison);
Console.WriteLine(comparison.Recommend("California-like panels", "SDID") is { } pick
    ? $"For SDID on panels like California's: {pick.Method} ({panels} simulated panels)."
    : comparison.Rows.Any(comparison.HasEnoughReplications)
        ? $"No SDID variance method keeps its size in every noise tercile on panels like California's ({panels} simulated panels): none is established here."
        : $"No pick from {panels} simulated panels: the rule needs {comparison.MinimumTercileReplications} valid replications per noise tercile; run 400 or more.");

// Charts (plain SVG): SDID's treated-vs-synthetic trajectory and DiD's, as synthdid_plot draws them.
Directory.CreateDirectory("artifacts");
File.WriteAllText("artifacts/quickstart-sdid-trajectory.svg", Charts.Trajectory(sdid));
File.WriteAllText("artifacts/quickstart-did-trajectory.svg", Charts.Trajectory(fits[0]));
File.WriteAllText("artifacts/quickstart-sdid-effects.svg", Charts.Effects(sdid, errors[3]));       // pointwise placebo band
File.WriteAllText("artifacts/quickstart-sdid-effects.vl.json", VegaLite.Effects(sdid, errors[3]));  // the same, for restyling
Console.WriteLine();
Console.WriteLine("Wrote artifacts/quickstart-*.svg (trajectories, effects) and a Vega-Lite spec");
