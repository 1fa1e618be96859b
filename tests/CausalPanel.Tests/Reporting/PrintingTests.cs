using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Reporting;

/// <summary>
/// <c>Console.WriteLine(x)</c> of every public result, variance result, table and comparison prints its human
/// summary: never the compiler's record dump (<c>Name { A = …, List = System.Collections.Generic.List`1[…] }</c>),
/// never an exception.
/// </summary>
public class PrintingTests
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();

    /// <summary>Staggered adoption in two cohorts: eight never-treated units, two adopting in period 5, one in period 7.</summary>
    private static readonly PanelData Staggered = RandomPanels.Staggered(7, [-1, -1, -1, -1, -1, -1, -1, -1, 5, 5, 7], 10);

    public static TheoryData<string, string> EveryEstimatorOnBothPanels()
    {
        var data = new TheoryData<string, string>();
        foreach (var panel in new[] { "California", "staggered" })
            foreach (var estimator in new[] { "DiD", "SC", "DIFP", "SDID", "MC", "DWCP" })
                data.Add(estimator, panel);
        return data;
    }

    private static IEstimator Estimator(string name) => name switch
    {
        "DiD" => new DifferenceInDifferences(),
        "SC" => new SyntheticControl(),
        "DIFP" => new SyntheticControlWithIntercept(),
        "SDID" => new SyntheticDifferenceInDifferences(),
        "MC" => new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = 5 }),
        _ => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 2.4, LambdaTime = 0.9, LambdaNuclear = double.PositiveInfinity }),
    };

    private static PanelData Panel(string name) => name == "California" ? California : Staggered;

    private static string Printed(object value)
    {
        using var console = new StringWriter(CultureInfo.InvariantCulture);
        console.WriteLine(value);   // what Console.WriteLine(value) writes
        return console.ToString();
    }

    private static string G6(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>What the compiler's record ToString leaves behind: "Name { A = 1, … }", type names of lists and arrays.</summary>
    private static void ShouldNotBeADump(string text) =>
        text.Should().NotContain("{ ").And.NotContain("System.").And.NotContain("`1").And.NotContain("CausalPanel.");

    [Theory]
    [MemberData(nameof(EveryEstimatorOnBothPanels))]
    public void Writing_a_result_prints_its_summary_not_the_record_dump(string estimator, string panel)
    {
        // Before: each derived record synthesised its own ToString over the base's ToString() => Summary(),
        // printing "DifferenceInDifferencesResult { … CellEffects = System.Collections.Generic.List`1[…] … }",
        // and for staggered SC/DIFP/SDID reading UnitWeights threw InvalidOperationException.
        var fit = Estimator(estimator).Estimate(Panel(panel));
        var printed = FluentActions.Invoking(() => Printed(fit)).Should().NotThrow().Subject;
        printed.Should().Be(fit.Summary() + Environment.NewLine);
        printed.Should().StartWith($"{estimator}: ATT = {G6(fit.Att)} over {fit.CellEffects.Count} treated cells");
        ShouldNotBeADump(printed);
    }

    [Fact]
    public void California_summaries_show_the_papers_estimates_design_and_tuning()
    {
        // SDID paper Table 1 / R synthdid on Prop 99: SDID −15.6038, SC −19.6197, DiD −27.3491.
        var sdid = Printed(new SyntheticDifferenceInDifferences().Estimate(California));
        sdid.Should().StartWith("SDID: ATT = -15.6038 over 12 treated cells")
            .And.Contain("block design: N = 39 units (N1 = 1 treated, N0 = 38 never treated), T = 31 periods 1970–2000 (T0 = 19 before 1989, T1 = 12 from it)")
            .And.Contain("effective controls 16.4 of 38, effective pre-periods 2.8 of 19").And.Contain("ζ_ω = ").And.Contain("ζ_λ = ")
            .And.Contain("top unit weights: Nevada 0.124").And.Contain("top time weights: 1988 0.427")
            .And.Contain("solver: Frank–Wolfe (synthdid)");
        Printed(new SyntheticControl().Estimate(California)).Should().StartWith("SC: ATT = -19.6197").And.NotContain("ζ_λ");
        Printed(new DifferenceInDifferences().Estimate(California)).Should().StartWith("DiD: ATT = -27.3491");

        var mc = (MatrixCompletionResult)Estimator("MC").Estimate(California);
        Printed(mc).Should().Contain($"λ = {G6(mc.Lambda)} (chosen by cross-validation over 5 values").And.Contain($"rank of L̂ = {mc.Rank}");
        Printed(new MatrixCompletion(new MatrixCompletionOptions { Lambda = 0.1 }).Estimate(California)).Should().Contain("λ = 0.1 (given)");
        Printed(Estimator("DWCP").Estimate(California)).Should().Contain("per-cell mode; λ_unit = 2.4, λ_time = 0.9, λ_nuclear = ∞ (given)");
    }

    [Theory]
    [InlineData("SC")]
    [InlineData("DIFP")]
    [InlineData("SDID")]
    public void Staggered_synthetic_summaries_have_a_line_per_cohort_with_its_estimate(string estimator)
    {
        var fit = (SyntheticWeightingResult)Estimator(estimator).Estimate(Staggered);
        var printed = Printed(fit);
        fit.Cohorts.Should().HaveCount(2);
        printed.Should().Contain("staggered design: N = 11 units (N1 = 3 treated, N0 = 8 never treated), T = 10 periods")
            .And.Contain("2 adoption cohorts").And.Contain("treated-cell-weighted mean of 2 cohort estimates");
        foreach (var cohort in fit.Cohorts)
        {
            var line = $"cohort {cohort.AdoptionPeriod} ({cohort.TreatedUnits.Count} unit{(cohort.TreatedUnits.Count == 1 ? "" : "s")}, {cohort.TreatedCells} treated cells): τ̂ = {G6(cohort.Att)}";
            printed.Should().Contain(line);
            Printed(cohort).Should().StartWith(line).And.Contain("effective controls").And.Contain("unit-weight solver:");
        }
        // The ATT is the treated-cell-weighted mean of the cohort lines (Clarke et al. 2023).
        fit.Att.Should().BeApproximately(fit.Cohorts.Sum(c => c.Att * c.TreatedCells) / fit.Cohorts.Sum(c => c.TreatedCells), 1e-12);
    }

    [Fact]
    public void Variance_results_tables_and_comparisons_print_their_numbers()
    {
        var sdid = new SyntheticDifferenceInDifferences().Estimate(California);
        var placebo = sdid.WithVariance(new UnitPlaceboVariance());
        var text = Printed(placebo);
        text.Should().StartWith($"Unit placebo (conditional on periods): ATT = -15.6038, SE = {G6(placebo.StandardError)}, 95% CI [{G6(placebo.ConfidenceInterval.Lower)}, {G6(placebo.ConfidenceInterval.Upper)}] (normal)")
            .And.Contain("38 replicates").And.Contain("(placebo quantiles), placebo rank p = ");
        ShouldNotBeADump(text);

        var undefined = sdid.WithVariance(new JackknifeVariance());
        Printed(undefined).Should().Contain("ATT = -15.6038, standard error undefined — ").And.Contain("two treated units");

        var rescaled = Printed(new DifferenceInDifferences().Estimate(Staggered).WithVariance(new ConditionalVariance { Replications = 20, Seed = 1 }));
        rescaled.Should().StartWith("Conditional on units and periods: ATT = ").And.Contain("Student t").And.Contain("20 replicates");
        ShouldNotBeADump(rescaled);

        Printed(placebo.ConfidenceInterval).Should().StartWith($"95% CI [{G6(placebo.ConfidenceInterval.Lower)}, ");

        var table = Printed(EstimateTable.Of([sdid], [placebo]));
        table.Should().Contain(sdid.Att.ToString("G4", CultureInfo.InvariantCulture)).And.Contain("Std. error");
        ShouldNotBeADump(table);

        var comparison = new EstimatorComparison
        {
            Estimators = [new DifferenceInDifferences(), new SyntheticDifferenceInDifferences()],
            Designs = [new SimulationDesign { Name = "baseline", Model = FactorModel.Fit(California), TreatedUnits = 3, TreatedPeriods = 5 }],
            Replications = 3,
        };
        var result = comparison.Run();
        var row = result["baseline", "SDID"];
        Printed(result).Should().Contain(row.Rmse.ToString("F4", CultureInfo.InvariantCulture));
        Printed(row).Should().StartWith($"SDID on baseline: RMSE {G6(row.Rmse)} (MC s.e. {G6(row.RmseStandardError)}), bias {G6(row.Bias)}; 3 of 3 estimated");
        Printed(comparison).Should().StartWith("EstimatorComparison { Estimators = [DiD, SDID], Designs = [SimulationDesign { Model = Factor model of 39 units × 31 periods, rank 4");
        ShouldNotBeADump(Printed(row));
    }

    [Fact]
    public void Panels_patterns_cohorts_models_solvers_and_options_print_readably()
    {
        Printed(California.Pattern).Should().Be(California.Pattern.Describe() + Environment.NewLine);
        Printed(Staggered.Pattern.Cohorts[0]).Should().Be($"{Staggered.Pattern.Cohorts[0].Period} (2 units): '{Staggered.Units[8]}', '{Staggered.Units[9]}'{Environment.NewLine}");

        var model = FactorModel.Fit(California);
        Printed(model).Should().StartWith("Factor model of 39 units × 31 periods, rank 4: additive ")
            .And.Contain($"AR(2) noise φ = ({model.ArCoefficients[0]:0.00}, {model.ArCoefficients[1]:0.00})");

        Printed(new SolverDiagnostics("Frank–Wolfe (synthdid)", 10100, false, 9.5)).Should().Be($"Frank–Wolfe (synthdid), 10100 iterations, stopped at the cap (objective 9.5){Environment.NewLine}");
        Printed(new SolverDiagnostics("Cholesky (exact)", 1, true)).Should().Be($"Cholesky (exact), 1 iteration{Environment.NewLine}");

        Printed(new DwcpOptions()).Should().Contain("LambdaUnitGrid = [0, 0.1, 0.2, 0.4, 0.6, 0.8, 1.2, 1.6, … (10 in all)]").And.Contain("LambdaNuclearGrid = [∞, 2, 1,");
        Printed(new SyntheticWeightingOptions { UnitWeights = [0.5, 0.5] }).Should().Contain("UnitWeights = [0.5, 0.5]");
        var bootstrap = Printed(new BootstrapVariance { Replications = 50, Seed = 3, Draws = (_, _) => [] });
        bootstrap.Should().StartWith("BootstrapVariance { MaxDegreeOfParallelism = -1, Progress = null, Executor = null, Checkpoint = null, Name = Bootstrap, Target = ConditionalOnPeriods, Replications = 50, Seed = 3")
            .And.Contain("Draws = custom");
        Regex.Count(bootstrap, "Name = ").Should().Be(1, "an overridden property prints once");
        foreach (var text in new[] { Printed(new DwcpOptions()), bootstrap })
            text.Should().NotContain("System.").And.NotContain("`1");
    }

    /// <summary>
    /// Public records that keep the compiler's <c>Name { A = 1, B = x }</c> form, because it is readable: every
    /// property is a number, string, enum, bool or a type with its own ToString (checked below). Small values
    /// (an effect, a weight, a point of a curve) and options without lists.
    /// </summary>
    private static readonly Type[] ReadableAsRecords =
    [
        typeof(TreatedCellEffect), typeof(PeriodEffect), typeof(EventTimeEffect), typeof(TrajectoryPoint),
        typeof(LabelledWeight), typeof(CrossValidationPoint), typeof(DwcpTuningPoint), typeof(EventStudyPoint),
        typeof(MatrixCompletionOptions), typeof(WorkGridCell), typeof(WorkEstimateOutcome),
    ];

    /// <summary>Public classes that may print their type name: estimators (stateless, named by their type), the matrices (print the panel's Describe()).</summary>
    private static readonly Type[] ClassesPrintingTheirName = [typeof(OutcomeMatrix), typeof(TreatmentMatrix)];

    private static bool IsRecord(Type type) =>
        type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly, [typeof(System.Text.StringBuilder)]) is not null;

    private static MethodInfo ToStringOf(Type type) => type.GetMethod(nameof(ToString), Type.EmptyTypes)!;

    private static bool IsSynthesised(MethodInfo method) => method.IsDefined(typeof(CompilerGeneratedAttribute));

    [Fact]
    public void A_new_public_record_must_print_a_summary_or_be_readable_as_a_record()
    {
        var exported = typeof(PanelData).Assembly.GetExportedTypes();
        var records = exported.Where(IsRecord).ToArray();
        records.Should().Contain([typeof(EstimationResult), typeof(SyntheticWeightingResult), typeof(VarianceResult), typeof(SolverDiagnostics)]);
        ReadableAsRecords.Should().OnlyContain(t => records.Contains(t), "every exemption is a public record (remove stale ones)");

        var dumps = records.Where(t => !ReadableAsRecords.Contains(t) && IsSynthesised(ToStringOf(t))).Select(t => t.Name).ToArray();
        dumps.Should().BeEmpty("a public record's synthesised ToString prints lists as type names; give it a summary (or, for options, SummaryText.Record) or, if every property prints readably, list it in ReadableAsRecords");

        static bool Printable(Type t)
        {
            t = Nullable.GetUnderlyingType(t) ?? t;
            if (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateTime) || t == typeof(DateOnly)) return true;
            var own = ToStringOf(t);
            return own.DeclaringType != typeof(object) && own.DeclaringType != typeof(ValueType) && !IsSynthesised(own);
        }
        foreach (var type in ReadableAsRecords)
            type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract")
                .Where(p => !Printable(p.PropertyType)).Select(p => $"{type.Name}.{p.Name}")
                .Should().BeEmpty("a record kept in the compiler's form must have only properties that print readably");

        // Classes: results, tables and comparisons declare ToString; estimators, exceptions, static classes and the listed ones need not.
        var silent = exported.Where(t => t.IsClass && !t.IsAbstract && !IsRecord(t) && !typeof(Exception).IsAssignableFrom(t)
                && !typeof(IEstimator).IsAssignableFrom(t) && !ClassesPrintingTheirName.Contains(t) && ToStringOf(t).DeclaringType == typeof(object))
            .Select(t => t.Name).ToArray();
        silent.Should().BeEmpty("a public class that users print needs a ToString summary");
        foreach (var type in new[] { typeof(PanelData), typeof(TreatmentPattern), typeof(EstimateTable), typeof(ComparisonResult), typeof(FactorModel) })
            ToStringOf(type).DeclaringType.Should().Be(type);
    }

    [Fact]
    public void Derived_results_inherit_the_sealed_summary_instead_of_synthesising_a_dump()
    {
        foreach (var type in typeof(PanelData).Assembly.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(EstimationResult))))
            ToStringOf(type).DeclaringType.Should().Be(typeof(EstimationResult), $"{type.Name} must not declare its own ToString");
        ToStringOf(typeof(EstimationResult)).IsFinal.Should().BeTrue();
    }
}
