namespace CausalPanel;

/// <summary>
/// Which standard error for my data (issue 20; the keynote's "keeping in mind both power and validity", Almeida,
/// Athey, Imbens, Lestant and Olaizola 2025): runs estimators × variance methods on panels simulated from designs
/// matched to the user's panel and reports, per design, estimator and method, the size (the share of 95% intervals
/// excluding 0 under a true effect of 0), the size within terciles of the treated cells' noise scale (a method that
/// is right on average can still never reject for quiet cells and over-reject for noisy ones), the power at each
/// of <see cref="EffectSizes"/>, the minimum detectable effect at 80% power and the mean interval length, with the
/// estimator's bias, RMSE and misfit share on the zero-effect panels (<see cref="VarianceComparisonRow.MisfitShare"/>: the
/// error a variance of the noise alone does not cover); it recommends a method by the rule of <see cref="VarianceComparisonResult.Recommend"/>,
/// and warns (<see cref="VarianceComparisonResult.Warnings"/>) when every panel of a design treated the same units. Replication b of design d
/// draws from its own stream (Seed, d, b), and the panels with an effect reuse that stream (the same treated units
/// and noise, the effect added), so results do not depend on the thread count.
/// </summary>
public sealed partial record VarianceComparison
{
    /// <summary>The settings as <c>VarianceComparison { Estimators = [DiD, …], Methods = […], … }</c>.</summary>
    public override string ToString() => SummaryText.Record(this);

    /// <summary>The estimators, named by <see cref="IEstimator.Name"/> (give distinct names, e.g. with <see cref="EstimatorNaming.Named"/>).</summary>
    public required IReadOnlyList<IEstimator> Estimators { get; init; }

    /// <summary>The variance methods, with distinct names (set their own parallelism to 1: the replications run in parallel).</summary>
    public required IReadOnlyList<IVarianceEstimator> Methods { get; init; }

    /// <summary>The designs (their <see cref="SimulationDesign.Effect"/> is replaced by 0 and by each effect size).</summary>
    public required IReadOnlyList<SimulationDesign> Designs { get; init; }

    /// <summary>True effects (standardised units, as <see cref="SimulationDesign.Effect"/>) at which to measure power. Default none.</summary>
    public IReadOnlyList<double> EffectSizes { get; init; } = [];

    /// <summary>
    /// Power from the zero-effect draws shifted by each effect (τ̂ + τ against the same interval) instead of re-running every
    /// estimator and method on the panels with the effect: 1 + (number of effect sizes) times faster, and exact when the
    /// effect moves the estimate by τ and leaves the interval alone — so it is for the placebo and regression methods with
    /// every estimator here, which never read the treated cells' outcomes. Checked on the first replication, where the
    /// effects are also simulated: a method whose estimate or interval moved otherwise (beyond 1e-4 of |estimate| +
    /// half-width, room for the iterative solvers' tolerance) is refused with an ArgumentException.
    /// Default false.
    /// </summary>
    public bool PowerFromShift { get; init; }

    /// <summary>
    /// Each simulated panel runs the methods that draw (placebo sets, bootstrap samples) with its own seed, from
    /// (<see cref="Seed"/>, design, replication), so that the size averages over the methods' draws as well as the panels, as
    /// over the arbitrary seed a user picks. With false every panel reuses each method's own Seed: the size is then that of
    /// one set of draws (the same control-unit positions in every panel), which can be far from the average where a few
    /// units carry much of the error — DiD's "conditional on units and periods" with 50 drawn placebos on panels fitted to the
    /// quota data (2 treated units of 112, DiD's error mostly misfit; 300 panels): 0.110 / 0.060 / 0.120 by noise tercile with
    /// one seed, 0.030 / 0.060 / 0.050 with a seed per panel. Default true.
    /// </summary>
    public bool SeedMethodsPerReplication { get; init; } = true;

    /// <summary>The nominal size α of the tests (intervals at level 1 − α). Default 0.05.</summary>
    public double NominalSize { get; init; } = 0.05;

    /// <summary>Simulated panels per design. Default 1000.</summary>
    public int Replications { get; init; } = 1000;

    /// <summary>Seed of the simulation streams.</summary>
    public int Seed { get; init; }

    /// <summary>Replications at most in parallel (−1 = all cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Receives the number of finished simulated panels (over all designs).</summary>
    public IProgress<int>? Progress { get; init; }

