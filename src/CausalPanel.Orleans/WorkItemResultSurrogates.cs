namespace CausalPanel.Orleans;

// Orleans serialisers for the core's plain result records, as surrogates here so that the core carries no Orleans
// attribute. Doubles travel as their 64 bits (NaN included), so a result read on the client is the silo's bit for bit.

/// <summary>The wire form of a <see cref="WorkItemResult"/>.</summary>
[GenerateSerializer]
internal struct WorkItemResultSurrogate
{
    [Id(0)] public int Index;
    [Id(1)] public string? Failure;
    [Id(2)] public double Att;
    [Id(3)] public WorkGridCell[]? Grid;
    [Id(4)] public string? Label;
    [Id(5)] public int Discarded;
    [Id(6)] public WorkEstimateOutcome[]? Outcomes;
    [Id(7)] public WorkTestOutcome[]? Tests;
    [Id(8)] public double? TreatedNoiseScale;
    [Id(9)] public WorkCellFit[]? Cells;
    [Id(10)] public double[]? UnitCoefficients;
    [Id(11)] public string[]? TreatedUnits;
}

/// <summary>Converts <see cref="WorkItemResult"/> to and from its wire form.</summary>
[RegisterConverter]
internal sealed class WorkItemResultConverter : IConverter<WorkItemResult, WorkItemResultSurrogate>
{
    public WorkItemResult ConvertFromSurrogate(in WorkItemResultSurrogate s) => new()
    {
        Index = s.Index, Failure = s.Failure, Att = s.Att, Grid = s.Grid, Label = s.Label, Discarded = s.Discarded, Outcomes = s.Outcomes,
        Tests = s.Tests, TreatedNoiseScale = s.TreatedNoiseScale, Cells = s.Cells, UnitCoefficients = s.UnitCoefficients, TreatedUnits = s.TreatedUnits,
    };

    public WorkItemResultSurrogate ConvertToSurrogate(in WorkItemResult r) => new()
    {
        Index = r.Index, Failure = r.Failure, Att = r.Att, Grid = r.Grid?.ToArray(), Label = r.Label, Discarded = r.Discarded, Outcomes = r.Outcomes?.ToArray(),
        Tests = r.Tests?.ToArray(), TreatedNoiseScale = r.TreatedNoiseScale, Cells = r.Cells?.ToArray(), UnitCoefficients = r.UnitCoefficients?.ToArray(),
        TreatedUnits = r.TreatedUnits?.ToArray(),
    };
}

/// <summary>The wire form of a <see cref="WorkGridCell"/>.</summary>
[GenerateSerializer]
internal struct WorkGridCellSurrogate
{
    [Id(0)] public int Cohort;
    [Id(1)] public int Period;
    [Id(2)] public double Effect;
    [Id(3)] public int Cells;
}

/// <summary>Converts <see cref="WorkGridCell"/> to and from its wire form.</summary>
[RegisterConverter]
internal sealed class WorkGridCellConverter : IConverter<WorkGridCell, WorkGridCellSurrogate>
{
    public WorkGridCell ConvertFromSurrogate(in WorkGridCellSurrogate s) => new(s.Cohort, s.Period, s.Effect, s.Cells);

    public WorkGridCellSurrogate ConvertToSurrogate(in WorkGridCell c) => new() { Cohort = c.Cohort, Period = c.Period, Effect = c.Effect, Cells = c.Cells };
}

/// <summary>The wire form of a <see cref="WorkEstimateOutcome"/>.</summary>
[GenerateSerializer]
internal struct WorkEstimateOutcomeSurrogate
{
    [Id(0)] public double? Estimate;
    [Id(1)] public bool? Covered;
    [Id(2)] public string? Failure;
}

/// <summary>Converts <see cref="WorkEstimateOutcome"/> to and from its wire form.</summary>
[RegisterConverter]
internal sealed class WorkEstimateOutcomeConverter : IConverter<WorkEstimateOutcome, WorkEstimateOutcomeSurrogate>
{
    public WorkEstimateOutcome ConvertFromSurrogate(in WorkEstimateOutcomeSurrogate s) => new(s.Estimate, s.Covered, s.Failure);

    public WorkEstimateOutcomeSurrogate ConvertToSurrogate(in WorkEstimateOutcome o) => new() { Estimate = o.Estimate, Covered = o.Covered, Failure = o.Failure };
}

/// <summary>The wire form of a <see cref="WorkTestOutcome"/>.</summary>
[GenerateSerializer]
internal struct WorkTestOutcomeSurrogate
{
    [Id(0)] public string? Failure;
    [Id(1)] public double[] Estimates;
    [Id(2)] public double[] HalfWidths;
    [Id(3)] public double NoiseFreeEstimate;
}

/// <summary>Converts <see cref="WorkTestOutcome"/> to and from its wire form.</summary>
[RegisterConverter]
internal sealed class WorkTestOutcomeConverter : IConverter<WorkTestOutcome, WorkTestOutcomeSurrogate>
{
    public WorkTestOutcome ConvertFromSurrogate(in WorkTestOutcomeSurrogate s) => new(s.Failure, s.Estimates, s.HalfWidths, s.NoiseFreeEstimate);

    public WorkTestOutcomeSurrogate ConvertToSurrogate(in WorkTestOutcome t) =>
        new() { Failure = t.Failure, Estimates = [.. t.Estimates], HalfWidths = [.. t.HalfWidths], NoiseFreeEstimate = t.NoiseFreeEstimate };
}

/// <summary>The wire form of a <see cref="WorkCellFit"/>.</summary>
[GenerateSerializer]
internal struct WorkCellFitSurrogate
{
    [Id(0)] public double Prediction;
    [Id(1)] public bool Converged;
    [Id(2)] public double[] Coefficients;
}

/// <summary>Converts <see cref="WorkCellFit"/> to and from its wire form.</summary>
[RegisterConverter]
internal sealed class WorkCellFitConverter : IConverter<WorkCellFit, WorkCellFitSurrogate>
{
    public WorkCellFit ConvertFromSurrogate(in WorkCellFitSurrogate s) => new(s.Prediction, s.Converged, s.Coefficients);

    public WorkCellFitSurrogate ConvertToSurrogate(in WorkCellFit c) => new() { Prediction = c.Prediction, Converged = c.Converged, Coefficients = [.. c.Coefficients] };
}
