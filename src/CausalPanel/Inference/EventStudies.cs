namespace CausalPanel;

/// <summary>
/// Event studies and cohort × period effects of a fit, with standard errors, intervals, a simultaneous band and
/// pre-trend tests from a variance method's replicates: every replicate recomputes the whole vector (leads, lags,
/// ATT(g, t)) through the method's one re-estimation hook, so the standard error of each quantity is the method's own
/// formula applied to its replicates.
/// </summary>
public static class EventStudies
{
    /// <summary>
    /// The event study of <paramref name="fit"/>: the effect at every event time, leads (pre-treatment placebo effects,
    /// negative event times) and lags, each with the standard error <paramref name="method"/>'s replicates give (bootstrap
    /// and placebo: their spread; jackknife: the jackknife formula; time placebo: uncentred with Student-t intervals),
    /// pointwise intervals, the sup-t simultaneous band over all event times (Montiel Olea and Plagborg-Møller 2019,
    /// J. Applied Econometrics), the joint Wald test that the leads are 0 and R <c>fect</c>'s equivalence test (Liu, Wang
    /// and Xu 2024, AJPS, §4). Leads are defined per estimator (<see cref="EventStudyOptions.Leads"/> sets how many):
    /// for DiD, MC-NNM and DWCP (per-cell) fect's leave-one-period-out fits — lead −k refits the estimator, at the fit's
    /// tuning, to the untreated cells less every treated unit's cell k periods before its adoption and averages
    /// Y − Ŷ(0) over those cells (for DiD the imputation of Borusyak, Jaravel and Spiess 2024, out of sample); for SC,
    /// DIFP and SDID the pre-treatment gap of each cohort's fitted weights relative to its λ̂-weighted pre-period baseline,
    /// (Ȳ_tr,t − ω̂ᵀY_co,t) − Σ_s λ̂_s (Ȳ_tr,s − ω̂ᵀY_co,s), as Stata <c>sdid_event</c> (Clarke et al. 2023). On a staggered
    /// design every event time averages the cohorts' cells (Callaway and Sant'Anna 2021's event-time aggregation with
    /// cells as weights). Methods without replicates (regression plug-in, the two-way conditional combination), a null
    /// <paramref name="method"/>, or a method undefined for the design give the effects with NaN standard errors and
    /// <see cref="EventStudyResult.UndefinedReason"/>. A fit with an anticipation window of k periods (its options'
    /// <c>Anticipation</c>) shows event times −k..−1 as the window's effects (<see cref="EventStudyPoint.IsAnticipation"/>,
    /// estimated as the lags are, outside the pre-trend tests, as R <c>did</c> keeps them out of its overall ATT), and its
    /// leads start at −k−1; every replicate refits with the same anticipation and control group (they are options of the
    /// estimator it re-runs). For SC, DIFP and SDID, <see cref="EventStudyOptions.SyntheticLeads"/> =
    /// <see cref="SyntheticLeads.InTimePlacebo"/> defines lead −k instead as the in-time placebo (Abadie, Diamond and
    /// Hainmueller 2010, JASA, §4; R <c>synthdid_placebo</c>): the estimator re-run, at the cohort's regularisation, on the
    /// periods before the cohort's anticipation window with the cohort placebo-treated from k periods before its end, read
    /// in its first placebo-treated period; every replicate re-runs them on its own panel, so the standard errors, the
    /// band and the pre-trend tests are of these leads.
    /// </summary>
    /// <param name="fit">The fit (block or staggered adoption).</param>
    /// <param name="method">The variance method whose replicates give the standard errors; null for the effects alone.</param>
    /// <param name="level">Coverage of the intervals and the band, and 1 − the tests' size. Default 0.95.</param>
    /// <param name="options">Leads and the equivalence bound.</param>
    /// <param name="ct">Cancels the replicates.</param>
    /// <exception cref="UnsupportedTreatmentPatternException">Treatment switches off (event time is then ambiguous).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A level outside (0, 1), negative or unavailable leads (for in-time placebos: more than any cohort can fit), a bound that is not positive.</exception>
    /// <exception cref="ArgumentException">Leads asked of a fit that defines none (DWCP in block mode); in-time placebo leads asked of an estimator other than SC, DIFP and SDID, or of a fit whose options hold its weights fixed.</exception>
    public static EventStudyResult EventStudy(this EstimationResult fit, IVarianceEstimator? method, double level = 0.95,
        EventStudyOptions? options = null, CancellationToken ct = default)
    {
        var inputs = Inputs.Resolve(fit, method, level, options, ct);
        var eventTimes = inputs.Grid.Entries.Select(e => e.Period - e.Cohort).Distinct().Order().ToArray();
        var q = inputs.Summarise(eventTimes.Select(e => (Func<int, int, bool>)((g, t) => t - g == e)).ToArray(),
            eventTimes.Select(e => $"event time {e}").ToArray(), uniform: true);
        var points = eventTimes.Select((e, j) => new EventStudyPoint(e, q.Effects[j], q.StandardErrors[j],
            q.Effects[j] - q.Pointwise * q.StandardErrors[j], q.Effects[j] + q.Pointwise * q.StandardErrors[j],
            q.Effects[j] - q.Uniform * q.StandardErrors[j], q.Effects[j] + q.Uniform * q.StandardErrors[j], q.Cells[j])
            { IsAnticipation = e < 0 && e >= -fit.Anticipation }).ToArray();

        var notes = inputs.Notes.Concat(q.Notes).ToList();
        var leads = Enumerable.Range(0, eventTimes.Length).Where(j => points[j].IsLead).ToArray();
        PreTrendTest? wald = null, equivalence = null;
        double? bound = null;
        if (leads.Length > 0 && q.Summary is { } summary)
        {
            var leadPoints = leads.Select(j => points[j]).ToArray();
            wald = PreTrendTests.Wald(leadPoints, leads, summary, level);
            if (options?.EquivalenceBound is { } given) bound = given;
            else
            {
                var (fectBound, note) = PreTrendTests.DefaultEquivalenceBound(fit.Data, fit.Anticipation);
                bound = fectBound;
                if (note is not null) notes.Add(note);
            }
            equivalence = PreTrendTests.Equivalence(leadPoints, bound.Value, inputs.Set.DegreesOfFreedom, level);
        }
        return new EventStudyResult
        {
            Fit = fit, Method = inputs.Set.Method, Level = level, Points = points,
            PreTrendTest = wald, EquivalenceTest = equivalence, EquivalenceBound = bound,
            UndefinedReason = inputs.Set.UndefinedReason,
            AttStandardError = inputs.Set.UndefinedReason is null ? inputs.Set.StandardError(inputs.Set.Values.Select(v => v.Att)) : double.NaN,
            PointwiseCriticalValue = q.Pointwise, UniformCriticalValue = q.Uniform,
            Replications = inputs.Set.Values.Count, Notes = notes,
        };
    }

