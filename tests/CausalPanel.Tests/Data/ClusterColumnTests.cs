using System.Data;

namespace CausalPanel.Tests.Data;

/// <summary>The readers' cluster column (<see cref="PanelReadOptions.Cluster"/>) and <see cref="PanelData.ClusterOf"/>.</summary>
public class ClusterColumnTests
{
    private const string Csv = "county,year,y,w,state\nc1,1,1,0,A\nc1,2,2,0,A\nc2,1,1,0,B\nc2,2,3,1,B\nc3,1,2,0,A\nc3,2,2,0,A\n";

    private static PanelData Read(string csv, PanelReadOptions? options = null) =>
        PanelData.ReadCsv(new StringReader(csv), "county", "year", "y", treated: "w", options: options ?? new PanelReadOptions { Cluster = "state" });

    [Fact]
    public void A_cluster_column_maps_each_unit_to_its_cluster_and_survives_the_panels_transformations()
    {
        var data = Read(Csv);

        data.Clusters.Should().Equal(new Dictionary<string, string> { ["c1"] = "A", ["c2"] = "B", ["c3"] = "A" });
        data.ClusterOf("c3").Should().Be("A");
        data.WithOutcomeName("jobs").WithTreatment(data.Treatment).Clusters.Should().Equal(data.Clusters);
        Read(Csv, PanelReadOptions.Default).Clusters.Should().BeEmpty();
        FluentActions.Invoking(() => Read(Csv, PanelReadOptions.Default).ClusterOf("c1")).Should().Throw<InvalidOperationException>().WithMessage("*PanelReadOptions { Cluster*");
        data.Invoking(d => d.ClusterOf("c9")).Should().Throw<ArgumentException>().WithMessage("*'c9'*");
        new PanelReadOptions { Cluster = "state" }.ToString().Should().Contain("Cluster = \"state\"");
    }

    [Fact]
    public void A_unit_in_two_clusters_is_refused_naming_the_unit_and_both_rows()
    {
        var act = () => Read(Csv.Replace("c3,2,2,0,A", "c3,2,2,0,B", StringComparison.Ordinal));

        act.Should().Throw<InconsistentClusterException>()
            .WithMessage("Unit 'c3' is in two clusters in column 'state': 'A' on CSV line 6 and 'B' on CSV line 7*one cluster*")
            .Which.Units.Should().Equal("c3");
        FluentActions.Invoking(() => Read(Csv.Replace("c2,1,1,0,B", "c2,1,1,0,NA", StringComparison.Ordinal)))
            .Should().Throw<InvalidValueException>().WithMessage("CSV line 4: cluster column 'state' is missing*");
        FluentActions.Invoking(() => Read(Csv, new PanelReadOptions { Cluster = "region" })).Should().Throw<MissingColumnException>().WithMessage("*'region'*");
    }

    [Fact]
    public void A_database_reader_takes_the_cluster_column_and_FromLong_refuses_a_column_name()
    {
        var table = new DataTable();
        foreach (var (name, type) in new[] { ("county", typeof(string)), ("year", typeof(int)), ("y", typeof(double)), ("w", typeof(int)), ("fips", typeof(int)) })
            table.Columns.Add(name, type);
        table.Rows.Add("c1", 1, 1.0, 0, 8);
        table.Rows.Add("c1", 2, 2.0, 0, 8);
        table.Rows.Add("c2", 1, 1.0, 0, 13);
        table.Rows.Add("c2", 2, 3.0, 1, 13);
        using (var reader = table.CreateDataReader())
            PanelData.FromDataReader(reader, "county", "year", "y", treated: "w", options: new PanelReadOptions { Cluster = "FIPS" })
                .Clusters.Should().Equal(new Dictionary<string, string> { ["c1"] = "8", ["c2"] = "13" });
        table.Rows.Add("c2", 3, 3.0, 1, 8);
        using (var reader = table.CreateDataReader())
            FluentActions.Invoking(() => PanelData.FromDataReader(reader, "county", "year", "y", treated: "w", options: new PanelReadOptions { Cluster = "fips" }))
                .Should().Throw<InconsistentClusterException>().WithMessage("Unit 'c2' is in two clusters in column 'fips': '13' on Row 3 and '8' on Row 5*");

        var rows = new[] { (Unit: "a", Year: 1, Y: 1.0, W: 0.0) };
        FluentActions.Invoking(() => PanelData.FromLong(rows, r => r.Unit, r => r.Year, r => r.Y, r => r.W, options: new PanelReadOptions { Cluster = "state" }))
            .Should().Throw<ArgumentException>().WithMessage("*Cluster*names a column*Cluster selector*");
    }
}
