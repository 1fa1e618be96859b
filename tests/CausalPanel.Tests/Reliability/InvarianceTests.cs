using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Reliability;

/// <summary>
/// What theory says about transformations of the outcome, for all six estimators: every estimator has unit
/// (or synthetic-weight) and period terms, so adding a constant to every outcome leaves the ATT unchanged;
/// all are positively homogeneous, so multiplying the outcomes by c multiplies the ATT by c (with MC-NNM's λ
/// scaled by c, since its penalty is on the outcome scale; DWCP standardises and its ζ-free penalties need no
/// change); and a panel is the same whatever order its long rows arrive in.
/// </summary>
public class InvarianceTests(ITestOutputHelper output)
{
    private static double Att(int estimator, PanelData data, double scale = 1) => ReliabilityPanels.Estimators(scale)[estimator].Estimate(data).Att;

    [Theory]
    [MemberData(nameof(ReliabilityPanels.EstimatorIndices), MemberType = typeof(ReliabilityPanels))]
    public void Adding_a_constant_to_every_outcome_leaves_the_att_unchanged(int estimator)
    {
        var att = Att(estimator, ReliabilityPanels.Block());
        foreach (var shift in new[] { -37.5, 100 })
        {
            var shifted = Att(estimator, ReliabilityPanels.Block(shift: shift));
            output.WriteLine($"{ReliabilityPanels.Estimators()[estimator].Name} shift {shift}: {att:R} vs {shifted:R}");
            shifted.Should().BeApproximately(att, 1e-8 * Math.Max(1, Math.Abs(att)));
        }
    }

    [Theory]
    [MemberData(nameof(ReliabilityPanels.EstimatorIndices), MemberType = typeof(ReliabilityPanels))]
    public void Multiplying_the_outcomes_by_c_multiplies_the_att_by_c(int estimator)
    {
        var att = Att(estimator, ReliabilityPanels.Block());
        foreach (var c in new[] { 1e-12, 0.37, 1e12 })
        {
            var scaled = Att(estimator, ReliabilityPanels.Block(scale: c), c);
            output.WriteLine($"{ReliabilityPanels.Estimators()[estimator].Name} × {c}: {att:R} vs {scaled / c:R}");
            (scaled / c).Should().BeApproximately(att, 1e-8 * Math.Max(1, Math.Abs(att)));
        }
    }

    [Theory]
    [MemberData(nameof(ReliabilityPanels.EstimatorIndices), MemberType = typeof(ReliabilityPanels))]
    public void The_order_of_long_rows_does_not_matter(int estimator)
    {
        var data = ReliabilityPanels.Block();
        var rows = new List<(string Unit, string Period, double Y, bool W)>();
        for (var i = 0; i < data.UnitCount; i++)
            for (var s = 0; s < data.PeriodCount; s++) rows.Add((data.Units[i], data.Periods[s], data.Outcomes[i, s], data.Treatment[i, s]));
        var att = Att(estimator, PanelData.FromLong(rows, r => r.Unit, r => r.Period, r => r.Y, r => r.W));
        var random = new Random(3);
        for (var draw = 0; draw < 3; draw++)
        {
            var shuffled = rows.OrderBy(_ => random.Next()).ToList();
            Att(estimator, PanelData.FromLong(shuffled, r => r.Unit, r => r.Period, r => r.Y, r => r.W)).Should().Be(att);
        }
    }
}
