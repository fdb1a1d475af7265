using System.Text.Json.Nodes;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Cli.Tests;

/// <summary>Each subcommand run in-process: exit code, JSON keys, and numbers equal to calling Core directly.</summary>
public class CliSubcommandTests
{
    private static readonly string[] EstimateKeys =
    [
        "model", "system", "devices", "layout", "feasible", "reason", "step_time_s", "breakdown", "tokens_per_s",
        "tokens_per_s_per_device", "model_tflops_per_device", "hardware_tflops_per_device", "mfu", "hfu",
        "memory_per_device_gb", "time_to_train_days", "device_hours", "energy_mwh", "cost_usd", "co2_t", "assumptions",
    ];

    private static readonly string[] LayoutKeys = ["tp", "pp", "dp", "cp", "ep", "vpp", "micro_batch", "zero_stage", "recompute", "sequence_parallel"];

    // A command without --framework costs the mainstream stack, megatron-core, with its family's fitted constants.
    private static readonly SimulatorCatalog Catalog = SimulatorCatalog.Default.ForFramework("megatron-core");

    private static TrainingJob Job(string model, double tokens)
    {
        var m = Catalog.FindModel(model);
        return new TrainingJob(m, tokens, JobDefaults.GlobalBatchSeqs(m, m.SeqLen), m.SeqLen);
    }

    private static JsonObject Json(CliRun run)
    {
        Assert.True(run.ExitCode is ExitCodes.Ok, $"exit {run.ExitCode}: {run.Err}");
        return JsonNode.Parse(run.Out)!.AsObject();
    }

    internal static void AssertEstimateShape(JsonObject e)
    {
        foreach (var key in EstimateKeys)
            Assert.True(e.ContainsKey(key), $"estimate JSON lacks '{key}'");
        var layout = e["layout"]!.AsObject();
        foreach (var key in LayoutKeys)
            Assert.True(layout.ContainsKey(key), $"layout JSON lacks '{key}'");
        var parts = e["breakdown"]!.AsObject().Sum(kv => kv.Value!.GetValue<double>());
        Assert.Equal(e["step_time_s"]!.GetValue<double>(), parts, 6);
    }

    [Fact]
    public void Estimate_json_has_every_key_and_core_s_numbers()
    {
        var json = Json(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", "--tokens", "2T", "--json"));
        AssertEstimateShape(json);

        var core = Simulator.Estimate(Job("llama2-70b", 2e12), Catalog.FindSystem("dgx-h100"), 512);
        Assert.Equal("llama2-70b", json["model"]!.GetValue<string>());
        Assert.Equal("dgx-h100", json["system"]!.GetValue<string>());
        Assert.Equal(512, json["devices"]!.GetValue<int>());
        Assert.Equal(core.StepTimeS, json["step_time_s"]!.GetValue<double>(), 12);
        Assert.Equal(core.TimeToTrainDays, json["time_to_train_days"]!.GetValue<double>(), 12);
        Assert.Equal(core.Mfu, json["mfu"]!.GetValue<double>(), 12);
        Assert.Equal(core.Layout.Tp, json["layout"]!["tp"]!.GetValue<int>());
        Assert.Equal(core.Layout.Pp, json["layout"]!["pp"]!.GetValue<int>());
        Assert.True(json["feasible"]!.GetValue<bool>());

        var range = json["range"]!["time_to_train_days"]!;
        Assert.InRange(json["time_to_train_days"]!.GetValue<double>(), range["low"]!.GetValue<double>(), range["high"]!.GetValue<double>());
    }

    [Fact]
    public void Cancelling_stops_with_its_own_exit_code()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var run = CliRunner.Run(cancel.Token, "plan", "--model", "llama2-70b", "--on", "dgx-h100:512");
        Assert.Equal(ExitCodes.Cancelled, run.ExitCode);
        Assert.Equal("cancelled", run.Err.Trim());
    }

    [Fact]
    public void Estimate_with_a_layout_uses_it()
    {
        var json = Json(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", "--tokens", "2T",
            "--layout", "tp=8,pp=4,mb=1,zero=1,recompute=selective,sp=1", "--json"));
        var layout = json["layout"]!;
        Assert.Equal([8, 4, 16, 1], new[] { "tp", "pp", "dp", "micro_batch" }.Select(k => layout[k]!.GetValue<int>()));
        Assert.Equal("selective", layout["recompute"]!.GetValue<string>());
        Assert.True(layout["sequence_parallel"]!.GetValue<bool>());

