namespace CausalPanel.Numerics;

/// <summary>
/// λ selection and final fit of R <c>MCPanel::mcnnm_cv</c> (Athey et al. 2021, JASA, §4.3): K folds
/// whose training cells are the observed cells kept by a Bernoulli(cvRatio) draw per cell (drawn
/// row by row over the whole matrix), each initialised by <see cref="NuclearNormRegression.InitialiseEffects"/>;
/// a grid from the largest fold λ_max down three decades (log-spaced) plus 0; a warm-started path
/// per fold scored by validation MSE; the first λ minimising √(mean MSE); and a warm-started path
/// on all observed cells over the same grid, stopped at that λ.
/// </summary>
internal static class NuclearNormCrossValidation
{
    /// <summary>Settings, as MCPanel's arguments.</summary>
    public sealed record Settings(int LambdaCount, int Folds, double CvRatio, int MaxIterations, double Tolerance,
        bool UnitEffects, bool PeriodEffects, Func<bool> KeepDraw);

    /// <summary>The fit at the chosen λ and the cross-validation curve.</summary>
    public sealed record Outcome(NuclearNormRegression.State State, double[] Grid, double[] Rmse, int Best, int Iterations, bool Converged);

    /// <param name="m">Outcomes, column-major n×t.</param>
    /// <param name="x">Covariates (row-major n×t, same row order) or null; each fold residualises them on its training cells.</param>
    /// <param name="mask">Observed cells to fit.</param>
    /// <param name="n">Rows.</param>
    /// <param name="t">Columns.</param>
    /// <param name="settings">MCPanel's arguments.</param>
    /// <param name="ct">Cancellation.</param>
    public static Outcome Run(double[] m, IReadOnlyList<double[]>? x, bool[] mask, int n, int t, Settings settings, CancellationToken ct)
    {
        // Draw every fold's keep flags first, in MCPanel's order (fold, row, column), so folds can then run in parallel.
        var folds = new (bool[] Train, bool[] Validate)[settings.Folds];
        for (var f = 0; f < settings.Folds; f++)
        {
            var train = new bool[n * t];
            var validate = new bool[n * t];
            for (var i = 0; i < n; i++)
                for (var j = 0; j < t; j++)
                {
                    var keep = settings.KeepDraw();
                    train[j * n + i] = mask[j * n + i] && keep;
                    validate[j * n + i] = mask[j * n + i] && !keep;
                }
            folds[f] = (train, validate);
        }

        var problems = new NuclearNormRegression[settings.Folds];
        var starts = new NuclearNormRegression.State[settings.Folds];
        var lambdaMax = new double[settings.Folds];
        Parallel.For(0, settings.Folds, new ParallelOptions { CancellationToken = ct }, f =>
        {
            problems[f] = new NuclearNormRegression(m, folds[f].Train, n, t, settings.UnitEffects, settings.PeriodEffects, x);
            starts[f] = problems[f].NewState();
            lambdaMax[f] = problems[f].InitialiseEffects(starts[f], 1000, 1e-5, ct);   // MCPanel fixes these for the folds
        });
        var grid = Grid(lambdaMax.Max(), settings.LambdaCount);

        var mse = new double[settings.Folds, grid.Length];
        Parallel.For(0, settings.Folds, new ParallelOptions { CancellationToken = ct }, f =>
        {
            var state = starts[f];
            var validationCount = folds[f].Validate.Count(x => x);
            for (var g = 0; g < grid.Length; g++)
            {
                problems[f].Fit(state, grid[g], settings.MaxIterations, settings.Tolerance, ct);
                mse[f, g] = problems[f].SquaredError(state, folds[f].Validate) / validationCount;
            }
        });
        var rmse = new double[grid.Length];
        var best = 0;
        for (var g = 0; g < grid.Length; g++)
        {
            double sum = 0;
            for (var f = 0; f < settings.Folds; f++) sum += mse[f, g];
            rmse[g] = Math.Sqrt(sum / settings.Folds);
            if (rmse[g] < rmse[best]) best = g;
        }

        var (final, iterations, converged) = Path(m, x, mask, n, t, settings, _ => grid[..(best + 1)], ct);
        return new Outcome(final, grid, rmse, best, iterations, converged);
    }

