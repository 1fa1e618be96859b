namespace CausalPanel;

/// <summary>Staggered adoption in a <see cref="SimulationDesign"/>: treated units whose treatment starts in different periods.</summary>
public sealed partial record SimulationDesign
{
    /// <summary>
    /// A design like <paramref name="data"/>'s adoption: the <see cref="FactorModel"/> fitted to it, as many units treated as
    /// it treats, drawn uniformly (<see cref="AssignmentModel.Random"/>), each treated for as many periods as one of its treated
    /// units (<see cref="TreatedPeriodsByUnit"/>: its cohorts' sizes and durations, dealt to the drawn units at random) —
    /// a staggered design for a staggered panel, a block for a block.
    /// </summary>
    /// <exception cref="ArgumentException">The panel has no treated unit, or units that switch treatment off (a general pattern).</exception>
    public static SimulationDesign ForAdoption(PanelData data, int rank = 4)
    {
        ArgumentNullException.ThrowIfNull(data);
        AdoptionPeriods(data);   // the pattern is refused before the model is fitted
        return ForAdoption(data, FactorModel.Fit(data, rank));
    }

    /// <summary><see cref="ForAdoption(PanelData, int)"/> with the factor model already fitted to <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">As the other overload, or the model was fitted to a panel of another size.</exception>
    public static SimulationDesign ForAdoption(PanelData data, FactorModel model)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(model);
        if (model.UnitCount != data.UnitCount || model.PeriodCount != data.PeriodCount)
            throw new ArgumentException($"The model was fitted to a {model.UnitCount} × {model.PeriodCount} panel, not this {data.UnitCount} × {data.PeriodCount} one.", nameof(model));
        var periods = AdoptionPeriods(data);
        var cohorts = data.Pattern.Cohorts.Count;
        return new SimulationDesign
        {
            Model = model, Assignment = AssignmentModel.Random, TreatedUnits = periods.Length, TreatedPeriods = periods.Max(),
            TreatedPeriodsByUnit = cohorts > 1 ? periods : null,
            Name = cohorts > 1 ? $"{periods.Length} units in {cohorts} cohorts" : $"{periods.Length} × {periods[0]}",
        };
    }

    /// <summary>Each treated unit's treated periods at the end of <paramref name="data"/>, cohort by cohort; refuses other patterns.</summary>
    private static int[] AdoptionPeriods(PanelData data)
    {
        var pattern = data.Pattern;
        if (pattern.Design is not (TreatmentDesign.Block or TreatmentDesign.Staggered))
            throw new ArgumentException($"ForAdoption repeats a block or staggered adoption; this panel's design is {pattern.Design}. Build the design with TreatedUnits and TreatedPeriods.", "data");
        return [.. pattern.Cohorts.SelectMany(c => c.UnitIndices.Select(_ => data.PeriodCount - c.PeriodIndex))];
    }

    private void ValidateAdoption(int t)
    {
        if (TreatedPeriodsByUnit is not { } byUnit) return;
        if (Assignment is AssignmentModel.TreatedUnit or AssignmentModel.SyntheticControl)
            throw new ArgumentException($"TreatedPeriodsByUnit (staggered adoption) does not combine with the {Assignment} assignment, whose treated units are TROP's; use Random, Fitted or Uniform.", nameof(TreatedPeriodsByUnit));
        if (byUnit.Count != TreatedUnits)
            throw new ArgumentException($"TreatedPeriodsByUnit holds {byUnit.Count} treated units' periods but TreatedUnits is {TreatedUnits}; give one per treated unit.", nameof(TreatedPeriodsByUnit));
        foreach (var periods in byUnit)
            if (periods < 1 || periods >= t)
                throw new ArgumentOutOfRangeException(nameof(TreatedPeriodsByUnit), periods, $"Every entry of TreatedPeriodsByUnit must be between 1 and T − 1 = {t - 1}; {periods} is not.");
    }

    /// <summary>
    /// Each row's first treated period: T − <see cref="TreatedPeriods"/> for all, or with <see cref="TreatedPeriodsByUnit"/>
    /// its entries shuffled and dealt to the treated rows in order (the random stream is untouched for a block).
    /// </summary>
    private int[] FirstTreatedPeriods(Random random, bool[] treated, int t)
    {
        var first = new int[treated.Length];
        if (TreatedPeriodsByUnit is null)
        {
            Array.Fill(first, t - TreatedPeriods);
            return first;
        }
        var periods = TreatedPeriodsByUnit.ToArray();
        random.Shuffle(periods);
        for (int r = 0, k = 0; r < treated.Length; r++) first[r] = treated[r] ? t - periods[k++] : t;
        return first;
    }
}
