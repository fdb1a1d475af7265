using System.Text.RegularExpressions;

namespace WaferNotebooks.Interactive.Tests;

/// <summary>In a notebook, what does not fit is a card that says why, never headline numbers, bars or points.</summary>
public class DoesNotFitTests : NotebookKernelTests
{
    [Fact]
    public async Task An_estimate_that_does_not_fit_is_a_card_with_the_overflowing_part_and_matching_hints_and_no_charts()
    {
        var (ok, error, html, _) = await Submit("#!wafer estimate --model llama3-405b --on dgx-h100:8 --tokens 1T --layout tp=8,zero=1");
        Assert.True(ok, error);
        Assert.Contains(": does not fit", html);
        Assert.Contains("Overflows", html);
        Assert.Contains("data parallelism (dp &gt; 1) with a ZeRO stage", html);
        Assert.DoesNotContain("recompute=selective", html);
        Assert.DoesNotContain("time to train", html);
        Assert.DoesNotContain("Plotly.newPlot", html);
    }

    [Fact]
    public async Task A_comparison_marks_the_system_that_does_not_fit_instead_of_drawing_it_tallest()
    {
        var (ok, error, html, _) = await Submit("#!wafer compare --model llama3-405b --tokens 1T --on dgx-h100:8 --on dgx-h100:1024");
        Assert.True(ok, error);
        Assert.Contains("\"name\":\"dgx-h100:8 (does not fit)\"", html);
        Assert.Matches("\"name\":\"dgx-h100:8 \\(does not fit\\)\",\"x\":\\[[^\\]]*\\],\"y\":\\[0\\.0,0\\.0,0\\.0,0\\.0\\]", html);
        Assert.Contains("does not fit: dgx-h100:8", html);
    }

    [Fact]
    public async Task A_plan_with_nothing_feasible_says_so_without_an_empty_chart()
    {
        var (ok, error, html, _) = await Submit("#!wafer plan --model llama3-405b --on dgx-h100:8 --tokens 1T");
        Assert.True(ok, error);
        Assert.Contains("none feasible", html);
        Assert.DoesNotContain("Plotly.newPlot", html);
    }

    [Fact]
    public async Task A_sweep_marks_counts_that_do_not_fit_as_gaps()
    {
        var (ok, error, html, _) = await Submit("#!wafer sweep --model llama3-405b --on dgx-h100 --counts 8,1024,2048 --tokens 1T");
        Assert.True(ok, error);
        Assert.Contains("\"name\":\"does not fit\"", html);
        // The 8-device point is a gap in the throughput line, not a value.
        Assert.Matches("\"x\":\\[8\\.0,1024\\.0,2048\\.0\\],\"y\":\\[\"?NaN\"?,", html);
        // Throughput and scaling, MFU, and goodput (H100s have an interruption rate).
        Assert.Equal(3, Regex.Matches(html, "Plotly.newPlot").Count);
    }
}