    /// <summary>
    /// The cohort × period effects ATT(g, t) of <paramref name="fit"/> (Callaway and Sant'Anna 2021, J. Econometrics,
    /// §2): for every adoption cohort g and period t ≥ g the mean effect over the cohort's treated cells in t, and for
    /// t &lt; g the cohort's lead (as <see cref="EventStudy"/> defines it, <see cref="EventStudyOptions.Leads"/> of them),
    /// each with the standard error <paramref name="method"/>'s replicates give and a pointwise interval;
    /// <see cref="CohortPeriodEffects.Aggregate"/> gives the ATT and the effects by cohort, by period and by event time with
    /// standard errors from the same replicates. For every estimator and block or staggered adoption. On a cohort with a
    /// single pre-period and never-treated controls, DiD's ATT(g, t) is Callaway and Sant'Anna's 2×2 estimate
    /// (Ȳ_g,t − Ȳ_g,g−1) − (Ȳ_NT,t − Ȳ_NT,g−1).
    /// </summary>
    /// <inheritdoc cref="EventStudy" path="/param"/>
    /// <inheritdoc cref="EventStudy" path="/exception"/>
    public static CohortPeriodEffects CohortPeriodEffects(this EstimationResult fit, IVarianceEstimator? method, double level = 0.95,
        EventStudyOptions? options = null, CancellationToken ct = default)
    {
        var inputs = Inputs.Resolve(fit, method, level, options, ct);
        var entries = inputs.Grid.Entries;
        var q = inputs.Summarise(entries.Select(e => (Func<int, int, bool>)((g, t) => g == e.Cohort && t == e.Period)).ToArray(),
            entries.Select(e => $"ATT({fit.Data.Periods[e.Cohort]}, {fit.Data.Periods[e.Period]})").ToArray(), uniform: false);
        var periods = fit.Data.Periods;
        return new CohortPeriodEffects(inputs)
        {
            Fit = fit, Method = inputs.Set.Method, Level = level,
            Effects = entries.Select((e, j) => new CohortPeriodEffect(periods[e.Cohort], periods[e.Period], e.Period - e.Cohort, q.Effects[j], q.StandardErrors[j],
                q.Effects[j] - q.Pointwise * q.StandardErrors[j], q.Effects[j] + q.Pointwise * q.StandardErrors[j], q.Cells[j])
                { IsAnticipation = e.Period < e.Cohort && e.Period >= e.Cohort - fit.Anticipation }).ToArray(),
            UndefinedReason = inputs.Set.UndefinedReason, Replications = inputs.Set.Values.Count,
            Notes = inputs.Notes.Concat(q.Notes).ToArray(),
        };
    }

