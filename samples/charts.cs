// The charts a researcher publishes, from bundled and generated data, written to artifacts/charts/ as SVG with their
// Vega-Lite specs beside them: an event study, the synthetic-control gap and placebo-gap ("spaghetti") plots of
// Abadie, Diamond & Hainmueller (2010), per-cohort trajectories of a staggered design, the pooled trajectory with every
// cohort's onset, and treatment patterns of a wide (500 units x 5 periods) and a long (5 x 500) panel.
// docs/charts/ holds these charts as PNG (docs/charts/README.md gives the command).
// Run from the repository root:  dotnet run samples/charts.cs
#:property PublishAot=false
#:project ../src/CausalPanel/CausalPanel.csproj

using CausalPanel;

const string folder = "artifacts/charts";
Directory.CreateDirectory(folder);
void Write(string name, string svg, string vegaLite)
{
    File.WriteAllText(Path.Combine(folder, name + ".svg"), svg);
    File.WriteAllText(Path.Combine(folder, name + ".vl.json"), vegaLite);
    Console.WriteLine($"Wrote {folder}/{name}.svg and {name}.vl.json");
}

// A staggered panel: 40 never-treated units and cohorts adopting in 2008 (10 units), 2011 (15) and 2014 (15), observed
// 2001-2020, with unit and year effects, a factor the treated units load on more, and an effect of 1 in the first
// treated year growing by 0.25 a year.
var staggered = Staggered(seed: 7);
Console.WriteLine(staggered.Describe());

// Event study of DiD: leads (leave-one-period-out placebo effects) and lags with bootstrap standard errors, 90%
// pointwise intervals, the sup-t band and the pre-trend tests (the treated units load more on the factor, a pre-trend
// that DiD does not remove: the leads drift up and the Wald test rejects).
var did = new DifferenceInDifferences().Estimate(staggered);
var study = did.EventStudy(new BootstrapVariance { Replications = 200, Seed = 1 }, level: 0.90);   // N0 = N1 here: no unit placebo
Console.WriteLine(study);
Write("event-study", Charts.EventStudy(study), VegaLite.EventStudy(study));

// Per-cohort trajectories (SDID fits each cohort against the never-treated units) and the pooled DiD path with the onsets.
var sdid = new SyntheticDifferenceInDifferences().Estimate(staggered);
Write("staggered-trajectories", Charts.Trajectory(sdid), VegaLite.Trajectory(sdid));
Write("pooled-trajectory", Charts.Trajectory(did, byCohort: false), VegaLite.Trajectory(did, byCohort: false));

// California's Proposition 99 with the synthetic control: the gap, and the in-space placebos of every other state,
// without those whose pre-1989 fit is more than 5 times worse than California's (ADH 2010, Fig. 3 and 6).
var sc = new SyntheticControl().Estimate(Datasets.CaliforniaSmoking());
Write("gap", Charts.Gap(sc), VegaLite.Gap(sc));
Write("placebo-gaps", Charts.PlaceboGaps(sc, maxPreMspeRatio: 5), VegaLite.PlaceboGaps(sc, maxPreMspeRatio: 5));

// Treatment patterns: 500 counties over 2003-2007 (the shape of R did's mpdta) are drawn as one band per cohort with
// its count; 5 units over 500 months get thin columns and thinned labels.
var wide = Pattern(units: 500, periods: 5, i => i < 20 ? 1 : i < 60 ? 3 : i < 191 ? 4 : null, Enumerable.Range(2003, 5).Select(y => y.ToString()));
Write("pattern-500x5", Charts.Pattern(wide, "500 counties, 2003-2007"), VegaLite.Pattern(wide, "500 counties, 2003-2007"));
var months = Enumerable.Range(0, 500).Select(m => $"{1980 + m / 12}-{m % 12 + 1:00}").ToArray();
var tall = Pattern(units: 5, periods: 500, i => i switch { 3 => 300, 4 => 360, _ => null }, months);
Write("pattern-5x500", Charts.Pattern(tall, "5 units, 500 months"), VegaLite.Pattern(tall, "5 units, 500 months"));

static PanelData Staggered(int seed)
{
    const int units = 80, periods = 20;
    var random = new Random(seed);
    int? Adoption(int i) => i < 40 ? null : i < 50 ? 7 : i < 65 ? 10 : 13;
    var unit = Enumerable.Range(0, units).Select(_ => 2 * random.NextDouble()).ToArray();
    var year = Enumerable.Range(0, periods).Select(t => 0.1 * t + 0.3 * Math.Sin(t / 3.0)).ToArray();
    var loading = Enumerable.Range(0, units).Select(i => random.NextDouble() + (Adoption(i) is null ? 0 : 0.4)).ToArray();
    var y = new double[units, periods];
    var w = new bool[units, periods];
    for (var i = 0; i < units; i++)
        for (var t = 0; t < periods; t++)
        {
            w[i, t] = Adoption(i) is { } a && t >= a;
            var effect = w[i, t] ? 1 + 0.25 * (t - Adoption(i)!.Value) : 0;
            y[i, t] = unit[i] + year[t] + loading[i] * 0.05 * t + effect + 0.4 * (random.NextDouble() - 0.5);
        }
    return PanelData.FromMatrices(y, w, Enumerable.Range(1, units).Select(i => $"unit{i:00}"), Enumerable.Range(2001, periods).Select(t => t.ToString()),
        outcomeName: "simulated outcome");
}

static PanelData Pattern(int units, int periods, Func<int, int?> adoption, IEnumerable<string> labels)
{
    var random = new Random(1);
    var y = new double[units, periods];
    var w = new bool[units, periods];
    for (var i = 0; i < units; i++)
        for (var t = 0; t < periods; t++)
        {
            w[i, t] = adoption(i) is { } a && t >= a;
            y[i, t] = random.NextDouble();
        }
    return PanelData.FromMatrices(y, w, periods: labels);
}
