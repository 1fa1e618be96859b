using CausalPanel.Tests.Support;
using CausalPanel.Numerics;

namespace CausalPanel.Tests.Inference;

public class MarginalAndConditionalVarianceTests
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();

    [Fact]
    public void Unit_by_time_placebo_for_DiD_is_the_mean_square_of_two_by_two_differences()
    {
        // Injected draws: placebo unit b (among the 38 never-treated states), window starting at 2 + b mod 6.
        var controls = California.Pattern.NeverTreatedUnitIndices;
        var result = new DifferenceInDifferences().Estimate(California)
            .WithVariance(new MarginalVariance { Replications = 12, Draws = b => ([b], 2 + b % 6) });

        double Mean(IEnumerable<int> units, int from, int to) =>
            units.SelectMany(i => Enumerable.Range(from, to - from).Select(t => California.Outcomes[i, t])).Average();
        var expected = Enumerable.Range(0, 12).Select(b =>
        {
            int start = 2 + b % 6, end = start + 12, unit = controls[b];
            var others = controls.Where(i => i != unit).ToArray();
            return Mean([unit], start, end) - Mean([unit], 0, start) - (Mean(others, start, end) - Mean(others, 0, start));
        }).ToArray();

        result.Target.Should().Be(VarianceTarget.Marginal);
        result.Replicates.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-9);
        result.StandardError.Should().BeApproximately(Math.Sqrt(expected.Average(e => e * e)), 1e-9);
    }

    [Fact]
    public void Conditional_on_both_rescales_each_unit_placebo_to_the_treated_units_noise_scale()
    {
        // Unit and period heteroskedasticity, σ_it = a_i b_t, one treated cell (the last unit's last period). Brute force: every
        // control j placebo-treated in the last period among the other controls (the treated unit dropped), its DiD estimate
        // (the 2 × 2 difference of post-minus-pre-mean contrasts), times r_j, r²_j = V(treated, controls) / V(j, other controls),
        // V(T, C) = Σ_T v / |T|² + Σ_C v / |C|², v_i = κ â²_i + M each unit's error variance, â² the two-way noise model of the
        // pre-period cells (NoiseScales.FitTwoWay) and (κ, M) the noise-plus-misfit model of the placebo effects
        // (PlaceboErrorModel, tested against its likelihood) from V_j = â²_j + Σ_{other controls} â² / (N0 − 1)² and S_j = 1 + 1/(N0 − 1).
        int n = 40, t = 20;
        var rng = new Random(17);
        var y = new double[n, t];
        var w = new bool[n, t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                y[i, s] = i + 0.2 * s + Math.Exp(0.8 * (i % 5 - 2)) * (1 + 0.3 * (s % 3)) * MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);
        w[n - 1, t - 1] = true;
        var fit = new DifferenceInDifferences().Estimate(PanelData.FromMatrices(y, w));
        var both = fit.WithVariance(new ConditionalVariance());

        var pre = new double[n * (t - 1)];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t - 1; s++) pre[i * (t - 1) + s] = y[i, s];
        var model = NoiseScales.FitTwoWay(pre, Enumerable.Repeat(1.0, pre.Length).ToArray(), n, t - 1);
        var a2 = model.Units;
        int n0 = n - 1;
        double Contrast(int i) => y[i, t - 1] - Enumerable.Range(0, t - 1).Average(s => y[i, s]);
        var placebos = Enumerable.Range(0, n0).Select(j => Contrast(j) - Enumerable.Range(0, n0).Where(k => k != j).Average(Contrast)).ToArray();
        var controlSum = a2[..n0].Sum();
        var (kappa, misfit, ratio) = PlaceboErrorModel.Fit([.. Enumerable.Range(0, n0).Select(j => a2[j] + (controlSum - a2[j]) / ((n0 - 1.0) * (n0 - 1.0)))],
            [.. Enumerable.Repeat(1 + 1.0 / (n0 - 1), n0)], [.. placebos.Select(p => p * p)]);
        if (ratio * (n0 - 1.0) / n0 < 2.706) (kappa, misfit) = (1, 0);   // the misfit enters past the 5% boundary test, at N0 − 1 effective placebos
        var v = a2.Select(x => kappa * x + misfit).ToArray();
        var vControls = v[..n0].Sum();
        var real = v[n - 1] + vControls / (n0 * n0);
        var expected = Enumerable.Range(0, n0).Select(j => placebos[j] * Math.Sqrt(real / (v[j] + (vControls - v[j]) / ((n0 - 1.0) * (n0 - 1.0))))).ToArray();
        both.Target.Should().Be(VarianceTarget.ConditionalOnUnitsAndPeriods);
        both.Caveat.Should().StartWith("experimental: our reconstruction", "the rescaled placebo is our construction");
        fit.WithVariance(new ConditionalVariance { On = VarianceTarget.ConditionalOnPeriods, Replications = 20 }).Caveat.Should().BeNull();
        both.Replicates.Should().Equal(expected, (u, v) => Math.Abs(u - v) < 1e-9);
        var mean = expected.Average();
        both.StandardError.Should().BeApproximately(Math.Sqrt(expected.Average(e => (e - mean) * (e - mean))), 1e-9);
        // Student t: the N0 placebos' N0 − 1 df and the treated unit's â² (Satterthwaite: 2 V² / (κ̂ â⁴ / n_i), n_i = T − 1 cells)
        // combine as about 1/ν = 1/ν_placebo + 1/ν_scale (each a χ²/ν factor to first order).
        var scaleDf = 2 * real * real / (model.Kappa * Math.Pow(kappa * a2[n - 1], 2) / (t - 1));
        both.DegreesOfFreedom!.Value.Should().BeInRange(0.8 / (1.0 / (n0 - 1) + 1 / scaleDf), 1.15 / (1.0 / (n0 - 1) + 1 / scaleDf));   // to first order: matching the quantile lands lower

        fit.WithVariance(new ConditionalVariance { On = VarianceTarget.ConditionalOnUnits }).StandardError
            .Should().Be(fit.WithVariance(new TimePlaceboVariance()).StandardError);
        fit.WithVariance(new ConditionalVariance { On = VarianceTarget.ConditionalOnPeriods, Replications = 40, Seed = 5 }).StandardError
            .Should().Be(fit.WithVariance(new UnitPlaceboVariance { Replications = 40, Seed = 5 }).StandardError);
        FluentActions.Invoking(() => fit.WithVariance(new ConditionalVariance { On = VarianceTarget.Marginal }))
            .Should().Throw<ArgumentException>().WithMessage("*MarginalVariance*");
    }

    [Fact]
    public void Conditional_on_both_rescales_a_synthetic_control_placebo_by_its_own_unit_weights()
    {
        // SC on one treated cell: ATT = Y_T − Σ_j ω_j Y_jT, so under noise a²_i b²_t its variance is b²_T (â²_treated + Σ_j ω²_j â²_j)
        // and r²_j = (â²_treated + Σ ω²_k â²_k) / (â²_j + Σ ω^(j)²_k â²_k), ω^(j) the weights SC fits when control j is the placebo
        // (each refit here by hand: the other controls, then j, as the unit placebo orders them); DiD's uniform 1/N0 would give
        // other ratios, SC's weights being sparse.
        int n = 30, t = 16;
        var rng = new Random(23);
        var y = new double[n, t];
        var w = new bool[n, t];
        var load = Enumerable.Range(0, n).Select(_ => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1)).ToArray();
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                y[i, s] = load[i] * Math.Sin(0.4 * s) + 0.1 * s + Math.Exp(0.7 * (i % 5 - 2)) * (1 + 0.3 * (s % 3)) * 0.2 * MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);
        w[n - 1, t - 1] = true;
        var data = PanelData.FromMatrices(y, w);
        var fit = new SyntheticControl().Estimate(data);
        var both = fit.WithVariance(new ConditionalVariance());

        var pre = new double[n * (t - 1)];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t - 1; s++) pre[i * (t - 1) + s] = y[i, s];
        var a2 = NoiseScales.FitTwoWay(pre, Enumerable.Repeat(1.0, pre.Length).ToArray(), n, t - 1).Units;
        double Variance(SyntheticWeightingResult f, IReadOnlyList<int> rows, Func<int, double> unit) =>
            unit(rows[^1]) + f.Cohorts[0].UnitWeights.Sum(u => u.Weight * u.Weight * unit(rows[u.Index]));
        var all = Enumerable.Range(0, n).ToArray();
        var placebos = Enumerable.Range(0, n - 1).Select(j =>
        {
            var rows = Enumerable.Range(0, n - 1).Where(k => k != j).Append(j).ToArray();
            return (Rows: rows, Fit: (SyntheticWeightingResult)fit.ForReplicate(rows[..^1], fixWeights: false).Estimate(Replicates.Panel(data, rows, r => r == rows.Length - 1 ? t - 1 : null)));
        }).ToArray();
        // (κ, M) of the noise-plus-misfit model from V_b = Σ s² â² and S_b = Σ s² of each placebo (PlaceboErrorModel, tested against its likelihood).
        var (kappa, misfit, ratio) = PlaceboErrorModel.Fit([.. placebos.Select(p => Variance(p.Fit, p.Rows, i => a2[i]))], [.. placebos.Select(p => Variance(p.Fit, p.Rows, _ => 1))],
            [.. placebos.Select(p => p.Fit.Att * p.Fit.Att)]);
        if (ratio * (n - 2.0) / (n - 1) < 2.706) (kappa, misfit) = (1, 0);   // the misfit enters past the 5% boundary test, at N0 − 1 effective placebos
        double Unit(int i) => kappa * a2[i] + misfit;
        var real = Variance((SyntheticWeightingResult)fit, all, Unit);
        var expected = placebos.Select(p => p.Fit.Att * Math.Sqrt(real / Variance(p.Fit, p.Rows, Unit))).ToArray();
        both.Replicates.Should().Equal(expected, (u, v) => Math.Abs(u - v) < 1e-9);
        var uniform = a2[..(n - 1)].Sum() / ((n - 1.0) * (n - 1.0));
        ((Variance((SyntheticWeightingResult)fit, all, i => a2[i]) - a2[n - 1]) / uniform).Should().BeGreaterThan(1.5, "SC's weights are sparse, so its control part is not DiD's");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 5)]
    public void Conditional_on_both_degrees_of_freedom_match_the_spread_of_its_variance_over_simulated_panels(int treatedUnits, int treatedPeriods)
    {
        // Brute force: over 500 panels with σ_it = a_i·b_t (strong unit, mild period heteroskedasticity) and fixed treated cells
        // (the last periods of the last units), 2 (mean V̂)² / var V̂ — the df of the scaled χ² that matches V̂'s first two
        // moments — against the mean df each panel reports. One cell: 39 enumerated placebos and the treated unit's scale from 29
        // cells; a 5 × 5 block: 40 random draws of 5 of 35 controls, which share units, so fewer df than B − 1. The Monte-Carlo
        // s.e. of a brute-force df is about √(2/500)·√(1 + 6/df)·df, 7-8% here.
        const int n = 40, t = 30, panels = 500;
        var rng = new Random(5);
        var (a, b) = TwoWayNoiseDf.Scales(rng, n, t);
        var w = new bool[n, t];
        for (var i = n - treatedUnits; i < n; i++)
            for (var s = t - treatedPeriods; s < t; s++) w[i, s] = true;
        var (empirical, reported) = TwoWayNoiseDf.Compare(rng, a, b, w, panels, new ConditionalVariance { Replications = 40, MaxDegreeOfParallelism = 1 });
        (reported / empirical).Should().BeInRange(0.75, 1.33, $"the reported df average {reported:F1} and the brute-force df is {empirical:F1}");
    }
}
