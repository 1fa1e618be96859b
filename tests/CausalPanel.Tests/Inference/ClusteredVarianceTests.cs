using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Inference;

/// <summary>
/// Clustered inference (<c>Cluster</c> on the unit placebo, bootstrap, jackknife and regression plug-in) against
/// brute-force re-estimation on the cluster-resampled panels and a dense least-squares CR1 sandwich.
/// </summary>
public class ClusteredVarianceTests(ITestOutputHelper output)
{
    private static readonly Func<string, string> State = unit => unit.Split('_')[0];

    /// <summary>
    /// Counties "s{g}_{k}" in states s0..s{G−1} of <paramref name="size"/> counties, T = 8, the last
    /// <paramref name="treatedStates"/> states treated from period 5 (with <paramref name="mixed"/>, the last state's
    /// first county only); outcomes with unit and period effects, a state shock per period and county noise.
    /// </summary>
    private static PanelData Counties(int seed, int states = 9, int size = 2, int treatedStates = 3, bool mixed = false)
    {
        var rng = new Random(seed);
        const int t = 8;
        int n = states * size;
        var y = new double[n, t];
        var w = new bool[n, t];
        var labels = new string[n];
        var shock = new double[states, t];
        for (var g = 0; g < states; g++)
            for (var s = 0; s < t; s++) shock[g, s] = rng.NextDouble() - 0.5;
        for (var g = 0; g < states; g++)
            for (var k = 0; k < size; k++)
            {
                var i = g * size + k;
                labels[i] = $"s{g}_{k}";
                var unitEffect = 3 * rng.NextDouble();
                var treated = g >= states - treatedStates && !(mixed && g == states - 1 && k > 0);
                for (var s = 0; s < t; s++)
                {
                    w[i, s] = treated && s >= 5;
                    y[i, s] = unitEffect + 0.3 * s + shock[g, s] + 0.5 * (rng.NextDouble() - 0.5) + (w[i, s] ? 1 + rng.NextDouble() : 0);
                }
            }
        return PanelData.FromMatrices(y, w, labels, Enumerable.Range(1, t).Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>DiD on the panel of <paramref name="rows"/> (repeats allowed), built from scratch.</summary>
    private static double DidOn(PanelData data, IReadOnlyList<int> rows)
    {
        var y = new double[rows.Count, data.PeriodCount];
        var w = new bool[rows.Count, data.PeriodCount];
        for (var r = 0; r < rows.Count; r++)
            for (var s = 0; s < data.PeriodCount; s++)
            {
                y[r, s] = data.Outcomes[rows[r], s];
                w[r, s] = data.Treatment[rows[r], s];
            }
        return new DifferenceInDifferences().Estimate(PanelData.FromMatrices(y, w)).Att;
    }

    private static int[] RowsOf(PanelData data, IEnumerable<string> states) =>
        states.SelectMany(g => Enumerable.Range(0, data.UnitCount).Where(i => State(data.Units[i]) == g)).ToArray();

    [Theory]
    [InlineData("did")]
    [InlineData("sdid")]
    [InlineData("mc")]
    public void Every_unit_its_own_cluster_reproduces_the_unclustered_methods_exactly(string name)
    {
        IEstimator estimator = name switch
        {
            "did" => new DifferenceInDifferences(),
            "sdid" => new SyntheticDifferenceInDifferences(),
            _ => new MatrixCompletion(new MatrixCompletionOptions { Lambda = 0.1 }),
        };
        var fit = estimator.Estimate(Counties(1));
        Func<string, string> own = unit => unit;
        VarianceMethod[][] pairs =
        [
            [new UnitPlaceboVariance { Replications = 12, Seed = 3 }, new UnitPlaceboVariance { Replications = 12, Seed = 3, Cluster = own }],
            [new BootstrapVariance { Replications = 12, Seed = 4 }, new BootstrapVariance { Replications = 12, Seed = 4, Cluster = own }],
            [new BootstrapVariance { Replications = 12, Seed = 5, Stratified = true }, new BootstrapVariance { Replications = 12, Seed = 5, Stratified = true, Cluster = own }],
            [new JackknifeVariance(), new JackknifeVariance { Cluster = own }],
        ];
        foreach (var pair in pairs)
        {
            var (plain, clustered) = (fit.WithVariance(pair[0]), fit.WithVariance(pair[1]));
            plain.IsDefined.Should().BeTrue(plain.UndefinedReason);
            clustered.StandardError.Should().Be(plain.StandardError, pair[1].Name);
            clustered.Replicates.Should().Equal(plain.Replicates);
            clustered.ReplicateLabels.Should().Equal(plain.ReplicateLabels);
            clustered.Method.Should().NotBe(plain.Method, "a clustered method says so in tables");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cluster_jackknife_is_the_delete_a_cluster_jackknife_of_brute_force_refits(bool mixed)
    {
        var data = Counties(2, mixed: mixed);
        var states = data.Units.Select(State).Distinct().ToArray();
        var theta = states.Select(g => DidOn(data, RowsOf(data, states.Where(h => h != g)))).ToArray();
        var mean = theta.Average();
        var expected = Math.Sqrt((states.Length - 1.0) / states.Length * theta.Sum(x => (x - mean) * (x - mean)));

        var result = new DifferenceInDifferences().Estimate(data).WithVariance(new JackknifeVariance { Cluster = State });

        result.Method.Should().Be("Cluster jackknife");
        result.Replicates.Should().HaveCount(9);
        result.StandardError.Should().BeApproximately(expected, 1e-10);
        result.ReplicateLabels.Should().BeEquivalentTo(states.Select(g => $"without {g}"));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Cluster_bootstrap_equals_brute_force_refits_on_the_same_injected_cluster_draws(bool stratified, bool mixed)
    {
        var data = Counties(3, mixed: mixed);
        // The layout's order: control states s0..s5 (never-treated counties only), then treated states s6..s8.
        string[] order = ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"];
        var rng = new Random(11);
        var draws = Enumerable.Range(0, 15).Select(_ =>
        {
            while (true)
            {
                var d = stratified ? Enumerable.Range(0, 9).Select(k => k < 6 ? rng.Next(6) : 6 + rng.Next(3)).ToArray()
                    : Enumerable.Range(0, 9).Select(_ => rng.Next(9)).ToArray();
                if (d.Any(k => k < 6) && d.Any(k => k >= 6)) return d;
            }
        }).ToArray();
        var theta = draws.Select(d => DidOn(data, RowsOf(data, d.Select(k => order[k])))).ToArray();
        var mean = theta.Average();
        var expected = Math.Sqrt(theta.Average(x => (x - mean) * (x - mean)));

        var result = new DifferenceInDifferences().Estimate(data)
            .WithVariance(new BootstrapVariance { Replications = 15, Stratified = stratified, Cluster = State, Draws = (b, g) => { g.Should().Be(9); return draws[b]; } });

        result.DiscardedReplications.Should().Be(0);
        result.Replicates.Should().Equal(theta, (x, e) => Math.Abs(x - e) < 1e-10);
        result.StandardError.Should().BeApproximately(expected, 1e-10);
    }

    [Fact]
    public void Cluster_placebo_treats_whole_control_clusters_with_the_treated_clusters_paths()
    {
        var data = Counties(4, states: 9, size: 2, treatedStates: 2);
        // Control states s0..s6 permuted; the last two become placebo-treated whole from period 5 (index 5).
        int[][] permutations = [[0, 1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1, 0], [3, 0, 6, 1, 5, 2, 4]];
        var expected = permutations.Select(p =>
        {
            var rows = RowsOf(data, p.Select(k => $"s{k}"));
            var y = new double[rows.Length, 8];
            var w = new bool[rows.Length, 8];
            for (var r = 0; r < rows.Length; r++)
                for (var s = 0; s < 8; s++) { y[r, s] = data.Outcomes[rows[r], s]; w[r, s] = r >= rows.Length - 4 && s >= 5; }
            return new DifferenceInDifferences().Estimate(PanelData.FromMatrices(y, w)).Att;
        }).ToArray();

        var result = new DifferenceInDifferences().Estimate(data)
            .WithVariance(new UnitPlaceboVariance { Replications = 3, Cluster = State, Permutations = (b, g0) => { g0.Should().Be(7); return permutations[b]; } });

        result.Method.Should().Be("Cluster placebo");
        result.Replicates.Should().Equal(expected, (x, e) => Math.Abs(x - e) < 1e-10);
        result.ReplicateLabels.Should().Equal("s5+s6", "s1+s0", "s2+s4");
    }

    [Fact]
    public void Cluster_placebo_spreads_a_treated_clusters_paths_over_a_placebo_cluster_of_another_size()
    {
        // Control clusters a, b, c, d of 3, 1, 2 and 2 counties; t (s4) has one county treated from period 5 and one never treated.
        var data = Counties(5, states: 5, size: 2, treatedStates: 1, mixed: true);
        var sizes = new Dictionary<string, string> { ["s0_0"] = "a", ["s0_1"] = "a", ["s1_0"] = "a", ["s1_1"] = "b", ["s2_0"] = "c", ["s2_1"] = "c", ["s3_0"] = "d", ["s3_1"] = "d" };
        Func<string, string> cluster = u => sizes.GetValueOrDefault(u) ?? (u.StartsWith("s4", StringComparison.Ordinal) ? "t" : "d");
        var fit = new DifferenceInDifferences().Estimate(data);

        var result = fit.WithVariance(new UnitPlaceboVariance { Cluster = cluster });

        result.ReplicateLabels.Should().Equal(new[] { "a", "b", "c", "d" }, "with one treated cluster each control cluster is the placebo once");
        // Placebo "a" (s0_0, s0_1, s1_0): paths [5, never] spread as ⌊k·2/3⌋ = 0, 0, 1: the first two treated.
        double Placebo(int[] controls, int[] treatedRows)
        {
            var rows = controls.Concat(treatedRows).ToArray();
            var y = new double[rows.Length, 8];
            var w = new bool[rows.Length, 8];
            for (var r = 0; r < rows.Length; r++)
                for (var s = 0; s < 8; s++) { y[r, s] = data.Outcomes[rows[r], s]; w[r, s] = r >= controls.Length && s >= 5; }
            return new DifferenceInDifferences().Estimate(PanelData.FromMatrices(y, w)).Att;
        }
        result.Replicates[0].Should().BeApproximately(Placebo([3, 4, 5, 6, 7, 2], [0, 1]), 1e-10);
        result.Replicates[1].Should().BeApproximately(Placebo([0, 1, 2, 4, 5, 6, 7], [3]), 1e-10);   // one county: treated
    }

    [Fact]
    public void Cluster_robust_DiD_equals_the_CR1_sandwich_of_a_dense_dummy_regression()
    {
        var data = Counties(6, states: 10, size: 3, treatedStates: 4);
        int n = data.UnitCount, t = data.PeriodCount, cells = n * t, p = 1 + (n - 1) + (t - 1) + 1;
        var x = Matrix<double>.Build.Dense(cells, p);
        var y = Vector<double>.Build.Dense(cells);
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                var r = i * t + s;
                x[r, 0] = 1;
                if (i > 0) x[r, i] = 1;
                if (s > 0) x[r, n - 1 + s] = 1;
                x[r, p - 1] = data.Treatment[i, s] ? 1 : 0;
                y[r] = data.Outcomes[i, s];
            }
        var xtxInverse = (x.TransposeThisAndMultiply(x)).Inverse();
        var beta = xtxInverse * x.TransposeThisAndMultiply(y);
        var e = y - x * beta;
        var h = xtxInverse.Row(p - 1) * x.Transpose();   // τ̂ = h·y
        var states = Enumerable.Range(0, n).GroupBy(i => State(data.Units[i])).ToArray();
        var meat = states.Sum(g => Math.Pow(g.Sum(i => Enumerable.Range(0, t).Sum(s => h[i * t + s] * e[i * t + s])), 2));
        double groups = states.Length;
        // K = t: τ and the period effects; the unit effects (and intercept), nested within the states, are not counted (reghdfe).
        var expected = Math.Sqrt(groups / (groups - 1) * (cells - 1.0) / (cells - t) * meat);

        var fit = new DifferenceInDifferences().Estimate(data);
        var result = fit.WithVariance(new RegressionVariance { Cluster = State });

        fit.Att.Should().BeApproximately(beta[p - 1], 1e-10, "on a block design DiD's imputation is the TWFE regression");
        result.Method.Should().Be("Regression (cluster-robust CR1)");
        result.StandardError.Should().BeApproximately(expected, 1e-9);
        result.DegreesOfFreedom.Should().Be(groups - 1);
    }

    [Fact]
    public void Cluster_robust_SDID_sandwiches_its_weights_linear_form_with_the_regression_residuals()
    {
        var data = Counties(7, states: 10, size: 3, treatedStates: 4);
        var fit = (SyntheticWeightingResult)new SyntheticDifferenceInDifferences().Estimate(data);
        int n = data.UnitCount, t = data.PeriodCount;
        // a = ũ ṽᵀ (Arkhangelsky et al. 2021, Eq. 1.1): ũ = (−ω̂, 1/N1), ṽ = (−λ̂, 1/T1).
        var u = new double[n];
        foreach (var w in fit.UnitWeights) u[w.Index] = -w.Weight;
        foreach (var i in data.Pattern.TreatedUnitIndices) u[i] = 1.0 / data.Pattern.TreatedUnitCount;
        var v = new double[t];
        foreach (var l in fit.TimeWeights) v[l.Index] = -l.Weight;
        for (var s = 5; s < t; s++) v[s] = 1.0 / (t - 5);
        var (coefficients, fitted) = Support.DenseLeastSquares.TwoWay(data, (_, _) => true, (i, s) => data.Treatment[i, s] ? 1 : 0);
        var states = Enumerable.Range(0, n).GroupBy(i => State(data.Units[i])).ToArray();
        var meat = states.Sum(g => Math.Pow(g.Sum(i => Enumerable.Range(0, t).Sum(s => u[i] * v[s] * (data.Outcomes[i, s] - fitted(i, s)))), 2));
        int cells = n * t;
        var expected = Math.Sqrt(10.0 / 9 * (cells - 1.0) / (cells - t) * meat);

        fit.WithVariance(new RegressionVariance { Cluster = State }).StandardError.Should().BeApproximately(expected, 1e-9);
        coefficients.Count.Should().Be(n + t);
    }

    [Fact]
    public void Too_few_treated_or_control_clusters_are_refused_with_both_counts()
    {
        var fit = new DifferenceInDifferences().Estimate(Counties(8, states: 4, size: 3, treatedStates: 1));

        var bootstrap = () => fit.WithVariance(new BootstrapVariance { Replications = 5, Cluster = State });
        bootstrap.Should().Throw<TooFewClustersException>()
            .Where(e => e.TreatedClusters == 1 && e.ControlClusters == 3 && e.Message.Contains("1 treated cluster(s) ('s3')") && e.Message.Contains("3 control cluster(s)") && e.Message.Contains("UnitPlaceboVariance"));
        fit.Invoking(f => f.WithVariance(new JackknifeVariance { Cluster = State })).Should().Throw<TooFewClustersException>();
        fit.Invoking(f => f.WithVariance(new RegressionVariance { Cluster = State })).Should().Throw<TooFewClustersException>();
        fit.WithVariance(new UnitPlaceboVariance { Cluster = State }).Replicates.Should().HaveCount(3, "the placebo needs only G0 > G1");

        var half = new DifferenceInDifferences().Estimate(Counties(8, states: 4, size: 3, treatedStates: 2));
        half.Invoking(f => f.WithVariance(new UnitPlaceboVariance { Replications = 5, Cluster = State })).Should().Throw<TooFewClustersException>()
            .WithMessage("*G0 > G1*2 treated cluster(s)*2 control cluster(s)*");
        half.Invoking(f => f.WithVariance(new RegressionVariance { Cluster = State, On = VarianceTarget.ConditionalOnUnits })).Should().Throw<ArgumentException>().WithMessage("*leave On at Marginal*");
        half.Invoking(f => f.WithVariance(new JackknifeVariance { Cluster = _ => "" })).Should().Throw<ArgumentException>().WithMessage("*unit 's0_0'*");
    }

    [Fact]
    public void Correlated_state_noise_makes_the_unit_placebo_too_small_and_the_cluster_placebo_not()
    {
        // One noise draw per state and period dominates: the unit placebo's SE misses it, the cluster placebo's does not.
        var unit = new List<double>();
        var cluster = new List<double>();
        for (var seed = 0; seed < 20; seed++)
        {
            var fit = new DifferenceInDifferences().Estimate(Counties(100 + seed, states: 12, size: 4, treatedStates: 2));
            unit.Add(fit.WithVariance(new UnitPlaceboVariance { Replications = 40, Seed = seed }).StandardError);
            cluster.Add(fit.WithVariance(new UnitPlaceboVariance { Replications = 40, Seed = seed, Cluster = State }).StandardError);
        }
        cluster.Average().Should().BeGreaterThan(1.3 * unit.Average());
    }

    /// <summary>
    /// Size under correlated state shocks (issue 20): 50 states of 4 counties, T = 10, 5 states treated from period 8,
    /// no effect; Y = α_i + β_t + η_gt + ε_it with η_gt ~ N(0, 1) shared by a state's counties and ε ~ N(0, 0.5²). DiD
    /// with the unit and the cluster placebo (B = 200) at the 5% level (normal interval). The unit placebo draws 20
    /// counties from many states, so its SE misses the shared shocks and it over-rejects; the cluster placebo permutes
    /// whole states. Replications from CAUSALPANEL_CLUSTER_REPS (default 1,000).
    /// </summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void Correlated_state_shocks_make_the_unit_placebo_over_reject_and_the_cluster_placebo_hold_its_size()
    {
        var reps = int.TryParse(Environment.GetEnvironmentVariable("CAUSALPANEL_CLUSTER_REPS"), out var r) ? r : 1000;
        var rejects = new int[2];
        Parallel.For(0, reps, seed =>
        {
            var rng = new Random(seed);
            const int states = 50, size = 4, t = 10;
            var y = new double[states * size, t];
            var w = new bool[states * size, t];
            var labels = new string[states * size];
            for (var g = 0; g < states; g++)
            {
                var shock = Enumerable.Range(0, t).Select(_ => Normal.Sample(rng, 0, 1)).ToArray();
                for (var k = 0; k < size; k++)
                {
                    var i = g * size + k;
                    labels[i] = $"s{g}_{k}";
                    var alpha = Normal.Sample(rng, 0, 1);
                    for (var s = 0; s < t; s++)
                    {
                        w[i, s] = g >= states - 5 && s >= 7;
                        y[i, s] = alpha + 0.1 * s + shock[s] + Normal.Sample(rng, 0, 0.5);
                    }
                }
            }
            var fit = new DifferenceInDifferences().Estimate(PanelData.FromMatrices(y, w, labels));
            if (fit.WithVariance(new UnitPlaceboVariance { Replications = 200, Seed = seed, MaxDegreeOfParallelism = 1 }).PValue < 0.05)
                Interlocked.Increment(ref rejects[0]);
            if (fit.WithVariance(new UnitPlaceboVariance { Replications = 200, Seed = seed, MaxDegreeOfParallelism = 1, Cluster = State }).PValue < 0.05)
                Interlocked.Increment(ref rejects[1]);
        });
        double unit = (double)rejects[0] / reps, cluster = (double)rejects[1] / reps;
        output.WriteLine($"{reps} replications: rejection at 5% — unit placebo {unit:F3}, cluster placebo {cluster:F3}");

        unit.Should().BeGreaterThan(0.10);
        cluster.Should().BeInRange(0.03, 0.07);
    }
}
