using System.Globalization;
using System.Text.RegularExpressions;

namespace WaferNotebooks.Cli.Tests;

/// <summary>"Does not fit" is a state, not an answer: no headline numbers for what cannot run.</summary>
public class DoesNotFitTests
{
    [Fact]
    public void An_estimate_that_does_not_fit_prints_why_and_hints_for_the_part_that_overflows_but_no_headline_numbers()
    {
        var run = CliRunner.Run("estimate", "--model", "llama3-405b", "--on", "dgx-h100:8", "--tokens", "1T", "--layout", "tp=8,zero=1");
        Assert.Equal(ExitCodes.Infeasible, run.ExitCode);
        Assert.Contains("does not fit: needs", run.Out);
        Assert.Matches(@"largest part: (optimizer|weights) ", run.Out);
        Assert.Contains("data parallelism (dp > 1) with a ZeRO stage", run.Out);
        Assert.DoesNotContain("recompute=selective", run.Out);
        foreach (var headline in new[] { "time to train", "throughput", "MFU", "energy", "cost" })
            Assert.DoesNotContain(headline, run.Out);
    }

    [Fact]
    public void An_estimate_that_does_not_fit_says_each_hint_once()
    {
        // The reason line used to repeat the largest part and its hints, which the next lines list.
        var run = CliRunner.Run("estimate", "--model", "llama3-70b", "--on", "dgx-h100:8", "--tokens", "1T", "--layout", "tp=8");
        Assert.Equal(ExitCodes.Infeasible, run.ExitCode);
        Assert.Matches(@"does not fit: needs [\d.]+ GB per device of 80\.0 GB HBM\n", run.Out);
        Assert.Single(Regex.Matches(run.Out, "optimizer [\\d.]+ GB"));
        Assert.Single(Regex.Matches(run.Out, Regex.Escape("more pipeline (pp) or tensor (tp) parallelism")));
    }

    [Fact]
    public void A_plan_with_nothing_feasible_names_its_nearest_layout_and_lists_the_reasons()
    {
        var run = CliRunner.Run("plan", "--model", "llama3-405b", "--on", "dgx-h100:8", "--tokens", "1T");
        Assert.Equal(ExitCodes.Infeasible, run.ExitCode);
        Assert.Matches(@"does not fit: none of the 1,\d{3} layouts fits; the nearest, tp=\d+[^ ]*, needs [\d.]+ GB per device of 80\.0 GB HBM\n", run.Out);
        // Each kind is quoted by its nearest layout, named, so its figure is that layout's (the review read
        // "needs 1565.3 GB" beside "the nearest ... needs 922 GB" as a contradiction).
        var nearest = Regex.Match(run.Out, @"the nearest, (tp=[^ ]*), needs ([\d.]+) GB").Groups;
        Assert.Matches(@"layouts that did not fit, by kind \(each quoted by its nearest layout\)\n  - [\d,]+ layouts, the nearest tp=[^ ]+: needs ", run.Out);
        var quoted = Regex.Match(run.Out, $@"layouts, the nearest {Regex.Escape(nearest[1].Value)}: needs ([\d.]+) GB");
        Assert.True(quoted.Success, run.Out);
        // The same figure, the header's to three significant figures (921.8 and 922).
        Assert.Equal(double.Parse(nearest[2].Value, CultureInfo.InvariantCulture), double.Parse(quoted.Groups[1].Value, CultureInfo.InvariantCulture), 0.5);
    }

    [Fact]
    public void A_sweep_keeps_its_points_when_one_count_cannot_be_laid_out()
    {
        // 5,184 = 2^6·3^4: no tp, pp and dp of llama3-70b on H100s multiply to it with the default batch.
        var run = CliRunner.Run("sweep", "--model", "llama3-70b", "--on", "dgx-h100", "--counts", "4096..6144:1088", "--tokens", "1T");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Err);
        Assert.Contains("5,184 devices: skipped: There is no parallel layout", run.Out);
        Assert.Matches(@"(?m)^\s*4,096 ", run.Out);
        Assert.Matches(@"(?m)^\s*6,144 ", run.Out);
    }

    [Fact]
    public void Sweep_rows_that_do_not_fit_have_no_throughput_or_mfu()
    {
        var run = CliRunner.Run("sweep", "--model", "llama3-405b", "--on", "dgx-h100", "--counts", "8,1024", "--tokens", "1T", "--json");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Err);
        var text = CliRunner.Run("sweep", "--model", "llama3-405b", "--on", "dgx-h100", "--counts", "8,1024", "--tokens", "1T");
        var row8 = text.Out.Split('\n').First(l => l.TrimStart().StartsWith("8 "));
        Assert.Contains("does not fit", row8);
        Assert.DoesNotContain("%", row8);
        Assert.Contains("8 devices: does not fit: ", text.Out);
    }

    [Fact]
    public void A_comparison_row_that_does_not_fit_has_no_numbers()
    {
        var run = CliRunner.Run("compare", "--model", "llama3-405b", "--tokens", "1T", "--on", "dgx-h100:8", "--on", "dgx-h100:1024");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Err);
        var row = run.Out.Split('\n').First(l => l.StartsWith("dgx-h100") && l.Contains(" 8 "));
        Assert.Contains("no: None of the", row);
        Assert.DoesNotContain("%", row);
    }

    [Fact]
    public void A_timeline_of_a_job_that_does_not_fit_says_so_and_exits_3()
    {
        var run = CliRunner.Run("timeline", "--model", "llama3-405b", "--on", "dgx-h100:8", "--tokens", "1T", "--layout", "tp=8");
        Assert.Equal(ExitCodes.Infeasible, run.ExitCode);
        Assert.Contains("does not fit, so there is no step to draw", run.Out);
        Assert.StartsWith("does not fit: ", run.Err);
    }
}
