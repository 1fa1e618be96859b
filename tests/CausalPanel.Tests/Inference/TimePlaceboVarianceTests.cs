using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Inference;

public class TimePlaceboVarianceTests
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();

    [Fact]
    public void DiD_windows_are_two_by_two_differences_of_means_and_the_interval_is_Student_t()
    {
        // California: T0 = 19, T1 = 12, MinPrePeriods = 2 → windows starting 1972..1977 (K = 6), each on the periods up to its end.
        var result = new DifferenceInDifferences().Estimate(California).WithVariance(new TimePlaceboVariance());
        int cal = California.UnitIndex("California");
        double Mean(Func<int, bool> unit, int from, int to) =>
            Enumerable.Range(0, 39).Where(unit).SelectMany(i => Enumerable.Range(from, to - from).Select(t => California.Outcomes[i, t])).Average();
        var expected = Enumerable.Range(2, 6).Select(start =>
            Mean(i => i == cal, start, start + 12) - Mean(i => i == cal, 0, start)
            - (Mean(i => i != cal, start, start + 12) - Mean(i => i != cal, 0, start))).ToArray();

        result.Target.Should().Be(VarianceTarget.ConditionalOnUnits);
        result.Replicates.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-9);
        result.StandardError.Should().BeApproximately(Math.Sqrt(expected.Average(e => e * e)), 1e-9);
        result.DegreesOfFreedom.Should().Be(5);
        const double t975With5Df = 2.570581835636314;
        result.ConfidenceInterval.Upper.Should().BeApproximately(result.Estimate + t975With5Df * result.StandardError, 1e-9);
        result.ReplicateLabels[0].Should().Be("placebo 1972–1983");
    }

    [Fact]
    public void Synthetic_DiD_refits_its_weights_on_each_window_and_symmetric_mode_serves_imputation_estimators()
    {
        var sdid = new SyntheticDifferenceInDifferences().Estimate(California).WithVariance(new TimePlaceboVariance());
        sdid.IsDefined.Should().BeTrue();
        sdid.Replicates.Should().HaveCount(6).And.OnlyContain(e => double.IsFinite(e));

        var symmetric = new DifferenceInDifferences().Estimate(California).WithVariance(new TimePlaceboVariance { Symmetric = true });
        symmetric.Replicates.Should().HaveCount(6).And.OnlyContain(e => double.IsFinite(e));
        // Switching placebo windows are not a block design, which SC/SDID refuse: the variance is undefined, with their reason.
        var refused = new SyntheticControl().Estimate(California).WithVariance(new TimePlaceboVariance { Symmetric = true });
        refused.IsDefined.Should().BeFalse();
        refused.UndefinedReason.Should().Contain("replicate 1 of 6 could not be estimated").And.Contain("switch");
    }

    [Fact]
    public void Too_short_a_pre_period_is_undefined_not_an_error()
    {
        var fit = new DifferenceInDifferences().Estimate(PatternPanels.Parse("00011 00011 00000 00000"));
        var result = fit.WithVariance(new TimePlaceboVariance());
        result.IsDefined.Should().BeFalse();
        result.UndefinedReason.Should().Contain("T0 = 3, T1 = 2");
    }
}
