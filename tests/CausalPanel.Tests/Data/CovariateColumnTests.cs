namespace CausalPanel.Tests.Data;

/// <summary>Covariate columns named to a reader become the panel's N×T covariates, time-varying or time-invariant alike.</summary>
public class CovariateColumnTests
{
    private const string Csv = """
        state,year,y,w,income,area
        b,2001,1.0,0,10.5,3
        a,2001,2.0,0,20.5,7
        a,2002,2.5,1,21.5,7
        b,2002,1.5,0,NA,3
        b,2003,NA,0,NA,3
        a,2003,3.5,1,22.5,7
        """;

    [Fact]
    public void Covariate_columns_become_the_N_by_T_matrices_built_by_hand()
    {
        var rows = Csv.Replace(",NA,0,NA,", ",NA,0,12.5,", StringComparison.Ordinal).Replace("1.5,0,NA", "1.5,0,11.5", StringComparison.Ordinal);
        var data = PanelData.ReadCsv(new StringReader(rows), "state", "year", "y", "w", covariates: ["income", "AREA"]);

        var byHand = PanelData.FromMatrices(new[,] { { 2.0, 2.5, 3.5 }, { 1.0, 1.5, double.NaN } }, new[,] { { false, true, true }, { false, false, false } }, ["a", "b"], ["2001", "2002", "2003"])
            .WithCovariates(("income", new[,] { { 20.5, 21.5, 22.5 }, { 10.5, 11.5, 12.5 } }), ("area", new[,] { { 7.0, 7, 7 }, { 3, 3, 3 } }));
        data.Covariates.Keys.Should().BeEquivalentTo("income", "area");   // the header's spelling
        foreach (var name in byHand.Covariates.Keys)
            data.Covariates[name].ToArray().Should().BeEquivalentTo(byHand.Covariates[name].ToArray());
        data.Outcomes.ToArray().Should().BeEquivalentTo(byHand.Outcomes.ToArray());
        data.Treatment.ToArray().Should().BeEquivalentTo(byHand.Treatment.ToArray());
    }

    [Fact]
    public void A_missing_covariate_where_the_outcome_is_observed_names_the_cells_and_column()
    {
        // b's 2003 income is missing where its outcome is too (allowed); its 2002 income is missing where the outcome is observed.
        var act = () => PanelData.ReadCsv(new StringReader(Csv), "state", "year", "y", "w", covariates: ["income"]);
        act.Should().Throw<NonFiniteOutcomeException>().WithMessage("Covariate 'income' is missing or infinite at ('b', '2002'), where the outcome is observed*")
            .Which.Periods.Should().Equal("2002");
        PanelData.ReadCsv(new StringReader(Csv), "state", "year", "y", "w", covariates: ["area"]).Covariates["area"][1, 2].Should().Be(3);
        FluentActions.Invoking(() => PanelData.ReadCsv(new StringReader(Csv), "state", "year", "y", "w", covariates: ["lpop"]))
            .Should().Throw<MissingColumnException>().WithMessage("The CSV has no column 'lpop'*");
    }
}
