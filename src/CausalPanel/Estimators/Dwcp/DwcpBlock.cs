using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// DWCP's block mode, as the authors' simulation code (<c>TROP_TWFE_average</c>; spec §2.5): treated
/// units G in the last P periods; time distance d_s = |s − (T − P/2)| (0-based columns), unit distance
/// d_j = RMS over pre-periods of Y_js − mean_G Y_·s; δ_js = exp(−λ_unit d_j − λ_time d_s) multiplies the
/// residual before squaring, so the loss weight is δ²; one scalar τ is fitted jointly with unit and
/// period effects and the low-rank term on all cells: min Σ (δ (Y − α − β − L − τW))² + λ_nuclear‖L‖_*.
/// Covariates add Σ_k b_k X_kit, fitted jointly with τ as unpenalised regressors (Athey et al. 2025, §6.2, Eq. 14).
/// </summary>
internal static class DwcpBlock
{
    public static DwcpResult Estimate(DoublyWeightedCausalPanel estimator, PanelData data, double[] y, double[][]? x, double mean, double sd, CancellationToken ct)
    {
        var o = estimator.Options;
        var name = estimator.Name;
        PanelRequirements.RequireBalanced(data, name, "Mode = PerCell");
        var p = data.Pattern;
        int n = data.UnitCount, t = data.PeriodCount;
        if (p.Design != TreatmentDesign.Block)
            throw new UnsupportedTreatmentPatternException($"{name}: block mode needs simultaneous adoption (one N1 × T1 block), but this is a {p.Design.ToString().ToLowerInvariant()} design. Use Mode = PerCell, which handles any pattern.");
        if (o.Tuning is DwcpTuning.LeaveOneOut or DwcpTuning.LeaveOneOutSubset && (o.LambdaUnit is null || o.LambdaTime is null || o.LambdaNuclear is null))
            throw new ArgumentException($"{name}: block mode is tuned by placebo block cross-validation, as in the authors' code; leave-one-out tuning belongs to Mode = PerCell. Use Tuning = Automatic or PlaceboBlock, or give all three λ's.");
        int post = t - p.Cohorts[0].PeriodIndex;
        // Each draw's fit starts from its low-rank part and singular vectors at the previously evaluated triple.
        var warm = new WeightedLowRankRegression.WarmStart[o.PlaceboDraws];
        var unconverged = 0;
        var (lambdaUnit, lambdaTime, lambdaNuclear, trace, tuningWarnings) = DwcpLambdaSearch.Choose(o, Criterion, ct);
        ct.ThrowIfCancellationRequested();
        Func<double, double, double, bool, double> Criterion() => DoublyWeightedCausalPanel.PlaceboCriterion(estimator, data, y, (draw, rows, lu, lt, ln) =>
        {
            var (yc, wc, n0, _, xc) = DoublyWeightedCausalPanel.PlaceboPanel(data, y, x, rows, 0);
            var placebo = Fit(yc, wc, xc, n0, t, post, lu, lt, ln, o, ct, warm[draw] ??= new()).Fit;
            if (!placebo.Converged) Interlocked.Increment(ref unconverged);
            return placebo.RegressorsIdentified ? placebo.Gamma[0] : null;
        }, ct);

        var (fit, unitDelta, timeDelta) = Fit(y, data.Treatment.Values.ToArray(), x, n, t, post, lambdaUnit, lambdaTime, lambdaNuclear, o, ct);
        // On the untreated cells W is 0, so a covariate collinear with W here is collinear on them and was refused by
        // CovariateDesign; this guards against the block weights' rounding only.
        if (!fit.RegressorsIdentified)
            throw new CollinearCovariatesException(
                $"{name}: under the block weights the covariates are (numerically) collinear with the treatment indicator after removing unit and period effects, so τ is not identified. Use Mode = PerCell, which fits the covariates on the untreated cells only, or lower λ_unit and λ_time.",
                [.. data.Covariates.Keys]);
        var tau = sd * fit.Gamma[0];
        var warnings = new List<string>(tuningWarnings);
        if (!fit.Converged)
            warnings.Add($"The block fit stopped at MaxIterations = {o.MaxIterations} before meeting the tolerance, so τ is approximate. Raise MaxIterations.");
        if (unconverged > 0) warnings.Add(estimator.TuningWarning(unconverged));
        var counterfactuals = new List<(int, int, double)>();
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                if (data.Treatment[i, s]) counterfactuals.Add((i, s, data.Outcomes[i, s] - tau));
        var units = LabelledWeight.Over(data.Units, unitDelta);
        var periods = LabelledWeight.Over(data.Periods, timeDelta);
        return new DwcpResult(name, data, counterfactuals)
        {
            Source = estimator,
            Mode = DwcpMode.Block,
            LambdaUnit = lambdaUnit,
            LambdaTime = lambdaTime,
            LambdaNuclear = lambdaNuclear,
            Tuning = trace,
            UnitWeights = p.TreatedUnits.ToDictionary(u => u, _ => units),
            TimeWeights = Enumerable.Range(t - post, post).ToDictionary(s => data.Periods[s], _ => periods),
            ExcludedCells = [],
            UnconvergedFits = unconverged + (fit.Converged ? 0 : 1),
            CovariateCoefficients = DoublyWeightedCausalPanel.CovariateAverages(data, fit.Gamma.Skip(1).Select(b => sd * b).ToArray(), 1),
            Diagnostics = new SolverDiagnostics(double.IsPositiveInfinity(lambdaNuclear) ? "weighted least squares (exact)" : "weighted FISTA with singular value thresholding", fit.Iterations, fit.Converged, fit.Objective),
            Warnings = warnings,
        };
    }

