using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// DWCP's block mode, as the authors' simulation code (<c>TROP_TWFE_average</c>; spec §2.5): treated
/// units G in the last P periods; time distance d_s = |s − (T − P/2)| (0-based columns), unit distance
/// d_j = RMS over pre-periods of Y_js − mean_G Y_·s; δ_js = exp(−λ_unit d_j − λ_time d_s) multiplies the
/// residual before squaring, so the loss weight is δ²; one scalar τ is fitted jointly with unit and
/// period effects and the low-rank term on all cells: min Σ (δ (Y − α − β − L − τW))² + λ_nuclear‖L‖_*.
/// </summary>
internal static class DwcpBlock
{
    public static DwcpResult Estimate(DoublyWeightedCausalPanel estimator, PanelData data, double[] y, double mean, double sd, CancellationToken ct)
    {
        var o = estimator.Options;
        var name = estimator.Name;
        if (o.LambdaUnit is not { } lu || o.LambdaTime is not { } lt || o.LambdaNuclear is not { } ln)
            throw new ArgumentException($"{name}: block mode needs LambdaUnit, LambdaTime and LambdaNuclear (the authors' convention); its placebo tuning is not available yet. Give all three, or use Mode = PerCell, which tunes them.");
        PanelRequirements.RequireBalanced(data, name, "Mode = PerCell");
        var p = data.Pattern;
        int n = data.UnitCount, t = data.PeriodCount;
        if (p.Design != TreatmentDesign.Block)
            throw new UnsupportedTreatmentPatternException($"{name}: block mode needs simultaneous adoption (one N1 × T1 block), but this is a {p.Design.ToString().ToLowerInvariant()} design. Use Mode = PerCell, which handles any pattern.");
        int pre = p.Cohorts[0].PeriodIndex, post = t - pre;
        ct.ThrowIfCancellationRequested();

        var treatedMean = new double[pre];
        foreach (var i in p.TreatedUnitIndices)
            for (var s = 0; s < pre; s++) treatedMean[s] += y[i * t + s] / p.TreatedUnitCount;
        var unitDistance = new double[n];
        for (var j = 0; j < n; j++)
        {
            double sum = 0;
            for (var s = 0; s < pre; s++) sum += Math.Pow(y[j * t + s] - treatedMean[s], 2);
            unitDistance[j] = Math.Sqrt(sum / pre);
        }
        var centre = t - post / 2.0;
        var unitDelta = unitDistance.Select(d => Math.Exp(-lu * d)).ToArray();
        var timeDelta = Enumerable.Range(0, t).Select(s => Math.Exp(-lt * Math.Abs(s - centre))).ToArray();
        var v = new double[n * t];
        var w = new double[n * t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                v[i * t + s] = Math.Pow(unitDelta[i] * timeDelta[s], 2);
                w[i * t + s] = data.Treatment[i, s] ? 1 : 0;
            }
        var fit = new WeightedLowRankRegression(y, v, n, t, w).Solve(ln, maxIterations: o.MaxIterations, tolerance: o.Tolerance);
        var tau = sd * fit.Gamma;

        var counterfactuals = new List<(int, int, double)>();
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                if (data.Treatment[i, s]) counterfactuals.Add((i, s, data.Outcomes[i, s] - tau));
        IReadOnlyList<LabelledWeight> units = unitDelta.Select((d, j) => new LabelledWeight(data.Units[j], j, d)).ToArray();
        IReadOnlyList<LabelledWeight> periods = timeDelta.Select((d, s) => new LabelledWeight(data.Periods[s], s, d)).ToArray();
        return new DwcpResult(name, data, counterfactuals)
        {
            Mode = DwcpMode.Block,
            LambdaUnit = lu,
            LambdaTime = lt,
            LambdaNuclear = ln,
            Tuning = [],
            UnitWeights = p.TreatedUnits.ToDictionary(u => u, _ => units),
            TimeWeights = Enumerable.Range(pre, post).ToDictionary(s => data.Periods[s], _ => periods),
            ExcludedCells = [],
            UnconvergedFits = fit.Converged ? 0 : 1,
            Diagnostics = new SolverDiagnostics(double.IsPositiveInfinity(ln) ? "weighted least squares (exact)" : "weighted FISTA with singular value thresholding", fit.Iterations, fit.Converged, fit.Objective),
        };
    }
}
