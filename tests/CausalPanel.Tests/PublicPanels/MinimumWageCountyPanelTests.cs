namespace CausalPanel.Tests.PublicPanels;

/// <summary>
/// The county minimum-wage panel of the R <c>did</c> package (<c>mpdta</c>: log teen employment <c>lemp</c> of 500 counties,
/// 2003–2007, adoption period <c>first.treat</c> with 0 = never treated; Callaway and Sant'Anna 2021), read as it comes.
/// Outside numbers: the Borusyak–Jaravel–Spiess imputation ATT computed independently in R (OLS of lemp on county and year
/// dummies over the untreated cells, <c>lm</c>, then the mean of Y − Ŷ(0) over the 291 treated cells), and Callaway and
/// Sant'Anna's ATT(g, t) and group effect for the 2004 cohort with never-treated controls as the <c>did</c> README prints
/// them (<c>att_gt</c>, <c>aggte(type = "group")</c>).
/// </summary>
public class MinimumWageCountyPanelTests
{
    private const string File = "mpdta.csv";
    private const string Source = "R: write.csv(did::mpdta, 'mpdta.csv', row.names = FALSE), or data-raw/mpdta.csv of github.com/bcallaway11/did";

    private static PanelData Read(Func<string, bool>? keepAdoption = null, string[]? covariates = null)
    {
        var lines = System.IO.File.ReadAllLines(PublicData.PathOf(File));
        var adoption = Array.FindIndex(lines[0].Split(','), h => h.Trim('"') == "first.treat");
        var kept = lines.Take(1).Concat(lines.Skip(1).Where(l => keepAdoption?.Invoke(l.Split(',')[adoption]) ?? true));
        return PanelData.ReadCsv(new StringReader(string.Join('\n', kept)), unit: "countyreal", time: "year", outcome: "lemp", adoption: "first.treat", covariates: covariates);
    }

    [PublicDataFact(File, Source)]
    public void The_file_reads_as_it_comes_with_first_treat_as_the_adoption_period()
    {
        var data = Read();
        data.UnitCount.Should().Be(500);
        data.Periods.Should().Equal("2003", "2004", "2005", "2006", "2007");
        data.Pattern.Cohorts.Select(c => (c.Period, c.Units.Count)).Should().Equal(("2004", 20), ("2006", 40), ("2007", 131));
        data.Pattern.NeverTreatedCount.Should().Be(309);
        data.Describe().Should().Contain("309 unit(s) are never treated ('first.treat' is '0')");
    }

    [PublicDataFact(File, Source)]
    public void DiD_imputation_equals_the_Borusyak_Jaravel_Spiess_estimate()
    {
        var fit = new DifferenceInDifferences().Estimate(Read());
        fit.Att.Should().BeApproximately(-0.0477099183, 1e-9);   // R lm, printed to 10 decimals
        fit.CellEffects.Should().HaveCount(291);
    }

    [PublicDataFact(File, Source)]
    public void DiD_on_the_2004_cohort_and_the_never_treated_counties_equals_Callaway_and_SantAnna()
    {
        var fit = new DifferenceInDifferences().Estimate(Read(g => g is "0" or "2004"));
        fit.EffectsByPeriod.Select(e => Math.Round(e.Effect, 4)).Should().Equal(-0.0105, -0.0704, -0.1373, -0.1008);   // ATT(2004, t)
        Math.Round(fit.Att, 4).Should().Be(-0.0797);                                                                  // group 2004
        fit.Att.Should().BeApproximately(-0.0797491266, 1e-9);                                                        // the same in R, 10 decimals
    }

    [PublicDataFact(File, Source)]
    public void ATT_g_t_of_the_2004_cohort_through_the_cohort_period_effects_is_Callaway_and_SantAnnas_two_by_two()
    {
        var data = Read(g => g is "0" or "2004");
        var effects = new DifferenceInDifferences().Estimate(data).CohortPeriodEffects(new BootstrapVariance { Replications = 50, Seed = 1 });

        effects.Effects.Select(e => (e.Cohort, e.Period)).Should().Equal(("2004", "2004"), ("2004", "2005"), ("2004", "2006"), ("2004", "2007"));
        effects.Effects.Select(e => Math.Round(e.Effect, 4)).Should().Equal(-0.0105, -0.0704, -0.1373, -0.1008);   // did::att_gt
        var cohort = data.Pattern.Cohorts[0].UnitIndices;
        var never = data.Pattern.NeverTreatedUnitIndices;
        double Mean(IEnumerable<int> units, int s) => units.Average(i => data.Outcomes[i, s]);
        for (var s = 1; s < 5; s++)
            effects.Effects[s - 1].Effect.Should().BeApproximately(Mean(cohort, s) - Mean(cohort, 0) - (Mean(never, s) - Mean(never, 0)), 1e-9);
        effects.Aggregate(AttAggregation.ByCohort).Effects.Single().Effect.Should().BeApproximately(-0.0797491266, 1e-9);   // aggte(type = "group")
        effects.Effects.Should().OnlyContain(e => e.StandardError > 0 && e.Lower < e.Effect && e.Effect < e.Upper);
    }