    /// <summary>What both entry points resolve first: the leads, the fit's grid and the method's replicates of it, and notes.</summary>
    internal sealed class Inputs
    {
        private Inputs(EstimationResult fit, double level, EffectGrid grid, ReplicateSet set, IReadOnlyList<string> notes) =>
            (Fit, Level, Grid, Set, Notes) = (fit, level, grid, set, notes);

        public EstimationResult Fit { get; }
        public double Level { get; }
        public EffectGrid Grid { get; }
        public ReplicateSet Set { get; }
        public IReadOnlyList<string> Notes { get; }

        public static Inputs Resolve(EstimationResult fit, IVarianceEstimator? method, double level, EventStudyOptions? options, CancellationToken ct)
        {
            ArgumentNullException.ThrowIfNull(fit);
            options ??= new EventStudyOptions();
            if (!(level > 0 && level < 1))
                throw new ArgumentOutOfRangeException(nameof(level), level, "The level must lie strictly between 0 and 1, e.g. 0.95 for 95% intervals.");
            if (options.EquivalenceBound is { } given && !(given > 0 && double.IsFinite(given)))
                throw new ArgumentOutOfRangeException(nameof(options), given, "EquivalenceBound must be a positive number in outcome units (or null for fect's 0.36 residual standard deviations).");
            var data = fit.Data;
            var pattern = data.Pattern;
            if (pattern.Design == TreatmentDesign.General)
                throw new UnsupportedTreatmentPatternException(
                    $"An event study needs units that adopt treatment once and stay treated (block or staggered adoption), so that every cell has one event time; units {CausalPanelException.List(pattern.SwitchingUnitIndices.Select(i => data.Units[i]))} switch treatment off. Drop them, or keep each unit's first treatment spell.{data.PeriodOrderCaveat}",
                    pattern.SwitchingUnitIndices.Select(i => data.Units[i]).ToList());

            var placebos = options.SyntheticLeads == SyntheticLeads.InTimePlacebo;
            if (placebos) CheckInTimePlacebos(fit);
            var notes = new List<string>();
            var leads = placebos ? InTimePlaceboLeads((SyntheticWeightingResult)fit, options.Leads, notes) : Leads(fit, options.Leads, notes, ct);
            var warnings = new List<string>();
            var grid = EffectGrid.Of(fit, leads, options.SyntheticLeads, ct, warnings);
            if (placebos && leads > 0)
                notes.Add($"leads are in-time placebos (SyntheticLeads = InTimePlacebo): lead {(fit.Anticipation > 0 ? $"−{fit.Anticipation}−k" : "−k")} re-runs {fit.Estimator}, at the cohort's ζ, on the never-treated units and the cohort over the periods before its {(fit.Anticipation > 0 ? "anticipation window" : "adoption")}, the cohort placebo-treated from the k-th last of them, and is that fit's effect there, its first placebo period; every replicate re-runs them.");
            if (warnings.Count > 0)
                notes.Add($"{SummaryText.Count(warnings.Count, "in-time placebo fit warning")}, e.g. {warnings[0]}");
            var a = fit.Anticipation;
            if (a > 0)
                notes.Add($"event times {(a == 1 ? "−1 is" : $"−{a}..−1 are")} the anticipation window (Anticipation = {a}): effects the fit allows before adoption, estimated as the lags are, outside the ATT and the pre-trend tests; leads start at −{a + 1}.");
            var missing = Enumerable.Range(1, leads).Where(k => grid.Entries.All(e => e.Period - e.Cohort != -a - k)).ToArray();
            if (missing.Length > 0)
                notes.Add($"lead{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing.Select(k => $"−{a + k}"))} {(missing.Length > 1 ? "have" : "has")} no cell whose untreated outcome the other untreated cells identify, so {(missing.Length > 1 ? "they are" : "it is")} not shown.");
            var unidentified = UnidentifiedHeldOutCells(fit, grid, leads);
            if (unidentified > 0)
                notes.Add($"{SummaryText.Count(unidentified, "pre-treatment cell")} within the leads stay in the fits and out of the leads: holding them out would leave their unit or period without another untreated cell.");

            var set = method switch
            {
                null => new ReplicateSet { Method = "none", Target = VarianceTarget.Marginal, UndefinedReason = "no variance method was given, so there are effects but no standard errors; pass one, e.g. new BootstrapVariance() or new UnitPlaceboVariance()." },
                VarianceMethod replicated => replicated.Replicate(fit, new ReplicateStatistic(leads, options.SyntheticLeads), ct),
                _ => ReplicateSet.Undefined(method, $"{method.Name} is not one of CausalPanel's replicate methods, so it gives no replicates to compute event-time standard errors from."),
            };
            return new Inputs(fit, level, grid, set, notes);
        }

