namespace CausalPanel.Tests.Estimators;

/// <summary>
/// DWCP's λ search on criteria given in closed form, whose minimisers are known: grid extension past a boundary,
/// golden-section refinement, boundary warnings, given λ's, off values, memoisation, determinism and cancellation.
/// </summary>
public class DwcpLambdaSearchTests
{
    private const double Off = double.PositiveInfinity;

    private static DwcpLambdaChoice Search(DwcpOptions o, Func<double, double, double, double> q) => DwcpLambdaSearch.Choose(o, () => (u, t, n, _) => q(u, t, n), CancellationToken.None);

    /// <summary>(log x − log m)², +∞-safe: a smooth bowl on the log scale with its minimum at m; <paramref name="atOff"/> at the off value.</summary>
    private static double Bowl(double x, double m, double atOff) => x > 0 && double.IsFinite(x) ? Math.Pow(Math.Log(x / m), 2) : atOff;

    [Fact]
    public void A_minimum_beyond_the_grid_is_reached_by_extending_it_and_refined()
    {
        // λ_time's minimum is at 3, past the default grid's 0.9; λ_unit prefers 0 and λ_nuclear ∞.
        var choice = Search(new DwcpOptions(), (u, t, n) => Bowl(t, 3, 10) + u + (double.IsPositiveInfinity(n) ? 0 : 1));

        choice.Time.Should().BeApproximately(3, 3 * 0.1);
        Math.Abs(Math.Log(choice.Time / 3)).Should().BeLessThanOrEqualTo(new DwcpOptions().LambdaTolerance);
        choice.Unit.Should().Be(0);
        choice.Nuclear.Should().Be(Off);
        choice.Trace.Should().Contain(p => p.LambdaTime == 1.8).And.Contain(p => p.LambdaTime == 3.6);
        choice.Warnings.Should().BeEmpty();
    }

    [Theory]
    [InlineData(0.7, 0.1)]
    [InlineData(0.7, 0.001)]
    [InlineData(0.17, 0.01)]
    public void An_interior_minimum_is_found_to_the_tolerance(double minimum, double tolerance)
    {
        var options = new DwcpOptions { LambdaTime = 0, LambdaNuclear = Off, LambdaTolerance = tolerance };
        var choice = Search(options, (u, _, _) => Bowl(u, minimum, 5));

        Math.Abs(Math.Log(choice.Unit / minimum)).Should().BeLessThanOrEqualTo(tolerance);
        choice.Trace.Should().OnlyContain(p => p.LambdaTime == 0 && p.LambdaNuclear == Off);
        choice.Trace.Select(p => p.LambdaUnit).Should().OnlyHaveUniqueItems("every triple is evaluated once");
        choice.Trace.Select(p => p.LambdaUnit).Should().OnlyContain(u => u == 0 || u >= 0.1 && u <= 3.2, "the minimum is inside the grid, so nothing is extended");
    }

