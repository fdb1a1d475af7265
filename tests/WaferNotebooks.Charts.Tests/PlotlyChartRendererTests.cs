using System.Text.RegularExpressions;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Validation;
using static WaferNotebooks.Charts.Tests.SampleResults;

namespace WaferNotebooks.Charts.Tests;

public class PlotlyChartRendererTests
{
    private readonly PlotlyChartRenderer renderer = new();

    /// <summary>The figure at <paramref name="index"/> of a result's charts, as the card draws it.</summary>
    private string Html(IReadOnlyList<Core.Charting.ChartFigure> figures, int index, bool offline) => renderer.RenderFigure(figures[index].PlotlyJson, offline);

    private static string Traces(string html) => Regex.Match(html, @"var data = (\[.*?\]);", RegexOptions.Singleline).Groups[1].Value;

    [Fact]
    public void Step_breakdown_is_a_stacked_horizontal_bar_with_a_trace_per_part_in_seconds_when_the_step_takes_seconds()
    {
        var html = Html(renderer.Estimate(Estimate()), 0, true);
        var data = Traces(html);
        Assert.Contains("\"type\":\"bar\"", data);
        Assert.Contains("\"name\":\"compute\"", data);
        // Legends in words, not Core's ids (issue 13).
        Assert.Contains("\"name\":\"tensor-parallel comm.\"", data);
        Assert.Contains("\"name\":\"pipeline bubble\"", data);
        Assert.DoesNotContain("tp_comm", data);
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
        var html = Html(renderer.Estimate(Estimate()), 1, true);
        Assert.Contains("\"name\":\"optimizer state\"", html);
        Assert.Contains("\"name\":\"HBM capacity\"", html);
        Assert.Contains("[80.0]", html);
        Assert.Contains("Memory per device: 60.7 of 80 GB HBM (fits)", html);
    }

    [Fact]
    public void Offloaded_activations_stand_in_a_bar_of_their_own_off_the_device()
    {
        var offloaded = Estimate() with
        {
            Memory = new Core.Results.MemoryBreakdown([new("weights", 4.4, "bf16 weights"), new("activations", 10.0, "kept"), new(Core.Results.MemoryBreakdown.HostPart, 20.0, "in host memory")], 80),
        };
        var html = Html(renderer.Estimate(offloaded), 1, true);
        Assert.Contains("\"x\":[\"host memory\"],\"y\":[20.0]", html);
        Assert.Contains("Memory per device: 14.4 of 80 GB HBM (fits)", html);
    }

    [Fact]
    public void Comparison_bars_group_the_four_metrics_with_error_bars_from_the_ranges()
    {
        var comparison = new Comparison(Estimate().Job, Objective.Time,
            [Estimate(ranges: Ranges(52.4, 1031)), Estimate("cs-3", 16, days: 40, mwh: 600, ranges: Ranges(40, 600))]);
        var html = Html(renderer.Comparison(comparison), 0, true);
        Assert.Contains("\"barmode\":\"group\"", html);
        Assert.Contains("\"name\":\"dgx-h100:512\"", html);
        Assert.Contains("\"name\":\"cs-3:16\"", html);
        Assert.Contains("\"x\":[\"days\",\"MWh\",\"$M\",\"t CO2\"]", html);
        Assert.Contains("\"error_y\"", html);
        var scatter = Html(renderer.Comparison(comparison), 1, true);
        Assert.Contains("\"x\":[40.0],\"y\":[600.0]", scatter);
    }

