using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Interactive.Tests;

/// <summary>Every #!wafer subcommand run through the real request parser and executor, in a notebook-shaped kernel.</summary>
public class SubcommandTests : NotebookKernelTests
{
    /// <summary>The same request the directive makes, run directly, for the numbers the charts must show.</summary>
    private static object Expected(string subcommand, params (string Key, string Value)[] options) =>
        CommandExecutor.Default.Execute(RequestParser.Default.Parse(subcommand,
            options.GroupBy(o => o.Key).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(o => o.Value).ToList()))).Shared<object>();

    /// <summary>How the step chart writes a duration: seconds once the step reaches a second, else milliseconds.</summary>
    private static string ChartTime(double seconds, double stepS) =>
        Regex.Replace((stepS >= 1 ? seconds : seconds * 1e3).ToString("R"), @"^(\d+)$", "$1.0");

    [Fact]
    public async Task Estimate_shows_card_and_step_and_memory_charts_with_the_simulated_values()
    {
        var (ok, error, html, _) = await Submit("#!wafer estimate --model llama2-70b --on dgx-h100:512 --tokens 2T");
        Assert.True(ok, error);
        var expected = (Estimate)Expected("estimate", ("model", "llama2-70b"), ("on", "dgx-h100:512"), ("tokens", "2T"));
        Assert.Contains($"{expected.TimeToTrainDays:F1} days", html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(expected.Bottleneck), html);
        var compute = expected.Breakdown.Parts.First(p => p.Name == "compute");
        Assert.Contains($"\"name\":\"compute\"", html);
        Assert.Contains($"[{ChartTime(compute.Seconds, expected.StepTimeS)}]", html);
        Assert.Contains($"\"name\":\"{expected.Memory.Where} capacity\"", html);
        Assert.Equal(2, Regex.Matches(html, "Plotly.newPlot").Count);
        // The model's range, then apart the range over the user's choices (issue 13).
        var co2 = expected.Ranges!.Choices!.Co2Tonnes;
        string Num(double v) => Regex.Escape(WaferNotebooks.Core.Commands.ValueText.Num(v));
        const string Dash = "(–|&#x2013;|&#8211;)";
        Assert.Matches($"range {Num(expected.Ranges.Co2Tonnes.Low)}{Dash}{Num(expected.Ranges.Co2Tonnes.High)}; by choice of PUE, grid carbon intensity: {Num(co2.Low)}{Dash}{Num(co2.High)}", html);
    }

    [Fact]
    public async Task Compare_takes_repeated_on_and_charts_every_system()
    {
        var (ok, error, html, _) = await Submit("#!wafer compare --model llama2-70b --tokens 2T --on dgx-h100:512 --on dgx-a100-80gb:1024");
        Assert.True(ok, error);
        Assert.Contains("\"name\":\"dgx-h100:512\"", html);
        Assert.Contains("\"name\":\"dgx-a100-80gb:1024\"", html);
        Assert.Contains("\"barmode\":\"group\"", html);
        Assert.Contains("Time to train vs energy", html);
    }

    [Fact]
    public async Task Sweep_draws_throughput_efficiency_and_mfu_on_a_log_axis()
    {
        var (ok, error, html, _) = await Submit("#!wafer sweep --model llama2-7b --on dgx-h100 --counts 8,16,32 --tokens 1T");
        Assert.True(ok, error);
        Assert.Contains("scaling efficiency", html);
        Assert.Contains("\"type\":\"log\"", html);
        Assert.Contains("\"x\":[8.0,16.0,32.0]", html);
        Assert.Contains(": MFU", html);
    }

    [Fact]
    public async Task Plan_ranks_layouts_and_highlights_the_pareto_front()
    {
        var (ok, error, html, _) = await Submit("#!wafer plan --model llama2-7b --on dgx-h100:64 --tokens 1T --top 3");
        Assert.True(ok, error);
        Assert.Contains("\"name\":\"Pareto front\"", html);
        Assert.Contains("\"name\":\"feasible layouts\"", html);
        Assert.Contains("best for time", html);
    }

    [Fact]
    public async Task Timeline_draws_a_gantt_of_one_step()
    {
        var (ok, error, html, _) = await Submit("#!wafer timeline --model llama2-7b --on dgx-h100:64 --layout tp=8,pp=2");
        Assert.True(ok, error);
        Assert.Contains("\"orientation\":\"h\"", html);
        Assert.Contains("\"base\":", html);
        Assert.Contains("One step of llama2-7b", html);
        // Durations in the card read like the chart's axis, never "1902 ms".
        var expected = (WaferNotebooks.Core.Timeline.StepTimeline)Expected("timeline", ("model", "llama2-7b"), ("on", "dgx-h100:64"), ("layout", "tp=8,pp=2"));
        Assert.Contains($">{ValueText.Duration(expected.StepTimeS)}</div>", html);
        Assert.DoesNotMatch(@"\d{4,} ms", html);
    }

    [Fact]
    public async Task Catalog_lists_systems_with_sortable_columns()
    {
        var (ok, error, html, _) = await Submit("#!wafer catalog systems");
        Assert.True(ok, error);
        Assert.Contains("dgx-h100", html);
        Assert.Contains("waferSort(this)", html);
    }

    [Fact]
    public async Task Validate_draws_a_parity_plot_with_a_ten_percent_band()
    {
        var csv = Path.Combine(RepositoryRoot.Path, "data", "validation", "runs.csv");
        var (ok, error, html, _) = await Submit($"#!wafer validate --data \"{csv}\"");
        Assert.True(ok, error);
        // Issue 13: the six metrics of runs.csv (six units) in a panel each, errors in percent with
        // the ±10% band shaded, instead of one log-log plot with y = x and ±10% lines.
        Assert.Contains("\"xaxis6\"", html);
        Assert.Contains("\"y0\":-10.0,\"y1\":10.0", html);
        Assert.Contains("shaded: ±10%", html);
        Assert.Contains("median |error|", html);
    }

    [Fact]
    public async Task Validate_cv_and_calibrate_show_their_cards()
    {
        var csv = Path.Combine(RepositoryRoot.Path, "data", "validation", "megatron-bridge", "runs.csv");
        var (ok, error, html, _) = await Submit($"#!wafer validate --data \"{csv}\" --cv paper");
        Assert.True(ok, error);
        Assert.Contains("Cross-validation: runs.csv, leaving out one paper at a time", html);
        Assert.Contains("blackwell sustained_matmul_share uncalibrated", html);
        Assert.Contains("cross-validated", html);

        (ok, error, html, _) = await Submit($"#!wafer calibrate --data \"{csv}\" --rows mbridge-25.11-llama3-8b-b200-* --fit sustained_matmul_share");
        Assert.True(ok, error);
        Assert.Contains("Calibration: sustained_matmul_share by accelerator", html);
        Assert.Contains("mbridge-25.11-llama3-8b-b200-8-fp8-cs-gbs128", html);
        Assert.Contains("not written (give --out FILE)", html);
    }

    [Fact]
    public async Task Name_stores_the_result_as_a_csharp_variable()
    {
        var (ok, error, _, _) = await Submit("#!wafer estimate --model llama2-70b --on dgx-h100:512 --tokens 2T --name run1");
        Assert.True(ok, error);
        var value = await Submit("run1.Devices");
        Assert.True(value.Ok, value.Error);
        var returned = value.Result.Events.OfType<ReturnValueProduced>().Single();
        Assert.Equal(512, returned.Value);
    }

    [Fact]
    public async Task A_named_result_is_shared_with_another_kernel()
    {
        // A second C# kernel stands in for any other kernel of the notebook (#!share is how values cross).
        Kernel.Add(new Microsoft.DotNet.Interactive.CSharp.CSharpKernel("csharp2").UseValueSharing());
        Assert.True((await Submit("#!wafer estimate --model llama2-70b --on dgx-h100:512 --tokens 2T --name run1")).Ok);
        var reference = await Kernel.SendAsync(new SubmitCode($"#r \"{typeof(Estimate).Assembly.Location}\"", "csharp2"));
        Assert.DoesNotContain(reference.Events, e => e is CommandFailed);

        var shared = await Kernel.SendAsync(new SubmitCode("#!share --from csharp run1\nrun1.Devices", "csharp2"));

        Assert.DoesNotContain(shared.Events, e => e is CommandFailed);
        Assert.Equal(512, shared.Events.OfType<ReturnValueProduced>().Single().Value);
    }

    [Fact]
    public async Task An_unknown_model_fails_with_the_catalogs_message()
    {
        var (ok, error, _, _) = await Submit("#!wafer estimate --model llama9-1t --on dgx-h100:512");
        Assert.False(ok);
        Assert.Contains("llama9-1t", error);
        Assert.DoesNotContain("   at ", error);
    }
}
