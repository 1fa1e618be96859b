using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace CausalPanel;

/// <summary>How a <see cref="SimulationDesign"/> picks the treated units.</summary>
public enum AssignmentModel
{
    /// <summary>Bernoulli(π_i) with the model's fitted logistic probabilities (the SDID paper's Eq. 3.2).</summary>
    Fitted,

    /// <summary>Bernoulli(0.5) for every unit (the papers' "random" designs).</summary>
    Uniform,

    /// <summary>
    /// Exactly <see cref="SimulationDesign.TreatedUnits"/> units drawn uniformly without replacement (TROP's
    /// "random" for Germany, Basque, Smoking and Boatlift, where N ≈ 2·N_tr and Bernoulli(0.5) would often treat fewer).
    /// </summary>
    Random,

    /// <summary>
    /// Bernoulli(π_i) with π = <see cref="SimulationDesign.TreatmentProbabilities"/>, the penalised synthetic-control
    /// weights of the real treated unit (TROP's "simulated", Athey et al. 2025, §3.1); when none is drawn, one unit
    /// uniformly. Build with <see cref="SimulationDesign.ForTreatedUnit"/>.
    /// </summary>
    SyntheticControl,

    /// <summary>
    /// The real treated units, over the last <see cref="SimulationDesign.TreatedPeriods"/> of their own pre-treatment
    /// periods (TROP's "treated unit"): the panel is cut to the periods before the real treatment, where the effect is 0.
    /// Build with <see cref="SimulationDesign.ForTreatedUnit"/>.
    /// </summary>
    TreatedUnit,
}

/// <summary>The noise of a simulated panel.</summary>
public enum NoiseModel
{
    /// <summary>Each unit's path ~ N(0, Σ), Σ the fitted AR(2) covariance (default).</summary>
    Autocorrelated,

    /// <summary>Independent over time with the same overall scale: Σ → I·‖Σ‖_F/√T (synthdid's "no.corr").</summary>
    Independent,

    /// <summary>No noise ("no.noise").</summary>
    None,
}

/// <summary>
/// A placebo design built on a <see cref="FactorModel"/> (Arkhangelsky et al. 2021, §3.1; R synthdid
/// <c>simulate_dgp</c>): each replication draws the treated units — Bernoulli(π_i); more than
/// <see cref="TreatedUnits"/> are cut to that many at random, none are replaced by that many uniformly —
/// treats them over the last <see cref="TreatedPeriods"/> periods with a true effect of <see cref="Effect"/> (default 0), and draws
/// Y = F + M + σ∘ε (σ_it the noise scales of <see cref="Heteroskedasticity"/>). The ablations of the SDID paper's Table 2 and TROP's Table 3 switch parts off.
/// </summary>
public sealed partial record SimulationDesign
{
    /// <summary>The fitted model.</summary>
    public required FactorModel Model { get; init; }

    /// <summary>Name for tables (default "design").</summary>
    public string Name { get; init; } = "design";

    /// <summary>Cap on the number of treated units N1. Default 10.</summary>
    public int TreatedUnits { get; init; } = 10;

    /// <summary>Treated periods T1 at the end of the panel. Default 10.</summary>
    public int TreatedPeriods { get; init; } = 10;

    /// <summary>
    /// Staggered adoption: each treated unit's number of treated periods at the end of the panel (e.g. a file's treated
    /// units', <see cref="ForAdoption(PanelData, int)"/>), dealt to the drawn treated units in a random order in each replication;
    /// as many as <see cref="TreatedUnits"/>, each between 1 and T − 1. Null (default): every treated unit is treated for
    /// <see cref="TreatedPeriods"/>, a block.
    /// </summary>
    public IReadOnlyList<int>? TreatedPeriodsByUnit { get; init; }

    /// <summary>How treated units are drawn. Default <see cref="AssignmentModel.Fitted"/>.</summary>
    public AssignmentModel Assignment { get; init; }

    /// <summary>Include the additive part F. Default true (false = "no.F").</summary>
    public bool Additive { get; init; } = true;

    /// <summary>Include the interactive part M. Default true (false = "no.M").</summary>
    public bool Interactive { get; init; } = true;

    /// <summary>The noise model. Default autocorrelated.</summary>
    public NoiseModel Noise { get; init; }

    /// <summary>When set, each replication resamples this many units' signal rows with replacement (synthdid's "resample.200/400").</summary>
    public int? ResampleUnits { get; init; }

    /// <summary>
    /// Noise scales σ_it multiplying each cell's noise (<see cref="FactorModel.NoiseScale"/>): the fitted unit, period or
    /// two-way heteroskedasticity of the panel. Default <see cref="Heteroskedasticity.None"/>.
    /// </summary>
    public Heteroskedasticity Heteroskedasticity { get; init; }

    /// <summary>
    /// λ: draws with σ_it^λ, renormalised so that the mean of σ²_it over the cells stays 1 — 0 is homoskedastic, 1 (default) the
    /// fitted heteroskedasticity, above 1 an exaggerated one (a stress test of variance methods on a panel like the user's).
    /// </summary>
    public double HeteroskedasticityStrength { get; init; } = 1;

    /// <summary>The true effect added to every treated cell (standardised units, like the outcomes). Default 0 (a placebo design).</summary>
    public double Effect { get; init; }

    /// <summary>Draws one panel from <paramref name="random"/>.</summary>
    public PanelData Simulate(Random random) => Draw(random).Panel;