    /// <summary>
    /// The weights of τ̂ at λ_nuclear = ∞ with the δ's held at their fitted values: τ̂ (on the standardised outcome) is the
    /// coefficient of W in the δ²-weighted least-squares fit with unit and period effects and the covariates, so
    /// τ̂ = Σ_it a_it y_it with a = δ² W̃ (G⁺)_0· (<see cref="WeightedTwoWayHat.AddCoefficient"/>); a sums to 0 (W̃ is
    /// orthogonal to the effects), so the same a gives τ = sd·τ̂ on the outcome itself.
    /// </summary>
    public static double[] LinearWeights(PanelData data, double[] y, double[][]? x, double lu, double lt)
    {
        int n = data.UnitCount, t = data.PeriodCount;
        var (v, w, _, _) = Weights(y, data.Treatment.Values.ToArray(), n, t, t - data.Pattern.Cohorts[0].PeriodIndex, lu, lt);
        var a = new double[n * t];
        new WeightedTwoWayHat(v, n, t, [w, .. x ?? []]).AddCoefficient(0, 1, a);
        return a;
    }

    /// <summary>
    /// The block fit on row-major arrays: treated rows are those treated in the last period; returns the fit (τ = Gamma[0],
    /// then the covariates' b) and the δ's.
    /// </summary>
    private static (WeightedLowRankRegression.Solution Fit, double[] UnitDelta, double[] TimeDelta) Fit(
        double[] y, bool[] treated, double[][]? x, int n, int t, int post, double lu, double lt, double ln, DwcpOptions o, CancellationToken ct, WeightedLowRankRegression.WarmStart? warm = null)
    {
        var (v, w, unitDelta, timeDelta) = Weights(y, treated, n, t, post, lu, lt);
        var solver = new WeightedLowRankRegression(y, v, n, t, [w, .. x ?? []], warm);
        var fit = solver.Solve(ln, warm, o.MaxIterations, o.Tolerance, ct);
        return (fit, unitDelta, timeDelta);
    }

    /// <summary>The loss weights v = δ², the treatment indicator W and the δ's of the block fit (row-major n×t).</summary>
    private static (double[] V, double[] W, double[] UnitDelta, double[] TimeDelta) Weights(double[] y, bool[] treated, int n, int t, int post, double lu, double lt)
    {
        int pre = t - post;
        var rows = Enumerable.Range(0, n).Where(i => treated[i * t + t - 1]).ToArray();
        var treatedMean = new double[pre];
        foreach (var i in rows)
            for (var s = 0; s < pre; s++) treatedMean[s] += y[i * t + s] / rows.Length;
        var unitDelta = new double[n];
        for (var j = 0; j < n; j++)
        {
            double sum = 0;
            for (var s = 0; s < pre; s++) sum += Math.Pow(y[j * t + s] - treatedMean[s], 2);
            unitDelta[j] = Math.Exp(-lu * Math.Sqrt(sum / pre));
        }
        var centre = t - post / 2.0;
        var timeDelta = Enumerable.Range(0, t).Select(s => Math.Exp(-lt * Math.Abs(s - centre))).ToArray();
        var v = new double[n * t];
        var w = new double[n * t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                v[i * t + s] = Math.Pow(unitDelta[i] * timeDelta[s], 2);
                w[i * t + s] = treated[i * t + s] ? 1 : 0;
            }
        return (v, w, unitDelta, timeDelta);
    }
}
