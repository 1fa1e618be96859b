using CausalPanel.Numerics;

namespace CausalPanel;

/// <summary>
/// A panel's covariates as regressors of an imputation model Y_it(0) = (unit and period effects) + Σ_k γ_k X_kit + …,
/// checked once, the same way, by every estimator that adjusts for them (<see cref="DifferenceInDifferences"/>,
/// <see cref="MatrixCompletion"/>, <see cref="DoublyWeightedCausalPanel"/>). Each covariate is judged by its residual
/// after removing the unit and period effects on the cells the model is fitted to, relative to its own centred norm,
/// and the residuals, scaled to unit norm, must not be (nearly) collinear; so the verdict does not depend on the units a
/// covariate is measured in, and a covariate that only rounding separates from the fixed effects is refused
/// (Borusyak, Jaravel and Spiess 2024, REStud, Assumption 1′ needs γ identified).
/// </summary>
internal sealed class CovariateDesign
{
    private CovariateDesign(IReadOnlyList<string> names, double[][] values, UnpenalisedRegressors regressors) =>
        (Names, Values, Regressors) = (names, values, regressors);

    /// <summary>Covariate names, in the panel's order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Covariate values, row-major N×T in panel order, 0 where the outcome is unobserved.</summary>
    public double[][] Values { get; }

    /// <summary>The covariates residualised on the effects over the fit cells, with their least-squares solve.</summary>
    public UnpenalisedRegressors Regressors { get; }

    /// <summary>
    /// The covariates of <paramref name="data"/> checked on the cells with positive <paramref name="fitWeights"/>, or null
    /// when it has none.
    /// </summary>
    /// <exception cref="CollinearCovariatesException">
    /// A covariate is absorbed by the effects (constant within units, within periods, or a sum of a unit and a period
    /// term on the fit cells), or a combination of covariates is.
    /// </exception>
    public static CovariateDesign? Require(PanelData data, string estimator, double[] fitWeights,
        bool unitEffects = true, bool periodEffects = true, TwoWayFixedEffects? effects = null)
    {
        if (data.Covariates.Count == 0) return null;
        int n = data.UnitCount, t = data.PeriodCount;
        var names = data.Covariates.Keys.ToArray();
        var values = names.Select(name =>
        {
            var x = data.Covariates[name].Values.ToArray();
            for (var k = 0; k < x.Length; k++)
                if (double.IsNaN(data.Outcomes.Values[k])) x[k] = 0;
            return x;
        }).ToArray();
        var regressors = new UnpenalisedRegressors(values, fitWeights, n, t, unitEffects, periodEffects, effects);
        var removed = (unitEffects, periodEffects) switch
        {
            (true, true) => "unit and period effects",
            (true, false) => "unit effects",
            (false, true) => "period effects",
            _ => "nothing",
        };

        if (regressors.Absorbed.Count > 0)
        {
            var absorbed = regressors.Absorbed.Select(c => names[c]).ToList();
            var reasons = regressors.Absorbed.Select(c => $"'{names[c]}' {WhyAbsorbed(values[c], regressors.RelativeResiduals[c], fitWeights, n, t, unitEffects, periodEffects)}");
            throw new CollinearCovariatesException(
                $"{estimator}: {(absorbed.Count == 1 ? "covariate" : "covariates")} {CausalPanelException.List(absorbed)} {(absorbed.Count == 1 ? "is" : "are")} absorbed by the fixed effects on the untreated cells the model is fitted to, so {(absorbed.Count == 1 ? "its coefficient is" : "their coefficients are")} not identified: {string.Join("; ", reasons)}. Drop {(absorbed.Count == 1 ? "it" : "them")}.",
                absorbed);
        }
        if (regressors.Collinear.Count > 0)
        {
            var collinear = regressors.Collinear.Select(c => names[c]).ToList();
            throw new CollinearCovariatesException(
                $"{estimator}: the covariates {CausalPanelException.List(collinear, collinear.Count)} are collinear after removing {removed} on the untreated cells: a combination of them is (nearly) zero there, so their coefficients are not identified. Drop one of them.",
                collinear);
        }
        return new CovariateDesign(names, values, regressors);
    }

    /// <summary>Why a covariate is absorbed, in the user's terms.</summary>
    private static string WhyAbsorbed(double[] x, double relativeResidual, double[] fitWeights, int n, int t, bool unitEffects, bool periodEffects)
    {
        if (!unitEffects && !periodEffects) return "is zero on every untreated cell";
        var values = x.Where((_, k) => fitWeights[k] > 0).ToArray();
        if (values.Length == 0 || values.Min() == values.Max()) return "is constant on the untreated cells, and the fixed effects absorb a constant";
        // Beyond rounding, say how little is left, so that a nearly absorbed covariate is recognisable.
        var (nearly, residual) = relativeResidual > 1e-12
            ? ("nearly ", $" (what is left after removing the effects is {relativeResidual:G2} of its own variation)")
            : ("", "");
        bool Only(bool byUnit) => new UnpenalisedRegressors([x], fitWeights, n, t, unitEffects: byUnit, periodEffects: !byUnit).Absorbed.Count == 1;
        if (unitEffects && Only(byUnit: true))
            return $"is {nearly}constant within each unit (time-invariant) on the untreated cells{residual}, so the unit fixed effects absorb it; to let trends depend on it, interact it with the periods (one covariate X_i·1[t = s] per period s after the first)";
        if (periodEffects && Only(byUnit: false))
            return $"is {nearly}the same for every unit in each period on the untreated cells{residual}, so the period fixed effects absorb it";
        return $"is {nearly}the sum of a unit term and a period term on the untreated cells{residual}, which the unit and period fixed effects absorb";
    }
}
