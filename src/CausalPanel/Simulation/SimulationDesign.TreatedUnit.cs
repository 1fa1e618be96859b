using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// The assignments of TROP's single-treated-unit designs (Athey, Imbens, Qu and Viviano 2025, arXiv 2508.21536v2,
/// §3.1 "Four additional datasets" and Table 1 rows 10–21): <see cref="AssignmentModel.Random"/>,
/// <see cref="AssignmentModel.SyntheticControl"/> ("simulated") and <see cref="AssignmentModel.TreatedUnit"/>.
/// </summary>
public sealed partial record SimulationDesign
{
    /// <summary>The ridge η of <see cref="ForTreatedUnit"/>'s synthetic-control probabilities (the authors' replication code, <c>SC_weights</c>).</summary>
    public const double SyntheticControlRidge = 0.1;

    /// <summary>The settings as <c>SimulationDesign { Model = …, Assignment = …, … }</c>, lists printed by value.</summary>
    public override string ToString() => SummaryText.Record(this);

    /// <summary>π_i per unit (panel order) for <see cref="AssignmentModel.SyntheticControl"/>; null otherwise.</summary>
    public IReadOnlyList<double>? TreatmentProbabilities { get; init; }

    /// <summary>The real treated units (panel order) for <see cref="AssignmentModel.TreatedUnit"/>; null otherwise.</summary>
    public IReadOnlyList<int>? TargetUnits { get; init; }

    /// <summary>For <see cref="AssignmentModel.TreatedUnit"/>: the number of periods before the real treatment, to which the simulated panel is cut.</summary>
    public int? TargetPeriods { get; init; }

