using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace CausalPanel.Benchmarks;

/// <summary>
/// Reading a long file of 5,000 units × 100 periods (500,000 rows): a comma-separated file with a 0/1 column, the same
/// file with each unit's adoption year and a covariate, a ';'-separated copy with decimal commas, and the same rows
/// through <c>FromLong</c>. The files are written once to a temporary folder (about 25 MB each).
/// </summary>
[MemoryDiagnoser]
public class Reading5000x100
{
    private const int Units = 5000, Periods = 100;
    private string _folder = "";
    private (string Unit, int Year, double Y, double X, int FirstTreat)[] _rows = [];

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("causalpanel-reading").FullName;
        var random = new Random(7);
        _rows = new (string, int, double, double, int)[Units * Periods];
        for (var i = 0; i < Units; i++)
        {
            var firstTreat = i % 4 == 0 ? 0 : 2000 + 60 + i % 40;   // a quarter never treated (0), the rest adopting 2060–2099
            for (var s = 0; s < Periods; s++)
                _rows[i * Periods + s] = ($"seller{i:D5}", 2000 + s, Math.Round(10 + random.NextDouble(), 6), Math.Round(random.NextDouble(), 6), firstTreat);
        }
        Write("plain.csv", ',', '.', adoption: false);
        Write("adoption.csv", ',', '.', adoption: true);
        Write("semicolon.csv", ';', ',', adoption: true);
    }

    private void Write(string name, char delimiter, char decimalSeparator, bool adoption)
    {
        string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture).Replace('.', decimalSeparator);
        var sb = new StringBuilder(adoption ? $"seller{delimiter}year{delimiter}sales{delimiter}price{delimiter}first_treat\n" : $"seller{delimiter}year{delimiter}sales{delimiter}treated\n");
        foreach (var r in _rows)
            sb.Append(r.Unit).Append(delimiter).Append(r.Year).Append(delimiter).Append(Number(r.Y)).Append(delimiter)
              .Append(adoption ? $"{Number(r.X)}{delimiter}{r.FirstTreat}" : r.FirstTreat > 0 && r.Year >= r.FirstTreat ? "1" : "0").Append('\n');
        File.WriteAllText(Path.Combine(_folder, name), sb.ToString());
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Description = "ReadCsv, 0/1 treatment")]
    public PanelData Treated() => PanelData.ReadCsv(Path.Combine(_folder, "plain.csv"), "seller", "year", "sales", treated: "treated");

    [Benchmark(Description = "ReadCsv, adoption year and a covariate")]
    public PanelData Adoption() => PanelData.ReadCsv(Path.Combine(_folder, "adoption.csv"), "seller", "year", "sales", adoption: "first_treat", covariates: ["price"]);

    [Benchmark(Description = "ReadCsv, ';' and decimal commas detected")]
    public PanelData Semicolon() => PanelData.ReadCsv(Path.Combine(_folder, "semicolon.csv"), "seller", "year", "sales", adoption: "first_treat", covariates: ["price"]);

    [Benchmark(Description = "FromLong, adoption and a covariate")]
    public PanelData FromLong() => PanelData.FromLong(_rows, r => r.Unit, r => r.Year, r => r.Y, adoption: r => r.FirstTreat, covariates: [("price", r => r.X)]);
}