    [Fact]
    public void Comparison_whiskers_are_never_clipped_and_the_users_choices_are_a_second_whisker()
    {
        // CO2 of dgx-h100: 378 t, model 300–450 t, over the choices (PUE, grid) 50–1,000 t: 2.65× the
        // largest bar (both systems emit 378 t). Days of cs-3: 40, model range up to 5× (200).
        var choices = new Core.Results.ChoiceRanges(new(900, 1200, ["PUE"]), new(1.0e6, 3.0e6, ["price"]), new(50, 1000, ["PUE", "grid carbon intensity"]));
        var h100 = Estimate(ranges: Ranges(52.4, 1031) with { Choices = choices });
        var cs3 = Estimate("cs-3", 16, days: 40, mwh: 600, ranges: Ranges(40, 600) with { TimeToTrainDays = new(30, 200) });
        var figure = System.Text.Json.Nodes.JsonNode.Parse(renderer.Comparison(new Comparison(h100.Job, Objective.Time, [h100, cs3]))[0].PlotlyJson)!;
        var traces = figure["data"]!.AsArray();

        var top = figure["layout"]!["yaxis"]!["range"]![1]!.GetValue<double>();
        var whiskerTops = traces.Where(t => t!["error_y"] is not null).SelectMany(t =>
            t!["y"]!.AsArray().Select((y, k) => y is null ? 0 : y.GetValue<double>() + t["error_y"]!["array"]![k]!.GetValue<double>()));
        Assert.All(whiskerTops, w => Assert.True(w <= top, $"a whisker reaches {w:F3}, the axis stops at {top:F3}"));
        // The highest top is cs-3's days, 200 against the largest bar's 52.4: 3.8×, past the 2× the axis used to stop at.
        Assert.Equal(200 / 52.4 * 1.05, top, 6);

        // The model whisker on the bar: CO2 300–450 around 378, as a share of 378.
        var bar = traces.Single(t => t!["name"]!.GetValue<string>() == "dgx-h100:512")!;
        Assert.Equal((450.0 - 378) / 378, bar["error_y"]!["array"]![3]!.GetValue<double>(), 9);
        // The choices: a thin transparent bar in the first of two slots (each 0.4 wide, centred at −0.2),
        // right of its centre (+0.3 of the slot), with a pale, wider-capped whisker; no point for days.
        var second = traces.Single(t => t!["name"]!.GetValue<string>() == "dgx-h100:512 choices")!;
        Assert.Equal(-0.2 + 0.12, second["offset"]!.GetValue<double>() + second["width"]!.GetValue<double>() / 2, 9);
        Assert.Equal(0.2, figure["layout"]!["bargap"]!.GetValue<double>());
        Assert.Null(second["y"]![0]);
        Assert.Equal((1000.0 - 378) / 378, second["error_y"]!["array"]![3]!.GetValue<double>(), 9);
        Assert.Equal((378.0 - 50) / 378, second["error_y"]!["arrayminus"]![3]!.GetValue<double>(), 9);
        Assert.True(second["error_y"]!["width"]!.GetValue<int>() > bar["error_y"]!["width"]!.GetValue<int>());
        Assert.False(second["showlegend"]!.GetValue<bool>());
        // cs-3 has no open choices: no second whisker.
        Assert.DoesNotContain(traces, t => t!["name"]!.GetValue<string>() == "cs-3:16 choices");
    }

