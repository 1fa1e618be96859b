// CausalPanel quickstart: California's Proposition 99 (Abadie, Diamond & Hainmueller 2010).
// Run from the repository root:  dotnet run samples/quickstart.cs
#:property PublishAot=false
#:project ../src/CausalPanel/CausalPanel.csproj

using CausalPanel;

var data = Datasets.CaliforniaSmoking();
Console.WriteLine(data.Describe());
Console.WriteLine();

var did = new DifferenceInDifferences().Estimate(data);
Console.WriteLine(did.Summary());
Console.WriteLine();

Console.WriteLine("Effect by year (packs per capita):");
foreach (var e in did.EffectsByPeriod)
    Console.WriteLine($"  {e.Period}  {e.Effect,8:F2}");
