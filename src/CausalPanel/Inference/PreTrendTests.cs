using CausalPanel.Numerics;
using MathNet.Numerics.Distributions;

namespace CausalPanel;

/// <summary>The tests of an event study's leads (<see cref="EventStudyResult.PreTrendTest"/>, <see cref="EventStudyResult.EquivalenceTest"/>).</summary>
internal static class PreTrendTests
{
    /// <summary>
    /// The joint test that all K leads are 0 with the replicate covariance V: W = θ̂ᵀV⁻¹θ̂ over the leads. V is itself
    /// estimated from the replicates, with m degrees of freedom (<see cref="ReplicateSummary.Covariance"/>), so the
    /// statistic is referred to Hotelling's law rather than χ²(K): with T² = θ̂ᵀ(fV)⁻¹θ̂ for the unbiased fV,
    /// F = T²·(m − K + 1)/(K·m) ~ F(K, m − K + 1) when θ̂ is Gaussian and independent of a Wishart(m) covariance (as R
    /// <c>fect</c>'s pre-trend F test, Liu, Wang and Xu 2024, §4.1, which takes m from the treated units). With B = 200
    /// bootstrap or placebo replicates this is χ²(K)/K to within a few per cent; with a handful of time-placebo windows
    /// or jackknifed units it keeps the test's size where χ²(K) would over-reject. Undefined, with the reason, when the
    /// replicates are too few for the K×K covariance (m &lt; K) or it is singular.
    /// </summary>
    public static PreTrendTest Wald(IReadOnlyList<EventStudyPoint> leads, IReadOnlyList<int> quantities, ReplicateSummary summary, double level)
    {
        var k = leads.Count;
        var name = $"Joint Wald test that {(k == 1 ? "the lead is" : $"all {k} leads are")} 0";
        var (covariance, replicates, m, unbiased) = summary.Covariance(quantities);
        if (m - k + 1 < 1)
            return Undefined(name, k, $"only {replicates} replicates have all {k} leads, too few to estimate their {k}×{k} covariance (it needs at least {k + replicates - m}); use more replications or fewer leads (EventStudyOptions.Leads)");
        if (QuadraticForm.Inverse(covariance, leads.Select(l => l.Effect).ToArray()) is not { } wald)
            return Undefined(name, k, $"the replicate covariance of the {k} leads is singular: some combination of them does not vary across the {replicates} replicates (a lead with no spread, or leads tied to each other by the estimator, e.g. λ̂-weighted leads whose λ̂ is held fixed); test fewer leads (EventStudyOptions.Leads)");
        var f = wald / unbiased * (m - k + 1) / (k * (double)m);
        var p = 1 - FisherSnedecor.CDF(k, m - k + 1, f);
        var verdict = p < 1 - level ? $"pre-trends differ from 0 ({SummaryText.PValue(p)})" : $"no evidence against parallel pre-trends ({SummaryText.PValue(p)})";
        return new PreTrendTest(name, f, k, p, verdict) { DenominatorDegreesOfFreedom = m - k + 1 };
    }

    /// <summary>
    /// R <c>fect</c>'s equivalence test (Liu, Wang and Xu 2024, §4.2; Hartman and Hidalgo 2018): two one-sided tests per
    /// lead of H0: |θ_e| ≥ b, with p_e = max(1 − F((θ̂_e + b)/se_e), 1 − F((b − θ̂_e)/se_e)), F the normal (or Student t)
    /// CDF, and the leads jointly equivalent to 0 when every p_e is small: p = max_e p_e. The statistic is the smallest
    /// of the 2K one-sided t statistics, so p = 1 − F(statistic).
    /// </summary>
    public static PreTrendTest Equivalence(IReadOnlyList<EventStudyPoint> leads, double bound, double? degreesOfFreedom, double level)
    {
        var k = leads.Count;
        var name = $"Equivalence test (TOST) that {(k == 1 ? "the lead lies" : $"all {k} leads lie")} within ±{SummaryText.Number(bound)}";
        var df = degreesOfFreedom ?? double.PositiveInfinity;
        var statistic = leads.Min(l => Math.Min((l.Effect + bound) / l.StandardError, (bound - l.Effect) / l.StandardError));
        if (double.IsNaN(statistic))
            return Undefined(name, k, "a lead's standard error is undefined or 0 at the bound");
        var p = 1 - (degreesOfFreedom is { } d ? StudentT.CDF(0, 1, d, statistic) : Normal.CDF(0, 1, statistic));
        var verdict = p < 1 - level
            ? $"leads are equivalent to 0 within ±{SummaryText.Number(bound)} ({SummaryText.PValue(p)})"
            : $"equivalence to 0 within ±{SummaryText.Number(bound)} is not shown ({SummaryText.PValue(p)}): pre-trends as large as the bound cannot be ruled out";
        return new PreTrendTest(name, statistic, df, p, verdict);
    }

    /// <summary>
    /// R <c>fect</c>'s default equivalence bound, 0.36 σ̂ (Liu, Wang and Xu 2024, §4.2: 0.36 standard deviations is a
    /// small effect), with σ̂² the mean squared residual of the two-way fixed-effects model (with the panel's covariates)
    /// fitted to the untreated cells outside the fit's anticipation window — fect's <c>sigma2.fect</c>, the same for every
    /// estimator, so their leads are judged against one bound. When the imputation model refuses the covariates (e.g. a time-invariant one that SC accepts),
    /// σ̂ is that of the model without them, and the note says so.
    /// </summary>
    public static (double Bound, string? Note) DefaultEquivalenceBound(PanelData data, int anticipation)
    {
        int n = data.UnitCount, t = data.PeriodCount;
        var w = AnticipationWindow.FitWeights(data, anticipation);
        var effects = new TwoWayFixedEffects(w, n, t);
        var y = data.Outcomes.Values;
        double[] alpha = new double[n], beta = new double[t], xGamma = new double[n * t];
        string? note = null;
        try
        {
            (alpha, beta, xGamma, _) = TwoWayImputation.Impute(data, w, effects, "DiD");
        }
        catch (CollinearCovariatesException e)
        {
            effects.Fit(y, alpha, beta);
            note = $"the equivalence bound's residual sd σ̂ is that of the two-way model without covariates: {e.Message}";
        }
        var component = effects.Component;
        double sum = 0;
        var cells = 0;
        for (var k = 0; k < w.Length; k++)
        {
            if (w[k] <= 0 || component[k / t] != component[n + k % t]) continue;
            var e = y[k] - alpha[k / t] - beta[k % t] - xGamma[k];
            sum += e * e;
            cells++;
        }
        return (0.36 * Math.Sqrt(sum / cells), note);
    }

    private static PreTrendTest Undefined(string name, int leads, string reason) =>
        new(name, double.NaN, leads, double.NaN, $"not computed: {reason}") { IsDefined = false, UndefinedReason = reason };
}