    [Fact]
    public void Parity_plot_has_a_panel_per_metric_with_errors_in_percent_and_a_readable_ten_percent_band()
    {
        ValidationRow Row(string id, string metric, double measured, double predicted, double? low = null, double? high = null) =>
            new(id, 2, metric, measured, predicted, predicted / measured - 1, false, null, "dgx-h100", 8, "", null, low ?? predicted, high ?? predicted);
        // Two units six decades apart: TFLOP/s near 100 and device-hours near 1e4–1e6.
        var report = new ValidationReport("runs.csv",
        [
            Row("a", "hfu_tflops_per_device", 150, 165),
            Row("b", "hfu_tflops_per_device", 100, 92, 85, 110),
            Row("c", "device_hours", 1e4, 1.3e4),
            Row("d", "device_hours", 1e6, 0.9e6, 0.5e6, 1.0e6),
        ]);
        var figure = System.Text.Json.Nodes.JsonNode.Parse(renderer.Validation(report).Single().PlotlyJson)!;
        var traces = figure["data"]!.AsArray();
        var layout = figure["layout"]!;
        double[] Numbers(System.Text.Json.Nodes.JsonNode? n) => n!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

        Assert.Equal(2, traces.Count);
        var hfu = traces[0]!;
        var hours = traces[1]!;
        Assert.Equal(("x", "y"), (hfu["xaxis"]!.GetValue<string>(), hfu["yaxis"]!.GetValue<string>()));
        Assert.Equal(("x2", "y2"), (hours["xaxis"]!.GetValue<string>(), hours["yaxis"]!.GetValue<string>()));
        // Errors by hand: 165/150 = +10%, 92/100 = −8% (range 85–110: −15% to +10%), 1.3e4/1e4 = +30%, 0.9e6/1e6 = −10% (−50% to 0%).
        Assert.Equal([10, -8], Numbers(hfu["y"]).Select(v => Math.Round(v, 9)));
        Assert.Equal([30, -10], Numbers(hours["y"]).Select(v => Math.Round(v, 9)));
        Assert.Equal(18, Numbers(hfu["error_y"]!["array"])[1], 9);
        Assert.Equal(7, Numbers(hfu["error_y"]!["arrayminus"])[1], 9);
        Assert.Equal(40, Numbers(hours["error_y"]!["arrayminus"])[1], 9);
        Assert.Contains("TFLOP/s", layout["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Contains("device-hours", layout["xaxis2"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("-", layout["xaxis"]!["type"]!.GetValue<string>());
        Assert.Equal("log", layout["xaxis2"]!["type"]!.GetValue<string>());

        // The band: a shaded ±10% strip in each panel. Each panel spans its whiskers (at least ±15%) plus 6%
        // at each end: −15..+15 → 33.6 points, the band 60% of it; −50..+30 → 89.6, the band 22%. On the
        // old log-log plot over six decades the band was about 1.4% of the height. Every whisker inside its panel.
        var bands = layout["shapes"]!.AsArray().Where(s => s!["type"]!.GetValue<string>() == "rect").ToArray();
        Assert.Equal(["x domain", "x2 domain"], bands.Select(b => b!["xref"]!.GetValue<string>()));
        foreach (var (band, trace, axis, span) in new[] { (bands[0]!, hfu, "yaxis", 33.6), (bands[1]!, hours, "yaxis2", 89.6) })
        {
            Assert.Equal((-10.0, 10.0), (band["y0"]!.GetValue<double>(), band["y1"]!.GetValue<double>()));
            var range = Numbers(layout[axis]!["range"]);
            Assert.Equal(span, range[1] - range[0], 9);
            Assert.True(20 / (range[1] - range[0]) >= 0.2, $"the band is {20 / (range[1] - range[0]):P0} of {axis}");
            var y = Numbers(trace["y"]);
            var up = Numbers(trace["error_y"]!["array"]);
            var down = Numbers(trace["error_y"]!["arrayminus"]);
            Assert.All(y.Select((v, k) => (v + up[k], v - down[k])), w => Assert.InRange(w.Item1, range[0], range[1]));
            Assert.All(y.Select((v, k) => v - down[k]), w => Assert.InRange(w, range[0], range[1]));
        }
    }

    [Fact]
    public void Goodput_chart_plots_the_goodput_of_each_count_that_has_one()
    {
        var reliability = WaferNotebooks.Core.Reliability.ReliabilityAssumptions.Default;
        SweepPoint Point(int devices) => new(devices, null,
            Estimate(devices: devices) with { Goodput = WaferNotebooks.Core.Reliability.Goodput.For(1000.0 / devices, devices, 70e9, reliability) }, null);
        var sweep = new SweepResult(Estimate().Job, "dgx-h100", null, Objective.Time, null,
            [Point(512), Point(16384), new SweepPoint(1024, null, Estimate(devices: 1024), null)]);
        var html = Html(renderer.Sweep(sweep), 2, true);
        var data = Traces(html);
        Assert.Contains("\"x\":[512.0,16384.0]", data);   // the count without goodput has no marker
        Assert.Contains("goodput under interruptions", html);
        Assert.Contains("\"tickformat\":\".0%\"", html);
    }

    [Fact]
    public void Online_charts_fetch_plotly_js_only_when_the_page_lacks_it_and_say_so_when_it_cannot_load()
    {
        var online = Html(renderer.Estimate(Estimate()), 0, false);
        Assert.Contains("Plotly.newPlot", online);
        Assert.Contains("window.Plotly", online);
        Assert.Contains("script.wafer-plotly-bundle", online);
        Assert.Contains("cdn.plot.ly/plotly-", online);
        Assert.Contains("re-run the cell with --offline", online);
        // The loader is small: every chart carries it, so any output draws alone.
        Assert.True(online.Length < 12_000, $"an online chart is {online.Length} characters");
        var offline = Html(renderer.Estimate(Estimate()), 0, true);
        Assert.Contains("Plotly.newPlot", offline);
        Assert.DoesNotContain("requirejs", offline);
    }

    [Fact]
    public void Plotly_bundle_holds_the_whole_plotly_js_gzipped_in_an_inert_element()
    {
        var bundle = renderer.PlotlyBundle();
        var match = Regex.Match(bundle, "^<script type=\"application/gzip;base64\" class=\"wafer-plotly-bundle\"[^>]*>([A-Za-z0-9+/=]+)</script>$");
        Assert.True(match.Success, bundle[..Math.Min(200, bundle.Length)]);
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(Convert.FromBase64String(match.Groups[1].Value)), System.IO.Compression.CompressionMode.Decompress);
        var plotly = new StreamReader(gzip).ReadToEnd();
        Assert.True(plotly.Length > 3_000_000, $"plotly.js should be whole, got {plotly.Length} characters");
        Assert.Contains("plotly.js v", plotly[..2000]);
        // The point of packing it: what every offline output carries (measured 1.46 MB).
        Assert.True(bundle.Length < 1_600_000, $"the bundle is {bundle.Length} characters");
    }

    [Fact]
    public void A_figure_a_user_changed_renders_through_the_same_path_and_bad_json_is_refused()
    {
        var html = renderer.RenderFigure("""{"data":[{"type":"bar","x":["a"],"y":[1]}],"layout":{"title":{"text":"mine </script>"}}}""", offline: true);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("\"text\":\"mine <\\/script>\"", html);
        var error = Assert.Throws<ArgumentException>(() => renderer.RenderFigure("{\"layout\":{}}", offline: false));
        Assert.Contains("\"data\" array", error.Message);
        Assert.Throws<ArgumentException>(() => renderer.RenderFigure("not json", offline: false));
    }

    [Fact]
    public void A_price_sweep_plots_the_cost_it_changes_and_one_throughput_line_instead_of_identical_ones()
    {
        var points = new[] { 2.0, 4.0 }.SelectMany(price => new[] { 256, 512 }.Select(devices =>
            new Core.Sweeps.SweepPoint(devices, price, Estimate(devices: devices) with { CostUsd = price * devices * 1000 }, 1.0))).ToList();
        var sweep = new Core.Sweeps.SweepResult(Estimate().Job, "dgx-h100", null, Objective.Time, Core.Sweeps.KnobKind.Price, points);

        var scaling = Traces(Html(renderer.Sweep(sweep), 0, true));
        Assert.Equal(2, Regex.Matches(scaling, "\"type\":\"scatter\"").Count);
        var cost = Html(renderer.Sweep(sweep), 1, true);
        Assert.Contains("cost, $M", cost);
        Assert.Contains("\"name\":\"$ per device-hour = 2\"", cost);
        Assert.Contains("\"y\":[0.512,1.024]", cost);
        Assert.Contains("\"y\":[1.024,2.048]", cost);
        Assert.Equal(["scaling", "totals"], renderer.Sweep(sweep).Select(f => f.Name));
    }

    [Fact]
    public void Charts_fill_their_cell_instead_of_a_fixed_width()
    {
        var html = Html(renderer.Estimate(Estimate()), 0, true);
        Assert.DoesNotContain("\"width\":", html);
        Assert.Contains("\"autosize\":true", html);
        Assert.Contains("\"responsive\":true", html);
    }

    [Fact]
    public void Legends_sit_right_of_the_plot_area_away_from_the_axis_titles()
    {
        var html = Html(renderer.Estimate(Estimate()), 1, true);
        Assert.Contains("\"legend\":{\"orientation\":\"v\",\"x\":1.02,\"xanchor\":\"left\"", html);
    }

    [Fact]
    public void Charts_have_transparent_backgrounds_for_light_and_dark_themes()
    {
        var html = Html(renderer.Estimate(Estimate()), 1, true);
        Assert.Contains("\"paper_bgcolor\":\"rgba(0,0,0,0)\"", html);
        Assert.Contains("\"plot_bgcolor\":\"rgba(0,0,0,0)\"", html);
    }
}
