namespace CausalPanel;

/// <summary>Builds the treated-vs-counterfactual trajectory shown in synthdid-style plots.</summary>
internal static class Trajectories
{
    /// <summary>
    /// For every period: the mean observed outcome of the ever-treated units observed then, and
    /// the mean of <paramref name="fitted"/> over the same units (cells where it is null are skipped).
    /// Periods where either mean is empty are left out.
    /// </summary>
    public static IReadOnlyList<TrajectoryPoint> OfFit(PanelData data, Func<int, int, double?> fitted)
    {
        var points = new List<TrajectoryPoint>(data.PeriodCount);
        var treatedUnits = data.Pattern.TreatedUnitIndices;
        for (var t = 0; t < data.PeriodCount; t++)
        {
            double observed = 0, counterfactual = 0;
            int count = 0;
            foreach (var i in treatedUnits)
            {
                if (!data.Outcomes.IsObserved(i, t) || fitted(i, t) is not { } f) continue;
                observed += data.Outcomes[i, t];
                counterfactual += f;
                count++;
            }
            if (count > 0) points.Add(new TrajectoryPoint(data.Periods[t], t, observed / count, counterfactual / count));
        }
        return points;
    }
}
