// Which estimator suits my data? A semi-synthetic comparison (Arkhangelsky et al. 2021, §3;
// Athey, Imbens, Qu and Viviano 2025, §3): fit a factor model to a panel, simulate placebo
// assignments with a true effect of 0 and compare the estimators' RMSE.
// Run from the repository root:
//   dotnet run samples/estimator-comparison.cs                       # bundled CPS log wage, 200 panels
//   dotnet run samples/estimator-comparison.cs -- my.csv unit time y treated 500
// Writes artifacts/estimator-comparison.{svg,csv}.
#:property PublishAot=false
#:project ../src/CausalPanel/CausalPanel.csproj

using CausalPanel;

var data = args.Length >= 5
    ? PanelData.ReadCsv(args[0], unit: args[1], time: args[2], outcome: args[3], treated: args[4])
    : Datasets.Cps("log_wage", "min_wage");
var replications = args.Length is 1 or 6 ? int.Parse(args[^1]) : 200;

var model = FactorModel.Fit(data);
Console.WriteLine($"Factor model of {model.UnitCount} units × {model.PeriodCount} periods, rank {model.Rank}: " +
    $"additive {model.FactorShares[0]:P0}, interactive {model.FactorShares[1]:P0}, noise {model.FactorShares[2]:P0} of the variance; " +
    $"AR(2) = ({model.ArCoefficients[0]}, {model.ArCoefficients[1]})");

var block = Math.Min(10, model.PeriodCount / 4);
SimulationDesign[] designs =
[
    new() { Model = model, Name = "as fitted", TreatedPeriods = block },
    new() { Model = model, Name = "random assignment", TreatedPeriods = block, Assignment = AssignmentModel.Uniform },
    new() { Model = model, Name = "no interactive part", TreatedPeriods = block, Interactive = false },
];
var comparison = new EstimatorComparison
{
    Estimators =
    [
        new DifferenceInDifferences(),
        new SyntheticControl(),
        new SyntheticControlWithIntercept(),
        new SyntheticDifferenceInDifferences(),
        new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 20 }),
    ],
    Designs = designs,
    Replications = replications,
    Seed = 1,
};
var result = comparison.Run();
Console.WriteLine();
Console.WriteLine(result);
foreach (var design in result.Designs) Console.WriteLine($"Best on \"{design}\": {result.Best(design)}");

Directory.CreateDirectory("artifacts");
File.WriteAllText("artifacts/estimator-comparison.svg", Charts.Comparison(result, $"RMSE relative to the best, {replications} simulated panels"));
File.WriteAllText("artifacts/estimator-comparison.csv", result.ToCsv());
Console.WriteLine("Wrote artifacts/estimator-comparison.svg and .csv");