        /// <summary>The leads K, checked against what the fit has; notes when leads are left out or the fit defines none.</summary>
        private static int Leads(EstimationResult fit, int? asked, List<string> notes, CancellationToken ct)
        {
            var pattern = fit.Data.Pattern;
            // Periods before each treated unit's anticipation window (its adoption when there is none).
            var preperiods = fit.CellEffects.Select(c => c.UnitIndex).Distinct().Select(i => pattern.FirstTreatedPeriodIndex(i)!.Value - fit.Anticipation).Where(g => g >= 2).ToArray();
            int longest = preperiods.Length > 0 ? preperiods.Max() : 0, byDefault = preperiods.Length > 0 ? preperiods.Min() - 1 : 0;
            var before = fit.Anticipation > 0 ? "its anticipation window" : "its adoption";
            var defines = fit.LeadEffects(0, ct) is not null;
            if (asked is { } k)
            {
                if (k < 0) throw new ArgumentOutOfRangeException("options", k, "Leads must be 0 or more.");
                if (k > 0 && !defines) throw new ArgumentException($"{fit.NoLeadsReason}. Set EventStudyOptions.Leads = 0 for the lags alone.", "options");
                if (k > longest)
                    throw new ArgumentOutOfRangeException("options", k,
                        longest == 0 ? $"Leads = {k}, but no treated unit has the two periods before {before} that a lead needs (one to hold out or compare, one to fit on). Set Leads = 0."
                            : $"Leads = {k}, but the longest pre-period of a treated unit{(fit.Anticipation > 0 ? $" before its anticipation window (Anticipation = {fit.Anticipation})" : "")} is {longest} periods, so at most {longest} leads exist. Set Leads to at most {longest}.");
                // A lead deeper than a cohort's pre-period averages the other cohorts: say which are missing from which leads.
                var shorter = pattern.Cohorts.Select(c => (c.Period, Pre: c.PeriodIndex - fit.Anticipation)).Where(c => c.Pre < k).ToArray();
                if (shorter.Length > 0)
                    notes.Add($"leads deeper than a cohort's pre-period average the other cohorts only: {string.Join("; ", shorter.Select(c => $"cohort {c.Period} has leads down to −{fit.Anticipation + Math.Max(c.Pre, 0)} only"))}.");
                return k;
            }
            if (!defines)
            {
                notes.Add($"no leads: {fit.NoLeadsReason}.");
                return 0;
            }
            if (longest == 0)
                notes.Add($"no leads: no treated unit has the two periods before {before} that a lead needs.");
            else if (longest > byDefault)
                notes.Add($"{SummaryText.Count(byDefault, "lead")} by default: the shortest pre-period of a treated unit ({byDefault + 1} periods) less one, so that every cohort has every lead and the earliest pre-period stays a baseline; EventStudyOptions.Leads gives up to {longest}.");
            return byDefault;
        }

