// A panel from a Microsoft.Data.Analysis DataFrame (the CausalPanel.DataFrame package): California's
// Proposition 99 as a long DataFrame — text states, integer years, double outcomes, a boolean treatment —
// as LoadCsv, a database or an Arrow batch would give it.
// Run from the repository root:  dotnet run samples/dataframe.cs
#:property PublishAot=false
#:project ../src/CausalPanel.DataFrame/CausalPanel.DataFrame.csproj

using CausalPanel;
using Microsoft.Data.Analysis;

var california = Datasets.CaliforniaSmoking();
var cells = Enumerable.Range(0, california.UnitCount)
    .SelectMany(i => Enumerable.Range(0, california.PeriodCount).Select(t => (Unit: i, Period: t))).ToArray();
var frame = new DataFrame(
    DataFrameColumn.Create("state", cells.Select(c => california.Units[c.Unit])),
    DataFrameColumn.Create("year", cells.Select(c => int.Parse(california.Periods[c.Period]))),
    DataFrameColumn.Create("packs", cells.Select(c => california.Outcomes[c.Unit, c.Period])),
    DataFrameColumn.Create("prop99", cells.Select(c => california.Treatment[c.Unit, c.Period])));

// From a CSV: DataFrame.LoadCsv(path, dataTypes: [typeof(string), typeof(int), typeof(double), typeof(bool)])
// (without dataTypes LoadCsv reads numbers as float, 7 digits).
var panel = frame.ToPanelData(unit: "state", time: "year", outcome: "packs", treated: "prop99");
Console.WriteLine(panel.Describe());
Console.WriteLine();

var fit = new SyntheticDifferenceInDifferences().Estimate(panel);
Console.WriteLine(fit);    // the summary: ATT −15.6038 (= R synthdid), design, weights, solver

// The same panel, so the same estimate as the bundled dataset, to the last digit.
if (fit.Att != new SyntheticDifferenceInDifferences().Estimate(california).Att)
    throw new InvalidOperationException("The DataFrame gave a different panel.");