    /// <summary>
    /// A warm-started path on all observed cells (effects initialised with <c>MaxIterations</c>, as MCPanel's
    /// final fit and <c>mcnnm_fit</c>) over the values <paramref name="lambdas"/> gives for that initialisation's λ_max
    /// (MCPanel's <c>mcnnm_lam_range</c>: the same initialisation); returns the state at the last λ, with that fit's
    /// iterations and convergence, its effects expressed for the covariates as given
    /// (<see cref="NuclearNormRegression.ExpressInCovariates"/>).
    /// </summary>
    public static (NuclearNormRegression.State State, int Iterations, bool Converged) Path(
        double[] m, IReadOnlyList<double[]>? x, bool[] mask, int n, int t, Settings settings, Func<double, double[]> lambdas, CancellationToken ct)
    {
        var problem = new NuclearNormRegression(m, mask, n, t, settings.UnitEffects, settings.PeriodEffects, x);
        var state = problem.NewState();
        var lambdaMax = problem.InitialiseEffects(state, settings.MaxIterations, settings.Tolerance, ct);
        (int Iterations, bool Converged) last = (0, true);
        foreach (var lambda in lambdas(lambdaMax)) last = problem.Fit(state, lambda, settings.MaxIterations, settings.Tolerance, ct);
        problem.ExpressInCovariates(state);
        return (state, last.Iterations, last.Converged);
    }

    /// <summary>
    /// The fit at one λ started from a given point (L, u, v) — a variance replicate started from the original fit —
    /// instead of MCPanel's path from λ_max. F is convex in (L, u, v) and no round increases it (exact minimisation in u
    /// and v, then the proximal step in L, which minimises a majoriser of F touching it at the current point: the
    /// soft-impute scheme of Mazumder, Hastie and Tibshirani 2010, Lemma 2), so the rounds approach the minimisers of F
    /// from any start; the path is one start among others (the fit at the previous grid value). Both stop by the same
    /// rule (a relative decrease of F below <c>Tolerance</c>), so they agree to what that rule leaves unresolved, not bit
    /// for bit; a start near the answer stops in fewer rounds than the path's many λ's. The start's nuclear norm is not
    /// known, so the first round cannot stop. Returns the state (effects expressed for the covariates as given), the
    /// rounds and whether the rule fired. The arrays are taken over (<paramref name="l"/> becomes the state's L).
    /// </summary>
    public static (NuclearNormRegression.State State, int Iterations, bool Converged) FromStart(
        double[] m, IReadOnlyList<double[]>? x, bool[] mask, int n, int t, Settings settings, double lambda,
        double[] l, ReadOnlySpan<double> u, ReadOnlySpan<double> v, CancellationToken ct)
    {
        var problem = new NuclearNormRegression(m, mask, n, t, settings.UnitEffects, settings.PeriodEffects, x);
        var state = problem.NewState(l);
        u.CopyTo(state.U);
        v.CopyTo(state.V);
        state.NuclearNorm = double.NaN;
        var (iterations, converged) = problem.Fit(state, lambda, settings.MaxIterations, settings.Tolerance, ct);
        problem.ExpressInCovariates(state);
        return (state, iterations, converged);
    }

    /// <summary>MCPanel's grid: count − 1 values 10^(log10 max − k·3/(count − 2)), k = 0.., then 0.</summary>
    public static double[] Grid(double lambdaMax, int count)
    {
        var grid = new double[count];
        if (!(lambdaMax > 0)) return grid;   // the effects fit exactly: no λ makes L nonzero
        double start = Math.Log10(lambdaMax), end = start - 3;
        var points = count - 1;
        var step = points > 1 ? (end - start) / (points - 1) : 0;
        for (var k = 0; k < points; k++) grid[k] = Math.Pow(10, points > 1 ? start + k * step : end);
        grid[count - 1] = 0;
        return grid;
    }
}
