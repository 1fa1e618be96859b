namespace CausalPanel.Tests.Simulation;

/// <summary>
/// The noise-only designs of docs/simulations/variance-power.md (<see cref="VariancePowerSimulationTests"/>) and of its oracle,
/// variance-oracle.md (<see cref="VarianceOracleSimulationTests"/>): Y_it = σ_it·ε_it, independent, with California's fitted
/// two-way noise scales raised to the power <see cref="Strength"/>; one treated cell or a 10 × 10 block, drawn uniformly.
/// </summary>
internal static class VariancePowerDesigns
{
    /// <summary>λ: California's fitted scales (sd of log a_i 0.38, of log b_t 0.14) raised to this power: sd 0.95 and 0.35.</summary>
    public const double Strength = 2.5;

    /// <summary>
    /// DWCP's given λ's: λ_time the quickstart's for California; λ_unit = 20 on the unstandardised outcomes, about the quickstart's
    /// 2.35 on standardised ones (the simulated outcomes' sd is about 0.12); no low-rank part (λ_nuclear = ∞), the designs have none.
    /// Unstandardised: standardising by the overall sd, treated cells included, lets the effect move the weights, and then power
    /// could not come from the shifted zero-effect draws.
    /// </summary>
    public static readonly DwcpOptions Dwcp = new() { LambdaUnit = 20, LambdaTime = 2.44, LambdaNuclear = double.PositiveInfinity, Standardise = false };

    /// <summary>The factor model fitted to California's Proposition 99 panel, whose noise scales the designs take.</summary>
    public static FactorModel Model { get; } = FactorModel.Fit(Datasets.CaliforniaSmoking());

    /// <summary>
    /// The average cell's noise sd: independent noise gives each cell the variance ‖Σ‖_F/√T times σ²_it (σ² of mean 1 over the
    /// cells); effects are in units of its root.
    /// </summary>
    public static double Sigma { get; } = Math.Sqrt(Math.Sqrt(Enumerable.Range(0, Model.PeriodCount)
        .Sum(s => Enumerable.Range(0, Model.PeriodCount).Sum(q => Math.Pow(Model.NoiseCovariance(s, q), 2))) / Model.PeriodCount));

    /// <summary>The two treated shapes and their effect sizes: one cell at 2σ and 3σ, a 10 × 10 block at 0.25σ and 0.4σ.</summary>
    public static (string Name, int Units, int Periods, double[] Effects)[] Shapes { get; } =
        [("1 cell", 1, 1, [2 * Sigma, 3 * Sigma]), ("10×10", 10, 10, [0.25 * Sigma, 0.4 * Sigma])];

    /// <summary>The design "{noise}, {shape}".</summary>
    public static SimulationDesign Design(string shape, int units, int periods, string noise, Heteroskedasticity kind) => new()
    {
        Model = Model, Name = $"{noise}, {shape}", TreatedUnits = units, TreatedPeriods = periods, Assignment = AssignmentModel.Random,
        Additive = false, Interactive = false, Noise = NoiseModel.Independent, Heteroskedasticity = kind, HeteroskedasticityStrength = Strength,
    };

    /// <summary>MC-NNM's λ, cross-validated once per shape on one simulated homoskedastic panel, then fixed (as in its replicates).</summary>
    public static double McLambda(string shape, int units, int periods) =>
        ((MatrixCompletionResult)new MatrixCompletion().Estimate(Design(shape, units, periods, "homoskedastic", Heteroskedasticity.None).Simulate(new Random(1)))).Lambda;

