namespace CausalPanel.Tests.Data;

/// <summary>Shapes and treated counts as documented in ../shared/data/README.md.</summary>
public class DatasetsTests
{
    [Fact]
    public void California_is_39_states_by_1970_2000_with_California_treated_from_1989()
    {
        var d = Datasets.CaliforniaSmoking();
        (d.UnitCount, d.PeriodCount).Should().Be((39, 31));
        d.Pattern.Design.Should().Be(TreatmentDesign.Block);
        d.Pattern.TreatedUnits.Should().Equal("California");
        d.Pattern.Cohorts[0].Period.Should().Be("1989");
        d.Outcomes[d.UnitIndex("Alabama"), 0].Should().Be(89.80000305);
    }

    [Theory]
    [InlineData("min_wage", 8)]
    [InlineData("open_carry", 25)]
    [InlineData("abort_ban", 18)]
    public void Cps_is_50_states_by_1979_2018_with_the_policy_states_treated(string treatment, int treated)
    {
        var d = Datasets.Cps("log_wage", treatment);
        (d.UnitCount, d.PeriodCount).Should().Be((50, 40));
        d.Periods[^1].Should().Be("2018");
        d.Pattern.TreatedUnitCount.Should().Be(treated);
        d.Treatment.TreatedCount.Should().Be(treated);
    }

    [Fact]
    public void Cps_can_treat_the_policy_states_over_the_last_ten_years()
    {
        var d = Datasets.Cps("urate", "min_wage", treatedPeriods: 10);
        d.Treatment.TreatedCount.Should().Be(80);
        d.Pattern.Cohorts.Single().Period.Should().Be("2009");
    }

    [Theory]
    [InlineData("dem", 29)]
    [InlineData("educ", 14)]
    public void Penn_world_table_is_111_countries_by_1960_2007(string treatment, int treated)
    {
        var d = Datasets.PennWorldTable(treatment);
        (d.UnitCount, d.PeriodCount).Should().Be((111, 48));
        d.Pattern.TreatedUnitCount.Should().Be(treated);
    }

    [Fact]
    public void Basque_is_17_regions_by_1955_1997_with_the_Basque_Country_treated_from_1970()
    {
        var d = Datasets.Basque();
        (d.UnitCount, d.PeriodCount).Should().Be((17, 43));
        d.Units.Should().NotContain("Spain (Espana)");
        d.Pattern.TreatedUnits.Should().Equal("Basque Country (Pais Vasco)");
        d.Pattern.Cohorts[0].Period.Should().Be("1970");
        d.Pattern.Cohorts[0].PeriodIndex.Should().Be(15);
        d.Outcomes[d.UnitIndex("Andalucia"), 0].Should().Be(1.6887318301425598);
    }

    [Fact]
    public void Germany_is_17_countries_by_1960_2003_with_West_Germany_treated_from_1990()
    {
        // pysyncon data/germany.csv @ e8c75d90: 748 rows; USA 1960 gdp 2879, West Germany 1990 20465 and 2003 28855.
        var d = Datasets.Germany();
        (d.UnitCount, d.PeriodCount).Should().Be((17, 44));
        (d.Periods[0], d.Periods[^1]).Should().Be(("1960", "2003"));
        d.Pattern.TreatedUnits.Should().Equal("West Germany");
        d.Pattern.Cohorts.Single().Period.Should().Be("1990");
        d.Pattern.Cohorts[0].PeriodIndex.Should().Be(30);
        d.Outcomes[d.UnitIndex("USA"), 0].Should().Be(2879);
        d.Outcomes[d.UnitIndex("West Germany"), 30].Should().Be(20465);
        d.Outcomes[d.UnitIndex("West Germany"), 43].Should().Be(28855);
    }

    [Fact]
    public void Unknown_columns_are_refused_with_the_valid_choices()
    {
        var act = () => Datasets.Cps("wage");
        act.Should().Throw<ArgumentException>().WithMessage("*'wage'*log_wage*hours*urate*");
    }
}
