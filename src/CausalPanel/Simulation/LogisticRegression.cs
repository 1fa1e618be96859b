using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel;

/// <summary>Unpenalised logistic regression with an intercept by Newton–Raphson (IRLS), as R's <c>glm(family = binomial)</c>.</summary>
internal static class LogisticRegression
{
    /// <summary>The fitted probabilities of y on [1, X]; under separation the iterations stop at the cap, as glm's do (with a warning there).</summary>
    public static double[] FittedProbabilities(Matrix<double> x, IReadOnlyList<bool> y, int maxIterations = 25, double tolerance = 1e-8)
    {
        int n = x.RowCount, p = x.ColumnCount + 1;
        var design = Matrix<double>.Build.Dense(n, p, (i, k) => k == 0 ? 1 : x[i, k - 1]);
        var beta = Vector<double>.Build.Dense(p);
        var mu = new double[n];
        double previousDeviance = double.PositiveInfinity;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var eta = design * beta;
            var hessian = Matrix<double>.Build.Dense(p, p);
            var score = Vector<double>.Build.Dense(p);
            double deviance = 0;
            for (var i = 0; i < n; i++)
            {
                mu[i] = 1 / (1 + Math.Exp(-eta[i]));
                var w = Math.Max(mu[i] * (1 - mu[i]), 1e-12);
                var row = design.Row(i);
                hessian += w * row.OuterProduct(row);
                score += ((y[i] ? 1 : 0) - mu[i]) * row;
                deviance -= 2 * Math.Log(Math.Max(y[i] ? mu[i] : 1 - mu[i], 1e-300));
            }
            beta += hessian.Cholesky().Solve(score);
            // glm's rule: |dev − dev_old| / (|dev| + 0.1) < ε.
            if (Math.Abs(deviance - previousDeviance) / (Math.Abs(deviance) + 0.1) < tolerance) break;
            previousDeviance = deviance;
        }
        var final = design * beta;
        for (var i = 0; i < n; i++) mu[i] = 1 / (1 + Math.Exp(-final[i]));
        return mu;
    }
}
