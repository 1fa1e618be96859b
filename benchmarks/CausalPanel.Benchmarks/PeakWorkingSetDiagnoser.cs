using System.Collections.Concurrent;
using BenchmarkDotNet.Analysers;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;

namespace CausalPanel.Benchmarks;

/// <summary>
/// The peak working set of each benchmark's own process (<see cref="System.Diagnostics.Process.PeakWorkingSet64"/>, VmHWM
/// on Linux), read by the host when the process signals that all its iterations are done: the most memory the case held at
/// once, its setup (panel generation, the fit a variance run starts from) included. Add it with <see cref="PeakWorkingSetAttribute"/>.
/// </summary>
internal sealed class PeakWorkingSetDiagnoser : IDiagnoser
{
    public static readonly PeakWorkingSetDiagnoser Default = new();
    private readonly ConcurrentDictionary<BenchmarkCase, long> _peaks = new();

    public IEnumerable<string> Ids => ["PeakWorkingSet"];
    public IEnumerable<IExporter> Exporters => [];
    public IEnumerable<IAnalyser> Analysers => [];
    public RunMode GetRunMode(BenchmarkCase benchmarkCase) => RunMode.NoOverhead;

    public void Handle(HostSignal signal, DiagnoserActionParameters parameters)
    {
        if (signal != HostSignal.AfterAll || parameters.Process is not { } process) return;
        process.Refresh();
        _peaks[parameters.BenchmarkCase] = process.PeakWorkingSet64;
    }

    public IEnumerable<Metric> ProcessResults(DiagnoserResults results) =>
        _peaks.TryGetValue(results.BenchmarkCase, out var peak) ? [new Metric(PeakDescriptor.Instance, peak)] : [];

    public void DisplayResults(ILogger logger) { }
    public IEnumerable<ValidationError> Validate(ValidationParameters validationParameters) => [];

    private sealed class PeakDescriptor : IMetricDescriptor
    {
        public static readonly PeakDescriptor Instance = new();
        public string Id => "PeakWorkingSet";
        public string DisplayName => "Peak WS";
        public string Legend => "Peak working set of the benchmark's process (setup included)";
        public string NumberFormat => "0.##";
        public UnitType UnitType => UnitType.Size;
        public string Unit => "B";
        public bool TheGreaterTheBetter => false;
        public int PriorityInCategory => 0;
        public bool GetIsAvailable(Metric metric) => true;
    }
}

/// <summary>Adds <see cref="PeakWorkingSetDiagnoser"/> (a "Peak WS" column) to a benchmark class.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Assembly, AllowMultiple = false)]
internal sealed class PeakWorkingSetAttribute : Attribute, IConfigSource
{
    public IConfig Config { get; } = ManualConfig.CreateEmpty().AddDiagnoser(PeakWorkingSetDiagnoser.Default);
}
