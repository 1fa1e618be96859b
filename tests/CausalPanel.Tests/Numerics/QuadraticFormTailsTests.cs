using CausalPanel.Numerics;
using MathNet.Numerics.Distributions;

namespace CausalPanel.Tests.Numerics;

public class QuadraticFormTailsTests
{
    [Theory]
    [InlineData(3, 7.814727903251178, 0.05)]
    [InlineData(4, 9.487729036781154, 0.05)]
    [InlineData(10, 2.558212, 0.99)]
    public void A_chi_square_tail_is_Imhofs_integral(int df, double x, double expected)
    {
        // Closed form: P(χ²_df > x) (MathNet's χ² CDF); the form as one term of h = df and as df terms of h = 1.
        var tail = 1 - ChiSquared.CDF(df, x);
        tail.Should().BeApproximately(expected, 1e-6);
        QuadraticFormTails.Exceeds([1.0], [(double)df], x).Should().BeApproximately(tail, 1e-6);
        QuadraticFormTails.Exceeds(Enumerable.Repeat(1.0, df).ToArray(), Enumerable.Repeat(1.0, df).ToArray(), x).Should().BeApproximately(tail, 1e-6);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(27)]
    public void Equal_weights_over_K_independent_squares_give_the_t_with_K_df(int k)
    {
        // Z / √(χ²_K / K) is Student t with K df exactly.
        QuadraticFormTails.StudentDegreesOfFreedom(Enumerable.Repeat(1.0 / k, k).ToArray(), null, 0.05)!.Value.Should().BeApproximately(k, 1e-3 * k);
    }

    [Fact]
    public void A_dominant_window_behaves_like_fewer_df_but_not_like_satterthwaites()
    {
        // Brute force: 400,000 draws of Z / √(Σ w_j χ²_1) against the t quantile of the returned df.
        double[] weights = [0.55, 0.25, 0.1, 0.05, 0.03, 0.02];
        var df = QuadraticFormTails.StudentDegreesOfFreedom(weights, null, 0.05)!.Value;
        var critical = StudentT.InvCDF(0, 1, df, 0.975);
        var rng = new Random(2);
        const int draws = 400_000;
        var rejections = 0;
        for (var r = 0; r < draws; r++)
        {
            var v = weights.Sum(w => w * Math.Pow(Normal.Sample(rng, 0, 1), 2));
            if (Math.Abs(Normal.Sample(rng, 0, 1)) > critical * Math.Sqrt(v)) rejections++;
        }
        ((double)rejections / draws).Should().BeApproximately(0.05, 3 * Math.Sqrt(0.05 * 0.95 / draws));
        var satterthwaite = 1 / weights.Sum(w => w * w);
        df.Should().BeGreaterThan(satterthwaite);
    }
}
