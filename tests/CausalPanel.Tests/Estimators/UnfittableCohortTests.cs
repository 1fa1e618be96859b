using CausalPanel.Tests.Support;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Estimators;

/// <summary>
/// Staggered SC, DIFP and SDID fit each adoption cohort against the never-treated units over its own pre-period. A
/// cohort with no pre-period, or too few for the noise level σ̂, cannot be fitted: the error names it, and
/// <see cref="SyntheticWeightingOptions.DropUnfittableCohorts"/> leaves it out with a warning instead.
/// </summary>
public class UnfittableCohortTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names() => ["SC", "DIFP", "SDID"];

    private static SyntheticWeightingEstimator Make(string name, bool drop = false)
    {
        var options = new SyntheticWeightingOptions { DropUnfittableCohorts = drop };
        return name switch
        {
            "SC" => new SyntheticControl(options),
            "DIFP" => new SyntheticControlWithIntercept(options),
            _ => new SyntheticDifferenceInDifferences(options),
        };
    }

    // Period labels are "1".."8": adoption at column c is period c + 1. Units 7-8 adopt in '2' (one pre-period, so no
    // first difference of the controls before it), unit 6 in '1' (treated from the first period).
    private static readonly int[] Adoption = [-1, -1, -1, -1, -1, -1, 0, 1, 1, 3, 3, 5, -1];
    private static readonly PanelData Panel = RandomPanels.Staggered(seed: 31, Adoption, periods: 8);

    private static PanelData WithoutUnits(PanelData data, Func<int, bool> drop)
    {
        var keep = Enumerable.Range(0, data.UnitCount).Where(i => !drop(i)).ToArray();
        var y = new double[keep.Length, data.PeriodCount];
        var w = new bool[keep.Length, data.PeriodCount];
        for (var r = 0; r < keep.Length; r++)
            for (var s = 0; s < data.PeriodCount; s++) (y[r, s], w[r, s]) = (data.Outcomes[keep[r], s], data.Treatment[keep[r], s]);
        return PanelData.FromMatrices(y, w, keep.Select(i => data.Units[i]), data.Periods);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_cohort_with_one_pre_period_is_named_with_the_way_out(string name)
    {
        var data = WithoutUnits(Panel, i => Adoption[i] == 0);
        FluentActions.Invoking(() => Make(name).Estimate(data)).Should().Throw<InsufficientDataException>()
            .WithMessage("*cohort adopting in '2' (2 units*noise level*1 pre-period*DropUnfittableCohorts = true*NoiseLevel*");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_cohort_treated_from_the_first_period_is_named_with_the_way_out(string name)
    {
        var data = WithoutUnits(Panel, i => Adoption[i] == 1);
        FluentActions.Invoking(() => Make(name).Estimate(data)).Should().Throw<NoPreTreatmentPeriodException>()
            .WithMessage("*cohort adopting in '1' (1 unit*'7'*first period*DropUnfittableCohorts = true*")
            .Which.Units.Should().Equal("7");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Dropping_unfittable_cohorts_estimates_the_others_as_if_their_units_were_absent(string name)
    {
        // Each cohort is fitted against the never-treated units only, so the fit without the two unfittable cohorts
        // equals the fit of the panel from which their units are removed.
        var fit = Make(name, drop: true).Estimate(Panel);
        var reference = Make(name).Estimate(WithoutUnits(Panel, i => Adoption[i] is 0 or 1));
        output.WriteLine(string.Join("\n", fit.Warnings));

        fit.Att.Should().Be(reference.Att);
        fit.CellEffects.Should().HaveCount(reference.CellEffects.Count).And.HaveCount(2 * 5 + 3);
        fit.Cohorts.Select(c => c.AdoptionPeriod).Should().Equal("4", "6");
        fit.DroppedCohorts.Select(c => (c.AdoptionPeriod, c.Units.Count, c.TreatedCells)).Should().Equal(("1", 1, 8), ("2", 2, 14));
        fit.DroppedCohorts.Should().OnlyContain(c => c.Reason.Length > 0);
        fit.Warnings.Should().Contain(w => w.Contains("cohort adopting in '1'") && w.Contains("8 treated cells") && w.Contains("left out"))
            .And.Contain(w => w.Contains("cohort adopting in '2'") && w.Contains("14 treated cells") && w.Contains("left out"));
    }

    [Fact]
    public void When_every_cohort_is_unfittable_the_error_names_them_all()
    {
        var data = RandomPanels.Staggered(seed: 3, [-1, -1, -1, -1, 0, 1, 1], periods: 6);
        foreach (var drop in new[] { false, true })
            FluentActions.Invoking(() => Make("SDID", drop).Estimate(data)).Should().Throw<NoPreTreatmentPeriodException>()
                .WithMessage("*'1'*'2'*no cohort*left*");
    }

    [Fact]
    public void Variance_replicates_drop_the_same_cohorts()
    {
        // The replicates re-run the estimator with its options, so the placebo units that take over the unfittable
        // cohort's adoption period are left out again; with a single fittable cohort left, the fixed-weight
        // jackknife (one set of weights per cohort) is undefined rather than a crash.
        var data = RandomPanels.Staggered(seed: 8, [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, 1, 3, 3, 5, 5], periods: 8);
        var fit = Make("SDID", drop: true).Estimate(data);
        fit.DroppedCohorts.Should().ContainSingle();

        var placebo = fit.WithVariance(new UnitPlaceboVariance { Replications = 30, Seed = 2 });
        var bootstrap = fit.WithVariance(new BootstrapVariance { Replications = 30, Seed = 2 });
        output.WriteLine($"placebo SE {placebo.StandardError}, bootstrap SE {bootstrap.StandardError}");
        placebo.IsDefined.Should().BeTrue(placebo.UndefinedReason);
        bootstrap.IsDefined.Should().BeTrue(bootstrap.UndefinedReason);
        placebo.StandardError.Should().BeGreaterThan(0);
        bootstrap.StandardError.Should().BeGreaterThan(0);

        var single = Make("SDID", drop: true).Estimate(RandomPanels.Staggered(seed: 8, [-1, -1, -1, -1, -1, -1, -1, 1, 1, 4, 4], periods: 8));
        single.Cohorts.Should().ContainSingle();
        single.WithVariance(new JackknifeVariance()).IsDefined.Should().BeFalse();
        single.WithVariance(new UnitPlaceboVariance { Replications = 20 }).IsDefined.Should().BeTrue();
        single.WithVariance(new BootstrapVariance { Replications = 20 }).IsDefined.Should().BeTrue();
    }
}
