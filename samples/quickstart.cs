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
];

Console.WriteLine("Estimator   ATT (packs per capita)");
foreach (var estimator in estimators)
    Console.WriteLine($"{estimator.Name,-10} {estimator.Estimate(data).Att,10:F3}");
Console.WriteLine();

var sdid = new SyntheticDifferenceInDifferences().Estimate(data);
Console.WriteLine($"SDID: effective controls {sdid.EffectiveControls:F1} of 38, effective pre-periods {sdid.EffectivePrePeriods:F1} of 19");
Console.WriteLine("Largest unit weights:");
foreach (var w in sdid.UnitWeights.OrderByDescending(w => w.Weight).Take(5))
    Console.WriteLine($"  {w.Label,-15} {w.Weight:F3}");
Console.WriteLine("Time weights:");
foreach (var w in sdid.TimeWeights.Where(w => w.Weight > 0))
    Console.WriteLine($"  {w.Label,-15} {w.Weight:F3}");
Console.WriteLine();

Console.WriteLine("SDID effect by year:");
foreach (var e in sdid.EffectsByPeriod)
    Console.WriteLine($"  {e.Period}  {e.Effect,8:F2}");
