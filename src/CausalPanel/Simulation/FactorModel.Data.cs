using System.Text.Json;
using System.Text.Json.Serialization;

namespace CausalPanel;

/// <summary>The data form of a fitted model, with which a comparison job travels (<see cref="WorkJob.ToJson"/>).</summary>
public sealed partial class FactorModel
{
    /// <summary>
    /// Labels, rank and every number of the model — F, M, Σ, (φ₁, φ₂), π, the shares and the scales (a_i, b_t) of each
    /// <see cref="Heteroskedasticity"/> in enum order — as plain arrays, written by System.Text.Json in round-trip form
    /// (the shortest text that parses back to the same double), so the model read back is this one bit for bit.
    /// </summary>
    internal sealed record ModelData(string[] Units, string[] Periods, int Rank, double[][] Additive, double[][] Interactive,
        double[][] NoiseCovariance, double[] ArCoefficients, double[] AssignmentProbabilities, double[] FactorShares,
        double[][] UnitScales, double[][] PeriodScales);

    /// <summary>This model as data.</summary>
    internal ModelData ToData()
    {
        static double[][] Rows(double[,] m) =>
            Enumerable.Range(0, m.GetLength(0)).Select(i => Enumerable.Range(0, m.GetLength(1)).Select(t => m[i, t]).ToArray()).ToArray();
        return new ModelData([.. Units], [.. Periods], Rank, Rows(_additive), Rows(_interactive), Rows(_covariance),
            [.. ArCoefficients], [.. AssignmentProbabilities], [.. FactorShares],
            [.. _scales.Select(s => s.Units.ToArray())], [.. _scales.Select(s => s.Periods.ToArray())]);
    }

    /// <summary>The model <paramref name="data"/> describes.</summary>
    /// <exception cref="WorkJobMismatchException">The arrays do not have the shapes of one N × T model (named).</exception>
    internal static FactorModel FromData(ModelData data)
    {
        int n = data.Units?.Length ?? 0, t = data.Periods?.Length ?? 0, scales = Enum.GetValues<Heteroskedasticity>().Length;
        double[,] Matrix(double[][]? rows, int count, int columns, string name)
        {
            if (rows is null || rows.Length != count || rows.Any(r => r is null || r.Length != columns))
                throw Malformed($"{name} is not {count} × {columns}");
            var m = new double[count, columns];
            for (var i = 0; i < rows.Length; i++)
                for (var s = 0; s < columns; s++) m[i, s] = rows[i][s];
            return m;
        }
        double[] Vector(double[]? values, int length, string name) =>
            values is not null && values.Length == length ? values : throw Malformed($"{name} does not have {length} values");
        if (n < 2 || t < 3 || data.Rank < 1 || data.Rank >= Math.Min(n, t))
            throw Malformed($"{n} units, {t} periods and rank {data.Rank} are not a fitted model's");
        if (data.UnitScales is null || data.PeriodScales is null || data.UnitScales.Length != scales || data.PeriodScales.Length != scales)
            throw Malformed($"it does not hold the noise scales of the {scales} heteroskedasticity models");
        return new FactorModel(data.Units!, data.Periods!, data.Rank, Matrix(data.Additive, n, t, "additive"), Matrix(data.Interactive, n, t, "interactive"),
            Matrix(data.NoiseCovariance, t, t, "noiseCovariance"), Vector(data.ArCoefficients, 2, "arCoefficients"),
            Vector(data.AssignmentProbabilities, n, "assignmentProbabilities"), Vector(data.FactorShares, 3, "factorShares"),
            [.. Enumerable.Range(0, scales).Select(k => (Vector(data.UnitScales[k], n, "unitScales"), Vector(data.PeriodScales[k], t, "periodScales")))]);
    }

    private static WorkJobMismatchException Malformed(string problem) =>
        new($"The job's factor model is not one CausalPanel wrote: {problem}. Send jobs written by WorkJob.ToJson of the same CausalPanel version.");

    /// <summary>Reads and writes a <see cref="FactorModel"/> as its <see cref="ModelData"/>.</summary>
    internal sealed class JsonForm : JsonConverter<FactorModel>
    {
        /// <inheritdoc/>
        public override FactorModel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            FromData(JsonSerializer.Deserialize<ModelData>(ref reader, options) ?? throw new JsonException("A factor model is null."));

        /// <inheritdoc/>
        public override void Write(Utf8JsonWriter writer, FactorModel value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToData(), options);
    }
}
