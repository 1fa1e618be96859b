using System.Data;
using System.Xml.Linq;
using static CausalPanel.Tests.Reporting.SvgReading;

namespace CausalPanel.Tests.Reporting;

public class OutcomeNameTests
{
    [Fact]
    public void Readers_name_the_outcome_after_its_column_and_matrices_after_their_argument()
    {
        PanelData.ReadCsv(new StringReader("state,year,Homicide,w\nA,1,1,0\nA,2,2,1\nB,1,1,0\nB,2,3,0\n"), "state", "year", "homicide", "w")
            .OutcomeName.Should().Be("Homicide");   // the header's spelling, matched case-insensitively

        var table = new DataTable();
        table.Columns.Add("unit", typeof(string));
        table.Columns.Add("year", typeof(int));
        table.Columns.Add("lemp", typeof(double));
        table.Columns.Add("first_treat", typeof(int));
        foreach (var (u, t, v, a) in new[] { ("a", 1, 1.0, 2), ("a", 2, 2.0, 2), ("b", 1, 1.0, 0), ("b", 2, 1.5, 0) }) table.Rows.Add(u, t, v, a);
        using (var reader = table.CreateDataReader())
            PanelData.FromDataReader(reader, "unit", "year", "LEMP", adoption: "first_treat").OutcomeName.Should().Be("lemp");

        (string U, int T, double Y, bool W)[] rows = [("a", 1, 1.0, false), ("a", 2, 2.0, true), ("b", 1, 1.0, false), ("b", 2, 1.5, false)];
        PanelData.FromLong(rows, r => r.U, r => r.T, r => r.Y, r => r.W).OutcomeName.Should().Be("outcome");
        PanelData.FromLong(rows, r => r.U, r => r.T, r => r.Y, r => r.W, outcomeName: "log employment").OutcomeName.Should().Be("log employment");

        var y = new double[,] { { 1, 2 }, { 1, 1.5 } };
        PanelData.FromMatrices(y, new bool[,] { { false, true }, { false, false } }).OutcomeName.Should().Be("outcome");
        PanelData.FromMatrices(y, new double[,] { { 0, 1 }, { 0, 0 } }, outcomeName: "sales").OutcomeName.Should().Be("sales");
        FluentActions.Invoking(() => PanelData.FromMatrices(y, new double[,] { { 0, 1 }, { 0, 0 } }, outcomeName: " ")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void The_name_survives_new_treatment_covariates_and_the_variance_methods_replicate_panels()
    {
        var data = Datasets.CaliforniaSmoking();
        data.OutcomeName.Should().Be("cigarette sales (packs per capita)");
        Datasets.Basque().OutcomeName.Should().Be("GDP per capita (thousand 1986 USD)");
        Datasets.Cps().OutcomeName.Should().Be("log wage");
        Datasets.PennWorldTable().OutcomeName.Should().Be("log GDP per capita");

        data.WithTreatment(data.Treatment).OutcomeName.Should().Be(data.OutcomeName);
        var covariate = new double[data.UnitCount, data.PeriodCount];
        data.WithCovariates(("x", covariate)).OutcomeName.Should().Be(data.OutcomeName);
        data.WithOutcomeName("packs").WithTreatment(data.Treatment).OutcomeName.Should().Be("packs");
        Replicates.Panel(data, [0, 1, 2, 3], r => r == 3 ? 19 : null).OutcomeName.Should().Be(data.OutcomeName);
        Replicates.Resampled(data.WithCovariates(("x", covariate)), [4, 4, 2]).OutcomeName.Should().Be(data.OutcomeName);
    }

    [Fact]
    public void Charts_put_the_outcome_name_on_their_y_axes()
    {
        var data = Datasets.CaliforniaSmoking();
        var sdid = new SyntheticDifferenceInDifferences().Estimate(data);
        Texts(XDocument.Parse(Charts.Trajectory(sdid))).Should().Contain("cigarette sales (packs per capita)").And.NotContain("outcome");
        Texts(XDocument.Parse(Charts.Gap(sdid))).Should().Contain(t => t.StartsWith("gap in cigarette sales", StringComparison.Ordinal));
        Texts(XDocument.Parse(Charts.Effects(new DifferenceInDifferences().Estimate(data.WithOutcomeName("packs"))))).Should().Contain("effect on packs");
        VegaLite.Trajectory(sdid).Should().Contain("\"title\": \"cigarette sales (packs per capita)\"");
    }
}
