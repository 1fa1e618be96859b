using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CausalPanel.Tests.Support;

namespace CausalPanel.Tests.Reporting;

public class EstimateTableTests
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Normal quantiles Φ⁻¹(0.95), Φ⁻¹(0.975), Φ⁻¹(0.995) and Student t(10)'s 0.975 quantile (tables; R qnorm/qt).</summary>
    private const double Z90 = 1.6448536269514722, Z95 = 1.959963984540054, Z99 = 2.5758293035489004, T10At975 = 2.2281388519649385;

    private static readonly Lazy<EstimationResult[]> California = new(() =>
    {
        var data = Datasets.CaliforniaSmoking();
        return [new DifferenceInDifferences().Estimate(data), new SyntheticControl().Estimate(data), new SyntheticDifferenceInDifferences().Estimate(data)];
    });

    /// <summary>A variance result for <paramref name="fit"/> with the given standard error, level and method.</summary>
    private static VarianceResult Se(EstimationResult fit, double se, double level = 0.95, string method = "Unit placebo", double? df = null) =>
        new() { Method = method, Target = VarianceTarget.ConditionalOnPeriods, Estimate = fit.Att, StandardError = se, ConfidenceLevel = level, DegreesOfFreedom = df };

    private static string Row(string text, string label) => text.Split('\n').Single(l => l.StartsWith(label, StringComparison.Ordinal));

    [Fact]
    public void Table_shows_Rs_estimates_and_jackknife_errors_on_the_CPS_block_to_three_significant_digits_of_the_smallest_error()
    {
        var data = Reference.CpsMinWageBlock();
        var methods = Reference.Json("cps_minwage_block.json").GetProperty("methods");
        IEstimator[] estimators = [new DifferenceInDifferences(), new SyntheticControl(), new SyntheticDifferenceInDifferences()];
        var fits = estimators.Select(e => e.Estimate(data)).ToArray();
        var table = EstimateTable.Of(fits, fits.Select(f => (VarianceResult?)f.WithVariance(new JackknifeVariance())).ToArray());

        // R's smallest jackknife SE (SDID, 0.01468) to 3 significant digits needs 4 decimals, and every cell gets them.
        var names = new[] { "did", "sc", "sdid" };
        var rSes = names.Select(n => methods.GetProperty(n).GetProperty("jackknife_se").GetDouble()).ToArray();
        var decimals = 2 - (int)Math.Floor(Math.Log10(rSes.Min()));
        decimals.Should().Be(4);
        table.Decimals.Should().Be(decimals);
        var text = table.ToString();
        for (var k = 0; k < names.Length; k++)
        {
            Row(text, "Estimate").Should().Contain(methods.GetProperty(names[k]).GetProperty("att").GetDouble().ToString("F4", Inv));
            Row(text, "Std. error").Should().Contain(rSes[k].ToString("F4", Inv));
        }
        text.Should().Contain("95% CI").And.Contain("Jackknife");

        // The design: 50 states (8 treated) × 40 years 1979–2018, 10 treated years, 80 treated cells.
        Row(text, "N (units)").Should().MatchRegex(@"^N \(units\)\s+50\s+50\s+50$");
        Row(text, "T (periods)").Should().MatchRegex(@"\s40\s+40\s+40$");
        Row(text, "N1 (treated units)").Should().MatchRegex(@"\s8\s+8\s+8$");
        Row(text, "T1 (treated periods)").Should().MatchRegex(@"\s10\s+10\s+10$");
        Row(text, "Treated cells").Should().MatchRegex(@"\s80\s+80\s+80$");

        var html = XElement.Parse(table.ToHtml());
        html.Descendants("th").Select(t => t.Value).Should().Contain(["DiD", "SC", "SDID", "Estimate", "Std. error", "p-value", "95% CI"]);
        table.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(4);
    }

    [Fact]
    public void A_90_percent_result_shows_90_percent_intervals_in_every_format()
    {
        var fits = California.Value;
        var table = EstimateTable.Of(fits, fits.Select((f, k) => (VarianceResult?)Se(f, 2.0 + k, level: 0.9)).ToArray());

        table.ConfidenceLevel.Should().Be(0.9);
        foreach (var output in new[] { table.ToString(), table.ToHtml(), table.ToMarkdown() })
            output.Should().Contain("90% CI").And.NotContain("95");
        table.ToLatex().Should().Contain(@"90\% CI").And.NotContain("95");
        table.ToCsv().Split('\n')[1].Should().Contain(",0.9,");

        var d = table.Decimals;
        var interval = Row(table.ToString(), "90% CI");
        for (var k = 0; k < fits.Length; k++)
        {
            var (lower, upper) = (fits[k].Att - Z90 * (2.0 + k), fits[k].Att + Z90 * (2.0 + k));
            interval.Should().Contain($"[{lower.ToString("F" + d, Inv)}, {upper.ToString("F" + d, Inv)}]");
        }
    }

    [Fact]
    public void A_90_percent_result_comes_from_the_variance_result_and_a_level_outside_0_1_is_refused()
    {
        var did = California.Value[0];
        var placebo = did.WithVariance(new UnitPlaceboVariance()) with { ConfidenceLevel = 0.9 };
        EstimateTable.Of([did], [placebo]).ToString().Should().Contain("90% CI");
        placebo.ConfidenceInterval.Level.Should().Be(0.9);

        FluentActions.Invoking(() => placebo with { ConfidenceLevel = 90 }).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*ConfidenceLevel*between 0 and 1*");
        FluentActions.Invoking(() => placebo with { ConfidenceLevel = 0 }).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Columns_at_different_levels_and_variances_of_another_fit_are_refused_by_column()
    {
        var (did, sc) = (California.Value[0], California.Value[1]);
        FluentActions.Invoking(() => EstimateTable.Of([did, sc], [Se(did, 1, 0.9), Se(sc, 1, 0.95)]))
            .Should().Throw<ArgumentException>().WithMessage("*DiD*90%*SC*95%*");
        FluentActions.Invoking(() => EstimateTable.Of([did, sc], [Se(did, 1), Se(did, 1)]))
            .Should().Throw<ArgumentException>().WithMessage("*column 2 (SC)*");
    }

    [Fact]
    public void Every_number_of_the_estimate_rows_has_the_table_decimals()
    {
        var fits = California.Value;
        var table = EstimateTable.Of(fits, [Se(fits[0], 0.01234), Se(fits[1], 5.5), Se(fits[2], 123.4)]);
        table.Decimals.Should().Be(4);   // 0.01234 to 3 significant digits is 0.0123
        var text = table.ToString();
        foreach (var label in new[] { "Estimate", "Std. error", "95% CI" })
        {
            var numbers = Regex.Matches(Row(text, label)[label.Length..], @"-?\d+(\.\d+)?").Select(m => m.Value).ToArray();
            numbers.Should().NotBeEmpty().And.OnlyContain(n => Regex.IsMatch(n, @"^-?\d+\.\d{4}$"), $"the {label} row reads {Row(text, label)}");
        }
        Row(text, "Std. error").Should().Contain("0.0123").And.Contain("5.5000").And.Contain("123.4000");

        Row(table.WithDecimals(1).ToString(), "Estimate").Should().Contain(fits[0].Att.ToString("F1", Inv));
        FluentActions.Invoking(() => table.WithDecimals(-1)).Should().Throw<ArgumentOutOfRangeException>();

        // Without standard errors: three significant digits of the smallest estimate (SDID's −15.6 → 1 decimal).
        var bare = EstimateTable.Of(fits);
        bare.Decimals.Should().Be(1);
        bare.ToString().Should().NotContain("Std. error").And.NotContain("p-value").And.NotContain("CI");
        Row(bare.ToString(), "Estimate").Should().Contain(fits[2].Att.ToString("F1", Inv)).And.Contain(fits[0].Att.ToString("F1", Inv));
    }

    [Fact]
    public void P_values_are_two_sided_for_a_zero_effect_normal_or_Student_t()
    {
        var fits = California.Value;
        var a = Math.Abs(fits[0].Att);
        var table = EstimateTable.Of([fits[0], fits[0], fits[0], fits[0]],
            [Se(fits[0], a / Z95), Se(fits[0], a / Z99), Se(fits[0], a / T10At975, df: 10), Se(fits[0], a / 5)]);
        Row(table.ToString(), "p-value").Should().MatchRegex(@"^p-value\s+0\.050\s+0\.010\s+0\.050\s+<0\.001$");
        table.ToLatex().Should().Contain("$p$-value").And.Contain("$<0.001$");
    }

    [Fact]
    public void Design_rows_count_units_periods_treated_units_treated_periods_and_cells_of_each_fit()
    {
        // Staggered: 6 never-treated units, 2 adopting in period index 4 and 2 in 5, of 8 periods: treated periods 4..7.
        var staggered = new DifferenceInDifferences().Estimate(RandomPanels.Staggered(1, [-1, -1, -1, -1, -1, -1, 4, 4, 5, 5], 8));
        var california = California.Value[0];   // 39 states × 1970–2000, California treated 1989–2000
        var table = EstimateTable.Of([california, staggered]);
        var text = table.ToString();
        Row(text, "N (units)").Should().MatchRegex(@"\s39\s+10$");
        Row(text, "T (periods)").Should().MatchRegex(@"\s31\s+8$");
        Row(text, "N1 (treated units)").Should().MatchRegex(@"\s1\s+4$");
        Row(text, "T1 (treated periods)").Should().MatchRegex(@"\s12\s+4$");
        Row(text, "Treated cells").Should().MatchRegex(@"\s12\s+14$");
        table.ToCsv().Split('\n')[2].Should().Contain(",10,8,4,4,14,");
        table.ToLatex().Should().Contain("$N_1$").And.Contain("$T_1$");
    }

    [Fact]
    public void One_footnote_per_distinct_method_or_reason_referenced_by_marks()
    {
        var fits = California.Value;
        var six = EstimateTable.Of([.. fits, .. fits], [.. fits.Select(f => Se(f, 3)), .. fits.Select(f => Se(f, 4))]);
        var text = six.ToString();
        Regex.Matches(text, "Unit placebo").Should().HaveCount(1);
        text.Should().Contain("Unit placebo standard errors, normal intervals, in every column").And.NotContain("(a)");

        var bootstrap = fits.Select(f => f.WithVariance(new BootstrapVariance())).ToArray();   // undefined: one treated unit
        var mixed = EstimateTable.Of([fits[0], fits[1], fits[2], fits[0]], [Se(fits[0], 3), bootstrap[1], bootstrap[2], Se(fits[0], 3, method: "Time placebo", df: 18)]);
        text = mixed.ToString();
        Regex.Matches(text, Regex.Escape(bootstrap[1].UndefinedReason!.TrimEnd('.'))).Should().HaveCount(1);
        text.Split('\n')[0].Should().MatchRegex(@"DiD \(a\)\s+SC \(b\)\s+SDID \(b\)\s+DiD \(c\)$");
        text.Should().Contain("(a) Unit placebo standard errors, normal intervals.")
            .And.Contain("(b) Bootstrap: standard error undefined — the bootstrap needs at least two treated units")
            .And.Contain("(c) Time placebo standard errors, Student t (18 df) intervals.");
        Row(text, "Std. error").Should().MatchRegex(@"—\s+—\s+\d");
        XElement.Parse(mixed.ToHtml()).Descendants("sup").Select(s => s.Value).Should().Equal("a", "b", "b", "c", "a", "b", "c");
        mixed.ToLatex().Should().Contain(@"SC\textsuperscript{b}");
    }

    [Fact]
    public void Markdown_is_a_pipe_table_with_every_row_as_wide_as_the_header()
    {
        var fits = California.Value;
        var table = EstimateTable.Of(fits, fits.Select(f => (VarianceResult?)Se(f, 9)).ToArray(), ["DiD | TWFE", "SC", "SDID*"]);
        var lines = table.ToMarkdown().Split('\n');
        var rows = lines.TakeWhile(l => l.StartsWith('|')).ToArray();
        rows.Should().HaveCount(2 + 4 + 5);   // header and alignment; estimate, error, p-value, interval; the five design rows
        rows[1].Should().Be("|:---|---:|---:|---:|");
        rows.Should().OnlyContain(r => Regex.Matches(r, @"(?<!\\)\|").Count == 5, "every row has a stub and three columns");
        rows[0].Should().Contain(@"DiD \| TWFE").And.Contain(@"SDID\*");
        lines.Should().Contain("Unit placebo standard errors, normal intervals, in every column.");
    }

    [Fact]
    public void Latex_is_a_booktabs_tabular_with_labels_escaped_and_numbers_in_math()
    {
        var fits = California.Value;
        var bootstrap = fits[2].WithVariance(new BootstrapVariance());
        var table = EstimateTable.Of(fits, [Se(fits[0], 17.2, 0.9), Se(fits[1], 10.6, 0.9, method: "Unit×time placebo"), bootstrap with { ConfidenceLevel = 0.9 }],
            ["DiD_2 100% & #1 $x$", "SC {λ}", @"τ̂ \ SDID ~^"]);
        var latex = table.ToLatex();

        LatexStructure.Problems(latex).Should().BeEmpty();
        latex.Should().StartWith(@"\begin{tabular}{lrrr}").And.Contain(@"\toprule").And.Contain(@"\midrule").And.Contain(@"\bottomrule")
            .And.Contain(@"DiD\_2 100\% \& \#1 \$x\$").And.Contain(@"SC \{$\lambda$\}").And.Contain(@"$\hat{\tau}$ \textbackslash{} SDID \textasciitilde{}\textasciicircum{}")
            .And.Contain(@"Unit$\times$time placebo").And.Contain(@"90\% CI");
        var d = table.Decimals;
        latex.Should().Contain($"${fits[0].Att.ToString("F" + d, Inv)}$")
            .And.Contain($@"$[{(fits[0].Att - Z90 * 17.2).ToString("F" + d, Inv)},\ {(fits[0].Att + Z90 * 17.2).ToString("F" + d, Inv)}]$");
    }

    [Fact]
    public void Csv_has_every_number_at_full_precision_and_quotes_text_with_commas()
    {
        var fits = California.Value;
        var bootstrap = fits[1].WithVariance(new BootstrapVariance());
        var csv = EstimateTable.Of([fits[0], fits[1]], [Se(fits[0], 1.25), bootstrap]).ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        csv[0].Should().Be("estimator,att,se,ci_lower,ci_upper,variance_method,p_value,ci_level,n,t,n1,t1,treated_cells,interval_method,undefined_reason");
        var did = Fields(csv[1]);
        double.Parse(did[1], Inv).Should().Be(fits[0].Att);
        double.Parse(did[3], Inv).Should().BeApproximately(fits[0].Att - Z95 * 1.25, 1e-12);
        did[6].Should().Be(((VarianceResult)Se(fits[0], 1.25)).PValue.ToString("R", Inv));
        var sc = Fields(csv[2]);
        sc.Should().HaveCount(15);
        sc[2].Should().BeEmpty();
        sc[14].Should().Be(bootstrap.UndefinedReason);

        static string[] Fields(string line) =>
            Regex.Matches(line, "(?:^|,)(\"(?:[^\"]|\"\")*\"|[^,]*)").Select(m => m.Groups[1].Value is ['"', .. var q, '"'] ? q.Replace("\"\"", "\"") : m.Groups[1].Value).ToArray();
    }

    [Fact]
    public void Undefined_errors_show_as_a_dash_with_the_reason_and_mismatched_lists_are_refused()
    {
        var california = Datasets.CaliforniaSmoking();
        var fit = new DifferenceInDifferences().Estimate(california);
        var table = EstimateTable.Of([fit], [fit.WithVariance(new BootstrapVariance())]);
        table.ToString().Should().Contain("—").And.Contain("two treated units");
        EstimateTable.Of([fit]).ToString().Should().NotContain("Std. error");
        FluentActions.Invoking(() => EstimateTable.Of([fit], [])).Should().Throw<ArgumentException>().WithMessage("*one per fit*");
        FluentActions.Invoking(() => EstimateTable.Of([fit], null, ["a", "b"])).Should().Throw<ArgumentException>().WithMessage("*one per fit*");
    }

    [Fact]
    public void Synthetic_summaries_show_design_counts_effective_sizes_and_top_weights()
    {
        var summary = new SyntheticDifferenceInDifferences().Estimate(Datasets.CaliforniaSmoking()).Summary();
        summary.Should().Contain("N1 = 1").And.Contain("N0 = 38").And.Contain("T0 = 19").And.Contain("T1 = 12")
            .And.Contain("effective controls 16.4 of 38").And.Contain("effective pre-periods 2.8 of 19").And.Contain("top unit weights:");
    }
    [Fact]
    public void Control_group_and_anticipation_rows_appear_where_columns_can_differ()
    {
        var block = EstimateTable.Of([new DifferenceInDifferences().Estimate(Datasets.CaliforniaSmoking())]).ToString();
        block.Should().NotContain("Controls").And.NotContain("Anticipation", "one cohort has no not-yet-treated cells, and nothing anticipates");

        var staggered = RandomPanels.Staggered(1, [-1, -1, -1, -1, -1, -1, 4, 4, 5, 5], 8);
        var fits = new EstimationResult[]
        {
            new DifferenceInDifferences().Estimate(staggered),
            new DifferenceInDifferences(new DifferenceInDifferencesOptions { ControlGroup = ControlGroup.NeverTreated, Anticipation = 1 }).Estimate(staggered),
            new SyntheticDifferenceInDifferences().Estimate(staggered),
        };
        var lines = EstimateTable.Of(fits, names: ["DiD", "DiD (NT, k = 1)", "SDID"]).ToString().Split('\n');
        lines.Should().Contain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Controls\s+not yet treated\s+never treated\s+never treated\s*$"));
        lines.Should().Contain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Anticipation \(periods\)\s+0\s+1\s+0\s*$"));
    }
}