    /// <summary>
    /// A TROP design for a panel with one treated unit (or a block of them): the <see cref="FactorModel"/> fitted to
    /// <paramref name="data"/> and, for <see cref="AssignmentModel.SyntheticControl"/>, the probabilities π_j = ω_j of the
    /// penalised synthetic control of the treated units' mean on the controls, on the model's standardised outcomes
    /// Ỹ = (Y − mean)/sd over all periods but the last:
    /// ω = argmin over the simplex of ‖ȳ_tr − Ỹ_coᵀω‖² + η‖ω‖², η = <see cref="SyntheticControlRidge"/> (0.1), π = 0 for
    /// the treated units. The ridge keeps ω unique and spreads probability over several close donors instead of SC's
    /// corner; η = 0.1 and the fit window are those of the authors' replication code (<c>SC_weights(data, treated_periods=1)</c>),
    /// which produced the paper's Table 1. Since Σπ = 1, a draw treats about one unit.
    /// For <see cref="AssignmentModel.TreatedUnit"/>, the real treated units over the last <see cref="TreatedPeriods"/>
    /// of their T0 pre-treatment periods.
    /// </summary>
    /// <exception cref="ArgumentException">The assignment is not one of the three, or <paramref name="data"/> is not a block design with never-treated units.</exception>
    public static SimulationDesign ForTreatedUnit(PanelData data, AssignmentModel assignment, int rank = 4)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (assignment < AssignmentModel.Random)
            throw new ArgumentException($"ForTreatedUnit builds the Random, SyntheticControl and TreatedUnit designs; for {assignment} use new SimulationDesign {{ Model = FactorModel.Fit(data) }}.", nameof(assignment));
        if (data.Pattern.Design != TreatmentDesign.Block || data.Pattern.NeverTreatedUnitIndices.Count == 0)
            throw new ArgumentException($"ForTreatedUnit needs a block design (treated units adopting together) with never-treated units; this panel's design is {data.Pattern.Design}.", nameof(data));
        var design = new SimulationDesign { Model = FactorModel.Fit(data, rank), Assignment = assignment };
        return assignment switch
        {
            AssignmentModel.SyntheticControl => design with { TreatmentProbabilities = SyntheticControlProbabilities(data) },
            AssignmentModel.TreatedUnit => design with { TargetUnits = data.Pattern.TreatedUnitIndices, TargetPeriods = data.Pattern.Cohorts[0].PeriodIndex },
            _ => design,
        };
    }

    /// <summary>The penalised synthetic-control weights of <see cref="ForTreatedUnit"/> (0 for the treated units).</summary>
    private static double[] SyntheticControlProbabilities(PanelData data)
    {
        int n = data.UnitCount, fit = data.PeriodCount - 1;
        var controls = data.Pattern.NeverTreatedUnitIndices;
        var treated = data.Pattern.TreatedUnitIndices;
        double sum = 0, squares = 0;
        for (var i = 0; i < n; i++)
            for (var s = 0; s < data.PeriodCount; s++) sum += data.Outcomes[i, s];
        var mean = sum / (n * data.PeriodCount);
        for (var i = 0; i < n; i++)
            for (var s = 0; s < data.PeriodCount; s++) squares += (data.Outcomes[i, s] - mean) * (data.Outcomes[i, s] - mean);
        var sd = Math.Sqrt(squares / (n * data.PeriodCount));
        // Column-major [A | b]: column j = control j's standardised path, b = the treated units' mean path.
        // The simplex makes the centring irrelevant; the scale matters for the ridge. f = ‖Ax − b‖²/n + ζ²‖x‖², so ζ² = η/n.
        var k = controls.Count;
        var columns = new double[fit * (k + 1)];
        for (var s = 0; s < fit; s++)
        {
            for (var j = 0; j < k; j++) columns[j * fit + s] = data.Outcomes[controls[j], s] / sd;
            columns[k * fit + s] = treated.Average(i => data.Outcomes[i, s]) / sd;
        }
        var problem = new SimplexProblem(columns, fit, k, Math.Sqrt(SyntheticControlRidge / fit), intercept: false);
        var omega = Enumerable.Repeat(1.0 / k, k).ToArray();
        ProjectedGradient.Solve(problem, omega);
        var pi = new double[n];
        for (var j = 0; j < k; j++) pi[controls[j]] = omega[j];
        return pi;
    }

    private void ValidateTreatedUnitDesign(int n)
    {
        if (Assignment < AssignmentModel.Random) return;
        if (ResampleUnits is not null)
            throw new ArgumentException($"ResampleUnits does not combine with the {Assignment} assignment, which refers to the fitted panel's own units.", nameof(ResampleUnits));
        if (Assignment == AssignmentModel.SyntheticControl && (TreatmentProbabilities is null || TreatmentProbabilities.Count != n || TreatmentProbabilities.Any(p => !(p is >= 0 and <= 1))))
            throw new ArgumentException($"The SyntheticControl assignment needs TreatmentProbabilities: {n} values in [0, 1], one per unit; build the design with SimulationDesign.ForTreatedUnit.", nameof(TreatmentProbabilities));
        if (Assignment == AssignmentModel.TreatedUnit)
        {
            if (TargetUnits is null || TargetUnits.Count == 0 || TargetUnits.Any(i => i < 0 || i >= n) || TargetPeriods is null)
                throw new ArgumentException("The TreatedUnit assignment needs TargetUnits (the real treated units) and TargetPeriods (their pre-treatment periods); build the design with SimulationDesign.ForTreatedUnit.", nameof(TargetUnits));
            if (TreatedPeriods >= TargetPeriods)
                throw new ArgumentOutOfRangeException(nameof(TreatedPeriods), TreatedPeriods, $"The real treated units have {TargetPeriods} pre-treatment periods; choose fewer TreatedPeriods so that at least one remains untreated.");
        }
    }

    /// <summary>The treated units of the Random, SyntheticControl and TreatedUnit assignments.</summary>
    private bool[] DrawTreatedUnitDesign(Random random, int n)
    {
        var treated = new bool[n];
        if (Assignment == AssignmentModel.TreatedUnit)
        {
            foreach (var i in TargetUnits!) treated[i] = true;
            return treated;
        }
        var drawn = new List<int>();
        if (Assignment == AssignmentModel.SyntheticControl)
        {
            for (var i = 0; i < n; i++)
                if (random.NextDouble() < TreatmentProbabilities![i]) drawn.Add(i);
            if (drawn.Count == 0) drawn.Add(random.Next(n));   // the authors' generate_data: one unit uniformly
        }
        var pool = Assignment == AssignmentModel.Random ? Enumerable.Range(0, n).ToArray() : drawn.ToArray();
        if (pool.Length > TreatedUnits)
        {
            random.Shuffle(pool);
            pool = pool[..TreatedUnits];
        }
        foreach (var i in pool) treated[i] = true;
        return treated;
    }
}