        var core = Simulator.Estimate(Job("llama2-70b", 2e12), Catalog.FindSystem("dgx-h100"), 512,
            new Layout(8, 4, 16, ZeroStage: 1, Recompute: Recompute.Selective, SequenceParallel: true));
        Assert.Equal(core.StepTimeS, json["step_time_s"]!.GetValue<double>(), 12);
    }

    [Fact]
    public void Partial_recompute_is_a_layout_key_and_a_json_field()
    {
        var json = Json(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", "--tokens", "2T",
            "--layout", "tp=8,pp=4,mb=1,zero=1,recompute=full,rl=5,sp=1", "--json"));
        Assert.Equal("full", json["layout"]!["recompute"]!.GetValue<string>());
        Assert.Equal(5, json["layout"]!["recompute_layers"]!.GetValue<int>());
        var all = Json(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", "--tokens", "2T",
            "--layout", "tp=8,pp=4,mb=1,zero=1,recompute=full,sp=1", "--json"));
        Assert.Null(all["layout"]!["recompute_layers"]);
        Assert.True(json["step_time_s"]!.GetValue<double>() < all["step_time_s"]!.GetValue<double>());
    }

    [Fact]
    public void Estimate_text_has_headline_figures_and_tables()
    {
        var run = CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", "--tokens", "2T");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("llama2-70b on 512 × dgx-h100", run.Out);
        foreach (var heading in new[] { "time to train", "days", "MFU / HFU", "memory per device", "step part", "memory part", "assumptions" })
            Assert.Contains(heading, run.Out);
        Assert.Equal("", run.Err);
    }

    [Fact]
    public void Compare_lists_each_system_in_order()
    {
        var json = Json(CliRunner.Run("compare", "--model", "llama2-70b", "--tokens", "2T", "--on", "dgx-h100:512", "--on", "dgx-a100-80gb:1024", "--json"));
        var estimates = json["estimates"]!.AsArray();
        Assert.Equal(["dgx-h100", "dgx-a100-80gb"], estimates.Select(e => e!["system"]!.GetValue<string>()));
        Assert.All(estimates, e => AssertEstimateShape(e!.AsObject()));
        Assert.NotNull(json["fastest"]);
        var a100 = Simulator.Estimate(Job("llama2-70b", 2e12), Catalog.FindSystem("dgx-a100-80gb"), 1024);
        Assert.Equal(a100.StepTimeS, estimates[1]!["step_time_s"]!.GetValue<double>(), 12);
        Assert.Equal(a100.CostUsd, estimates[1]!["cost_usd"]!.GetValue<double>(), 6);

        var text = CliRunner.Run("compare", "--model", "llama2-70b", "--tokens", "2T", "--on", "dgx-h100:512", "--on", "dgx-a100-80gb:1024");
        Assert.Contains("fastest", text.Out);
    }

    [Fact]
    public void Sweep_gives_one_estimate_per_count_with_scaling_efficiency()
    {
        var json = Json(CliRunner.Run("sweep", "--model", "llama2-7b", "--on", "dgx-h100", "--counts", "8,16,32", "--tokens", "1T", "--json"));
        var points = json["points"]!.AsArray();
        Assert.Equal([8, 16, 32], points.Select(p => p!["devices"]!.GetValue<int>()));
        Assert.All(points, p => AssertEstimateShape(p!.AsObject()));
        Assert.Equal(1.0, points[0]!["scaling_efficiency"]!.GetValue<double>(), 12);
        var first = points[0]!["tokens_per_s_per_device"]!.GetValue<double>();
        Assert.Equal(points[2]!["tokens_per_s_per_device"]!.GetValue<double>() / first, points[2]!["scaling_efficiency"]!.GetValue<double>(), 9);
    }

    [Fact]
    public void Plan_ranks_layouts_like_the_planner()
    {
        var json = Json(CliRunner.Run("plan", "--model", "llama2-70b", "--on", "dgx-h100:256", "--tokens", "2T", "--top", "3", "--json"));
        var top = json["top"]!.AsArray();
        Assert.InRange(top.Count, 1, 3);
        Assert.Equal(top[0]!["step_time_s"]!.GetValue<double>(), json["best"]!["step_time_s"]!.GetValue<double>());
        Assert.NotEmpty(json["pareto_front"]!.AsArray());

        var core = Simulator.Plan(Job("llama2-70b", 2e12), Catalog.FindSystem("dgx-h100"), 256, EconomicAssumptions.Default, Objective.Time, 3);
        Assert.Equal(core.Evaluated, json["evaluated"]!.GetValue<int>());
        Assert.Equal(core.Best!.StepTimeS, json["best"]!["step_time_s"]!.GetValue<double>(), 12);

        var text = CliRunner.Run("plan", "--model", "llama2-70b", "--on", "dgx-h100:256", "--tokens", "2T", "--top", "3");
        Assert.Contains("Pareto front", text.Out);
    }

    [Fact]
    public void Catalog_lists_the_catalog()
    {
        var json = Json(CliRunner.Run("catalog", "systems", "--json"));
        var systems = json["systems"]!.AsArray();
        Assert.Equal(Catalog.Systems.Count, systems.Count);
        Assert.Contains(systems, s => s!["id"]!.GetValue<string>() == "dgx-h100");
        Assert.False(json.ContainsKey("models"));

        var all = CliRunner.Run("catalog");
        Assert.Equal(ExitCodes.Ok, all.ExitCode);
        Assert.Contains($"Models ({Catalog.Models.Count})", all.Out);
        Assert.Contains($"Accelerators ({Catalog.Accelerators.Count})", all.Out);
        Assert.Contains($"Systems ({Catalog.Systems.Count})", all.Out);

        var models = Json(CliRunner.Run("catalog", "--kind", "models", "--json"))["models"]!.AsArray();
        var llama = models.Single(m => m!["id"]!.GetValue<string>() == "llama3-405b")!;
        Assert.Equal(2048, llama["batch_seqs"]!.GetValue<int>());
    }

    [Fact]
    public void Estimate_without_a_batch_runs_the_model_s_published_one()
    {
        var json = Json(CliRunner.Run("estimate", "--model", "gpt3-175b", "--on", "dgx-a100-80gb:1024", "--tokens", "300B", "--json"));
        Assert.Equal(1536, json["job"]!["global_batch_seqs"]!.GetValue<int>());
    }

    [Fact]
    public void Timeline_draws_the_estimate_s_step()
    {
        var args = new[] { "--model", "gpt3-175b", "--on", "dgx-a100-80gb:1024", "--tokens", "300B", "--layout", "tp=8,pp=16,mb=1" };
        var json = Json(CliRunner.Run(["timeline", .. args, "--json"]));
        var estimate = Json(CliRunner.Run(["estimate", .. args, "--json"]));
        Assert.Equal(estimate["step_time_s"]!.GetValue<double>(), json["step_time_s"]!.GetValue<double>(), 12);
        var lanes = json["lanes"]!.AsArray();
        Assert.Contains(lanes, l => l!["kind"]!.GetValue<string>() == "bubble");
        var total = lanes.SelectMany(l => l!["segments"]!.AsArray()).Sum(s => s!["duration_s"]!.GetValue<double>());
        Assert.Equal(json["step_time_s"]!.GetValue<double>(), total, 6);

        var text = CliRunner.Run(["timeline", .. args]);
        Assert.Contains("pipeline bubble", text.Out);
        Assert.Contains("█", text.Out);
    }

    [Fact]
    public void Help_shows_every_subcommand_and_examples()
    {
        var root = CliRunner.Run("--help");
        Assert.Equal(ExitCodes.Ok, root.ExitCode);
        foreach (var s in CommandGrammar.Subcommands)
        {
            Assert.Contains(s.Name, root.Out);
            var help = CliRunner.Run(s.Name, "--help");
            Assert.Equal(ExitCodes.Ok, help.ExitCode);
            Assert.Contains("Example: wafer " + s.Example, help.Out);
            Assert.DoesNotContain("--offline", help.Out);
        }
    }
}
