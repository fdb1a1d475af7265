using WaferNotebooks.Core;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Cli.Tests.Commands;

public class RequestParserTests
{
    private static CommandRequest Parse(string subcommand, params (string Name, string[] Values)[] options) =>
        RequestParser.Default.Parse(subcommand, options.ToDictionary(o => o.Name, o => (IReadOnlyList<string>)o.Values));

    private static string Fails(string subcommand, params (string Name, string[] Values)[] options) =>
        Assert.ThrowsAny<WaferInputException>(() => Parse(subcommand, options)).Message;

    [Fact]
    public void Omitted_job_options_take_the_documented_defaults()
    {
        var r = (EstimateRequest)Parse("estimate", ("--model", ["llama2-70b"]), ("--on", ["dgx-h100:512"]));
        var model = SimulatorCatalog.Default.FindModel("llama2-70b");
        Assert.Equal(model.SeqLen, r.Job.SeqLen);
        Assert.Equal(20 * TransformerArithmetic.Parameters(model).Total, r.Job.Tokens);
        Assert.Equal((int)Math.Round(4194304.0 / model.SeqLen), r.Job.GlobalBatchSeqs);
        Assert.Equal(Precision.Bf16, r.Job.Precision);
        Assert.Null(r.Layout);
        Assert.Equal(Objective.Time, r.Objective);
        Assert.Equal(512, r.Target.Devices);
    }

    [Fact]
    public void Given_options_are_typed()
    {
        var r = (EstimateRequest)Parse("estimate",
            ("model", ["llama2-70b"]), ("on", ["dgx-h100:512"]), ("tokens", ["2T"]), ("batch", ["4M"]), ("seq", ["4K"]),
            ("precision", ["fp8"]), ("layout", ["tp=8,pp=4,mb=1"]), ("pue", ["1.1"]), ("price", ["2.5"]), ("carbon", ["50"]),
            ("json", []));
        Assert.Equal(2e12, r.Job.Tokens);
        Assert.Equal(1024, r.Job.GlobalBatchSeqs);
        Assert.Equal(4096, r.Job.SeqLen);
        Assert.Equal(Precision.Fp8, r.Job.Precision);
        Assert.Equal(16, r.Layout!.Dp);
        Assert.Equal(1.1, r.Economics.Pue.Value);
        Assert.Equal(2.5, r.Economics.PricePerDeviceHour!.Value);
        Assert.Equal(50, r.Economics.GramsCo2PerKwh.Value);
        Assert.True(r.Output.Json);
        // --objective ranks the planner's layouts, so it is typed on a request without --layout (beside one it is refused: CliBadInputTests).
        var planned = (EstimateRequest)Parse("estimate", ("model", ["llama2-70b"]), ("on", ["dgx-h100:512"]), ("objective", ["energy"]));
        Assert.Equal(Objective.Energy, planned.Objective);
    }

    [Fact]
    public void Framework_selects_the_software_profile_of_its_era_for_every_job_subcommand()
    {
        foreach (var sub in new[] { "estimate", "plan", "compare", "timeline" })
        {
            var job = Parse(sub, ("--model", ["gpt3-175b"]), ("--on", ["dgx-a100-80gb:1024"]), ("--framework", ["megatron-lm@2021-04"])) switch
            {
                EstimateRequest r => r.Job, PlanRequest r => r.Job, CompareRequest r => r.Job, TimelineRequest r => r.Job, var r => throw new InvalidOperationException(r.ToString()),
            };
            Assert.Equal(Core.Catalog.GpuSoftware.Megatron2021, job.Software);
        }
        var sweep = (SweepRequest)Parse("sweep", ("--model", ["gpt3-175b"]), ("--on", ["dgx-a100-80gb"]), ("--counts", ["512,1024"]), ("--framework", ["DeepSpeed"]));
        Assert.False(sweep.Job.Software!.InterleavedSchedule);
        Assert.Null(((EstimateRequest)Parse("estimate", ("--model", ["gpt3-175b"]), ("--on", ["dgx-a100-80gb:1024"]))).Job.Software);
        Assert.Contains("expected one of megatron-lm, megatron-core, deepspeed, fsdp",
            Fails("estimate", ("--model", ["gpt3-175b"]), ("--on", ["dgx-a100-80gb:1024"]), ("--framework", ["colossal"])));
        Assert.Contains("YYYY-MM", Fails("estimate", ("--model", ["gpt3-175b"]), ("--on", ["dgx-a100-80gb:1024"]), ("--framework", ["fsdp@2022"])));
        // A month to come was costed as today's stack; by the system clock, the current month is the latest (fixed-clock cases: FrameworkReleaseTests).
        var now = DateTime.UtcNow;
        Assert.Contains($"the latest valid month is megatron-lm@{now:yyyy-MM}",
            Fails("estimate", ("--model", ["gpt3-175b"]), ("--on", ["dgx-a100-80gb:1024"]), ("--framework", ["megatron-lm@2999-01"])));
    }

    [Fact]
    public void A_layout_with_dp_implies_the_device_count()
    {
        var r = (EstimateRequest)Parse("estimate", ("--model", ["llama2-70b"]), ("--on", ["dgx-h100"]), ("--layout", ["tp=8,pp=2,dp=4"]));
        Assert.Equal(64, r.Target.Devices);
    }

