using System.Globalization;

namespace CausalPanel;

/// <summary>
/// Public panel datasets bundled with the package (embedded resources), as used by the
/// reference papers and packages. Sources and licences: see each method and
/// <c>docs/datasets.md</c>.
/// </summary>
public static class Datasets
{
    /// <summary>CPS outcome columns accepted by <see cref="Cps"/>.</summary>
    public static IReadOnlyList<string> CpsOutcomes { get; } = ["log_wage", "hours", "urate"];

    /// <summary>CPS policy columns accepted by <see cref="Cps"/>.</summary>
    public static IReadOnlyList<string> CpsTreatments { get; } = ["min_wage", "open_carry", "abort_ban"];

    /// <summary>Penn World Table treatment columns accepted by <see cref="PennWorldTable"/>.</summary>
    public static IReadOnlyList<string> PennTreatments { get; } = ["dem", "educ"];

    /// <summary>
    /// California's Proposition 99 (Abadie, Diamond and Hainmueller 2010, JASA 105(490)):
    /// per-capita cigarette sales (packs) in 39 US states, 1970–2000; California treated from
    /// 1989 (N0 = 38, T0 = 19, N1 = 1, T1 = 12). File <c>data/california_prop99.csv</c> of R
    /// <c>synthdid</c> (BSD-3-clause, Stanford University 2019); outcomes keep the file's
    /// single-precision digits (e.g. 89.80000305), exactly as synthdid reads them.
    /// </summary>
    public static PanelData CaliforniaSmoking() =>
        PanelData.ReadCsv(Open("california_prop99.csv"), unit: "State", time: "Year", outcome: "PacksPerCapita", treated: "treated")
            .WithOutcomeName("cigarette sales (packs per capita)");

    /// <summary>
    /// Current Population Survey state-year averages, 50 states (two-letter codes) × 1979–2018,
    /// from R <c>synthdid</c>'s <c>data/CPS.csv</c> (BSD-3-clause), used for the placebo designs of
    /// Arkhangelsky et al. (2021, AER) Table 2 and Athey, Imbens, Qu and Viviano (2025) Table 1.
    /// A state is treated when its policy indicator is true in 2018 (8 states for min_wage,
    /// 25 for open_carry, 18 for abort_ban).
    /// </summary>
    /// <param name="outcome">"log_wage" (default), "hours" or "urate".</param>
    /// <param name="treatment">"min_wage" (default), "open_carry" or "abort_ban".</param>
    /// <param name="treatedPeriods">The policy states are treated over this many last years (1 as in the file; the papers' placebo designs use 10).</param>
    public static PanelData Cps(string outcome = "log_wage", string treatment = "min_wage", int treatedPeriods = 1)
    {
        Require(outcome, CpsOutcomes, nameof(outcome));
        Require(treatment, CpsTreatments, nameof(treatment));
        var data = PanelData.ReadCsv(Open("cps.csv"), unit: "state", time: "year", outcome: outcome, treated: treatment)
            .WithOutcomeName(outcome switch { "log_wage" => "log wage", "hours" => "hours worked", _ => "unemployment rate" });
        return TreatLastPeriods(data, treatedPeriods);
    }

    /// <summary>
    /// Penn World Table: log GDP per capita of 111 countries × 1960–2007, from R <c>synthdid</c>'s
    /// <c>data/PENN.csv</c> (BSD-3-clause), used in Arkhangelsky et al. (2021) Table 3. A country
    /// is treated when its indicator is true in 2007 (29 for dem, 14 for educ).
    /// </summary>
    /// <param name="treatment">"dem" (democracy, default) or "educ" (education).</param>
    /// <param name="treatedPeriods">The indicator countries are treated over this many last years (1 as in the file; the papers use 10).</param>
    public static PanelData PennWorldTable(string treatment = "dem", int treatedPeriods = 1)
    {
        Require(treatment, PennTreatments, nameof(treatment));
        return TreatLastPeriods(PanelData.ReadCsv(Open("penn.csv"), unit: "country", time: "year", outcome: "log_gdp", treated: treatment)
            .WithOutcomeName("log GDP per capita"), treatedPeriods);
    }

