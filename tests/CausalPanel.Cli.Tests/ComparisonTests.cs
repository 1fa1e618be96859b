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
              "designs": [ { "name": "no interactive part", "treatedUnits": 5, "treatedPeriods": 6, "interactive": false },
                           { "name": "staggered", "treatedPeriodsByUnit": [2, 2, 6], "assignment": "uniform" } ]
            }
            """);
        var run = Tool.Run("simulate", Path.Combine(dir, "settings.json"), "--json", "--out", Path.Combine(dir, "out"));

        run.Code.Should().Be(0, run.Error);
        var model = FactorModel.Fit(Datasets.CaliforniaSmoking());
        var library = new EstimatorComparison
        {
            Estimators = [new DifferenceInDifferences(), new SyntheticDifferenceInDifferences()],
            Designs = [new SimulationDesign { Model = model, Name = "no interactive part", TreatedUnits = 5, TreatedPeriods = 6, Interactive = false },
                       new SimulationDesign { Model = model, Name = "staggered", TreatedUnits = 3, TreatedPeriods = 6, TreatedPeriodsByUnit = [2, 2, 6], Assignment = AssignmentModel.Uniform }],
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

    [Fact]
    public void Compare_se_on_a_staggered_file_simulates_its_cohorts_unless_asked_for_a_block()
    {
        var run = Tool.Run(["compare-se", Tool.Staggered, .. Tool.StaggeredColumns, "-e", "did", "--se", "regression-two-way", "-r", "6", "--seed", "2", "--json"]);

        run.Code.Should().Be(0, run.Error);
        var data = PanelData.ReadCsv(Tool.Staggered, "county", "year", "y", adoption: "first_treat");
        var design = SimulationDesign.ForAdoption(data) with { Heteroskedasticity = Heteroskedasticity.TwoWay, Name = "two-way, 22 units in 3 cohorts" };
        design.TreatedPeriodsByUnit!.Should().HaveCount(data.Pattern.TreatedUnitCount);
        var library = new VarianceComparison
        {
            Estimators = [new DifferenceInDifferences()], Methods = [new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods }],
            Designs = [design], EffectSizes = [0.1, 0.2], Replications = 6, Seed = 2, PowerFromShift = true,
        }.Run();
        var row = run.Json.GetProperty("varianceComparison").GetProperty("rows")[0];
        row.GetProperty("design").GetString().Should().Be(design.Name);
        row.GetProperty("size").GetDouble().Should().Be(library.Rows[0].Size);
        row.GetProperty("sizeByNoiseTercile").EnumerateArray().Select(p => p.GetDouble()).Should().Equal(library.Rows[0].SizeByTercile);
        row.GetProperty("power")[1].GetDouble().Should().Be(library.Rows[0].Power[1]);

        var block = Tool.Run(["compare-se", Tool.Staggered, .. Tool.StaggeredColumns, "-e", "did", "--se", "regression", "-r", "6", "--treated-periods", "4"]);
        block.Code.Should().Be(0, block.Error);
        block.Out.Should().Contain("DiD on two-way, 22 × 4");
    }

    [Fact]
    public void Compare_se_gives_the_librarys_variance_comparison_with_effects_in_the_outcomes_units()
    {
        var dir = Tool.TempFolder();
        var run = Tool.Run(["compare-se", Tool.California, .. Tool.CaliforniaColumns, "-e", "did", "--se", "regression,regression-two-way,time-placebo",
            "-r", "8", "--seed", "3", "--effects", "5,10", "--json", "--out", dir]);

        run.Code.Should().Be(0, run.Error);
        var data = PanelData.ReadCsv(Tool.California, "State", "Year", "PacksPerCapita", treated: "treated");
        // The outcome's standard deviation over all cells (divisor N·T), by brute force: effects and lengths are reported in its units.
        var cells = Enumerable.Range(0, data.UnitCount).SelectMany(i => Enumerable.Range(0, data.PeriodCount).Select(t => data.Outcomes[i, t])).ToArray();
        var sd = Math.Sqrt(cells.Select(v => (v - cells.Average()) * (v - cells.Average())).Average());
        var library = new VarianceComparison
        {
            Estimators = [new DifferenceInDifferences()],
            Methods = [new RegressionVariance(), new RegressionVariance { On = VarianceTarget.ConditionalOnUnitsAndPeriods }, new TimePlaceboVariance { MaxDegreeOfParallelism = 1 }],
            // California: one treated state, treated from 1989 to 2000.
            Designs = [new SimulationDesign { Model = FactorModel.Fit(data), Name = "two-way, 1 × 12", TreatedUnits = 1, TreatedPeriods = 12,
                                              Assignment = AssignmentModel.Random, Heteroskedasticity = Heteroskedasticity.TwoWay }],
            EffectSizes = [5 / sd, 10 / sd], Replications = 8, Seed = 3, PowerFromShift = true,
        }.Run();
        var rows = run.Json.GetProperty("varianceComparison").GetProperty("rows").EnumerateArray().ToArray();
        rows.Select(r => (r.GetProperty("method").GetString(), r.GetProperty("size").GetDouble(), r.GetProperty("power")[1].GetDouble()))
            .Should().Equal(library.Rows.Select(r => ((string?)r.Method, r.Size, r.Power[1])));
        rows.Select(r => r.GetProperty("meanIntervalLength").GetDouble()).Should().Equal(library.Rows.Select(r => r.MeanIntervalLength * sd),
            (a, b) => Math.Abs(a - b) <= 1e-12 * b);
        rows[0].GetProperty("effects")[1].GetDouble().Should().BeApproximately(10, 1e-12);
        File.ReadAllText(Path.Combine(dir, "variance-comparison.csv")).Should().Be(library.ToCsv());
        File.Exists(Path.Combine(dir, "charts", "variance-power.svg")).Should().BeTrue();
        File.ReadAllText(Path.Combine(dir, "charts", "variance-power.vl.json")).Should().Be(VegaLite.VariancePower(library));

        // In text: the library's table, then per estimator the recommendation — here that 8 panels are too few for the rule.
        var text = Tool.Run(["compare-se", Tool.California, .. Tool.CaliforniaColumns, "-e", "did", "--se", "regression", "-r", "8", "--seed", "3"]);
        text.Code.Should().Be(0, text.Error);
        text.Out.Should().Contain("Regression (homoskedastic)").And.Contain("DiD on two-way, 1 × 12: too few simulated panels for the rule");
        text.Error.Should().Contain($"standard deviations of the outcome ({sd:G4})");
    }
}
