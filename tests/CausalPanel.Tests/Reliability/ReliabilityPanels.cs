using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Reliability;

/// <summary>The six estimators and a small block panel every one of them can estimate, for the determinism and invariance tests.</summary>
internal static class ReliabilityPanels
{
    /// <summary>16 units × 12 periods, units 12–15 treated from period 8.</summary>
    public static PanelData Block(double scale = 1, double shift = 0)
    {
        var adoption = Enumerable.Range(0, 16).Select(i => i >= 12 ? 8 : -1).ToArray();
        var data = RandomPanels.Staggered(seed: 11, adoption, periods: 12);
        var y = new double[16, 12];
        var w = new bool[16, 12];
        for (var i = 0; i < 16; i++)
            for (var s = 0; s < 12; s++)
            {
                y[i, s] = scale * data.Outcomes[i, s] + shift;
                w[i, s] = data.Treatment[i, s];
            }
        return PanelData.FromMatrices(y, w, data.Units, data.Periods);
    }

    /// <summary>
    /// The six estimators, converged tightly where the default stops early (MC-NNM's 1e-4 relative objective rule):
    /// invariance can only hold to the solver's tolerance. λ's that scale with the outcome are given by <paramref name="scale"/>.
    /// MC-NNM's λ = 0.01 keeps clear of MCPanel's "objective below 1e-8" stop, which at λ = 0.005 fires while the ATT
    /// still moves by ~3e-8 per round, so that rounding differences (a shift of 100) change the round it fires in.
    /// </summary>
    public static IEstimator[] Estimators(double scale = 1) =>
    [
        new DifferenceInDifferences(),
        new SyntheticControl(),
        new SyntheticControlWithIntercept(),
        new SyntheticDifferenceInDifferences(),
        new MatrixCompletion(new MatrixCompletionOptions { Lambda = 0.01 * scale, Tolerance = 1e-14, MaxIterations = 100_000 }),
        new DoublyWeightedCausalPanel(new DwcpOptions { LambdaUnit = 0.3, LambdaTime = 0.2, LambdaNuclear = 0.5, Tolerance = 1e-14 }),
    ];

    public static IEnumerable<object[]> EstimatorIndices() => Enumerable.Range(0, 6).Select(k => new object[] { k });
}
