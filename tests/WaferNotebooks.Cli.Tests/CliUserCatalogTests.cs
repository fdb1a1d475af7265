using System.Text.Json.Nodes;
using WaferNotebooks.Core;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Cli.Tests;

/// <summary>
/// --catalog and WAFER_CATALOG: a user file of systems and models, applied over the built-in
/// catalog by the shared parser (so the notebook directive gets the same behaviour).
/// </summary>
public sealed class CliUserCatalogTests : IDisposable
{
    /// <summary>An H100 cluster on a slow network (with its own price) and a 7B GQA model, as docs/catalog.md §5 shows.</summary>
    private const string UserJson = """
        {
          "about": "a lab's own cluster and model",
          "systems": [
            {
              "kind": "gpu-cluster", "id": "my-system", "name": "Lab H100 cluster on RoCE",
              "accelerator": "h100", "devices_per_node": 8, "scale_up_domain": 8,
              "scale_up_gbps":        { "value": 360,  "source": "nccl-tests busbw inside one node", "confidence": "measured" },
              "scale_out_gbps":       { "value": 9,    "source": "nccl-tests busbw across nodes", "confidence": "measured", "low": 8, "high": 10 },
              "scale_up_latency_us":  { "value": 3,    "source": "as dgx-h100", "confidence": "assumed" },
              "scale_out_latency_us": { "value": 12,   "source": "nccl-tests small messages", "confidence": "measured" },
              "node_overhead_w":      { "value": 3000, "source": "PDU reading", "confidence": "measured" },
              "price_per_device_hour": { "value": 2.1, "source": "lab chargeback", "confidence": "secondary" }
            }
          ],
          "models": [
            { "id": "my-model", "name": "Lab 7B", "layers": 32, "hidden": 4096, "ffn_hidden": 14336, "ffn": "swiglu",
              "heads": 32, "kv_heads": 8, "vocab": 128256, "seq_len": 8192, "source": "our config.json" }
          ]
        }
        """;

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("wafer-user-catalog-");

    public void Dispose() => dir.Delete(recursive: true);

    private string Write(string name, string json)
    {
        var path = Path.Combine(dir.FullName, name);
        File.WriteAllText(path, json);
        return path;
    }

    private static string ModelJson(int layers) =>
        $$"""{ "models": [ { "id": "my-model", "name": "Lab model", "layers": {{layers}}, "hidden": 4096, "ffn_hidden": 11008, "ffn": "swiglu", "heads": 32, "vocab": 32000, "seq_len": 4096, "source": "test" } ] }""";