    /// <summary>
    /// The Basque Country and terrorism (Abadie and Gardeazabal 2003, AER 93(1)): real GDP per
    /// capita (thousands of 1986 USD) of 17 Spanish regions × 1955–1997, the Basque Country
    /// treated from 1970 (the usual ADH setup). The national aggregate "Spain (Espana)" of the
    /// source file is left out, as in the paper, since it contains the treated region. Source:
    /// <c>data/basque.csv</c> of the Python package <c>pysyncon</c> (MIT).
    /// </summary>
    public static PanelData Basque()
    {
        const string treatedRegion = "Basque Country (Pais Vasco)";
        var table = CsvTable.Read(Open("basque.csv"));
        int ui = table.Column("regionname"), ti = table.Column("year"), yi = table.Column("gdpcap");
        var numbers = new TextNumbers('.', ',');
        var rows = table.Rows.Where(r => r.Fields[ui] != "Spain (Espana)").Select(r =>
        (
            Region: r.Fields[ui],
            Year: (int)double.Parse(r.Fields[ti], CultureInfo.InvariantCulture),
            Gdp: numbers.Parse(r.Fields[yi], "CSV line", r.Line, "'gdpcap'")
        ));
        return PanelData.FromLong(rows, r => r.Region, r => r.Year, r => r.Gdp, r => r.Region == treatedRegion && r.Year >= 1970,
            outcomeName: "GDP per capita (thousand 1986 USD)");
    }

    /// <summary>
    /// German reunification (Abadie, Diamond and Hainmueller 2015, AJPS 59(2)): GDP per capita
    /// (PPP, 2002 USD) of 17 OECD countries × 1960–2003, West Germany treated from 1990. Source:
    /// <c>data/germany.csv</c> of the Python package <c>pysyncon</c> (MIT); its other columns
    /// (inflation, trade, schooling, investment, industry) are covariates of the paper, not read here.
    /// </summary>
    public static PanelData Germany()
    {
        var table = CsvTable.Read(Open("germany.csv"));
        int ui = table.Column("country"), ti = table.Column("year"), yi = table.Column("gdp");
        var numbers = new TextNumbers('.', ',');
        var rows = table.Rows.Select(r =>
        (
            Country: r.Fields[ui],
            Year: int.Parse(r.Fields[ti], CultureInfo.InvariantCulture),
            Gdp: numbers.Parse(r.Fields[yi], "CSV line", r.Line, "'gdp'")
        ));
        return PanelData.FromLong(rows, r => r.Country, r => r.Year, r => r.Gdp, r => r.Country == "West Germany" && r.Year >= 1990,
            outcomeName: "GDP per capita (PPP, 2002 USD)");
    }

    private static StreamReader Open(string file)
    {
        var stream = typeof(Datasets).Assembly.GetManifestResourceStream("CausalPanel.Data." + file)
            ?? throw new InvalidOperationException($"The bundled dataset '{file}' is missing from the assembly; the package is damaged. Reinstall CausalPanel.");
        return new StreamReader(stream);
    }

    private static void Require(string value, IReadOnlyList<string> allowed, string parameter)
    {
        if (!allowed.Contains(value))
            throw new ArgumentException($"'{value}' is not a column of this dataset. Choose one of {CausalPanelException.List(allowed, allowed.Count)}.", parameter);
    }

    /// <summary>Units treated in the last period become treated over the last <paramref name="treatedPeriods"/> periods.</summary>
    private static PanelData TreatLastPeriods(PanelData data, int treatedPeriods)
    {
        if (treatedPeriods < 1 || treatedPeriods >= data.PeriodCount)
            throw new ArgumentOutOfRangeException(nameof(treatedPeriods), treatedPeriods, $"Choose between 1 and {data.PeriodCount - 1} treated periods, so that at least one pre-treatment period remains.");
        if (treatedPeriods == 1) return data;
        int n = data.UnitCount, t = data.PeriodCount;
        var w = new bool[n, t];
        for (var i = 0; i < n; i++)
            if (data.Treatment[i, t - 1])
                for (var s = t - treatedPeriods; s < t; s++) w[i, s] = true;
        return data.WithTreatment(new TreatmentMatrix(w));
    }
}