    /// <summary>Runs the comparison.</summary>
    public VarianceComparisonResult Run(CancellationToken ct = default)
    {
        Validate();
        var effects = EffectSizes.ToArray();
        var rows = new List<VarianceComparisonRow>();
        var warnings = new List<string>();
        var cells = RunCells(effects, ct);   // design d's replication b is cell d·Replications + b, on Executor (VarianceComparison.Work.cs)
        for (var d = 0; d < Designs.Count; d++)
        {
            var design = Designs[d];
            var runs = cells[(d * Replications)..((d + 1) * Replications)];
            if (PowerFromShift) CheckShift(design, runs[0].Draws, effects);
            if (SameTreatedUnits(design, runs) is { } warning) warnings.Add(warning);
            var scales = runs.Select(r => r.Scale).ToArray();
            for (var e = 0; e < Estimators.Count; e++)
            {
                var noiseFree = runs.Select(r => r.NoiseFree[e]).ToArray();
                for (var m = 0; m < Methods.Count; m++)
                    rows.Add(VarianceComparisonRow.From(design.Name, Estimators[e].Name, Methods[m].Name, effects, NominalSize,
                        runs.Select(r => r.Draws[e][m]).ToArray(), scales, runs.Select(r => r.Failures[e]).FirstOrDefault(f => f is not null), noiseFree));
            }
        }
        return new VarianceComparisonResult(rows, Seed, NominalSize, warnings);
    }

    /// <summary>
    /// The warning that every replication of <paramref name="design"/> treated the same units (so its sizes are conditional
    /// on them and its noise terciles hardly vary), or null: when they varied, when a cell read from an older checkpoint does
    /// not say, or for <see cref="AssignmentModel.TreatedUnit"/>, where they are fixed by construction.
    /// </summary>
    private static string? SameTreatedUnits(SimulationDesign design, Cell[] runs)
    {
        if (design.Assignment == AssignmentModel.TreatedUnit || runs.Any(r => r.TreatedUnits is null)) return null;
        var units = runs[0].TreatedUnits!;
        if (runs.Any(r => !r.TreatedUnits!.SequenceEqual(units))) return null;
        var named = string.Join(", ", units.Take(5)) + (units.Count > 5 ? ", …" : "");
        var why = design.Assignment == AssignmentModel.Fitted ? " (the logistic probabilities fitted to a few treated units separate them perfectly)" : "";
        return $"every one of the {runs.Length} panels of design \"{design.Name}\" treated the same units, {named}{why}: its sizes are conditional on those units and its noise terciles do not vary; set Assignment = AssignmentModel.Random with TreatedUnits = {units.Count} to vary them.";
    }

    private Cell Replicate(SimulationDesign design, int designSeed, int b, double[] effects, CancellationToken ct)
    {
        var draws = new TestDraw[Estimators.Count][][];
        var failures = new string?[Estimators.Count];
        for (var e = 0; e < Estimators.Count; e++)
        {
            draws[e] = new TestDraw[Methods.Count][];
            for (var m = 0; m < Methods.Count; m++) draws[e][m] = new TestDraw[effects.Length + 1];
        }
        var methodSeed = Replicates.Stream(unchecked(designSeed ^ 0x5EED5EED), b).Next();
        var methods = SeedMethodsPerReplication ? Methods.Select(m => m is VarianceMethod seeded ? seeded.Reseeded(methodSeed) : m).ToArray() : [.. Methods];
        var scale = double.NaN;
        IReadOnlyList<string>? treatedUnits = null;
        var simulated = PowerFromShift && b > 0 ? 0 : effects.Length;
        for (var k = 0; k <= simulated; k++)
        {
            var (panel, treatedScale) = (design with { Effect = k == 0 ? 0 : effects[k - 1] }).Draw(Replicates.Stream(designSeed, b));
            scale = treatedScale;
            treatedUnits ??= [.. panel.Pattern.TreatedUnitIndices.Select(i => panel.Units[i])];
            for (var e = 0; e < Estimators.Count; e++)
            {
                EstimationResult fit;
                try { fit = Estimators[e].Estimate(panel, ct); }
                catch (EstimationException ex)
                {
                    failures[e] ??= ex.Message;
                    for (var m = 0; m < Methods.Count; m++) draws[e][m][k] = TestDraw.Undefined;
                    continue;
                }
                for (var m = 0; m < Methods.Count; m++)
                {
                    var variance = fit.WithVariance(methods[m], ct);
                    if (!variance.IsDefined) { draws[e][m][k] = new TestDraw(fit.Att, double.NaN); continue; }
                    var interval = (variance with { ConfidenceLevel = 1 - NominalSize }).ConfidenceInterval;
                    draws[e][m][k] = new TestDraw(fit.Att, (interval.Upper - interval.Lower) / 2);
                }
            }
        }
        if (PowerFromShift && b > 0)
            foreach (var byMethod in draws)
                foreach (var draw in byMethod)
                    for (var k = 1; k <= effects.Length; k++) draw[k] = draw[0] with { Estimate = draw[0].Estimate + effects[k - 1] };
        return new Cell(scale, draws, failures, NoiseFreeEstimates(design, designSeed, b, ct), treatedUnits!);
    }