    [Fact]
    public void Estimate_text_runs_the_user_model_on_the_user_system()
    {
        var user = Write("user.json", UserJson);
        var run = CliRunner.Run("estimate", "--catalog", user, "--model", "my-model", "--on", "my-system:64", "--tokens", "1T");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Err);
        Assert.StartsWith("my-model on 64 × my-system (NVIDIA H100", run.Out);
        Assert.Contains("price: $2.1 per device-hour (lab chargeback)", run.Out);
    }

    [Fact]
    public void Estimate_json_gives_the_numbers_of_the_extended_catalog()
    {
        var user = Write("user.json", UserJson);
        var run = CliRunner.Run("estimate", "--catalog", user, "--model", "my-model", "--on", "my-system:64", "--tokens", "1T", "--json");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Err);
        var json = JsonNode.Parse(run.Out)!.AsObject();
        CliSubcommandTests.AssertEstimateShape(json);
        Assert.Equal("my-model", json["model"]!.GetValue<string>());
        Assert.Equal("my-system", json["system"]!.GetValue<string>());
        Assert.Equal(64, json["devices"]!.GetValue<int>());

        // Without --framework the command costs the mainstream stack, megatron-core, with its family's fitted constants.
        var catalog = SimulatorCatalog.Default.ExtendFromJson(user).ForFramework("megatron-core");
        var model = catalog.FindModel("my-model");
        var job = new TrainingJob(model, 1e12, JobDefaults.GlobalBatchSeqs(model, model.SeqLen), model.SeqLen);
        var core = Simulator.Estimate(job, catalog.FindSystem("my-system"), 64);
        Assert.Equal(core.StepTimeS, json["step_time_s"]!.GetValue<double>(), 12);
        // The file's price, not the H100's catalog price.
        Assert.Equal(2.1 * json["device_hours"]!.GetValue<double>(), json["cost_usd"]!.GetValue<double>(), 6);
    }

    [Fact]
    public void Catalog_lists_the_user_entries_beside_the_built_in_ones()
    {
        var user = Write("user.json", UserJson);
        var run = CliRunner.Run("catalog", "systems", "--catalog", user);
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Err);
        Assert.Contains("my-system", run.Out);
        Assert.Contains("dgx-h100", run.Out);
    }

    [Fact]
    public void Without_the_option_the_user_ids_are_unknown() =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--model", "my-model", "--on", "dgx-h100:64"), "Unknown model 'my-model'");

    [Fact]
    public void Malformed_json_names_the_option_the_file_and_the_place()
    {
        var bad = Write("bad.json", """{ "models": [ { "id": "x" """);
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--catalog", bad, "--model", "llama2-7b", "--on", "dgx-h100:64"),
            $"error: --catalog: Catalog file '{bad}' is not valid:", "Path: $.models[0]");
    }

    [Fact]
    public void A_bad_entry_keeps_the_catalog_s_message()
    {
        var bad = Write("bad-entry.json", UserJson.Replace("\"accelerator\": \"h100\"", "\"accelerator\": \"h100-typo\""));
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--catalog", bad, "--model", "my-model", "--on", "my-system:64"),
            $"error: --catalog: Catalog file '{bad}': system 'my-system' uses accelerator 'h100-typo', which is not in the catalog.");
    }

    [Fact]
    public void A_missing_file_is_named_with_the_working_directory() =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--catalog", "no-such-catalog.json", "--model", "llama2-7b", "--on", "dgx-h100:64"),
            $"error: --catalog 'no-such-catalog.json': file not found (relative paths start at {Directory.GetCurrentDirectory()})");

    [Fact]
    public void Repeated_files_apply_in_order_and_the_last_wins()
    {
        var first = Write("first.json", ModelJson(24));
        var second = Write("second.json", ModelJson(16));
        var run = CliRunner.Run("catalog", "models", "--catalog", first, "--catalog", second, "--json");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Err);
        var mine = JsonNode.Parse(run.Out)!["models"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == "my-model")!;
        Assert.Equal(16, mine["layers"]!.GetValue<int>());
    }

    [Fact]
    public void The_environment_list_applies_before_the_option()
    {
        var env24 = Write("env24.json", ModelJson(24));
        var env20 = Write("env20.json", ModelJson(20));
        var option = Write("option.json", ModelJson(16));
        int Layers(string? environment, params string[] files)
        {
            var values = new Dictionary<string, IReadOnlyList<string>> { ["--model"] = ["my-model"], ["--on"] = ["dgx-h100:8"] };
            if (files.Length > 0) values["--catalog"] = files;
            var request = (EstimateRequest)new RequestParser(SimulatorCatalog.Default, environment).Parse("estimate", values);
            return request.Job.Model.Layers;
        }

        // Listed in order, separated by the platform's path separator; empty entries are ignored.
        Assert.Equal(20, Layers($"{env24}{Path.PathSeparator}{Path.PathSeparator}{env20}"));
        Assert.Equal(16, Layers($"{env24}{Path.PathSeparator}{env20}", option));
        Assert.Equal(24, Layers(null, env24));
    }

    [Fact]
    public void A_missing_environment_file_names_the_variable()
    {
        var e = Assert.Throws<WaferInputException>(() =>
            new RequestParser(SimulatorCatalog.Default, "gone.json").Parse("catalog", new Dictionary<string, IReadOnlyList<string>>()));
        Assert.StartsWith($"{UserCatalogs.EnvironmentVariable} 'gone.json': file not found", e.Message);
    }
}
