using FluentAssertions;
using Xunit;

namespace CausalPanel.Tests.Reliability;

/// <summary>
/// Same input, same numbers: one estimator instance shared by many threads, and seeded variance methods run with
/// 1, 2 and 16 degrees of parallelism and twice, give bit-identical results for all six estimators.
/// </summary>
public class DeterminismTests
{
    [Theory]
    [MemberData(nameof(ReliabilityPanels.EstimatorIndices), MemberType = typeof(ReliabilityPanels))]
    public void One_instance_used_from_sixteen_threads_gives_identical_results(int estimator)
    {
        var instance = ReliabilityPanels.Estimators()[estimator];
        var data = ReliabilityPanels.Block();
        var expected = instance.Estimate(data);
        var results = new EstimationResult[16];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, k => results[k] = instance.Estimate(data));
        foreach (var r in results)
        {
            r.Att.Should().Be(expected.Att);
            r.CellEffects.Select(c => c.Counterfactual).Should().Equal(expected.CellEffects.Select(c => c.Counterfactual));
        }
    }

    [Theory]
    [MemberData(nameof(ReliabilityPanels.EstimatorIndices), MemberType = typeof(ReliabilityPanels))]
    public void Seeded_variance_is_identical_across_degrees_of_parallelism_and_runs(int estimator)
    {
        var fit = ReliabilityPanels.Estimators()[estimator].Estimate(ReliabilityPanels.Block());
        Func<int, IVarianceEstimator>[] methods =
        [
            dop => new BootstrapVariance { Replications = 40, Seed = 7, MaxDegreeOfParallelism = dop },
            dop => new UnitPlaceboVariance { Replications = 40, Seed = 7, MaxDegreeOfParallelism = dop },
            dop => new MarginalVariance { Replications = 20, Seed = 7, MaxDegreeOfParallelism = dop },
            dop => new JackknifeVariance { MaxDegreeOfParallelism = dop },
        ];
        foreach (var method in methods)
        {
            var reference = fit.WithVariance(method(1));
            reference.IsDefined.Should().BeTrue(reference.UndefinedReason);
            foreach (var dop in new[] { 1, 2, 16 })
            {
                var again = fit.WithVariance(method(dop));
                again.StandardError.Should().Be(reference.StandardError, $"{reference.Method} with {dop} threads");
                again.Replicates.Should().Equal(reference.Replicates);
            }
        }
    }
}