    /// <summary>The two-way design's cell variances σ²_it (in the simulated outcomes' units: mean Sigma² over the cells).</summary>
    public static double[,] TwoWayCellVariances()
    {
        int n = Model.UnitCount, t = Model.PeriodCount;
        double level = 0;
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++) level += Math.Pow(Model.NoiseScale(Heteroskedasticity.TwoWay, i, s), 2 * Strength);
        var cell = new double[n, t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++) cell[i, s] = Math.Pow(Model.NoiseScale(Heteroskedasticity.TwoWay, i, s), 2 * Strength) / (level / (n * t)) * Sigma * Sigma;
        return cell;
    }

    /// <summary>
    /// A noise-only panel with cell variances <paramref name="cell"/> (independent normal noise) and the treated cells
    /// <paramref name="treated"/>: the two-way design's draw with its treated set held fixed.
    /// </summary>
    public static PanelData DrawNoise(double[,] cell, bool[,] treated, Random random)
    {
        int n = cell.GetLength(0), t = cell.GetLength(1);
        var y = new double[n, t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++) y[i, s] = Math.Sqrt(cell[i, s]) * MathNet.Numerics.Distributions.Normal.Sample(random, 0, 1);
        return PanelData.FromMatrices(y, treated, Model.Units, Model.Periods);
    }

    /// <summary>The cells of the last <paramref name="periods"/> periods of the units in <paramref name="units"/>.</summary>
    public static bool[,] TreatedCells(IEnumerable<int> units, int periods)
    {
        int t = Model.PeriodCount;
        var w = new bool[Model.UnitCount, t];
        foreach (var i in units)
            for (var s = t - periods; s < t; s++) w[i, s] = true;
        return w;
    }

    /// <summary>
    /// DiD's variance under the two-way design, Σ_it c²_it σ²_it, with DiD's fixed weights: 1/N1 or −1/N0 by unit times 1/T1 or
    /// −1/T0 by period, the last <paramref name="treatedPeriods"/> periods treated.
    /// </summary>
    public static double DidVariance(double[,] cell, IReadOnlySet<int> treated, int treatedPeriods)
    {
        int n = cell.GetLength(0), t = cell.GetLength(1);
        double v = 0;
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
            {
                var c = (treated.Contains(i) ? 1.0 / treated.Count : -1.0 / (n - treated.Count)) * (s >= t - treatedPeriods ? 1.0 / treatedPeriods : -1.0 / (t - treatedPeriods));
                v += c * c * cell[i, s];
            }
        return v;
    }

    /// <summary>
    /// The oracle's treated set <paramref name="p"/> of <paramref name="design"/> (variance-oracle.md: its units, treated in the last
    /// <paramref name="periods"/> periods), the treated cells' summed noise variance (for noise terciles) and the set's own stream for
    /// its noise draws.
    /// </summary>
    public static (HashSet<int> Treated, bool[,] Cells, double Noise, Random Random) OracleSet(SimulationDesign design, double[,] cell, int periods, int p)
    {
        var treated = design.Simulate(new Random(1000 + p)).Pattern.TreatedUnitIndices.ToHashSet();
        var t = cell.GetLength(1);
        return (treated, TreatedCells(treated, periods), treated.Sum(i => Enumerable.Range(t - periods, periods).Sum(s => cell[i, s])), new Random(77 + 7919 * p));
    }

    /// <summary>V(S) by brute force: the estimator's mean square over <paramref name="draws"/> noise-only panels with the treated cells <paramref name="w"/>.</summary>
    public static double MeanSquare(IEstimator estimator, double[,] cell, bool[,] w, Random random, int draws)
    {
        double squares = 0;
        for (var r = 0; r < draws; r++) squares += Math.Pow(estimator.Estimate(DrawNoise(cell, w, random)).Att, 2);
        return squares / draws;
    }

    /// <summary>The power of the two-sided 5% z-test of an effect <paramref name="tau"/> when τ̂ ~ N(τ, <paramref name="variance"/>).</summary>
    public static double ZTestPower(double tau, double variance) =>
        MathNet.Numerics.Distributions.Normal.CDF(0, 1, -1.959964 + tau / Math.Sqrt(variance)) + MathNet.Numerics.Distributions.Normal.CDF(0, 1, -1.959964 - tau / Math.Sqrt(variance));
}
