namespace CausalPanel;

/// <summary>
/// Placebo variance over units (Arkhangelsky et al. 2021, AER, Algorithm 4; R synthdid
/// <c>vcov(method = "placebo")</c>), conditional on the periods: drop the treated units; in each
/// replication permute the never-treated units, let the last N1 of them be placebo-treated over the
/// real post-periods and re-estimate (with the original fit's regularisation, weights warm-started);
/// SE = √((B−1)/B)·sd of the placebo estimates. Needs N0 &gt; N1; the only synthdid method defined for
/// one treated unit. With one treated unit there are only N0 distinct placebos, so by default they are
/// enumerated (the B → ∞ limit of synthdid's draws, deterministic). On a staggered design the placebo
/// units take over the treated units' adoption periods (Clarke, Pailañir, Athey and Imbens 2023, Stata
/// <c>sdid</c>), and each replicate refits the estimator from scratch.
/// </summary>
public sealed record UnitPlaceboVariance : VarianceMethod
{
    /// <summary>Replications B. Default 200.</summary>
    public int Replications { get; init; } = 200;

    /// <summary>Seed of the per-replicate random streams.</summary>
    public int Seed { get; init; }

    /// <inheritdoc/>
    internal override VarianceMethod Reseeded(int seed) => this with { Seed = seed };

    /// <summary>
    /// Enumerate every never-treated unit as the placebo instead of drawing <see cref="Replications"/>
    /// permutations; only possible with one treated unit. Null (default): enumerate exactly when N1 = 1.
    /// </summary>
    public bool? Exhaustive { get; init; }

    /// <summary>
    /// Replaces the random permutations, e.g. to replay R's draws: given the replicate index and N0, a
    /// permutation of 0..N0−1 (indices into the never-treated units in panel order). With <see cref="Cluster"/>, given
    /// G0, a permutation of 0..G0−1 (indices into the control clusters, ordered by their first unit in panel order).
    /// </summary>
    public Func<int, int, IReadOnlyList<int>>? Permutations { get; init; }

    /// <summary>
    /// Clustered placebo (unit label → cluster label, e.g. county → state), for noise correlated within clusters: the
    /// treatment paths of the treated clusters are reassigned to whole control clusters, as Stata <c>sdid</c>'s
    /// <c>vce(placebo) cluster()</c> does (Clarke, Pailañir, Athey and Imbens 2023, version 2.0.4). A cluster holding
    /// any treated unit is a treated cluster (G1 of them) and is dropped whole, with its never-treated units, whose noise
    /// is correlated with the treated units'; the control clusters (G0, never-treated units only) are permuted and the
    /// last G1 become placebo clusters, the j-th taking the paths of the j-th treated cluster (ordered by first
    /// adoption): its units (n of them, adoption periods earliest first, never-treated last) are spread over the
    /// placebo cluster's m units in panel order, unit k taking path ⌊k·n/m⌋. Stata requires equal cluster sizes
    /// (m = n, where this is its path transfer); spreading keeps the treated share and the adoption mix when sizes differ
    /// (counties in states), and a placebo cluster always has a treated unit. Needs G0 &gt; G1, else
    /// <see cref="TooFewClustersException"/>; with G1 = 1 the G0 placebo clusters are enumerated. Every unit its own
    /// cluster (<c>u =&gt; u</c>) gives the unclustered placebo exactly. Null (default): units are independent. A panel
    /// read with a cluster column (<see cref="PanelReadOptions.Cluster"/>) gives its map as <c>data.ClusterOf</c>.
    /// </summary>
    public Func<string, string>? Cluster { get; init; }

    /// <inheritdoc/>
    public override string Name => Cluster is null ? "Unit placebo" : "Cluster placebo";

    /// <inheritdoc/>
    public override VarianceTarget Target => VarianceTarget.ConditionalOnPeriods;

    private protected override ReplicateSet ReplicateCore(EstimationResult fit, ReplicateStatistic statistic, CancellationToken ct)
    {
        Replicates.Validate(Replications, MaxDegreeOfParallelism);
        if ((Cluster is null ? Replicates.UnitPlaceboProblem(fit, Name) : Replicates.AdoptionDesignProblem(fit, Name)) is { } problem)
            return ReplicateSet.Undefined(this, problem, Replications);
        var data = fit.Data;
        var design = Design(data);
        var clusters = design.Clusters;
        var count = design.Exhaustive ? design.G0 : Replications;

        var draws = RunReplicates(fit, statistic, count, Cluster is null ? null : clusters.Describe(data), Permutations is null ? null : nameof(Permutations), (b, ct) =>
        {
            var layout = Layout(design, b);
            var panel = Replicates.Panel(data, layout.Rows, r => layout.Adoption[r]);
            var estimator = fit.ForReplicate(layout.Rows[..layout.Controls], fixWeights: false);
            return ReplicateStatistic.Item(statistic.Of(estimator.Estimate(panel, ct), ct), layout.Label);
        }, ct);

        return new ReplicateSet
        {
            Method = Name, Target = Target, Spread = ReplicateSpread.Centred, ArePlaceboEffects = true,
            Seed = Permutations is null && !design.Exhaustive ? Seed : null,
            Values = draws.Select(ReplicateStatistic.Value).ToArray(), Labels = draws.Select(d => d.Label!).ToArray(), Requested = count,
        };
    }