    [Fact]
    public void A_minimum_below_the_smallest_positive_value_is_searched_for_when_zero_is_worse()
    {
        // Q(λ_unit) has its minimum at 0.02, below the grid's 0.1, and Q(0) = 50 is worse than Q(0.1) = (ln 5)² ≈ 2.6.
        var choice = Search(new DwcpOptions { LambdaTime = 0, LambdaNuclear = Off }, (u, _, _) => Bowl(u, 0.02, 50));

        Math.Abs(Math.Log(choice.Unit / 0.02)).Should().BeLessThanOrEqualTo(0.1);
        choice.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Zero_and_infinity_remain_candidates_and_a_descent_towards_them_is_not_extended()
    {
        // Q decreases towards λ_unit = 0 and λ_nuclear = ∞ and is lowest there: the off point is chosen, no value
        // below the grid or above it is tried (the off value at that end is better), and nothing warns.
        // (Without the global step, whose local searches from λ_nuclear = 0.005 step upwards while 1/n falls.)
        var choice = Search(new DwcpOptions { LambdaNuclearRestarts = [] }, (u, t, n) => u + Bowl(t, 0.3, 3) + 1 / n);

        choice.Unit.Should().Be(0);
        choice.Nuclear.Should().Be(Off);
        Math.Abs(Math.Log(choice.Time / 0.3)).Should().BeLessThanOrEqualTo(0.1);
        choice.Trace.Should().OnlyContain(p => p.LambdaUnit == 0 || p.LambdaUnit >= 0.1);
        choice.Trace.Should().OnlyContain(p => p.LambdaNuclear == Off || p.LambdaNuclear <= 2);
        choice.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void A_minimum_beyond_the_cap_ends_on_the_cap_with_a_warning_naming_the_lambda_and_the_boundary()
    {
        // Q falls for ever in λ_time: the search stops at 0.9 · 2^5 = 28.8 and says so.
        var choice = Search(new DwcpOptions(), (u, t, n) => Math.Exp(-t) + u + (double.IsPositiveInfinity(n) ? 0 : 1));

        choice.Time.Should().Be(0.9 * 32);   // doubling is exact
        choice.Warnings.Should().ContainSingle().Which.Should().Contain("λ_time = 28.8").And.Contain("largest value searched")
            .And.Contain("LambdaTimeGrid").And.Contain("MaxGridExtensions");
        choice.Trace.Max(p => p.LambdaTime).Should().Be(0.9 * 32);

        // With the cap raised, the same criterion goes further and still warns at the new cap.
        var further = Search(new DwcpOptions { MaxGridExtensions = 7 }, (u, t, n) => Math.Exp(-t) + u + (double.IsPositiveInfinity(n) ? 0 : 1));
        further.Time.Should().Be(0.9 * 128);
        further.Warnings.Should().ContainSingle().Which.Should().Contain("λ_time = 115.2");
    }

    [Fact]
    public void A_minimum_between_zero_and_the_lower_cap_is_warned_about()
    {
        // Q(λ_unit) is lowest at e^−10 ≈ 4.5e-5, below 0.1 / 2^5 = 0.003125, and Q(0) is worse than every positive value.
        var choice = Search(new DwcpOptions { LambdaTime = 0, LambdaNuclear = Off }, (u, _, _) => Bowl(u, Math.Exp(-10), 1000));

        choice.Unit.Should().Be(0.1 / 32);
        choice.Warnings.Should().ContainSingle().Which.Should().Contain("λ_unit = 0.003125").And.Contain("between 0 and 0.003125").And.Contain("LambdaUnitGrid");

        // λ_nuclear has no 0 in its grid: below its smallest value 0.02 / 2^5 the warning says the optimum may lie lower.
        var nuclear = Search(new DwcpOptions { LambdaUnit = 0, LambdaTime = 0 }, (_, _, n) => Bowl(n, 1e-6, 100));
        nuclear.Nuclear.Should().Be(0.02 / 32);
        nuclear.Warnings.Should().ContainSingle().Which.Should().Contain("λ_nuclear = 0.000625").And.Contain("may lie below");
    }

    [Fact]
    public void Given_lambdas_are_never_varied_and_all_three_given_skip_the_search()
    {
        var choice = Search(new DwcpOptions { LambdaTime = 0.3, LambdaNuclear = 0.5 }, (u, t, n) => Bowl(u, 5, 9) + Bowl(t, 3, 9) + Bowl(n, 0.1, 9));
        choice.Time.Should().Be(0.3);
        choice.Nuclear.Should().Be(0.5);
        Math.Abs(Math.Log(choice.Unit / 5)).Should().BeLessThanOrEqualTo(0.1);
        choice.Trace.Should().OnlyContain(p => p.LambdaTime == 0.3 && p.LambdaNuclear == 0.5);

        var calls = 0;
        var given = Search(new DwcpOptions { LambdaUnit = 1, LambdaTime = 2, LambdaNuclear = 3 }, (_, _, _) => ++calls);
        (given.Unit, given.Time, given.Nuclear).Should().Be((1, 2, 3));
        given.Trace.Should().BeEmpty();
        calls.Should().Be(0);
    }

    /// <summary>ln x, with 0 read as 0.001 (so that λ = 0 is a worse but finite candidate).</summary>
    private static double Lg(double x) => x > 0 ? Math.Log(x) : Math.Log(1e-3);

    /// <summary>(ln u − ln t)² + (ln t − ln 2)² + (ln n − ln 0.3)²: minimum 0 at (2, 2, 0.3), reached only by moving λ_unit and λ_time in turn.</summary>
    private static double Coupled(double u, double t, double n) => Math.Pow(Lg(u) - Lg(t), 2) + Math.Pow(Lg(t) - Math.Log(2), 2) + Bowl(n, 0.3, 9);

    [Fact]
    public void Coupled_lambdas_are_found_by_cycling_and_the_choice_is_the_lowest_point_of_the_trace()
    {
        // From the off point λ_unit's best is 0 and λ_time's about 0.045; each cycle halves λ_time's error in log.
        var options = new DwcpOptions { LambdaTolerance = 0.01, MaxTuningCycles = 30 };
        var choice = Search(options, Coupled);

        Math.Abs(Math.Log(choice.Unit / 2)).Should().BeLessThan(0.05);
        Math.Abs(Math.Log(choice.Time / 2)).Should().BeLessThan(0.05);
        Math.Abs(Math.Log(choice.Nuclear / 0.3)).Should().BeLessThan(0.02);
        choice.Warnings.Should().BeEmpty();
        choice.Trace.Min(p => p.Criterion).Should().Be(Coupled(choice.Unit, choice.Time, choice.Nuclear));
        choice.Trace.Select(p => (p.LambdaUnit, p.LambdaTime, p.LambdaNuclear)).Should().OnlyHaveUniqueItems();
        Search(options, Coupled).Trace.Should().Equal(choice.Trace, "the search is deterministic");
    }

    /// <summary>
    /// Two basins on the log scale: a wide one, 1 + distance², at (2, 2, 0.07), which coordinate search from the off point
    /// reaches, and a deeper one, narrow in λ_unit and λ_time, at (1.4, 3.4, 0.007): λ_nuclear below the default grid, with
    /// λ_unit and λ_time elsewhere. As on California, where (1.43, 3.38) has Q 1.665 at λ_nuclear 0.01 against 1.70 at 0.02
    /// and 0.068, the deeper basin is the lower one along λ_nuclear once λ_unit and λ_time are in it.
    /// </summary>
    private static double TwoBasins(double u, double t, double n)
    {
        double a = Lg(u), b = Lg(t), c = double.IsPositiveInfinity(n) ? Math.Log(1e3) : Math.Log(n);
        var wide = 1 + Math.Pow(a - Math.Log(2), 2) + Math.Pow(b - Math.Log(2), 2) + Math.Pow(c - Math.Log(0.07), 2);
        var narrow = 0.9 + 10 * (Math.Pow(a - Math.Log(1.4), 2) + Math.Pow(b - Math.Log(3.4), 2)) + Math.Pow(c - Math.Log(0.007), 2);
        return Math.Min(wide, narrow);
    }

    [Fact]
    public void The_restarts_at_small_lambda_nuclear_find_a_deeper_basin_that_coordinate_search_misses()
    {
        var local = Search(new DwcpOptions { LambdaNuclearRestarts = [] }, TwoBasins);
        Math.Abs(Math.Log(local.Nuclear / 0.07)).Should().BeLessThan(0.1, "without restarts the search stays in the wide basin");
        TwoBasins(local.Unit, local.Time, local.Nuclear).Should().BeGreaterThan(1);

        // The default global step (a restart at 0.005, local searches to ±28%) ends in the narrow basin, below the wide one's floor.
        var global = Search(new DwcpOptions(), TwoBasins);
        TwoBasins(global.Unit, global.Time, global.Nuclear).Should().BeLessThan(1);
        global.Warnings.Should().BeEmpty();
        global.Trace.Min(p => p.Criterion).Should().Be(TwoBasins(global.Unit, global.Time, global.Nuclear));
        global.Trace.Select(p => (p.LambdaUnit, p.LambdaTime, p.LambdaNuclear)).Should().OnlyHaveUniqueItems();

        // Refined to the first cycles' tolerance, the restarts locate its minimum.
        var fine = Search(new DwcpOptions { LambdaNuclearRestarts = [0.01, 0.005], RestartLambdaTolerance = 0.1 }, TwoBasins);
        Math.Abs(Math.Log(fine.Unit / 1.4)).Should().BeLessThan(0.1);
        Math.Abs(Math.Log(fine.Time / 3.4)).Should().BeLessThan(0.1);
        Math.Abs(Math.Log(fine.Nuclear / 0.007)).Should().BeLessThan(0.1);
        TwoBasins(fine.Unit, fine.Time, fine.Nuclear).Should().BeLessThan(0.9 * 1.01);
        fine.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void A_current_value_beyond_the_grid_is_joined_to_it_so_that_a_minimum_between_them_is_found()
    {
        // Q = 1 + (x + y)² + 0.1 (x − y)², x = ln(λ_unit/0.4), y = ln(λ_time/6): minimum 1 at (0.4, 6). From the off point
        // λ_time is first pushed to its cap 28.8; with λ_unit then near 0.11 its minimum in λ_time is about 17, between the
        // grid's end 0.9 and the current 28.8. The search evaluates the ladder 1.8, …, 14.4 between them, so it brackets
        // and refines that minimum (it used to compare 28.8 with the grid only, keep it, and warn of the cap).
        static double Q(double u, double t, double _)
        {
            double x = Lg(u) - Math.Log(0.4), y = Lg(t) - Math.Log(6);
            return 1 + Math.Pow(x + y, 2) + 0.1 * Math.Pow(x - y, 2);
        }
        var choice = Search(new DwcpOptions { LambdaNuclear = Off }, Q);

        Q(choice.Unit, choice.Time, Off).Should().BeLessThan(1.01);
        choice.Warnings.Should().BeEmpty();
        choice.Trace.Should().Contain(p => p.LambdaTime == 28.8, "λ_time went to its cap first");
    }

    /// <summary>
    /// A valley along the anti-diagonal of (ln λ_unit, ln λ_time) — λ_unit falls as λ_time rises, as in California's basin:
    /// with x = ln(λ_unit/0.4), y = ln(λ_time/6), Q = 1 + (x + y)² + 0.03 (x − y)² + (ln λ_nuclear − ln 0.005)², minimum 1
    /// at (0.4, 6, 0.005). A search of one λ with the other held moves it to x = −y (1 − 0.03)/(1 + 0.03), so each coordinate
    /// cycle shortens the distance along the valley only by the factor (0.97/1.03)² ≈ 0.89.
    /// </summary>
    private static double Valley(double u, double t, double n)
    {
        double x = Lg(u) - Math.Log(0.4), y = Lg(t) - Math.Log(6);
        return 1 + Math.Pow(x + y, 2) + 0.03 * Math.Pow(x - y, 2) + Bowl(n, 0.005, 9);
    }

    [Fact]
    public void Pattern_moves_follow_a_diagonal_valley_to_its_minimum_where_coordinate_cycles_stop_short()
    {
        // Coordinate cycles alone (λ_nuclear given: no global step, so no local cycles and no pattern moves), nine of them
        // (three times the budget below): still moving along the valley when the budget ends, and the result says so.
        var cycles = Search(new DwcpOptions { LambdaNuclear = 0.005, MaxTuningCycles = 9 }, Valley);
        Valley(cycles.Unit, cycles.Time, 0.005).Should().BeGreaterThan(1.1);
        cycles.Warnings.Should().ContainSingle().Which.Should().Contain("MaxTuningCycles = 9");

        // With λ_nuclear free the global step runs its local cycles, each followed by pattern moves (the cycle's move
        // repeated, all λ's at once, while better): with three cycles per stage (held, free, refinement) they reach the
        // minimum to 0.5% (the last stage still moving by more than LambdaTolerance, so it warns too).
        var choice = Search(new DwcpOptions { MaxTuningCycles = 3 }, Valley);
        Valley(choice.Unit, choice.Time, choice.Nuclear).Should().BeLessThan(1.005);
        Math.Abs(Math.Log(choice.Unit / 0.4)).Should().BeLessThan(0.15);
        Math.Abs(Math.Log(choice.Time / 6)).Should().BeLessThan(0.15);
        Math.Abs(Math.Log(choice.Nuclear / 0.005)).Should().BeLessThan(0.1);

    }

    [Fact]
    public void A_criterion_that_stops_above_its_bound_changes_no_decision_of_the_search()
    {
        // The two-basin criterion as a sum of ten equal non-negative terms, stopped once the partial sum passes the bound.
        static (double, bool) Stopping(double u, double t, double n, double bound)
        {
            var q = TwoBasins(u, t, n);
            double sum = 0;
            for (var j = 1; j <= 10; j++)
            {
                sum += q / 10;
                if (sum > bound && j < 10) return (sum, false);
            }
            return (sum, true);
        }
        var full = Search(new DwcpOptions(), TwoBasins);
        var stopped = DwcpLambdaSearch.Choose(new DwcpOptions(), () => (u, t, n, _, bound) => Stopping(u, t, n, bound), CancellationToken.None);

        (stopped.Unit, stopped.Time, stopped.Nuclear).Should().Be((full.Unit, full.Time, full.Nuclear));
        stopped.Trace.Select(p => (p.LambdaUnit, p.LambdaTime, p.LambdaNuclear)).Should().Equal(full.Trace.Select(p => (p.LambdaUnit, p.LambdaTime, p.LambdaNuclear)),
            "the same triples in the same order: every comparison the search makes has the same outcome");
        stopped.Trace.Should().Contain(p => p.Partial, "some evaluations are worse than their search's best by more than a tenth");
        foreach (var (s, f) in stopped.Trace.Zip(full.Trace))
            if (s.Partial) s.Criterion.Should().BeLessThan(f.Criterion).And.BeGreaterThan(full.Trace.Min(p => p.Criterion));
            else s.Criterion.Should().BeApproximately(f.Criterion, 1e-12 * f.Criterion, "ten tenths of it");
        stopped.Trace.Should().NotContain(p => p.Partial && p.LambdaUnit == stopped.Unit && p.LambdaTime == stopped.Time && p.LambdaNuclear == stopped.Nuclear);
    }

    [Fact]
    public void A_loose_search_re_evaluates_the_triples_near_its_minimum_exactly_and_chooses_the_exact_lowest()
    {
        // Exact: a bowl in λ_unit at 0.7; loose: the same times 1 + 10⁻⁴ sin(37 ln λ_unit), whose minimum is elsewhere.
        static double Exact(double u) => 1 + Bowl(u, 0.7, 5);
        static double Loose(double u) => Exact(u) * (1 + 1e-4 * Math.Sin(37 * Lg(u)));
        var options = new DwcpOptions { LambdaTime = 0, LambdaNuclear = Off, LambdaTolerance = 0.01 };
        var exactCalls = new List<double>();
        var choice = DwcpLambdaSearch.Choose(options, () => (u, _, _, exact) =>
        {
            if (exact) exactCalls.Add(u);
            return exact ? Exact(u) : Loose(u);
        }, CancellationToken.None, loose: true);

        // Recomputed from the trace's triples: the ones within the margin of the lowest loose value are re-evaluated.
        var lowestLoose = choice.Trace.Min(p => Loose(p.LambdaUnit));
        var near = choice.Trace.Where(p => Loose(p.LambdaUnit) <= lowestLoose * (1 + DwcpLambdaSearch.ReevaluationMargin)).Select(p => p.LambdaUnit).ToList();
        exactCalls.Should().BeEquivalentTo(near);
        near.Should().HaveCountGreaterThan(1);
        foreach (var p in choice.Trace)
            p.Criterion.Should().Be(near.Contains(p.LambdaUnit) ? Exact(p.LambdaUnit) : Loose(p.LambdaUnit));
        choice.Unit.Should().Be(near.MinBy(Exact));
        choice.Trace.Min(p => p.Criterion).Should().Be(Exact(choice.Unit));

        // Without the loose flag (a criterion that does not take a tolerance) every call is final.
        var calls = new List<bool>();
        DwcpLambdaSearch.Choose(options, () => (u, _, _, exact) =>
        {
            calls.Add(exact);
            return Exact(u);
        }, CancellationToken.None);
        calls.Should().OnlyContain(exact => exact);
    }

    [Fact]
    public void Too_few_cycles_are_warned_about()
    {
        var choice = Search(new DwcpOptions { MaxTuningCycles = 1 }, Coupled);
        choice.Warnings.Should().ContainSingle().Which.Should().Contain("MaxTuningCycles = 1");
        choice.Trace.Min(p => p.Criterion).Should().Be(Coupled(choice.Unit, choice.Time, choice.Nuclear));
    }

    [Fact]
    public void Cancellation_is_checked_before_every_evaluation()
    {
        using var cts = new CancellationTokenSource();
        var calls = 0;
        FluentActions.Invoking(() => DwcpLambdaSearch.Choose(new DwcpOptions(), () => (u, t, n, _) =>
            {
                if (++calls == 7) cts.Cancel();
                return u + t;
            }, cts.Token))
            .Should().Throw<OperationCanceledException>();
        calls.Should().Be(7);
    }

    [Fact]
    public void Bad_search_options_are_refused_by_name()
    {
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel(new DwcpOptions { MaxGridExtensions = -1 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*MaxGridExtensions*");
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaTolerance = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*LambdaTolerance*");
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel(new DwcpOptions { RestartLambdaTolerance = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*RestartLambdaTolerance*");
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel(new DwcpOptions { TuningTolerance = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*TuningTolerance*");
        FluentActions.Invoking(() => new DoublyWeightedCausalPanel(new DwcpOptions { LambdaNuclearRestarts = [0.01, double.PositiveInfinity] }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*LambdaNuclearRestarts*");
    }
}
