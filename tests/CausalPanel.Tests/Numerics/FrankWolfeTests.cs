using CausalPanel.Numerics;

namespace CausalPanel.Tests.Numerics;

public class FrankWolfeTests
{
    private static SimplexProblem Problem(int n, int k, int seed, double zeta = 0.1)
    {
        var rng = new Random(seed);
        var data = Enumerable.Range(0, n * (k + 1)).Select(_ => rng.NextDouble()).ToArray();
        return new SimplexProblem(data, n, k, zeta, intercept: true);
    }

    [Fact]
    public void Iterations_allocate_nothing()
    {
        var p = Problem(20, 40, 1);
        var x = Enumerable.Repeat(1.0 / 40, 40).ToArray();
        var workspace = new FrankWolfe.Workspace(20, 40);
        FrankWolfe.Solve(p, x, 0, 10, workspace);             // warm up (JIT)

        var before = GC.GetAllocatedBytesForCurrentThread();
        var run = FrankWolfe.Solve(p, x, 0, 5_000, workspace);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        run.Iterations.Should().Be(5_000);
        allocated.Should().Be(0);
    }

    [Fact]
    public void Two_candidates_reach_the_closed_form_optimum()
    {
        // A = I (2×2), b = (1, 0), ζ² = 1/2, no intercept: f(x) = ½‖x‖² + ½‖x − b‖². On x2 = 1 − x1,
        // f'(x1) = 4·x1 − 3, so the optimum is x = (3/4, 1/4).
        var p = new SimplexProblem([1, 0, 0, 1, 1, 0], 2, 2, Math.Sqrt(0.5), intercept: false);
        var x = new[] { 0.5, 0.5 };
        FrankWolfe.Solve(p, x, 1e-12, 10_000);
        x[0].Should().BeApproximately(0.75, 1e-6);

        var y = new[] { 0.5, 0.5 };
        ProjectedGradient.Solve(p, y).Converged.Should().BeTrue();
        y[0].Should().BeApproximately(0.75, 1e-10);
    }

    [Fact]
    public void A_workspace_reused_across_shapes_gives_what_a_fresh_one_gives()
    {
        // Replicate workers reuse one workspace for the time-weight problem (few columns) and the unit-weight problem
        // (many): its vertex cache, sized by the narrow problem, must grow to whatever the wide one needs.
        var narrow = Problem(300, 8, 2);
        var wide = Problem(8, 3_000, 3);
        var reused = new FrankWolfe.Workspace(300, 8);
        FrankWolfe.Solve(narrow, Enumerable.Repeat(1.0 / 8, 8).ToArray(), 0, 100, reused);

        var x = Enumerable.Repeat(1.0 / 3_000, 3_000).ToArray();
        var fresh = (double[])x.Clone();
        var run = FrankWolfe.Solve(wide, x, 0, 2_000, reused);
        var expected = FrankWolfe.Solve(wide, fresh, 0, 2_000);

        run.Should().Be(expected);
        x.Should().Equal(fresh);   // bit for bit
    }

    [Fact]
    public void Sparsify_zeroes_entries_up_to_a_quarter_of_the_maximum_and_renormalises()
    {
        var x = new[] { 0.4, 0.1, 0.3, 0.2 };
        FrankWolfe.Sparsify(x);
        x.Should().Equal(new[] { 0.4 / 0.9, 0, 0.3 / 0.9, 0.2 / 0.9 }, (a, b) => Math.Abs(a - b) < 1e-15);
    }
}