    /// <summary>The clusters, the treated clusters' treatment paths and whether the placebos are enumerated, shared by every replicate.</summary>
    internal sealed record PlaceboDesign(ClusterLayout Clusters, int[][] Paths, bool Exhaustive)
    {
        public int G0 => Clusters.ControlCount;
        public int G1 => Clusters.TreatedCount;
    }

    /// <summary>Placebo b's panel: its rows (rows of the data, its controls first), how many are controls, each row's adoption column (null: never treated) and its label.</summary>
    internal sealed record PlaceboLayout(int[] Rows, int Controls, int?[] Adoption, string Label)
    {
        /// <summary>The real fit's panel in the same form: the never-treated units, then the treated units at their adoption columns.</summary>
        public static PlaceboLayout RealFit(TreatmentPattern pattern)
        {
            var (controls, treated) = (pattern.NeverTreatedUnitIndices, pattern.TreatedUnitIndices);
            return new([.. controls, .. treated], controls.Count, [.. controls.Select(_ => (int?)null), .. treated.Select(pattern.FirstTreatedPeriodIndex)], "real fit");
        }
    }

    /// <summary>The placebo design of <paramref name="data"/> (validated: enough control clusters, enumeration only with one treated cluster).</summary>
    internal PlaceboDesign Design(PanelData data)
    {
        var p = data.Pattern;
        var clusters = ClusterLayout.Of(data, Cluster ?? (u => u));
        if (Cluster is not null)
            clusters.Require(1, clusters.TreatedCount + 1, Name, "more control clusters than treated ones (G0 > G1), as the unit placebo needs N0 > N1");
        // Each treated cluster's treatment paths (its units' adoption periods, earliest first, never-treated last), the
        // clusters ordered by their first adoption: the last G1 permuted control clusters take them over.
        var paths = Enumerable.Range(clusters.ControlCount, clusters.TreatedCount)
            .Select(g => clusters.Members(g).Select(i => p.FirstTreatedPeriodIndex(i) ?? int.MaxValue).Order().ToArray())
            .OrderBy(path => path[0]).ToArray();
        var exhaustive = Enumerates(clusters.TreatedCount);
        if (exhaustive && clusters.TreatedCount != 1)
            throw new ArgumentException($"Exhaustive enumeration of unit placebos needs one treated {(Cluster is null ? "unit" : "cluster")}; this panel has {clusters.TreatedCount}. Leave Exhaustive unset to draw {Replications} permutations.", nameof(Exhaustive));
        return new PlaceboDesign(clusters, paths, exhaustive);
    }

    /// <summary>Replicate <paramref name="b"/>'s placebo panel layout.</summary>
    internal PlaceboLayout Layout(PlaceboDesign design, int b)
    {
        var (clusters, paths) = (design.Clusters, design.Paths);
        var permutation = Permutation(b, design.G0, design.Exhaustive);
        var placebo = permutation[(design.G0 - design.G1)..];
        // Unit k of m in placebo cluster j takes path ⌊k·n/m⌋ of the n paths of treated cluster j, so the
        // treated share and adoption mix carry over whatever the cluster sizes; the first unit is always treated.
        var assigned = placebo.SelectMany((g, j) => clusters.Members(g).Select((i, k) =>
            (Row: i, Start: paths[j][k * paths[j].Length / clusters.Members(g).Count]))).ToArray();
        var controls = permutation[..(design.G0 - design.G1)].SelectMany(clusters.Members)
            .Concat(assigned.Where(a => a.Start == int.MaxValue).Select(a => a.Row)).ToArray();
        var treated = assigned.Where(a => a.Start != int.MaxValue).ToArray();
        return new PlaceboLayout([.. controls, .. treated.Select(a => a.Row)], controls.Length,
            [.. controls.Select(_ => (int?)null), .. treated.Select(a => (int?)a.Start)], string.Join("+", placebo.Select(g => clusters.Labels[g])));
    }

    /// <summary>
    /// Replicate <paramref name="b"/>'s permutation of the <paramref name="g0"/> control clusters (the last G1 are its placebo
    /// clusters): with <paramref name="exhaustive"/> control cluster b last, else <see cref="Permutations"/>' or the seeded shuffle.
    /// </summary>
    internal int[] Permutation(int b, int g0, bool exhaustive) =>
        exhaustive ? Enumerable.Range(0, g0).Where(k => k != b).Append(b).ToArray()
            : Permutations?.Invoke(b, g0).ToArray() ?? Shuffle(Replicates.Stream(Seed, b), g0);

    /// <summary>Whether the placebos are enumerated rather than drawn, for <paramref name="g1"/> treated clusters.</summary>
    internal bool Enumerates(int g1) => Permutations is null && (Exhaustive ?? g1 == 1);

    private static int[] Shuffle(Random random, int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        random.Shuffle(p);
        return p;
    }
}
