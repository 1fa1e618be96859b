using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel;

/// <summary>
/// The data-generating process of the SDID paper's placebo studies, fitted to a real panel
/// (Arkhangelsky et al. 2021, AER, §3.1.1; R synthdid <c>estimate_dgp</c>; also the DGP of Athey,
/// Imbens, Qu and Viviano 2025, §3.1): the outcomes are standardised by their overall mean and
/// standard deviation; the rank-k SVD part L is split into an additive part F_it = L̄_i· + L̄_·t − L̄
/// and an interactive part M = L − F; the residual E = Y − L gives a pooled AR(2) model (coefficients
/// rounded to two decimals, as synthdid) whose correlation matrix, scaled to match ‖EᵀE/N‖_F, is the
/// noise covariance Σ of each unit's path; and a logistic regression of the units' treatment indicator
/// on the k scaled unit factors √N·U gives each unit's assignment probability π_i. The residuals also give the
/// noise scales σ_it of <see cref="NoiseScale"/> (unit, period and two-way heteroskedasticity; our construction,
/// issue 20). Simulate from it with <see cref="SimulationDesign"/>.
/// </summary>
public sealed partial class FactorModel
{
    private readonly double[,] _additive, _interactive, _covariance;
    private readonly (double[] Units, double[] Periods)[] _scales;   // a_i, b_t per Heteroskedasticity value

    private FactorModel(IReadOnlyList<string> units, IReadOnlyList<string> periods, int rank, double[,] additive, double[,] interactive, double[,] covariance,
        double[] arCoefficients, double[] probabilities, double[] factorShares, (double[] Units, double[] Periods)[] scales)
    {
        _scales = scales;
        Units = units;
        Periods = periods;
        Rank = rank;
        (_additive, _interactive, _covariance) = (additive, interactive, covariance);
        ArCoefficients = arCoefficients;
        AssignmentProbabilities = probabilities;
        FactorShares = factorShares;
    }

    /// <summary>Unit labels of the panel the model was fitted to.</summary>
    public IReadOnlyList<string> Units { get; }

    /// <summary>Period labels.</summary>
    public IReadOnlyList<string> Periods { get; }

    /// <summary>N, the number of units.</summary>
    public int UnitCount => Units.Count;

    /// <summary>T, the number of periods.</summary>
    public int PeriodCount => Periods.Count;

    /// <summary>k, the rank of the signal.</summary>
    public int Rank { get; }

    /// <summary>(φ₁, φ₂) of the AR(2) noise model, rounded to two decimals.</summary>
    public IReadOnlyList<double> ArCoefficients { get; }

    /// <summary>π_i, each unit's fitted probability of treatment.</summary>
    public IReadOnlyList<double> AssignmentProbabilities { get; }

    /// <summary>‖F‖²_F, ‖M‖²_F and ‖E‖²_F as shares of ‖Y‖²_F (standardised): how much is additive, interactive and noise.</summary>
    public IReadOnlyList<double> FactorShares { get; }

    /// <summary>F_it, the additive (two-way) part of the signal (standardised units).</summary>
    public double Additive(int unit, int period) => _additive[unit, period];

    /// <summary>M_it, the interactive part of the signal.</summary>
    public double Interactive(int unit, int period) => _interactive[unit, period];

    /// <summary>Σ_st, the noise covariance between periods s and t of a unit.</summary>
    public double NoiseCovariance(int s, int t) => _covariance[s, t];

    /// <summary>
    /// σ_it = a_i·b_t, the noise scale of a cell under <paramref name="model"/> relative to the average noise (the mean of
    /// σ²_it over the cells is 1, so the overall noise level is that of <see cref="NoiseCovariance"/>). Fitted to the
    /// squared residuals E²_it by <c>NoiseScales</c>: for <see cref="Heteroskedasticity.TwoWay"/> alternating
    /// maximum-likelihood steps a²_i = mean_t E²_it / b²_t, b²_t = mean_i E²_it / a²_i, each followed by empirical-Bayes
    /// shrinkage of the log-scales toward their mean (factor τ²/(τ² + v), v the sampling variance of a log-scale and τ² the
    /// spread left once it is taken out), so that scales the residuals cannot tell apart from 1 shrink to 1; for
    /// <see cref="Heteroskedasticity.Units"/> and <see cref="Heteroskedasticity.Periods"/> one shrunk step with b ≡ 1 or
    /// a ≡ 1; 1 for <see cref="Heteroskedasticity.None"/>. Our construction (issue 20), not a published estimator.
    /// </summary>
    public double NoiseScale(Heteroskedasticity model, int unit, int period)
    {
        var (a, b) = _scales[(int)model];
        return a[unit] * b[period];
    }

    /// <summary>
    /// One line: N × T and the rank; the additive, interactive and noise shares of ‖Y‖²; the AR(2)
    /// coefficients; the range and mean of the assignment probabilities.
    /// </summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Factor model of {UnitCount} units × {PeriodCount} periods, rank {Rank}: additive {FactorShares[0] * 100:0.0}%, interactive {FactorShares[1] * 100:0.0}%, noise {FactorShares[2] * 100:0.0}% of ‖Y‖²; AR(2) noise φ = ({ArCoefficients[0]:0.00}, {ArCoefficients[1]:0.00}); assignment probabilities {AssignmentProbabilities.Min():G3} to {AssignmentProbabilities.Max():G3} (mean {AssignmentProbabilities.Average():G3})");

