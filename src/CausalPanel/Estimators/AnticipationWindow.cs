namespace CausalPanel;

/// <summary>
/// The anticipation window of an estimator's <c>Anticipation</c> option, k ≥ 0: the k periods before each treatment
/// spell starts, in which outcomes may already respond to the coming treatment (Callaway and Sant'Anna 2021, J.
/// Econometrics, Assumption 3, "limited treatment anticipation"; R <c>did</c>'s <c>anticipation</c>). Their cells are not
/// untreated information: the estimators fit as if each unit adopted k periods earlier (Stata <c>did_imputation</c>'s
/// <c>shift(k)</c>; Borusyak, Jaravel and Spiess 2024, REStud, §2), and report those cells' effects apart from the ATT.
/// </summary>
internal static class AnticipationWindow
{
    /// <summary>Checks an options record's anticipation.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative anticipation.</exception>
    public static void Validate(int anticipation)
    {
        if (anticipation < 0)
            throw new ArgumentOutOfRangeException(nameof(anticipation), anticipation,
                "Anticipation is the number of periods before adoption in which outcomes may already respond to the treatment: 0 (none, the default) or more.");
    }

    /// <summary>
    /// The untreated observed cells outside the window (row-major N×T, 1 or 0): the cells every imputation estimator fits
    /// its model of the untreated outcome to. The token is checked every few thousand rows.
    /// </summary>
    public static double[] FitWeights(PanelData data, int anticipation, CancellationToken ct = default)
    {
        var weights = data.UntreatedObservedWeights(ct);
        foreach (var (i, s, _) in Cells(data, anticipation)) weights[i * data.PeriodCount + s] = 0;
        return weights;
    }

    /// <summary>
    /// The observed untreated cells within <paramref name="anticipation"/> periods before a treatment spell starts, with
    /// their event time (−k..−1, periods until that spell's first treated period), row-major order.
    /// </summary>
    public static IReadOnlyList<(int Unit, int Period, int EventTime)> Cells(PanelData data, int anticipation)
    {
        var cells = new List<(int, int, int)>();
        if (anticipation == 0) return cells;
        int n = data.UnitCount, t = data.PeriodCount;
        var pattern = data.Pattern;
        var window = new int[t];
        for (var i = 0; i < n; i++)
        {
            if (pattern.FirstTreatedPeriodIndex(i) is null) continue;
            var next = -1;   // the first treated period of the next spell at or after s, scanning backwards
            for (var s = t - 1; s >= 0; s--)
            {
                if (pattern.EventTime(i, s) == 0) next = s;
                window[s] = next >= 0 && !data.Treatment[i, s] && data.Outcomes.IsObserved(i, s) && next - s <= anticipation ? s - next : 0;
            }
            for (var s = 0; s < t; s++)
                if (window[s] < 0) cells.Add((i, s, window[s]));
        }
        return cells;
    }

    /// <summary>", the k periods before adoption (Anticipation = k) set aside," for messages; empty without anticipation.</summary>
    public static string Clause(int anticipation) => anticipation == 0 ? ""
        : $", with the {(anticipation == 1 ? "period" : $"{anticipation} periods")} before adoption set aside as the anticipation window (Anticipation = {anticipation}),";
}
