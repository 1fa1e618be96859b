namespace CausalPanel.Cli.Tests;

public sealed class ClusterTests
{
    /// <summary>The staggered panel with a column "state": the adoption cohort and the county number's parity (8 states).</summary>
    private static string WithStates()
    {
        var lines = File.ReadAllLines(Tool.Staggered);
        var path = Path.Combine(Tool.TempFolder(), "states.csv");
        File.WriteAllLines(path, lines.Take(1).Select(h => h + ",state").Concat(lines.Skip(1).Select(l =>
        {
            var f = l.Split(',');
            return $"{l},{f[3]}-{int.Parse(f[0][1..], System.Globalization.CultureInfo.InvariantCulture) % 2}";
        })));
        return path;
    }

    [Fact]
    public void Cluster_gives_the_librarys_clustered_standard_error_and_refuses_methods_that_do_not_cluster()
    {
        var file = WithStates();
        var run = Tool.Run(["estimate", file, .. Tool.StaggeredColumns, "--estimators", "did", "--se", "jackknife", "--cluster", "state", "--json"]);

        run.Code.Should().Be(0, run.Error);
        var data = PanelData.ReadCsv(file, "county", "year", "y", adoption: "first_treat", options: new PanelReadOptions { Cluster = "state" });
        var expected = new DifferenceInDifferences().Estimate(data).WithVariance(new JackknifeVariance { Cluster = data.ClusterOf });
        var variance = run.Json.GetProperty("estimates")[0].GetProperty("variance");
        variance.GetProperty("standardError").GetDouble().Should().Be(expected.StandardError);
        variance.GetProperty("replicates").GetArrayLength().Should().Be(8, "one replicate per state left out");

        var refused = Tool.Run(["estimate", file, .. Tool.StaggeredColumns, "--se", "time-placebo", "--cluster", "state"]);
        refused.Code.Should().Be(2, refused.Out + refused.Error);
        (refused.Out + refused.Error).Should().Contain("--cluster needs --se placebo, bootstrap, jackknife, regression");
    }
}