    [PublicDataFact(File, Source)]
    public void DiD_with_never_treated_controls_on_the_whole_panel_gives_Callaway_and_SantAnnas_2004_cohort()
    {
        // On all 500 counties: the 2006 and 2007 cohorts' pre-periods do not move the period effects, which come from the
        // 309 never-treated counties alone, and the 2004 cohort has one pre-period, so its ATT(g, t) is did's.
        var data = Read();
        var fit = new DifferenceInDifferences(new DifferenceInDifferencesOptions { ControlGroup = ControlGroup.NeverTreated }).Estimate(data);
        var effects = fit.CohortPeriodEffects(null);

        effects.Effects.Where(e => e.Cohort == "2004").Select(e => Math.Round(e.Effect, 4)).Should().Equal(-0.0105, -0.0704, -0.1373, -0.1008);   // did::att_gt
        effects.Aggregate(AttAggregation.ByCohort).Effects.First().Effect.Should().BeApproximately(-0.0797491266, 1e-9);                      // aggte(type = "group")

        // Every cohort: (Ȳ_g,t − mean_{s<g} Ȳ_g,s) − (Ȳ_NT,t − mean_{s<g} Ȳ_NT,s), did's 2×2 with the pre-period mean as base.
        var never = data.Pattern.NeverTreatedUnitIndices;
        double Mean(IEnumerable<int> units, int s) => units.Average(i => data.Outcomes[i, s]);
        foreach (var cohort in data.Pattern.Cohorts)
            foreach (var e in effects.Effects.Where(e => e.Cohort == cohort.Period && !e.IsLead))
            {
                var (g, s) = (cohort.PeriodIndex, data.PeriodIndex(e.Period));
                var expected = Mean(cohort.UnitIndices, s) - Enumerable.Range(0, g).Average(p => Mean(cohort.UnitIndices, p))
                    - (Mean(never, s) - Enumerable.Range(0, g).Average(p => Mean(never, p)));
                e.Effect.Should().BeApproximately(expected, 1e-9);
            }

        // Not-yet-treated controls (the default) also learn from the 2006 and 2007 cohorts' pre-periods: other numbers.
        var notYet = new DifferenceInDifferences().Estimate(data).CohortPeriodEffects(null);
        notYet.Effects.Where(e => e.Cohort == "2004").Zip(effects.Effects.Where(e => e.Cohort == "2004"), (a, b) => Math.Abs(a.Effect - b.Effect)).Max().Should().BeGreaterThan(1e-3);
    }

    [PublicDataFact(File, Source)]
    public void SDID_names_the_2004_cohort_and_runs_without_it_on_request()
    {
        var data = Read();
        FluentActions.Invoking(() => new SyntheticDifferenceInDifferences().Estimate(data))
            .Should().Throw<InsufficientDataException>().WithMessage("*2004*DropUnfittableCohorts*");

        var fit = new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { DropUnfittableCohorts = true }).Estimate(data);
        fit.DroppedCohorts.Should().ContainSingle().Which.Should().Match<DroppedCohort>(c => c.AdoptionPeriod == "2004" && c.TreatedCells == 80);
        fit.Warnings.Should().Contain(w => w.Contains("2004") && w.Contains("80"));
        fit.CellEffects.Should().HaveCount(291 - 80);
        fit.Cohorts.Select(c => c.AdoptionPeriod).Should().Equal("2006", "2007");
    }

    [PublicDataFact(File, Source)]
    public void The_time_invariant_population_is_refused_by_name_by_the_imputation_estimators()
    {
        var data = Read(covariates: ["lpop"]);
        IEstimator[] estimators = [new DifferenceInDifferences(), new MatrixCompletion(new MatrixCompletionOptions { Lambda = 0.01 }),
            new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0, LambdaTime = 0, LambdaNuclear = double.PositiveInfinity })];
        foreach (var estimator in estimators)
            FluentActions.Invoking(() => estimator.Estimate(data)).Should().Throw<CollinearCovariatesException>()
                .Which.Covariates.Should().Equal("lpop");
    }
}
