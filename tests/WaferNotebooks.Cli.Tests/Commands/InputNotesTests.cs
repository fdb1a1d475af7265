using System.Text.Json;

namespace WaferNotebooks.Cli.Tests.Commands;

/// <summary>
/// An option that did nothing is said by every subcommand that runs the job, in the same words:
/// --moe-dispatch on a layout with ep=1, and in compare the options of one kind of system on the
/// systems of the other kind. Before, only estimate said the first and nothing said the second.
/// </summary>
public class InputNotesTests
{
    private const string MoeNoEffect = "note: --moe-dispatch had no effect: the layout has ep=1";

    private static readonly string[] MoeJob = ["--model", "mixtral-8x7b", "--tokens", "100B", "--moe-dispatch", "nodes=2,fp8=on"];

    [Theory]
    [InlineData("estimate", "--on", "dgx-h100:64", "--layout", "tp=2,pp=4,ep=1,zero=1,recompute=full")]
    [InlineData("timeline", "--on", "dgx-h100:64", "--layout", "tp=2,pp=4,ep=1,zero=1,recompute=full")]
    [InlineData("sweep", "--on", "dgx-h100", "--counts", "64,128", "--layout", "tp=2,pp=4,ep=1,zero=1,recompute=full")]
    [InlineData("compare", "--on", "dgx-h100:64", "--on", "dgx-a100-80gb:64", "--layout", "tp=2,pp=4,ep=1,zero=1,recompute=full")]
    public void Moe_dispatch_on_a_layout_with_ep_1_is_said_by_every_subcommand(string subcommand, params string[] options)
    {
        var run = CliRunner.Run([subcommand, .. MoeJob, .. options]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(MoeNoEffect, run.Out);
        // Said once, not once per point or system.
        Assert.Single(run.Out.Split('\n'), l => l.StartsWith(MoeNoEffect));
        var json = CliRunner.Run([subcommand, .. MoeJob, .. options, "--json"]);
        var notes = JsonDocument.Parse(json.Out).RootElement.GetProperty("input_notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Single(notes, n => n.StartsWith("--moe-dispatch had no effect"));
    }

    [Fact]
    public void Plan_says_it_when_its_best_layout_has_ep_1()
    {
        var run = CliRunner.Run("plan", "--model", "mixtral-8x7b", "--tokens", "100B", "--on", "dgx-h100:64", "--moe-dispatch", "nodes=2,fp8=on", "--json");
        Assert.Equal(0, run.ExitCode);
        var root = JsonDocument.Parse(run.Out).RootElement;
        var ep = root.GetProperty("best").GetProperty("layout").GetProperty("ep").GetInt32();
        var notes = root.GetProperty("input_notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        // Whether the note is due depends on the layout the planner chose: it must match it.
        Assert.Equal(ep == 1, notes.Any(n => n.StartsWith("--moe-dispatch had no effect")));
    }

    /// <summary>The top layouts were the planner's estimates without notes while best had them: --json top[0] and best disagreed.</summary>
    [Fact]
    public void Plan_top_layouts_and_front_carry_the_notes_best_carries()
    {
        var run = CliRunner.Run("plan", "--model", "llama2-7b", "--tokens", "100B", "--on", "dgx-a100-80gb:64", "--precision", "fp8", "--top", "3", "--json");
        Assert.Equal(0, run.ExitCode);
        var root = JsonDocument.Parse(run.Out).RootElement;
        static List<string> Notes(JsonElement e) => [.. e.GetProperty("input_notes").EnumerateArray().Select(n => n.GetString()!)];
        var best = Notes(root.GetProperty("best"));
        Assert.Contains(best, n => n.StartsWith("--precision fp8 did not apply to dgx-a100-80gb"));
        Assert.Equal(best, Notes(root.GetProperty("top")[0]));
        foreach (var e in root.GetProperty("top").EnumerateArray().Concat(root.GetProperty("pareto_front").EnumerateArray()))
            Assert.Equal(best, Notes(e));
    }

    /// <summary>timeline --layout with --price, --mtbf, --tokens, ...: one step was drawn the same and nothing said the options did nothing.</summary>
    [Fact]
    public void Timeline_of_a_fixed_layout_says_the_whole_run_options_did_not_change_it()
    {
        string[] job = ["timeline", "--model", "llama2-7b", "--on", "dgx-h100:64"];
        var run = CliRunner.Run([.. job, "--layout", "tp=2,zero=1", "--price", "9", "--mtbf", "100", "--tokens", "5T"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("note: --price did not change the timeline: it draws one step of the given layout, and --price acts on the whole run", run.Out);
        Assert.Contains("note: --mtbf did not change the timeline", run.Out);
        Assert.Contains("note: --tokens did not change the timeline", run.Out);
        Assert.DoesNotContain("did not change the timeline", CliRunner.Run([.. job, "--layout", "tp=2,zero=1"]).Out);
    }

    /// <summary>
    /// timeline without --layout and with --tokens, --price, ...: the planner chose the same layout
    /// with them as without them (at one device count the cost is the price times the devices times
    /// the hours, so a price cannot reorder layouts), so the step drawn was the same, and nothing said so.
    /// </summary>
    [Fact]
    public void Timeline_of_a_chosen_layout_says_so_when_the_whole_run_options_left_the_choice_alone()
    {
        string[] job = ["timeline", "--model", "llama2-7b", "--on", "dgx-h100:64"];
        var run = CliRunner.Run([.. job, "--price", "9", "--tokens", "5T", "--objective", "cost"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("note: --price did not change the timeline: it draws one step of the layout the planner chose, the same as it chooses without " +
            "--tokens and --price, and --price acts on the whole run", run.Out);
        Assert.Contains("note: --tokens did not change the timeline: it draws one step of the layout the planner chose", run.Out);
        Assert.Equal(CliRunner.Run([.. job, "--objective", "cost"]).Out.Split('\n')[..3], run.Out.Split('\n')[..3]);
        var cs3 = CliRunner.Run("timeline", "--model", "llama3-8b", "--on", "cs-3:2", "--pue", "1.5", "--json");
        Assert.Contains("--pue did not change the timeline: it draws one step of the layout the planner chose", cs3.Out);
    }

    [Fact]
    public void Compare_says_which_systems_a_gpu_only_or_wafer_only_option_did_not_apply_to()
    {
        var run = CliRunner.Run("compare", "--model", "llama2-7b", "--tokens", "100B", "--on", "dgx-h100:64", "--on", "cs-3:2",
            "--framework", "fsdp", "--power-cap", "600", "--mtbf", "20000", "--release", "2.1.1");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("note: --framework fsdp does not apply to cs-3, a wafer-scale system: it acts on GPU-class systems only", run.Out);
        Assert.Contains("note: --power-cap 600 does not apply to cs-3, a wafer-scale system", run.Out);
        Assert.Contains("note: --mtbf 20000 does not apply to cs-3, a wafer-scale system", run.Out);
        Assert.Contains("note: --release 2.1.1 does not apply to dgx-h100, a GPU-class system: it acts on wafer-scale systems only", run.Out);
        Assert.DoesNotContain("does not apply to dgx-h100, a wafer", run.Out);
    }

    /// <summary>fp8 on a device without FP8 units ran as bf16 while the job read "fp8"; the other subcommands did not even have the assumption that said so.</summary>
    [Fact]
    public void A_precision_a_system_cannot_run_is_said_for_that_system_only()
    {
        var run = CliRunner.Run("compare", "--model", "llama2-7b", "--tokens", "100B", "--precision", "fp8",
            "--on", "dgx-h100:64", "--on", "dgx-a100-80gb:64", "--on", "cs-3:2", "--json");
        Assert.Equal(0, run.ExitCode);
        var notes = JsonDocument.Parse(run.Out).RootElement.GetProperty("input_notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Equal(2, notes.Count);
        Assert.StartsWith("--precision fp8 did not apply to dgx-a100-80gb: the NVIDIA A100 SXM4 80GB has no FP8 units, so its GEMMs run at the 16-bit peak", notes[0]);
        Assert.StartsWith("--precision fp8 did not apply to cs-3: the wafer computes in 16-bit", notes[1]);
        var sweep = CliRunner.Run("sweep", "--model", "llama2-7b", "--tokens", "100B", "--precision", "fp4", "--on", "dgx-h100", "--counts", "8,16");
        Assert.Single(sweep.Out.Split('\n'), l => l.StartsWith("note: --precision fp4 did not apply to dgx-h100: the NVIDIA H100 SXM5 80GB has no FP4 tensor cores, so its GEMMs run as FP8"));
    }

    [Fact]
    public void Compare_of_gpu_systems_only_has_no_notes()
    {
        var run = CliRunner.Run("compare", "--model", "llama2-7b", "--tokens", "100B", "--on", "dgx-h100:64", "--on", "dgx-a100-80gb:64", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(0, JsonDocument.Parse(run.Out).RootElement.GetProperty("input_notes").GetArrayLength());
    }

    /// <summary>The wafer-scale estimator has no goodput: these options would change nothing, so with only wafer-scale systems they are refused, as --power-cap is.</summary>
    [Theory]
    [InlineData("estimate", "--mtbf", "1000", "--on", "cs-3:16")]
    [InlineData("timeline", "--eval-interval", "500", "--on", "cs-3:16")]
    [InlineData("plan", "--restart-min", "5", "--on", "cs-3:16")]
    [InlineData("sweep", "--checkpoint-bandwidth", "2", "--on", "cs-3", "--counts", "1..4")]
    [InlineData("compare", "--eval-iters", "10", "--on", "cs-3:16", "--on", "cs-2:16")]
    public void Interruption_options_on_wafer_scale_systems_only_are_refused(string subcommand, string option, string value, params string[] rest)
    {
        var run = CliRunner.Run([subcommand, "--model", "llama2-70b", option, value, .. rest]);
        CliRunner.AssertRefused(run, $"{option} {value}: ", "wafer-scale, and interruptions and evaluation (goodput, days with downtime) are modelled for GPU-class systems only",
            $"leave {option} out, or run on a GPU-class system such as dgx-h100:512");
    }
}

/// <summary>
/// Scaling efficiency above 100% (more devices doing more per device) is possible, when the
/// planner's layout at the baseline's count was forced by memory, but never shown without why.
/// </summary>
public class SuperLinearScalingTests
{
    [Fact]
    public void A_point_above_100_percent_says_which_layout_and_step_part_made_it()
    {
        // 64 H100s hold Llama 3 70B only with pp=8 and uneven stages; 128 can use pp=4 (measured: 102.7%).
        var run = CliRunner.Run("sweep", "--model", "llama3-70b", "--on", "dgx-h100", "--counts", "64,128,256", "--json");
        Assert.Equal(0, run.ExitCode);
        var points = JsonDocument.Parse(run.Out).RootElement.GetProperty("points").EnumerateArray().ToList();
        var above = points.Where(p => p.GetProperty("scaling_efficiency").ValueKind == JsonValueKind.Number && p.GetProperty("scaling_efficiency").GetDouble() > 1.0005).ToList();
        Assert.NotEmpty(above);
        foreach (var p in points)
        {
            var note = p.GetProperty("scaling_note");
            var super = above.Contains(p);
            Assert.Equal(super, note.ValueKind == JsonValueKind.String);
            if (super)
                Assert.Matches(@"^scaling efficiency 1\d\d\.\d% is above 100%: .+; the step part that shrank most per device is \w+ \(.+ of the baseline's step, .+ of this one's\)$", note.GetString()!);
        }
        var text = CliRunner.Run("sweep", "--model", "llama3-70b", "--on", "dgx-h100", "--counts", "64,128,256");
        Assert.Contains("devices: scaling efficiency 1", text.Out);
        Assert.Contains("is not the 64-device baseline's", text.Out);
    }

    [Fact]
    public void A_fixed_layout_that_scales_sub_linearly_has_no_such_note()
    {
        var run = CliRunner.Run("sweep", "--model", "llama2-7b", "--on", "dgx-h100", "--counts", "8..64", "--tokens", "1T", "--layout", "tp=1,zero=1", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.All(JsonDocument.Parse(run.Out).RootElement.GetProperty("points").EnumerateArray(),
            p => Assert.Equal(JsonValueKind.Null, p.GetProperty("scaling_note").ValueKind));
    }
}
