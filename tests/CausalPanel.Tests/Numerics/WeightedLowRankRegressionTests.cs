using CausalPanel.Numerics;
using CausalPanel.Tests.Support;
using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel.Tests.Numerics;

public class WeightedLowRankRegressionTests
{
    private const int N = 18, T = 12;

    /// <summary>Rank-2 signal + unit/period effects + noise; weights in (0, 2] with ~15% zeros.</summary>
    private static (double[] Y, double[] V) Problem(int seed, bool binary)
    {
        var rng = new Random(seed);
        var y = new double[N * T];
        var v = new double[N * T];
        var a = Enumerable.Range(0, 2 * N).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, 2 * T).Select(_ => rng.NextDouble() - 0.5).ToArray();
        for (var i = 0; i < N; i++)
            for (var s = 0; s < T; s++)
            {
                var k = i * T + s;
                y[k] = i * 0.3 + Math.Cos(s) + 4 * (a[i] * b[s] + a[N + i] * b[T + s]) + 0.3 * (rng.NextDouble() - 0.5);
                v[k] = rng.NextDouble() < 0.15 ? 0 : binary ? 1 : 2 * rng.NextDouble() + 1e-3;
            }
        return (y, v);
    }

    [Fact]
    public void With_zero_one_weights_it_is_MC_NNM_at_lambda_times_the_observed_count()
    {
        // MCPanel minimises (1/|O|)Σ_O(...)² + λ_MC‖L‖_*; multiplied by |O| that is Σ_O(...)² + λ_MC|O|‖L‖_*.
        var (y, v) = Problem(seed: 1, binary: true);
        var observed = v.Count(x => x > 0);
        const double lambdaMc = 0.02;
        var ym = new double[N, T];
        var w = new bool[N, T];
        for (var i = 0; i < N; i++)
            for (var s = 0; s < T; s++) { ym[i, s] = y[i * T + s]; w[i, s] = v[i * T + s] == 0; }
        var data = PanelData.FromMatrices(ym, w);
        var mc = new MatrixCompletion(new MatrixCompletionOptions { Lambda = lambdaMc, Tolerance = 1e-15, MaxIterations = 100_000 }).Estimate(data);

        var fit = new WeightedLowRankRegression(y, v, N, T).Solve(lambdaMc * observed, tolerance: 1e-14, maxIterations: 100_000);

        fit.Converged.Should().BeTrue();
        fit.Rank.Should().Be(mc.Rank);
        foreach (var cell in mc.CellEffects)
            fit.Fitted(cell.UnitIndex, cell.PeriodIndex).Should().BeApproximately(cell.Counterfactual, 1e-6);
    }

    [Theory]
    [InlineData(2, 0.5)]
    [InlineData(3, 2.0)]
    public void Optimality_conditions_hold_with_general_weights(int seed, double lambda)
    {
        // At the optimum, with R = Y − α − β − L: Σ_s v_is R_is = 0, Σ_i v_is R_is = 0, and
        // G = 2 (v ⊙ R)/λ is a subgradient of the nuclear norm at L.
        var (y, v) = Problem(seed, binary: false);
        var fit = new WeightedLowRankRegression(y, v, N, T).Solve(lambda, tolerance: 1e-15, maxIterations: 200_000);
        var g = Matrix<double>.Build.Dense(N, T, (i, s) => 2 * v[i * T + s] * (y[i * T + s] - fit.Fitted(i, s)) / lambda);

        fit.Converged.Should().BeTrue();
        for (var i = 0; i < N; i++) Math.Abs(g.Row(i).Sum()).Should().BeLessThan(1e-6);
        for (var s = 0; s < T; s++) Math.Abs(g.Column(s).Sum()).Should().BeLessThan(1e-6);
        NuclearNormOptimality.AssertSubgradient(g, Matrix<double>.Build.Dense(N, T, (i, s) => fit.L[i * T + s]), fit.Rank);
    }

    [Theory]
    [InlineData(6, 0.1)]
    [InlineData(7, 0.02)]
    public void Backtracked_steps_reach_the_fixed_step_optimum_under_decaying_weights(int seed, double lambda)
    {
        // DWCP's weights ω_j θ_s decay exponentially away from a target cell; the solver then backtracks a step longer
        // than 1/(2 max v) and thresholds inexactly while far from the fixed point. From a start at 1/64 of the bound it
        // must reach the optimum the fixed step reaches (both tight) and satisfy the optimality conditions itself.
        var (y, v) = Problem(seed, binary: false);
        for (var i = 0; i < N; i++)
            for (var s = 0; s < T; s++)
                if (v[i * T + s] > 0) v[i * T + s] = Math.Exp(-0.8 * Math.Abs(i - 3) - 0.5 * Math.Abs(s - 7));
        var fixedStep = new WeightedLowRankRegression(y, v, N, T).Solve(lambda, tolerance: 1e-14, maxIterations: 500_000);
        var backtracked = new WeightedLowRankRegression(y, v, N, T)
            .Solve(lambda, new WeightedLowRankRegression.Solution(N, T) { StepShare = 1.0 / 64 }, tolerance: 1e-14, maxIterations: 500_000);

        fixedStep.Converged.Should().BeTrue();
        backtracked.Converged.Should().BeTrue();
        backtracked.StepShare.Should().BeLessThan(1);
        for (var i = 0; i < N; i++)
            for (var s = 0; s < T; s++)
                backtracked.Fitted(i, s).Should().BeApproximately(fixedStep.Fitted(i, s), 1e-8);
        var g = Matrix<double>.Build.Dense(N, T, (i, s) => 2 * v[i * T + s] * (y[i * T + s] - backtracked.Fitted(i, s)) / lambda);
        for (var i = 0; i < N; i++) Math.Abs(g.Row(i).Sum()).Should().BeLessThan(1e-7);
        for (var s = 0; s < T; s++) Math.Abs(g.Column(s).Sum()).Should().BeLessThan(1e-7);
        NuclearNormOptimality.AssertSubgradient(g, Matrix<double>.Build.Dense(N, T, (i, s) => backtracked.L[i * T + s]), backtracked.Rank);
    }

    [Fact]
    public void Optimality_conditions_hold_with_unpenalised_regressors()
    {
        // TROP §6.2, Eq. 14: Σ v (Y − α − β − Σγ_c X_c − L)² + λ‖L‖_*. At the optimum the residual R is orthogonal under
        // v to every unit, period and regressor (Σ v X_c R = 0: γ unpenalised), and 2 (v ⊙ R)/λ ∈ ∂‖L‖_*.
        var (y, v) = Problem(seed: 5, binary: false);
        var rng = new Random(5);
        var x1 = Enumerable.Range(0, N * T).Select(_ => rng.NextDouble()).ToArray();
        var x2 = Enumerable.Range(0, N * T).Select(k => Math.Sin(k * 0.37) * (1 + k / T)).ToArray();
        for (var k = 0; k < y.Length; k++) y[k] += 1.5 * x1[k] - 0.7 * x2[k];
        const double lambda = 1.0;
        var fit = new WeightedLowRankRegression(y, v, N, T, [x1, x2]).Solve(lambda, tolerance: 1e-15, maxIterations: 200_000);
        var r = Matrix<double>.Build.Dense(N, T, (i, s) => v[i * T + s] * (y[i * T + s] - fit.Fitted(i, s)));

        fit.Converged.Should().BeTrue();
        fit.RegressorsIdentified.Should().BeTrue();
        foreach (var x in new[] { x1, x2 })
            Math.Abs(Enumerable.Range(0, N * T).Sum(k => r[k / T, k % T] * x[k])).Should().BeLessThan(1e-7);
        for (var i = 0; i < N; i++) Math.Abs(r.Row(i).Sum()).Should().BeLessThan(1e-7);
        for (var s = 0; s < T; s++) Math.Abs(r.Column(s).Sum()).Should().BeLessThan(1e-7);
        NuclearNormOptimality.AssertSubgradient(r * (2 / lambda), Matrix<double>.Build.Dense(N, T, (i, s) => fit.L[i * T + s]), fit.Rank);
    }

    [Fact]
    public void Infinite_lambda_is_weighted_least_squares_with_dummies_and_lambda_max_gives_no_low_rank_term()
    {
        var (y, v) = Problem(seed: 4, binary: false);
        var solver = new WeightedLowRankRegression(y, v, N, T);

        // Dense weighted least squares: rows scaled by √v, intercept + unit and period dummies (first dropped).
        var cells = Enumerable.Range(0, N * T).Where(k => v[k] > 0).ToArray();
        var x = Matrix<double>.Build.Dense(cells.Length, N + T - 1);
        var rhs = Vector<double>.Build.Dense(cells.Length);
        for (var r = 0; r < cells.Length; r++)
        {
            int i = cells[r] / T, s = cells[r] % T;
            var root = Math.Sqrt(v[cells[r]]);
            x[r, 0] = root;
            if (i > 0) x[r, i] = root;
            if (s > 0) x[r, N - 1 + s] = root;
            rhs[r] = root * y[cells[r]];
        }
        var beta = x.QR().Solve(rhs);
        double Dense(int i, int s) => beta[0] + (i > 0 ? beta[i] : 0) + (s > 0 ? beta[N - 1 + s] : 0);

        var exact = solver.Solve(double.PositiveInfinity);
        var atMax = solver.Solve(solver.LambdaMax() * (1 + 1e-9));

        atMax.Rank.Should().Be(0);
        for (var i = 0; i < N; i++)
            for (var s = 0; s < T; s++)
            {
                exact.Fitted(i, s).Should().BeApproximately(Dense(i, s), 1e-9);
                atMax.Fitted(i, s).Should().BeApproximately(Dense(i, s), 1e-9);
            }
        solver.Solve(solver.LambdaMax() * 0.9).Rank.Should().BeGreaterThan(0);
    }
}