    /// <summary>
    /// Each estimator's ATT on replication b's zero-effect panel drawn with <see cref="NoiseModel.None"/> from the same stream
    /// (<see cref="SimulationDesign"/> draws the treated units before the noise, so they are the same units), NaN where it refused it.
    /// </summary>
    private double[] NoiseFreeEstimates(SimulationDesign design, int designSeed, int b, CancellationToken ct)
    {
        var panel = (design with { Effect = 0, Noise = NoiseModel.None }).Simulate(Replicates.Stream(designSeed, b));
        return [.. Estimators.Select(estimator =>
        {
            try { return estimator.Estimate(panel, ct).Att; }
            catch (EstimationException) { return double.NaN; }
        })];
    }

    /// <summary>In the first replication, simulated with every effect, the effect must have shifted each estimate and left each interval.</summary>
    private void CheckShift(SimulationDesign design, TestDraw[][][] first, double[] effects)
    {
        for (var e = 0; e < Estimators.Count; e++)
            for (var m = 0; m < Methods.Count; m++)
                for (var k = 1; k <= effects.Length; k++)
                {
                    var (zero, simulated) = (first[e][m][0], first[e][m][k]);
                    var shifted = zero with { Estimate = zero.Estimate + effects[k - 1] };
                    if (!simulated.Matches(shifted))
                        throw new ArgumentException($"{Methods[m].Name} for {Estimators[e].Name} on design \"{design.Name}\": with the effect {effects[k - 1]} added, the estimate and interval half-width were ({simulated.Estimate}, {simulated.HalfWidth}), not the zero-effect ones shifted ({shifted.Estimate}, {shifted.HalfWidth}), so power cannot come from shifted draws; set PowerFromShift = false.", nameof(PowerFromShift));
                }
    }

    private void Validate()
    {
        if (Estimators is null || Estimators.Count == 0) throw new ArgumentException("Give at least one estimator.", nameof(Estimators));
        if (Methods is null || Methods.Count == 0) throw new ArgumentException("Give at least one variance method.", nameof(Methods));
        if (Designs is null || Designs.Count == 0) throw new ArgumentException("Give at least one design.", nameof(Designs));
        ArgumentNullException.ThrowIfNull(EffectSizes);
        if (Replications < 3) throw new ArgumentOutOfRangeException(nameof(Replications), Replications, "Replications must be at least 3 (one per tercile).");
        if (!(NominalSize > 0 && NominalSize < 1)) throw new ArgumentOutOfRangeException(nameof(NominalSize), NominalSize, "NominalSize must be between 0 and 1 (0.05 for 95% intervals).");
        foreach (var effect in EffectSizes)
            if (!(double.IsFinite(effect) && effect > 0))
                throw new ArgumentOutOfRangeException(nameof(EffectSizes), effect, "Effect sizes must be positive and finite (power at 0 is the size, reported anyway).");
        Replicates.ValidateParallelism(MaxDegreeOfParallelism);
        Distinct(Estimators.Select(e => e.Name), nameof(Estimators), "estimators", "name them apart with estimator.Named(\"...\")");
        Distinct(Methods.Select(m => m.Name), nameof(Methods), "variance methods", "pick one of them (RegressionVariance names its noise model; ConditionalVariance with the regression approach is RegressionVariance)");
        Distinct(Designs.Select(d => d.Name), nameof(Designs), "designs", "give each design its own Name");
    }

    private static void Distinct(IEnumerable<string> names, string parameter, string what, string advice)
    {
        if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twin)
            throw new ArgumentException($"Two {what} are named \"{twin.Key}\"; {advice}.", parameter);
    }
}
