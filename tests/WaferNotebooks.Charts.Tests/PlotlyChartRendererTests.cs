using System.Text.RegularExpressions;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Sweeps;
using static WaferNotebooks.Charts.Tests.SampleResults;

namespace WaferNotebooks.Charts.Tests;

public class PlotlyChartRendererTests
{
    private readonly PlotlyChartRenderer renderer = new();

    private static string Traces(string html) => Regex.Match(html, @"var data = (\[.*?\]);", RegexOptions.Singleline).Groups[1].Value;

    [Fact]
    public void Step_breakdown_is_a_stacked_horizontal_bar_with_a_trace_per_part_in_seconds_when_the_step_takes_seconds()
    {
        var html = renderer.StepBreakdown(Estimate(), offline: true);
        var data = Traces(html);
        Assert.Contains("\"type\":\"bar\"", data);
        Assert.Contains("\"name\":\"compute\"", data);
        Assert.Contains("\"name\":\"tp_comm\"", data);
        Assert.Contains("\"name\":\"bubble\"", data);
        Assert.Contains("[7.0]", data);
        Assert.Contains("compute: 7.00 s (74 % of the step)", data);
        Assert.Contains("Step time 9.50 s by part", html);
        Assert.Contains("seconds per step", html);
        Assert.Contains("\"barmode\":\"stack\"", html);
        Assert.Contains("\"orientation\":\"h\"", data);
    }

    [Fact]
    public void Memory_chart_stacks_the_parts_beside_the_capacity()
    {
        var html = renderer.MemoryBreakdown(Estimate(), offline: true);
        Assert.Contains("\"name\":\"optimizer\"", html);
        Assert.Contains("\"name\":\"HBM capacity\"", html);
        Assert.Contains("[80.0]", html);
        Assert.Contains("Memory per device: 60.7 of 80 GB HBM (fits)", html);
    }

    [Fact]
    public void Comparison_bars_group_the_four_metrics_with_error_bars_from_the_ranges()
    {
        var comparison = new Comparison(Estimate().Job, Objective.Time,
            [Estimate(ranges: Ranges(52.4, 1031)), Estimate("cs-3", 16, days: 40, mwh: 600, ranges: Ranges(40, 600))]);
        var html = renderer.ComparisonBars(comparison, offline: true);
        Assert.Contains("\"barmode\":\"group\"", html);
        Assert.Contains("\"name\":\"dgx-h100:512\"", html);
        Assert.Contains("\"name\":\"cs-3:16\"", html);
        Assert.Contains("\"x\":[\"days\",\"MWh\",\"$M\",\"t CO2\"]", html);
        Assert.Contains("\"error_y\"", html);
        var scatter = renderer.ComparisonScatter(comparison, offline: true);
        Assert.Contains("\"x\":[40.0],\"y\":[600.0]", scatter);
    }

    [Fact]
    public void Goodput_chart_plots_the_goodput_of_each_count_that_has_one()
    {
        var reliability = WaferNotebooks.Core.Reliability.ReliabilityAssumptions.Default;
        SweepPoint Point(int devices) => new(devices, null,
            Estimate(devices: devices) with { Goodput = WaferNotebooks.Core.Reliability.Goodput.For(1000.0 / devices, devices, 70e9, reliability) }, null);
        var sweep = new SweepResult(Estimate().Job, "dgx-h100", null, Objective.Time, null,
            [Point(512), Point(16384), new SweepPoint(1024, null, Estimate(devices: 1024), null)]);
        var html = renderer.SweepGoodput(sweep, offline: true);
        var data = Traces(html);
        Assert.Contains("\"x\":[512.0,16384.0]", data);   // the count without goodput has no marker
        Assert.Contains("goodput under interruptions", html);
        Assert.Contains("\"tickformat\":\".0%\"", html);
    }

    [Fact]
    public void Online_charts_load_plotly_through_require_and_offline_ones_reference_nothing()
    {
        var online = renderer.StepBreakdown(Estimate(), offline: false);
        Assert.Contains("requirejs", online);
        var offline = renderer.StepBreakdown(Estimate(), offline: true);
        Assert.DoesNotContain("requirejs", offline);
        Assert.DoesNotContain("https://", offline);
        Assert.Contains("Plotly.newPlot", offline);
    }

    [Fact]
    public void Plotly_script_inlines_the_bundled_plotly_js()
    {
        var script = renderer.PlotlyScript();
        Assert.StartsWith("<script", script);
        Assert.True(script.Length > 3_000_000, $"plotly.js should be inlined whole, got {script.Length} characters");
        Assert.Contains("window.define=wnDefine", script);
    }

    [Fact]
    public void Charts_fill_their_cell_instead_of_a_fixed_width()
    {
        var html = renderer.StepBreakdown(Estimate(), offline: true);
        Assert.DoesNotContain("\"width\":", html);
        Assert.Contains("\"autosize\":true", html);
        Assert.Contains("\"responsive\":true", html);
    }

    [Fact]
    public void Legends_sit_right_of_the_plot_area_away_from_the_axis_titles()
    {
        var html = renderer.MemoryBreakdown(Estimate(), offline: true);
        Assert.Contains("\"legend\":{\"orientation\":\"v\",\"x\":1.02,\"xanchor\":\"left\"", html);
    }

    [Fact]
    public void Charts_have_transparent_backgrounds_for_light_and_dark_themes()
    {
        var html = renderer.MemoryBreakdown(Estimate(), offline: true);
        Assert.Contains("\"paper_bgcolor\":\"rgba(0,0,0,0)\"", html);
        Assert.Contains("\"plot_bgcolor\":\"rgba(0,0,0,0)\"", html);
    }
}
