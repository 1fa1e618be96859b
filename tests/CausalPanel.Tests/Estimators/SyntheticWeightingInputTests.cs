using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Estimators;

/// <summary>Closed forms and refusals of the weighting estimators.</summary>
public class SyntheticWeightingInputTests
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();


    public static TheoryData<IEstimator> All() => [new SyntheticControl(), new SyntheticControlWithIntercept(), new SyntheticDifferenceInDifferences()];

    [Fact]
    public void SDID_with_uniform_weights_held_fixed_is_DiD()
    {
        // Arkhangelsky et al. (2021) Eq. 1.1 with ω = 1/N0, λ = 1/T0 is the TWFE estimator (synthdid::did_estimate).
        var fixedUniform = new SyntheticWeightingOptions
        {
            UnitWeights = Enumerable.Repeat(1.0 / 38, 38).ToArray(), UpdateUnitWeights = false,
            TimeWeights = Enumerable.Repeat(1.0 / 19, 19).ToArray(), UpdateTimeWeights = false,
        };
        var sdid = new SyntheticDifferenceInDifferences(fixedUniform).Estimate(California);

        sdid.Att.Should().BeApproximately(-27.349111083614986, 1e-9);
        sdid.Cohorts[0].UnitWeightSolver.Should().BeNull();
    }

    [Fact]
    public void SC_is_the_post_period_gap_to_the_weighted_controls()
    {
        // λ = 0: τ = mean_post(Y_cal) − Σ ω_j mean_post(Y_j), from the reported weights.
        var sc = new SyntheticControl().Estimate(California);
        int cal = California.UnitIndex("California");
        var expected = Enumerable.Range(19, 12).Average(t => California.Outcomes[cal, t] - sc.UnitWeights.Sum(w => w.Weight * California.Outcomes[w.Index, t]));
        sc.Att.Should().BeApproximately(expected, 1e-10);
        sc.UnitWeights.Sum(w => w.Weight).Should().BeApproximately(1, 1e-12);
        sc.UnitWeights.Should().OnlyContain(w => w.Weight >= 0);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Switching_treatment_is_refused_naming_the_estimators_that_handle_it(IEstimator estimator) =>
        FluentActions.Invoking(() => estimator.Estimate(PatternPanels.Parse("00000 00000 00110 00011")))
            .Should().Throw<UnsupportedTreatmentPatternException>().WithMessage("*'unit2'*switch treatment off*MatrixCompletion*DoublyWeightedCausalPanel*");

    [Theory]
    [MemberData(nameof(All))]
    public void Unbalanced_panel_is_refused_naming_the_missing_cells(IEstimator estimator) =>
        FluentActions.Invoking(() => estimator.Estimate(PatternPanels.Parse("00000 0.000 00011")))
            .Should().Throw<UnbalancedPanelException>().WithMessage("*('unit1', '2001')*MatrixCompletion*");

    [Theory]
    [MemberData(nameof(All))]
    public void A_panel_without_never_treated_units_is_refused(IEstimator estimator) =>
        FluentActions.Invoking(() => estimator.Estimate(PatternPanels.Parse("00011 00111 00001")))
            .Should().Throw<NoControlUnitsException>().WithMessage("*every unit is treated*never-treated*");

    [Theory]
    [MemberData(nameof(All))]
    public void Treatment_from_the_first_period_is_refused(IEstimator estimator) =>
        FluentActions.Invoking(() => estimator.Estimate(PatternPanels.Parse("00000 00000 11111 00011")))
            .Should().Throw<NoPreTreatmentPeriodException>().WithMessage("*'unit2'*first period '2000'*");

    [Fact]
    public void One_pre_period_leaves_no_noise_level_unless_it_is_given()
    {
        var data = PatternPanels.Parse("000 000 000 011");
        FluentActions.Invoking(() => new SyntheticDifferenceInDifferences().Estimate(data))
            .Should().Throw<InsufficientDataException>().WithMessage("*noise level*before 2001*NoiseLevel*");
        var att = new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { NoiseLevel = 1 }).Estimate(data).Att;
        double.IsFinite(att).Should().BeTrue();
    }

    [Fact]
    public void Invalid_options_are_refused_by_name()
    {
        FluentActions.Invoking(() => new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { EtaOmega = -1 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*EtaOmega*");
        FluentActions.Invoking(() => new SyntheticControl(new SyntheticWeightingOptions { MaxIterations = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*MaxIterations*");
        FluentActions.Invoking(() => new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { UpdateUnitWeights = false }))
            .Should().Throw<ArgumentException>().WithMessage("*UpdateUnitWeights is false*");
        FluentActions.Invoking(() => new SyntheticDifferenceInDifferences(new SyntheticWeightingOptions { UnitWeights = [0.5, 0.5] }).Estimate(California))
            .Should().Throw<ArgumentException>().WithMessage("*2 entries*38 never-treated*");
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Constant_outcomes_give_a_zero_effect_not_NaN(IEstimator estimator)
    {
        var y = new double[4, 5];
        var w = new bool[4, 5];
        for (var i = 0; i < 4; i++) for (var t = 0; t < 5; t++) y[i, t] = 7;
        w[3, 3] = w[3, 4] = true;
        estimator.Estimate(PanelData.FromMatrices(y, w)).Att.Should().BeApproximately(0, 1e-12);   // zero up to rounding of the weights
    }
}