        /// <summary>
        /// Refuses <see cref="SyntheticLeads.InTimePlacebo"/> where it is undefined: for an estimator other than SC, DIFP
        /// and SDID, and for a fit whose options hold its weights fixed (a placebo re-fits them on another window).
        /// </summary>
        private static void CheckInTimePlacebos(EstimationResult fit)
        {
            if (fit is not SyntheticWeightingResult)
                throw new ArgumentException($"SyntheticLeads = InTimePlacebo re-runs SC, DIFP or SDID on earlier windows (R synthdid_placebo); {fit.Estimator}'s leads are its own out-of-sample refits (R fect's leave-one-period-out), which SyntheticLeads does not change. Leave SyntheticLeads at WeightGap (the default) for {fit.Estimator}.", "options");
            if (fit.Source is SyntheticWeightingEstimator { FixedWeights: { } held })
                throw new ArgumentException($"SyntheticLeads = InTimePlacebo re-fits each cohort's weights on the periods before every placebo window, but this {fit.Estimator} fit holds its {held}, which were given for the fit's own periods. Use SyntheticLeads = WeightGap (the given weights' pre-treatment gaps), or let the weights be fitted.", "options");
        }

        /// <summary>
        /// The leads K of in-time placebos, checked against what the cohorts can fit: the placebo of lead −k of a cohort
        /// adopting in g fits its weights on the f − a − k periods before its own anticipation window (f = g − a, a the
        /// anticipation), so the cohort fits k ≤ f − a − 1. Default: the fewest any cohort that fits one can fit, so every
        /// such cohort has every lead; more than the most any cohort fits is refused naming that cohort; a cohort that fits
        /// fewer than K is named in a note (those leads average the others).
        /// </summary>
        private static int InTimePlaceboLeads(SyntheticWeightingResult fit, int? asked, List<string> notes)
        {
            var a = fit.Anticipation;
            var cohorts = fit.Cohorts.Select(c => (Cohort: c, Periods: fit.Data.PeriodIndex(c.AdoptionPeriod) - a, Most: fit.Data.PeriodIndex(c.AdoptionPeriod) - 2 * a - 1)).ToArray();
            var longest = cohorts.MaxBy(c => c.Most);
            var before = a > 0 ? $"before its anticipation window (Anticipation = {a})" : "before its adoption";
            var rule = a > 0 ? $"the placebo of lead −{a}−k sets aside its own anticipation window of {a} and fits on the f − {a} − k periods before that, f those before the cohort's window" : "the placebo of lead −k fits on the f − k periods before it, f those before the cohort's adoption";
            int k;
            if (asked is { } given)
            {
                if (given < 0) throw new ArgumentOutOfRangeException("options", given, "Leads must be 0 or more.");
                if (given > Math.Max(longest.Most, 0))
                    throw new ArgumentOutOfRangeException("options", given,
                        $"Leads = {given} with in-time placebos (SyntheticLeads = InTimePlacebo), but no cohort can fit lead −{a + given}: {rule}, and needs at least one; the longest, of the cohort adopting in '{longest.Cohort.AdoptionPeriod}' ({longest.Periods} periods {before}), fits {SummaryText.Count(Math.Max(longest.Most, 0), "lead")}. Set Leads to at most {Math.Max(longest.Most, 0)}, or use SyntheticLeads = WeightGap, the fitted weights' gaps (up to {longest.Periods}).");
                k = given;
            }
            else
            {
                var fitting = cohorts.Where(c => c.Most >= 1).ToArray();
                k = fitting.Length > 0 ? fitting.Min(c => c.Most) : 0;
                if (k == 0)
                    notes.Add($"no leads: no cohort has the {2 + a} periods {before} that an in-time placebo needs ({(a > 0 ? $"one to fit on, {a} for the placebo's anticipation window and one placebo-treated" : "one to fit on, one placebo-treated")}).");
                else if (longest.Most > k)
                    notes.Add($"{SummaryText.Count(k, "lead")} by default: the most in-time placebos every cohort that fits one can fit ({rule}); EventStudyOptions.Leads gives up to {longest.Most}.");
            }
            foreach (var (cohort, periods, most) in cohorts.Where(c => c.Most < k))
            {
                var which = $"the cohort adopting in '{cohort.AdoptionPeriod}' ({SummaryText.Count(cohort.TreatedUnits.Count, "unit")}, {SummaryText.Count(periods, "period")} {before})";
                notes.Add(most < 1
                    ? $"{which} has too few periods for any in-time placebo, so no lead includes it."
                    : $"{which} fits in-time placebos up to lead −{a + most} only, so lead{(k - most > 1 ? $"s −{a + most + 1}..−{a + k}" : $" −{a + k}")} average{(k - most > 1 ? "" : "s")} the other cohorts' cells.");
            }
            return k;
        }

        /// <summary>Pre-treatment cells within the leads that an imputation estimator kept in its fit (not identified when held out).</summary>
        private static int UnidentifiedHeldOutCells(EstimationResult fit, EffectGrid grid, int leads)
        {
            if (fit is SyntheticWeightingResult || leads == 0) return 0;
            var data = fit.Data;
            var available = 0;
            foreach (var i in data.Pattern.TreatedUnitIndices)
                for (var k = 1; k <= leads; k++)
                    if (data.Pattern.FirstTreatedPeriodIndex(i)!.Value - fit.Anticipation - k is var s && s >= 0 && data.Outcomes.IsObserved(i, s)) available++;
            return available - grid.Entries.Where(e => e.Period < e.Cohort - fit.Anticipation).Sum(e => e.Cells);
        }

        /// <summary>
        /// Estimates, cells, standard errors, critical values and notes of the quantities <paramref name="quantities"/>
        /// picks from the grid (each a cell-weighted mean over (cohort, period) entries).
        /// </summary>
        public Quantities Summarise(IReadOnlyList<Func<int, int, bool>> quantities, IReadOnlyList<string> labels, bool uniform)
        {
            string Describe(int[] which) => string.Join(", ", which.Take(6).Select(j => labels[j])) + (which.Length > 6 ? $" and {which.Length - 6} more" : "");
            var estimates = quantities.Select(Grid.Mean).ToArray();
            var effects = estimates.Select(e => e.Effect).ToArray();
            var cells = estimates.Select(e => e.Cells).ToArray();
            if (Set.UndefinedReason is not null)
                return new Quantities(effects, cells, effects.Select(_ => double.NaN).ToArray(), double.NaN, double.NaN, null, []);
            var summary = new ReplicateSummary(Set, quantities);
            var all = Enumerable.Range(0, quantities.Count).ToArray();
            var notes = new List<string>();
            double band = double.NaN;
            if (uniform)
            {
                if (summary.UniformCriticalValue(all, Level) is { } c) band = c;
                else notes.Add("fewer than two replicates have every event time, so there is no simultaneous band.");
            }
            var without = all.Where(j => double.IsNaN(summary.StandardErrors[j])).ToArray();
            if (without.Length > 0)
                notes.Add($"{Describe(without)} {(without.Length == 1 ? "has" : "have")} no standard error: fewer than two of the {Set.Values.Count} replicates have {(without.Length == 1 ? "it" : "them")} (e.g. placebo windows too early for those leads); set EventStudyOptions.Leads lower.");
            var lacking = all.Where(j => summary.Missing(j) > 0 && !double.IsNaN(summary.StandardErrors[j])).ToArray();
            if (lacking.Length > 0)
                notes.Add($"{Describe(lacking)} {(lacking.Length == 1 ? "is" : "are")} missing from some of the {Set.Values.Count} replicates (up to {lacking.Max(summary.Missing)}; a replicate without the cohorts that reach {(lacking.Length == 1 ? "it" : "them")}, e.g. a bootstrap draw without a cohort's units): each standard error uses the replicates that have it, and the band and the Wald test only replicates that have every quantity they cover.");
            return new Quantities(effects, cells, summary.StandardErrors.ToArray(), summary.PointwiseCriticalValue(Level), band, summary, notes);
        }

        /// <summary>What <see cref="Summarise"/> gives.</summary>
        public sealed record Quantities(double[] Effects, int[] Cells, double[] StandardErrors, double Pointwise, double Uniform,
            ReplicateSummary? Summary, IReadOnlyList<string> Notes);
    }
}
