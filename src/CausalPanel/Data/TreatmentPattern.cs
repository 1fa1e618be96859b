using System.Text;

namespace CausalPanel;

/// <summary>
/// What the treatment matrix looks like: the design class, adoption cohorts, never-treated units
/// and, for every treated cell, its event time (periods since the start of the unit's current
/// treatment spell). Unobserved cells are ignored: a gap inside a treatment spell does not end it.
/// </summary>
public sealed class TreatmentPattern
{
    private readonly PanelData _data;
    private readonly int[] _firstTreated;   // per unit: first treated period, or -1
    private readonly int[] _preCounts;      // per unit: observed untreated periods before the first treated one
    private readonly int[] _eventTime;      // per cell: periods since the current spell began, or -1 if untreated

    internal TreatmentPattern(PanelData data)
    {
        _data = data;
        int n = data.UnitCount, t = data.PeriodCount;
        _firstTreated = new int[n];
        _preCounts = new int[n];
        _eventTime = new int[n * t];
        var switchers = new List<int>();
        for (var i = 0; i < n; i++)
        {
            _firstTreated[i] = -1;
            var spellStart = -1;
            var wasTreated = false;
            var switchedOff = false;
            for (var s = 0; s < t; s++)
            {
                _eventTime[i * t + s] = -1;
                if (!data.Outcomes.IsObserved(i, s)) continue;
                var treated = data.Treatment[i, s];
                if (treated)
                {
                    if (_firstTreated[i] < 0) _firstTreated[i] = s;
                    if (!wasTreated) spellStart = s;
                    _eventTime[i * t + s] = s - spellStart;
                }
                else if (_firstTreated[i] < 0) _preCounts[i]++;
                else if (wasTreated) switchedOff = true;
                wasTreated = treated;
            }
            if (switchedOff) switchers.Add(i);
        }

        TreatedUnitIndices = Enumerable.Range(0, n).Where(i => _firstTreated[i] >= 0).ToArray();
        NeverTreatedUnitIndices = Enumerable.Range(0, n).Where(i => _firstTreated[i] < 0).ToArray();
        SwitchingUnitIndices = switchers;
        Cohorts = TreatedUnitIndices.GroupBy(i => _firstTreated[i]).OrderBy(g => g.Key)
            .Select(g => new AdoptionCohort(data.Periods[g.Key], g.Key, g.Select(i => data.Units[i]).ToArray(), g.ToArray()))
            .ToArray();
        Design = TreatedUnitIndices.Count == 0 ? TreatmentDesign.None
            : switchers.Count > 0 ? TreatmentDesign.General
            : Cohorts.Count == 1 ? TreatmentDesign.Block
            : TreatmentDesign.Staggered;
    }

    /// <summary>The design class.</summary>
    public TreatmentDesign Design { get; }

    /// <summary>Adoption cohorts (units grouped by their first treated period), earliest first.</summary>
    public IReadOnlyList<AdoptionCohort> Cohorts { get; }

    /// <summary>Rows of units treated in at least one period.</summary>
    public IReadOnlyList<int> TreatedUnitIndices { get; }

    /// <summary>Rows of units never treated.</summary>
    public IReadOnlyList<int> NeverTreatedUnitIndices { get; }

    /// <summary>Rows of units that switch treatment off after switching it on.</summary>
    public IReadOnlyList<int> SwitchingUnitIndices { get; }

    /// <summary>Labels of units never treated.</summary>
    public IReadOnlyList<string> NeverTreatedUnits => NeverTreatedUnitIndices.Select(i => _data.Units[i]).ToArray();

    /// <summary>Labels of units treated in at least one period.</summary>
    public IReadOnlyList<string> TreatedUnits => TreatedUnitIndices.Select(i => _data.Units[i]).ToArray();

    /// <summary>Number of never-treated units N0.</summary>
    public int NeverTreatedCount => NeverTreatedUnitIndices.Count;

    /// <summary>Number of ever-treated units N1.</summary>
    public int TreatedUnitCount => TreatedUnitIndices.Count;

    /// <summary>Number of treated cells.</summary>
    public int TreatedCellCount => _data.Treatment.TreatedCount;

    /// <summary>
    /// For a block design, the number of periods before adoption (T0); otherwise the number of
    /// periods before the earliest adoption. Zero when nothing is treated.
    /// </summary>
    public int PrePeriodCount => Cohorts.Count > 0 ? Cohorts[0].PeriodIndex : 0;

    /// <summary>The first treated period of a unit (column), or null if it is never treated.</summary>
    public int? FirstTreatedPeriodIndex(int unit) => _firstTreated[unit] >= 0 ? _firstTreated[unit] : null;

    /// <summary>Observed untreated periods of a unit before its first treated period (all of its observed periods if never treated).</summary>
    public int PreTreatmentPeriodCount(int unit) => _preCounts[unit];

    /// <summary>
    /// Periods since the start of the unit's current treatment spell (0 in the first treated
    /// period), or null for an untreated or unobserved cell.
    /// </summary>
    public int? EventTime(int unit, int period)
    {
        var e = _eventTime[unit * _data.PeriodCount + period];
        return e >= 0 ? e : null;
    }

    /// <inheritdoc cref="Describe"/>
    public override string ToString() => Describe();

    /// <summary>A short human summary: N, T, N0, N1, T0, cohorts, treated and unobserved cells.</summary>
    public string Describe()
    {
        var d = _data;
        var sb = new StringBuilder();
        sb.Append($"{Design} design: {d.UnitCount} units × {d.PeriodCount} periods ({d.Periods[0]}–{d.Periods[^1]}); ");
        sb.Append($"N0 = {NeverTreatedCount} never treated, N1 = {TreatedUnitCount} treated; {TreatedCellCount} treated cells");
        sb.Append(d.IsBalanced ? "; balanced." : $"; {d.Outcomes.UnobservedCount} unobserved cells.");
        switch (Design)
        {
            case TreatmentDesign.Block:
                var c = Cohorts[0];
                sb.Append($"{Environment.NewLine}Treatment from {c.Period}: T0 = {c.PeriodIndex} pre-periods, T1 = {d.PeriodCount - c.PeriodIndex} post-periods; treated: {CausalPanelException.List(c.Units)}.");
                break;
            case TreatmentDesign.Staggered or TreatmentDesign.General:
                sb.Append($"{Environment.NewLine}{Cohorts.Count} adoption cohorts: ");
                sb.Append(string.Join("; ", Cohorts.Take(8).Select(k => $"{k.Period} ({k.Units.Count} unit{(k.Units.Count == 1 ? "" : "s")})")));
                if (Cohorts.Count > 8) sb.Append($"; and {Cohorts.Count - 8} more");
                sb.Append('.');
                if (Design == TreatmentDesign.General)
                    sb.Append($"{Environment.NewLine}{SwitchingUnitIndices.Count} unit(s) switch treatment off: {CausalPanelException.List(SwitchingUnitIndices.Select(i => d.Units[i]))}.{d.PeriodOrderCaveat}");
                break;
        }
        return sb.ToString();
    }
}
