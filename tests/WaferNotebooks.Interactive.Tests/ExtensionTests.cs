using System.Text.RegularExpressions;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace WaferNotebooks.Interactive.Tests;

/// <summary>The extension loaded into an in-process CompositeKernel with a C# kernel, as a notebook has it.</summary>
public class ExtensionTests : NotebookKernelTests
{
    private const string EstimateCell = """
        using WaferNotebooks.Core.Catalog; using WaferNotebooks.Core.Workload; using WaferNotebooks.Core.Parallel; using WaferNotebooks.Core.Results;
        var model = new ModelSpec("llama2-70b", "Llama 2 70B", 80, 8192, 28672, FfnKind.SwiGlu, 64, 8, 128, 32000, 4096);
        var e = new Estimate
        {
            Job = new TrainingJob(model, 2e12, 1024, 4096), SystemId = "dgx-h100", DeviceName = "H100 SXM", Devices = 512, Layout = new Layout(Tp: 8, Pp: 4, Dp: 16),
            ExecutionMode = ExecutionMode.ThreeDParallel, Feasible = true, StepTimeS = 9.5,
            Breakdown = new StepBreakdown([new("compute", 7.0, "GEMMs"), new("tp_comm", 1.5, "all-reduce"), new("bubble", 1.0, "pipeline fill")]),
            TokensPerS = 441500, ModelTflopsPerDevice = 400, HardwareTflopsPerDevice = 420, Mfu = 0.41, Hfu = 0.43,
            Memory = new MemoryBreakdown([new("weights", 4.4, "bf16"), new("optimizer", 26.3, "Adam"), new("activations", 30.0, "selective")], 80),
            TimeToTrainDays = 52.4, DeviceHours = 644000, AveragePowerKw = 820, EnergyMwh = 1031, CostUsd = 1.9e6, Co2Tonnes = 378,
            Bottleneck = "compute-bound: GEMMs take 74% of the step", Assumptions = [],
        };
        """;

    [Fact]
    public async Task Root_help_lists_every_subcommand_with_an_example()
    {
        var (ok, _, html, _) = await Submit("#!wafer --help");
        Assert.True(ok);
        foreach (var sub in new[] { "estimate", "compare", "sweep", "plan", "catalog", "validate", "calibrate", "timeline" })
            Assert.Contains($"#!wafer {sub}", html);
    }

    [Fact]
    public async Task Subcommand_help_shows_its_options_defaults_and_example()
    {
        var (ok, _, html, _) = await Submit("#!wafer plan --help");
        Assert.True(ok);
        Assert.Contains("--objective", html);
        Assert.Contains("--top", html);
        Assert.Contains("Example", html);
        Assert.Contains("#!wafer plan --model", html);
    }

    [Fact]
    public async Task A_returned_estimate_renders_its_card_and_plotly_charts()
    {
        var (ok, error, html, _) = await Submit(EstimateCell + "\ne");
        Assert.True(ok, error);
        Assert.Contains("llama2-70b on dgx-h100", html);
        Assert.Contains("52.4 days", html);
        Assert.Contains("compute-bound", html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("\"name\":\"tensor-parallel comm.\"", html);
        Assert.Contains("\"name\":\"HBM capacity\"", html);
    }

    /// <summary>Issue 13 changed this from "once per document": a re-run cell or a reopened
    /// notebook lost the only copy. Now every offline output carries plotly.js, compressed.</summary>
    [Fact]
    public async Task Offline_outputs_each_carry_plotly_js_compressed_so_any_of_them_draws_alone()
    {
        Assert.True((await Submit("#!wafer --offline")).Ok);
        var first = await Submit(EstimateCell + "\ne");
        var second = await Submit("e");
        Assert.True(first.Ok, first.Error);
        Assert.True(second.Ok, second.Error);
        foreach (var html in new[] { first.Html, second.Html })
        {
            Assert.Single(Regex.Matches(html, "class=\"wafer-plotly-bundle\""));
            Assert.InRange(html.Length, 1_000_000, 1_700_000);
        }
    }

    [Fact]
    public async Task A_results_charts_are_plotly_json_that_a_cell_can_change_and_draw_through_the_renderer()
    {
        Assert.True((await Submit($"#r \"{typeof(WaferCharts).Assembly.Location}\"")).Ok);
        var (ok, error, html, _) = await Submit(EstimateCell + """

            var figures = WaferNotebooks.Interactive.WaferCharts.Figures(e);
            var figure = System.Text.Json.Nodes.JsonNode.Parse(figures[0].PlotlyJson)!;
            figure["layout"]!["title"]!["text"] = $"restyled: {string.Join(",", figures.Select(f => f.Name))}";
            WaferNotebooks.Interactive.WaferCharts.Draw(figure.ToJsonString())
            """);
        Assert.True(ok, error);
        Assert.Contains("restyled: step-breakdown,memory", html);
        Assert.Contains("Plotly.newPlot", html);

        var bad = await Submit("WaferNotebooks.Interactive.WaferCharts.Draw(\"{}\")");
        Assert.False(bad.Ok);
        Assert.Contains("\"data\" array", bad.Error);
    }

    [Fact]
    public async Task Bad_input_fails_the_cell_and_the_kernel_keeps_working()
    {
        Assert.True((await Submit("var kept = 41;")).Ok);
        var (ok, error, _, _) = await Submit("#!wafer estimate --precision fp3");
        Assert.False(ok);
        Assert.False(string.IsNullOrWhiteSpace(error));
        var after = await Submit("kept + 1");
        Assert.True(after.Ok, after.Error);
    }

    [Fact]
    public async Task Completions_offer_subcommands_and_options()
    {
        var subs = await Kernel.SendAsync(new RequestCompletions("#!wafer ", new LinePosition(0, 8)));
        var names = subs.Events.OfType<CompletionsProduced>().SelectMany(c => c.Completions).Select(c => c.DisplayText).ToArray();
        Assert.Contains("estimate", names);
        Assert.Contains("timeline", names);
        var code = "#!wafer estimate ";
        var options = await Kernel.SendAsync(new RequestCompletions(code, new LinePosition(0, code.Length)));
        var optionNames = options.Events.OfType<CompletionsProduced>().SelectMany(c => c.Completions).Select(c => c.DisplayText).ToArray();
        Assert.Contains("--model", optionNames);
        Assert.Contains("--help", optionNames);
        Assert.Contains("--precision", optionNames);
    }

    [Fact]
    public void The_renderer_lives_in_a_private_load_context_and_shares_the_core_contract()
    {
        var renderer = ChartRendererLoader.Renderer;
        var context = AssemblyLoadContext.GetLoadContext(renderer.GetType().Assembly);
        Assert.NotSame(AssemblyLoadContext.Default, context);
        Assert.Contains(context!.Assemblies, a => a.GetName().Name == "FSharp.Core");
        Assert.Same(typeof(WaferNotebooks.Core.Charting.IChartRenderer).Assembly, typeof(WaferNotebooks.Core.Results.Estimate).Assembly);
    }
}
