namespace CausalPanel.Tests.Support;

/// <summary>
/// The variance comparison the distributed tests run on every executor (core and Orleans tests): 2 designs fitted to
/// CPS × 4 replications = 8 cells; a placebo and a one-fit method; one effect size, simulated (not shifted).
/// </summary>
internal static class SmallVarianceComparison
{
    private static readonly FactorModel Cps = FactorModel.Fit(Datasets.Cps("log_wage", "min_wage"));

    public static VarianceComparison Create() => new()
    {
        Estimators = [new DifferenceInDifferences(), new SyntheticControl()],
        Methods = [new UnitPlaceboVariance { Replications = 4, Seed = 5, MaxDegreeOfParallelism = 1 }, new RegressionVariance { On = VarianceTarget.ConditionalOnUnits }],
        Designs =
        [
            new SimulationDesign { Model = Cps, Name = "CPS", TreatedUnits = 3, TreatedPeriods = 2 },
            new SimulationDesign { Model = Cps, Name = "two-way noise", TreatedUnits = 3, TreatedPeriods = 2, Assignment = AssignmentModel.Uniform, Heteroskedasticity = Heteroskedasticity.TwoWay },
        ],
        EffectSizes = [0.4],
        Replications = 4,
        Seed = 9,
    };

    /// <summary>
    /// A cell's outputs as bits: the treated cells' noise scale, then every test's estimates, half-widths and noise-free
    /// estimate, then the treated units' labels as characters (−1 after each).
    /// </summary>
    public static long[] CellBits(WorkItemResult item) =>
        [BitConverter.DoubleToInt64Bits(item.TreatedNoiseScale!.Value),
         .. item.Tests!.SelectMany(t => t.Estimates.Concat(t.HalfWidths).Append(t.NoiseFreeEstimate)).Select(BitConverter.DoubleToInt64Bits),
         .. item.TreatedUnits!.SelectMany(u => u.Select(c => (long)c).Append(-1))];
}