    [Fact]
    public void A_gpu_cluster_without_a_count_asks_for_one() =>
        Assert.Equal("--on dgx-h100: give the number of devices, e.g. dgx-h100:512 (or a --layout with dp)",
            Fails("estimate", ("--model", ["llama2-70b"]), ("--on", ["dgx-h100"])));

    [Fact]
    public void Compare_takes_several_systems_in_order()
    {
        var r = (CompareRequest)Parse("compare", ("--model", ["llama2-70b"]), ("--on", ["dgx-h100:512", "dgx-a100-80gb:1024", "cs-3:16"]));
        Assert.Equal(["dgx-h100", "dgx-a100-80gb", "cs-3"], r.Targets.Select(t => t.System.Id));
        Assert.Equal([512, 1024, 16], r.Targets.Select(t => t.Devices));
    }

    [Fact]
    public void Sweep_counts_and_knobs()
    {
        var r = (SweepRequest)Parse("sweep", ("--model", ["llama2-7b"]), ("--on", ["dgx-h100"]), ("--counts", ["8..64"]), ("--layout", ["tp=2"]));
        Assert.Equal([8, 16, 32, 64], r.Counts);
        Assert.Equal(2, r.Layout!.Tp);
        var k = (SweepRequest)Parse("sweep", ("--model", ["llama2-7b"]), ("--on", ["dgx-h100:64"]), ("--vary", ["batch=256,512"]));
        Assert.Equal([64], k.Counts);
        Assert.Equal([256.0, 512.0], k.Knob!.Values);
        Assert.Contains("sweep takes its device counts from --counts",
            Fails("sweep", ("--model", ["llama2-7b"]), ("--on", ["dgx-h100:64"]), ("--counts", ["8,16"])));
        Assert.Contains("leave dp out",
            Fails("sweep", ("--model", ["llama2-7b"]), ("--on", ["dgx-h100"]), ("--counts", ["8,16"]), ("--layout", ["tp=2,dp=4"])));
    }

    [Fact]
    public void Catalog_kind_defaults_to_everything()
    {
        Assert.Equal(3, ((CatalogRequest)Parse("catalog")).Kinds.Count);
        Assert.Equal([CatalogKind.Systems], ((CatalogRequest)Parse("catalog", ("--kind", ["systems"]))).Kinds);
    }

    [Theory]
    [InlineData("estimate", "--counts", "8,16", "estimate does not take --counts")]
    [InlineData("estimate", "--model", "llama2-70b,llama2-7b", "model")]
    [InlineData("plan", "--top", "0", "--top '0': must be a positive whole number")]
    [InlineData("estimate", "--pue", "-1", "--pue '-1': must be at least 1")]
    [InlineData("estimate", "--name", "1x", "--name '1x': expected a C# variable name")]
    public void Bad_options_are_named(string subcommand, string option, string value, string fragment)
    {
        var options = new Dictionary<string, string[]> { ["--model"] = ["llama2-70b"], ["--on"] = ["dgx-h100:512"] };
        options[option] = [value];
        Assert.Contains(fragment, Fails(subcommand, [.. options.Select(kv => (kv.Key, kv.Value))]));
    }

    [Fact]
    public void An_option_given_twice_is_refused() =>
        Assert.Equal("--tokens is given 2 times; estimate takes it once",
            Fails("estimate", ("--model", ["llama2-70b"]), ("--on", ["dgx-h100:8"]), ("--tokens", ["1T", "2T"])));

    [Fact]
    public void A_missing_required_option_shows_the_example() =>
        Assert.Equal($"plan needs --model ID; for example: {CommandGrammar.Plan.Example}",
            Fails("plan", ("--on", ["dgx-h100:512"])));

    [Fact]
    public void An_unknown_model_suggests_close_ids()
    {
        var message = Fails("estimate", ("--model", ["llama2-70"]), ("--on", ["dgx-h100:512"]));
        Assert.Contains("llama2-70b", message);
    }

    [Fact]
    public void An_unknown_system_suggests_close_ids() =>
        Assert.Contains("dgx-h100", Fails("estimate", ("--model", ["llama2-70b"]), ("--on", ["dgx-h10:512"])));

    [Fact]
    public void A_missing_data_file_is_reported() =>
        Assert.StartsWith("--data 'no-such.csv': file not found", Fails("validate", ("--data", ["no-such.csv"])));

    /// <summary>A folder was reported as "file not found", though it is there.</summary>
    [Fact]
    public void A_folder_given_for_a_file_is_called_a_folder()
    {
        var folder = Directory.CreateTempSubdirectory("wafer-folder-").FullName;
        try
        {
            Assert.Equal($"--data '{folder}': is a folder; give a file (this one holds none)", Fails("validate", ("--data", [folder])));
            foreach (var name in new[] { "runs.csv", "a.csv" })
                File.WriteAllText(Path.Combine(folder, name), "");
            Assert.Equal($"--data '{folder}': is a folder; give a file in it: a.csv, runs.csv", Fails("validate", ("--data", [folder])));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