    /// <summary>
    /// Fits the model to a balanced panel; the assignment indicator is "treated in some period"
    /// (as synthdid's last column of W for absorbing designs).
    /// </summary>
    public static FactorModel Fit(PanelData data, int rank = 4)
    {
        ArgumentNullException.ThrowIfNull(data);
        var treated = new bool[data.UnitCount];
        foreach (var i in data.Pattern.TreatedUnitIndices) treated[i] = true;
        return Fit(data, treated, rank);
    }

    /// <summary>Fits the model with an explicit assignment indicator per unit (panel order).</summary>
    public static FactorModel Fit(PanelData data, IReadOnlyList<bool> assignment, int rank = 4)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(assignment);
        int n = data.UnitCount, t = data.PeriodCount;
        if (!data.IsBalanced)
            throw new UnbalancedPanelException($"FactorModel.Fit needs every cell observed; this panel has {data.Outcomes.UnobservedCount} unobserved cells. Fill or drop them first.", [], []);
        if (assignment.Count != n)
            throw new ArgumentException($"The assignment indicator has {assignment.Count} entries; the panel has {n} units.", nameof(assignment));
        if (rank < 1 || rank >= Math.Min(n, t))
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"The rank must be between 1 and min(N, T) − 1 = {Math.Min(n, t) - 1}.");
        if (t < 3)
            throw new InsufficientDataException($"FactorModel.Fit needs at least 3 periods for the AR(2) noise model; the panel has {t}.");

        var y = Matrix<double>.Build.Dense(n, t, (i, s) => data.Outcomes[i, s]);
        var mean = y.Enumerate().Average();
        var sd = Math.Sqrt(y.Enumerate().Sum(v => (v - mean) * (v - mean)) / (n * t));
        if (!(sd > 0))
            throw new InsufficientDataException("FactorModel.Fit: the outcomes are constant, so there is nothing to model.");
        y = (y - mean) / sd;

        var svd = y.Svd(computeVectors: true);
        var l = Matrix<double>.Build.Dense(n, t);
        for (var k = 0; k < rank; k++)
            l += svd.S[k] * svd.U.Column(k).OuterProduct(svd.VT.Row(k));
        var e = y - l;
        var rowMeans = l.RowSums() / t;
        var colMeans = l.ColumnSums() / n;
        var grand = rowMeans.Sum() / n;
        var additive = new double[n, t];
        var interactive = new double[n, t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                additive[i, s] = rowMeans[i] + colMeans[s] - grand;
                interactive[i, s] = l[i, s] - additive[i, s];
            }

        var phi = Ar2(e).Select(c => Math.Round(c, 2, MidpointRounding.AwayFromZero)).ToArray();
        var correlation = Ar2Correlation(phi, t);
        var gram = e.TransposeThisAndMultiply(e) / n;
        var scale = gram.FrobeniusNorm() / correlation.FrobeniusNorm();
        var covariance = (correlation * scale).ToArray();

        var factors = Matrix<double>.Build.Dense(n, rank, (i, k) => svd.U[i, k] * Math.Sqrt(n));
        var probabilities = LogisticRegression.FittedProbabilities(factors, assignment);

        var squares = e.ToRowMajorArray().Select(v => v * v).ToArray();
        var everyCell = Enumerable.Repeat(1.0, n * t).ToArray();
        (double[], double[]) Scales(bool units, bool periods)
        {
            var (a2, b2) = Numerics.NoiseScales.Fit(squares, everyCell, n, t, units, periods);
            var level = a2.Average() * b2.Average();   // mean of a²b² over the cells
            return (a2.Select(v => Math.Sqrt(v / level)).ToArray(), b2.Select(Math.Sqrt).ToArray());
        }
        (double[], double[]) homoskedastic = (Enumerable.Repeat(1.0, n).ToArray(), Enumerable.Repeat(1.0, t).ToArray());

        var total = y.Enumerate().Sum(v => v * v);
        double Share(double[,] m) => m.Cast<double>().Sum(v => v * v) / total;
        return new FactorModel(data.Units, data.Periods, rank, additive, interactive, covariance, phi, probabilities,
            [Share(additive), Share(interactive), e.Enumerate().Sum(v => v * v) / total],
            [homoskedastic, Scales(true, false), Scales(false, true), Scales(true, true)]);
    }

    /// <summary>Pooled least-squares AR(2) without intercept over all units' residual paths (synthdid <c>fit_ar2</c>).</summary>
    private static double[] Ar2(Matrix<double> e)
    {
        double a1 = 0, a2 = 0, a3 = 0, b1 = 0, b2 = 0;
        for (var i = 0; i < e.RowCount; i++)
            for (var s = 2; s < e.ColumnCount; s++)
            {
                double y0 = e[i, s], y1 = e[i, s - 1], y2 = e[i, s - 2];
                a1 += y1 * y1; a2 += y2 * y2; a3 += y1 * y2;
                b1 += y1 * y0; b2 += y2 * y0;
            }
        var det = a1 * a2 - a3 * a3;
        return [(a2 * b1 - a3 * b2) / det, (a1 * b2 - a3 * b1) / det];
    }

    /// <summary>The T×T correlation matrix of a stationary AR(2): ρ₀ = 1, ρ₁ = φ₁/(1 − φ₂), ρ_k = φ₁ρ_{k−1} + φ₂ρ_{k−2}.</summary>
    internal static Matrix<double> Ar2Correlation(IReadOnlyList<double> phi, int t)
    {
        var rho = new double[t];
        rho[0] = 1;
        if (t > 1) rho[1] = phi[0] / (1 - phi[1]);
        for (var k = 2; k < t; k++) rho[k] = phi[0] * rho[k - 1] + phi[1] * rho[k - 2];
        return Matrix<double>.Build.Dense(t, t, (s, q) => rho[Math.Abs(s - q)]);
    }
}
