using System.Globalization;
using System.Text.Json;

namespace CausalPanel.Tests.Support;

/// <summary>Golden values from the reference R packages (TestData/reference, copied from ../shared/reference).</summary>
internal static class Reference
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "TestData", "reference", file);

    public static JsonElement Json(string file) => JsonDocument.Parse(File.ReadAllText(PathOf(file))).RootElement;

    /// <summary>Rows of a weights file: (weight_type, label, weight).</summary>
    public static IReadOnlyList<(string Type, string Label, double Weight)> Weights(string file) =>
        File.ReadLines(PathOf(file)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(f => (f[0], f[2], double.Parse(f[3], CultureInfo.InvariantCulture))).ToList();

    /// <summary>The multi-treated CPS block panel (N0 = 42, N1 = 8, T0 = 30, T1 = 10).</summary>
    public static PanelData CpsMinWageBlock() =>
        PanelData.ReadCsv(PathOf("cps_minwage_block.csv"), unit: "state", time: "year", outcome: "log_wage", treated: "treated");
}
