using CausalPanel.Tests.Support;
using Xunit.Abstractions;

namespace CausalPanel.Tests.Estimators;

/// <summary>MC-NNM against R MCPanel (../shared/reference/california.json) and its optimality conditions.</summary>
public class MatrixCompletionTests(ITestOutputHelper output)
{
    private static readonly PanelData California = Datasets.CaliforniaSmoking();

    [Theory]
    [InlineData(100, -19.9964070901568, 0.0226835038791719, 4.55354659831495)]   // estimates.mc_default (mcnnm_cv defaults)
    [InlineData(20, -20.2181345439947, 0.0197008811155937, 4.5562373717153)]      // estimates.mc_paper (num_lam_L = 20)
    public void California_matches_MCPanel_mcnnm_cv(int lambdas, double att, double lambda, double minRmse)
    {
        var fit = new MatrixCompletion(new MatrixCompletionOptions { LambdaCount = lambdas }).Estimate(California);
        output.WriteLine($"{lambdas} λ: ATT {fit.Att:R}, λ {fit.Lambda:R}, min RMSE {fit.CrossValidation.Min(p => p.Rmse):R}, rank {fit.Rank}");

        fit.Lambda.Should().BeApproximately(lambda, 1e-10);
        fit.Att.Should().BeApproximately(att, 1e-6);
        fit.CrossValidation.Should().HaveCount(lambdas);
        fit.CrossValidation.Min(p => p.Rmse).Should().BeApproximately(minRmse, 1e-6);
    }
}