    /// <summary>One panel and the root mean square of the noise scale σ_it over its treated cells.</summary>
    internal (PanelData Panel, double TreatedNoiseScale) Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var m = Model;
        int t = Assignment == AssignmentModel.TreatedUnit ? TargetPeriods ?? 0 : m.PeriodCount, n = ResampleUnits ?? m.UnitCount;
        ValidateTreatedUnitDesign(n);
        Validate(n, t);
        var rows = ResampleUnits is null ? Enumerable.Range(0, n).ToArray() : Enumerable.Range(0, n).Select(_ => random.Next(m.UnitCount)).ToArray();
        var treated = DrawTreated(random, rows, n);

        var factor = NoiseFactor();
        var z = new double[m.PeriodCount];
        var y = new double[n, t];
        var w = new bool[n, t];
        var firstTreated = FirstTreatedPeriods(random, treated, t);
        var strength = HeteroskedasticityStrength;
        double level = 0;
        for (var i = 0; i < m.UnitCount; i++)
            for (var s = 0; s < t; s++) level += Math.Pow(m.NoiseScale(Heteroskedasticity, i, s), 2 * strength);
        var normaliser = Math.Sqrt(level / (m.UnitCount * t));
        double treatedSquares = 0;
        var treatedCells = 0;
        for (var r = 0; r < n; r++)
        {
            if (factor is not null) Normal.Samples(random, z, 0, 1);
            for (var s = 0; s < t; s++)
            {
                var value = (Additive ? m.Additive(rows[r], s) : 0) + (Interactive ? m.Interactive(rows[r], s) : 0);
                var scale = Math.Pow(m.NoiseScale(Heteroskedasticity, rows[r], s), strength) / normaliser;
                if (factor is not null)
                {
                    double noise = 0;
                    for (var q = 0; q < z.Length; q++) noise += factor[s, q] * z[q];
                    value += scale * noise;
                }
                w[r, s] = treated[r] && s >= firstTreated[r];
                if (w[r, s])
                {
                    value += Effect;
                    treatedSquares += scale * scale;
                    treatedCells++;
                }
                y[r, s] = value;
            }
        }
        var labels = ResampleUnits is null ? m.Units : rows.Select((i, r) => $"{m.Units[i]}#{r}").ToArray();
        return (PanelData.FromMatrices(y, w, labels, m.Periods.Take(t)), Math.Sqrt(treatedSquares / treatedCells));
    }

    private void Validate(int n, int t)
    {
        if (TreatedUnits < 1 || TreatedUnits >= n)
            throw new ArgumentOutOfRangeException(nameof(TreatedUnits), TreatedUnits, $"TreatedUnits must be between 1 and N − 1 = {n - 1}.");
        if (TreatedPeriods < 1 || TreatedPeriods >= t)
            throw new ArgumentOutOfRangeException(nameof(TreatedPeriods), TreatedPeriods, $"TreatedPeriods must be between 1 and T − 1 = {t - 1}.");
        ValidateAdoption(t);
        if (!(HeteroskedasticityStrength >= 0 && double.IsFinite(HeteroskedasticityStrength)))
            throw new ArgumentOutOfRangeException(nameof(HeteroskedasticityStrength), HeteroskedasticityStrength, "HeteroskedasticityStrength must be finite and at least 0 (0 = homoskedastic, 1 = as fitted).");
        if (!double.IsFinite(Effect))
            throw new ArgumentOutOfRangeException(nameof(Effect), Effect, "Effect must be finite.");
        if (ResampleUnits is < 2)
            throw new ArgumentOutOfRangeException(nameof(ResampleUnits), ResampleUnits, "ResampleUnits must be at least 2.");
    }

    /// <summary>synthdid's <c>randomize_treatment</c>.</summary>
    private bool[] DrawTreated(Random random, int[] rows, int n)
    {
        if (Assignment >= AssignmentModel.Random) return DrawTreatedUnitDesign(random, n);
        var treated = new bool[n];
        var drawn = new List<int>();
        for (var r = 0; r < n; r++)
        {
            var p = Assignment == AssignmentModel.Uniform ? 0.5 : Model.AssignmentProbabilities[rows[r]];
            if (random.NextDouble() < p) drawn.Add(r);
        }
        if (drawn.Count == 0 || drawn.Count > TreatedUnits)
        {
            var pool = drawn.Count == 0 ? Enumerable.Range(0, n).ToArray() : drawn.ToArray();
            random.Shuffle(pool);
            drawn = pool.Take(TreatedUnits).ToList();
        }
        foreach (var r in drawn) treated[r] = true;
        return treated;
    }

    /// <summary>
    /// A square root of the noise covariance (Cholesky; for a fitted AR(2) outside the stationary region,
    /// whose Σ is not positive definite, the symmetric root with negative eigenvalues set to 0), or null.
    /// </summary>
    private Matrix<double>? NoiseFactor()
    {
        int t = Model.PeriodCount;
        var sigma = Matrix<double>.Build.Dense(t, t, Model.NoiseCovariance);
        return Noise switch
        {
            NoiseModel.None => null,
            NoiseModel.Independent => Matrix<double>.Build.DenseIdentity(t) * Math.Sqrt(sigma.FrobeniusNorm() / Math.Sqrt(t)),
            _ => Root(sigma),
        };
    }

    private static Matrix<double> Root(Matrix<double> sigma)
    {
        try { return sigma.Cholesky().Factor; }
        catch (ArgumentException)
        {
            var evd = sigma.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
            var root = evd.EigenVectors.Clone();
            for (var k = 0; k < root.ColumnCount; k++)
                root.SetColumn(k, root.Column(k) * Math.Sqrt(Math.Max(evd.EigenValues[k].Real, 0)));
            return root;
        }
    }
}
