namespace CausalPanel;

/// <summary>
/// The placebo-gap ("spaghetti") plot of Abadie, Diamond and Hainmueller (2010, Fig. 4–7): the gap path of every
/// in-space placebo in light grey and the treated one highlighted, optionally without the placebos whose
/// pre-treatment fit is poor (MSPE above a multiple of the treated unit's), with the post/pre MSPE ratio test.
/// </summary>
internal static class PlaceboGapChart
{
    private const string Treated = "#000000", Placebo = "#BBBBBB", Onset = "#999999";

    public static string Render(PlaceboGapSet set, SyntheticWeightingResult fit, string? title) => Chart(set, fit, title).ToSvg();

    public static string Spec(PlaceboGapSet set, SyntheticWeightingResult fit, string? title) => Chart(set, fit, title).ToVegaLite();

    private static LineChart Chart(PlaceboGapSet set, SyntheticWeightingResult fit, string? title)
    {
        var data = fit.Data;
        var shown = set.Shown;
        var treated = set.Treated.Label;
        var (rank, p) = set.RatioTest();
        var screen = set.MaxPreMspeRatio is { } max
            ? string.Create(Svg.Inv, $"Placebos whose pre-treatment MSPE exceeds {Svg.Number(max)} × {treated}'s are not drawn: {shown.Count} of {set.Placebos.Count} shown.")
            : $"All {set.Placebos.Count} placebos drawn.";
        var placeboGroup = $"placebo: a never-treated unit ({shown.Count})";
        return new LineChart(title ?? $"{fit.Estimator}: gaps of {treated} and of the placebo units",
            [
                $"Each never-treated unit in turn is treated from {data.Periods[set.Onset]} with the other never-treated units as donors (in-space placebos). {screen}",
                $"Post/pre-treatment MSPE ratio of {treated}: rank {rank} of {set.Placebos.Count + 1}, permutation {SummaryText.PValue(p)}.",
            ],
            $"gap in {data.OutcomeName} (unit − synthetic)", "period", data.Periods,
            [
                .. shown.Select(g => new LineSeries(placeboGroup,
                    $"{g.Label}: pre-treatment MSPE {Svg.Number(set.PreRatio(g))} × {treated}'s; post/pre MSPE ratio {Svg.Number(g.Ratio)}", g.Gaps, Placebo, 1)),
                new LineSeries($"{treated} − synthetic",
                    $"{treated}: pre-treatment RMSPE {Svg.Number(Math.Sqrt(set.Treated.PreMspe))}; post/pre MSPE ratio {Svg.Number(set.Treated.Ratio)}", set.Treated.Gaps, Treated, 2.5),
            ],
            [(set.Onset - 0.5, $"treated from {data.Periods[set.Onset]}", Onset)], "treatment onset", Zero: true);
    }
}
