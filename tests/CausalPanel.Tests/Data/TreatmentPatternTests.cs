using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Data;

public class TreatmentPatternTests
{

    [Theory]
    [InlineData("0000 0000", TreatmentDesign.None)]
    [InlineData("0000 0011 0011", TreatmentDesign.Block)]
    [InlineData("0000 0011 0111", TreatmentDesign.Staggered)]
    [InlineData("0000 0110 0011", TreatmentDesign.General)]
    [InlineData("00000 001.1 00111", TreatmentDesign.Block)]
    public void Classifies_designs(string pattern, TreatmentDesign expected) =>
        PatternPanels.Parse(pattern).Pattern.Design.Should().Be(expected);

    [Fact]
    public void Exposes_cohorts_never_treated_units_pre_periods_and_event_times()
    {
        var p = PatternPanels.Parse("00000 00011 00111 00011 01111").Pattern;

        p.NeverTreatedUnits.Should().Equal("unit0");
        p.TreatedUnits.Should().Equal("unit1", "unit2", "unit3", "unit4");
        p.Cohorts.Select(c => c.Period).Should().Equal("2001", "2002", "2003");
        p.Cohorts[2].Units.Should().Equal("unit1", "unit3");
        p.PreTreatmentPeriodCount(2).Should().Be(2);
        p.FirstTreatedPeriodIndex(4).Should().Be(1);
        p.FirstTreatedPeriodIndex(0).Should().BeNull();
        p.EventTime(4, 4).Should().Be(3);
        p.EventTime(4, 0).Should().BeNull();
        p.PrePeriodCount.Should().Be(1);
    }

    [Fact]
    public void Event_time_restarts_with_each_treatment_spell()
    {
        var p = PatternPanels.Parse("000000 011011").Pattern;
        p.Design.Should().Be(TreatmentDesign.General);
        new[] { 1, 2, 4, 5 }.Select(t => p.EventTime(1, t)).Should().Equal(0, 1, 0, 1);
        p.SwitchingUnitIndices.Should().Equal(1);
    }

    [Fact]
    public void Describe_gives_N_T_N0_N1_T0_for_California()
    {
        var text = Datasets.CaliforniaSmoking().Describe();
        text.Should().Contain("Block design").And.Contain("39 units × 31 periods (1970–2000)")
            .And.Contain("N0 = 38").And.Contain("N1 = 1").And.Contain("T0 = 19").And.Contain("T1 = 12").And.Contain("California");
    }

    [Fact]
    public void Describe_lists_cohorts_of_a_staggered_design() =>
        PatternPanels.Parse("0000 0011 0111").Describe().Should().Contain("Staggered design").And.Contain("2 adoption cohorts: 2001 (1 unit); 2002 (1 unit)");
}
