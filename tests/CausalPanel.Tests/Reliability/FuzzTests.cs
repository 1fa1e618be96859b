using System.Diagnostics;
using CausalPanel.Tests.Support;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Reliability;

/// <summary>Random panels through every estimator and variance method: no crash, no silent non-finite number.</summary>
public class FuzzTests(ITestOutputHelper output)
{
    private void RunHarness(int panels, int seed, string? report)
    {
        var fuzz = new Fuzz();
        var clock = Stopwatch.StartNew();
        for (var k = 0; k < panels; k++) fuzz.Run(k, seed);
        var text = fuzz.Report($"Fuzz harness: {panels} panels (seed {seed})", clock.Elapsed);
        output.WriteLine(text);
        if (report is not null) SimulationReport.Write(report, text);
        fuzz.Failures.Should().BeEmpty();
        fuzz.Counts.Keys.Should().Contain(k => k.EndsWith(": estimate"), "some panels must be estimable");
    }

    /// <summary>The bounded version CI runs.</summary>
    [Fact]
    public void A_thousand_random_panels_return_finite_numbers_or_documented_exceptions() => RunHarness(1000, seed: 2026, report: null);

    /// <summary>The full run (CAUSALPANEL_FUZZ_PANELS, default 10,000); writes docs/simulations/fuzz.md.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void Ten_thousand_random_panels_return_finite_numbers_or_documented_exceptions() =>
        RunHarness(SimulationReport.Replications("CAUSALPANEL_FUZZ_PANELS", 10_000), seed: 1, report: "fuzz.md");
}
