namespace CausalPanel.Cli.Tests;

public sealed class ComparisonTests
{
    [Fact]
    public void Compare_gives_the_librarys_comparison_on_designs_fitted_to_the_file()
    {
        var run = Tool.Run(["compare", Tool.California, .. Tool.CaliforniaColumns, "-e", "did,sc", "--designs", "fitted,uniform", "-r", "6", "--seed", "3", "--json"]);

        run.Code.Should().Be(0, run.Error);
        var model = FactorModel.Fit(PanelData.ReadCsv(Tool.California, "State", "Year", "PacksPerCapita", treated: "treated"));
        var library = new EstimatorComparison
        {
            Estimators = [new DifferenceInDifferences(), new SyntheticControl()],
            Designs = [new SimulationDesign { Model = model, Name = "fitted", TreatedPeriods = 7 },
                       new SimulationDesign { Model = model, Name = "uniform", TreatedPeriods = 7, Assignment = AssignmentModel.Uniform }],
            Replications = 6, Seed = 3,
        }.Run();
        var rows = run.Json.GetProperty("comparison").GetProperty("rows").EnumerateArray().ToArray();
        rows.Select(r => (r.GetProperty("design").GetString(), r.GetProperty("estimator").GetString(), r.GetProperty("rmse").GetDouble(), r.GetProperty("bias").GetDouble()))
            .Should().Equal(library.Rows.Select(r => ((string?)r.Design, (string?)r.Estimator, r.Rmse, r.Bias)));
    }

    [Fact]
    public void Simulate_reproduces_the_comparison_a_settings_file_describes()
    {
        var dir = Tool.TempFolder();
        File.Copy(Tool.California, Path.Combine(dir, "prop99.csv"));
        File.WriteAllText(Path.Combine(dir, "settings.json"), """
            {
              "panel": { "file": "prop99.csv", "unit": "State", "time": "Year", "outcome": "PacksPerCapita", "treated": "treated" },
              "estimators": ["did", "sdid"],
              "replications": 5,
              "seed": 2,
              "designs": [ { "name": "no interactive part", "treatedUnits": 5, "treatedPeriods": 6, "interactive": false } ]
            }
            """);
        var run = Tool.Run("simulate", Path.Combine(dir, "settings.json"), "--json", "--out", Path.Combine(dir, "out"));

        run.Code.Should().Be(0, run.Error);
        var model = FactorModel.Fit(Datasets.CaliforniaSmoking());
        var library = new EstimatorComparison
        {
            Estimators = [new DifferenceInDifferences(), new SyntheticDifferenceInDifferences()],
            Designs = [new SimulationDesign { Model = model, Name = "no interactive part", TreatedUnits = 5, TreatedPeriods = 6, Interactive = false }],
            Replications = 5, Seed = 2,
        }.Run();
        run.Json.GetProperty("comparison").GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("rmse").GetDouble())
            .Should().Equal(library.Rows.Select(r => r.Rmse));
        File.ReadAllText(Path.Combine(dir, "out", "comparison.csv")).Should().Be(library.ToCsv());
        File.Exists(Path.Combine(dir, "out", "charts", "comparison.svg")).Should().BeTrue();

        File.WriteAllText(Path.Combine(dir, "bad.json"), """{ "panel": { "dataset": "california" }, "replicatons": 5 }""");
        Tool.Run("simulate", Path.Combine(dir, "bad.json")).Should().Match<Tool.Outcome>(o => o.Code == 2 && o.Error.Contains("replicatons"));
    }

    [Fact]
    public void The_event_study_is_the_librarys()
    {
        var run = Tool.Run(["event-study", Tool.Staggered, .. Tool.StaggeredColumns, "--estimator", "did", "--se", "bootstrap", "-r", "20", "--seed", "4", "--json"]);

        run.Code.Should().Be(0, run.Error);
        var data = PanelData.ReadCsv(Tool.Staggered, "county", "year", "y", adoption: "first_treat");
        var study = new DifferenceInDifferences().Estimate(data).EventStudy(new BootstrapVariance { Replications = 20, Seed = 4 });
        var points = run.Json.GetProperty("eventStudy").GetProperty("points").EnumerateArray().ToArray();
        points.Select(p => (p.GetProperty("eventTime").GetInt32(), p.GetProperty("effect").GetDouble(), p.GetProperty("standardError").GetDouble()))
            .Should().Equal(study.Points.Select(p => (p.EventTime, p.Effect, p.StandardError)));
        run.Json.GetProperty("eventStudy").GetProperty("preTrendTest").GetProperty("pValue").GetDouble().Should().Be(study.PreTrendTest!.PValue);
    }
}
