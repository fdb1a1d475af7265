using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Tests.Catalog;

/// <summary>Extending the catalog from a user JSON file and from C#; the catalog stays immutable.</summary>
public class CatalogExtensionTests
{
    private static readonly SimulatorCatalog Catalog = SimulatorCatalog.Default;

    private const string UserFile = """
    {
      // comments and trailing commas are allowed in user files
      "accelerators": [{
        "id": "x1", "name": "Example X1", "vendor": "Example",
        "peak_tflops_16": {"value": 500, "source": "vendor sheet"},
        "hbm_gb": {"value": 64, "source": "vendor sheet"},
        "hbm_tbps": {"value": 2, "source": "vendor sheet"},
        "scale_up_gbps": {"value": 200, "source": "vendor sheet"},
        "scale_out_gbps": {"value": 25, "source": "vendor sheet"},
        "tdp_w": {"value": 500, "source": "vendor sheet"},
        "idle_w": {"value": 80, "source": "our guess", "confidence": "assumed", "low": 50, "high": 120},
        "matmul_efficiency": {"value": 0.7, "source": "our guess", "confidence": "assumed", "low": 0.5, "high": 0.8},
        "price_per_hour": {"value": 1.5, "source": "our contract"},
        "default_system": "x1-pod",
      }],
      "systems": [{
        "id": "x1-pod", "name": "X1 pod", "kind": "gpu-cluster", "accelerator": "x1",
        "devices_per_node": 4, "scale_up_domain": 16,
        "scale_up_gbps": {"value": 150, "source": "measured by us", "confidence": "measured"},
        "scale_out_gbps": {"value": 20, "source": "measured by us", "confidence": "measured"},
        "scale_up_latency_us": {"value": 3, "source": "measured by us", "confidence": "measured"},
        "scale_out_latency_us": {"value": 8, "source": "measured by us", "confidence": "measured"},
        "node_overhead_w": {"value": 1000, "source": "PDU reading", "confidence": "measured"},
        "max_devices": 1024
      }, {
        "id": "dgx-h100-slow", "name": "DGX H100 on a slow network", "kind": "gpu-cluster", "accelerator": "h100",
        "devices_per_node": 8, "scale_up_domain": 8,
        "scale_up_gbps": {"value": 370, "source": "nccl-tests"},
        "scale_out_gbps": {"value": 10, "source": "nccl-tests"},
        "scale_up_latency_us": {"value": 3, "source": "nccl-tests"},
        "scale_out_latency_us": {"value": 8, "source": "nccl-tests"},
        "node_overhead_w": {"value": 4600, "source": "DGX H100 guide"}
      }],
      "models": [{
        "id": "my-7b", "name": "My 7B", "layers": 32, "hidden": 4096, "ffn_hidden": 11008, "ffn": "swiglu",
        "heads": 32, "kv_heads": 8, "vocab": 32000, "seq_len": 4096, "source": "our config"
      }]
    }
    """;

    [Fact]
    public void A_user_file_adds_accelerators_systems_and_models()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, UserFile);
            var extended = Catalog.ExtendFromJson(path);
            var pod = Assert.IsType<GpuCluster>(extended.FindSystem("x1-pod"));
            Assert.Equal(("x1", 4, 16, 1024, 1.5), (pod.Device.Id, pod.DevicesPerNode, pod.ScaleUpDomain, pod.MaxDevices, pod.Price.Value));
            Assert.Same(pod, extended.FindSystem("x1"));
            Assert.Equal(Confidence.Assumed, extended.FindAccelerator("x1").IdleW.Confidence);
            Assert.Equal("h100-sxm", ((GpuCluster)extended.FindSystem("dgx-h100-slow")).Device.Id);
            // A system with no price takes its accelerator's default price.
            Assert.Equal(Catalog.DefaultPricePerHour("h100-sxm"), extended.FindSystem("dgx-h100-slow").PricePerDeviceHour);
            Assert.Equal((8, 128), (extended.FindModel("my-7b").KvHeads, extended.FindModel("my-7b").HeadDim));
            Assert.Equal(Catalog.Models.Count + 1, extended.Models.Count);
            // The original is untouched.
            Assert.Throws<CatalogLookupException>(() => Catalog.FindSystem("x1-pod"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_user_entry_with_a_known_id_replaces_it_in_place()
    {
        const string json = """{"models": [{"id": "gpt3-175b", "name": "GPT-3 with 2 layers", "layers": 2, "hidden": 12288, "ffn_hidden": 49152, "ffn": "gelu", "heads": 96, "vocab": 50257, "seq_len": 2048, "source": "test"}]}""";
        var extended = Catalog.ExtendFromJsonText(json);
        Assert.Equal(2, extended.FindModel("gpt3-175b").Layers);
        Assert.Equal(Catalog.Models.Select(m => m.Id), extended.Models.Select(m => m.Id));
    }

    [Fact]
    public void Replacing_an_accelerator_rebinds_the_systems_built_from_it()
    {
        var faster = Catalog.FindAccelerator("h100-sxm") with { PeakTflops16 = new Sourced(2000, "what-if") };
        var extended = Catalog.With(faster);
        Assert.Equal(2000, ((GpuCluster)extended.FindSystem("dgx-h100")).Device.PeakTflops16.Value);
        Assert.Equal(2000, ((GpuCluster)extended.FindSystem("h100-roce")).Device.PeakTflops16.Value);
        Assert.Equal("dgx-h100", extended.FindSystem("h100").Id);
        Assert.Equal(989, ((GpuCluster)Catalog.FindSystem("dgx-h100")).Device.PeakTflops16.Value);
    }

    [Fact]
    public void With_adds_models_and_systems_from_code()
    {
        var model = Catalog.FindModel("llama2-7b") with { Id = "llama2-7b-long", SeqLen = 32768 };
        var h100 = (GpuCluster)Catalog.FindSystem("dgx-h100");
        var device = h100.Device with { Id = "h100-oc", Name = "Overclocked H100" };
        var system = h100 with { Id = "dgx-h100-oc", Device = device };
        var extended = Catalog.With(model).With(system);
        Assert.Equal(32768, extended.FindModel("llama2-7b-long").SeqLen);
        Assert.Equal("dgx-h100-oc", extended.FindSystem("dgx-h100-oc").Id);
        Assert.Equal("h100-oc", extended.FindAccelerator("h100-oc").Id); // the system's new device came along
    }

    [Fact]
    public void With_rejects_bad_ids_and_inconsistent_shapes()
    {
        var model = Catalog.FindModel("llama2-7b");
        Assert.Contains("must be lowercase", Assert.Throws<WaferInputException>(() => Catalog.With(model with { Id = "My Model" })).Message);
        Assert.Contains("kv heads (3) must divide heads (32)", Assert.Throws<WaferInputException>(() => Catalog.With(model with { Id = "m", KvHeads = 3 })).Message);
    }

    [Theory]
    [InlineData("""{"models": [""", "is not valid")]
    [InlineData("""{"modles": []}""", "modles")]
    [InlineData("""{"accelerators": [{"id": "x", "name": "X", "vendor": "V", "peak_tflops_16": 100}]}""", "a bare number has no source")]
    [InlineData("""{"accelerators": [{"id": "x", "name": "X", "vendor": "V", "peak_tflops_16": {"value": 100, "source": ""}}]}""", "needs a non-empty \"source\"")]
    [InlineData("""{"accelerators": [{"id": "x", "name": "X", "vendor": "V", "peak_tflops_16": {"value": 100, "source": "s", "low": 200, "high": 300}}]}""", "does not contain the value")]
    [InlineData("""{"accelerators": [{"id": "x", "name": "X", "vendor": "V", "peak_tflops_16": {"value": 100, "source": "s", "confidence": "sure"}}]}""", "unknown confidence 'sure'")]
    [InlineData("""{"accelerators": [{"id": "x", "name": "X", "vendor": "V"}]}""", "missing required properties")]
    [InlineData("""{"systems": [{"id": "s", "name": "S"}]}""", "system 's' needs \"kind\"")]
    [InlineData("""{"systems": [{"id": "s", "name": "S", "kind": "quantum"}]}""", "unknown kind 'quantum' (known: gpu-cluster")]
    [InlineData("""{"models": [{"id": "m", "name": "M", "layers": 2, "hidden": 64, "ffn_hidden": 256, "ffn": "tanh", "heads": 4, "vocab": 10, "seq_len": 8, "source": "s"}]}""", "ffn 'tanh' (allowed: gelu, relu, swiglu, geglu)")]
    [InlineData("""{"models": [{"id": "m", "name": "M", "layers": 2, "hidden": 64, "ffn_hidden": 256, "ffn": "gelu", "heads": 5, "vocab": 10, "seq_len": 8, "source": "s"}]}""", "hidden (64) must be divisible by heads (5)")]
    [InlineData("""{"models": [{"id": "Big", "name": "M", "layers": 2, "hidden": 64, "ffn_hidden": 256, "ffn": "gelu", "heads": 4, "vocab": 10, "seq_len": 8, "source": "s"}]}""", "model id 'Big' must be lowercase")]
    [InlineData("""{"models": [{"id": "m", "name": "M", "layers": 2, "hidden": 64, "ffn_hidden": 256, "ffn": "gelu", "heads": 4, "vocab": 10, "seq_len": 8, "batch_seqs": 0, "batch_source": "s", "source": "s"}]}""", "batch_seqs 0 (give the published global batch")]
    [InlineData("""{"models": [{"id": "m", "name": "M", "layers": 2, "hidden": 64, "ffn_hidden": 256, "ffn": "gelu", "heads": 4, "vocab": 10, "seq_len": 8, "batch_seqs": 64, "source": "s"}]}""", "batch_seqs without batch_source")]
    [InlineData(BadAcceleratorStart + "\"idle_w\": {\"value\": 900, \"source\": \"s\"}, \"matmul_efficiency\": {\"value\": 0.8, \"source\": \"s\"}}]}", "idle_w (900) must be between 0 and tdp_w (700)")]
    [InlineData(BadAcceleratorStart + "\"idle_w\": {\"value\": 90, \"source\": \"s\"}, \"matmul_efficiency\": {\"value\": 80, \"source\": \"s\"}}]}", "must be fractions in (0, 1]")]
    [InlineData(BadAcceleratorStart + "\"idle_w\": {\"value\": 90, \"source\": \"s\"}, \"matmul_efficiency\": {\"value\": 0.8, \"source\": \"s\"}, \"compute_units\": {\"value\": 131.5, \"source\": \"s\"}}]}", "compute_units (131.5) must be a whole number of at least 1")]
    [InlineData(BadAcceleratorStart + "\"idle_w\": {\"value\": 90, \"source\": \"s\"}, \"matmul_efficiency\": {\"value\": 0.8, \"source\": \"s\"}, \"sustained_matmul_share\": {\"value\": 1.2, \"source\": \"s\"}}]}", "sustained_matmul_share must be fractions in (0, 1]")]
    [InlineData(BadAcceleratorStart + "\"idle_w\": {\"value\": 90, \"source\": \"s\"}, \"matmul_efficiency\": {\"value\": 0.8, \"source\": \"s\"}, \"clock_power_curve\": {\"clock_mhz\": [1200, 1500], \"watts\": [400, 600], \"source\": \"s\"}}]}", "clock_power_curve must list clocks from high to low")]
    [InlineData(BadAcceleratorStart + "\"idle_w\": {\"value\": 90, \"source\": \"s\"}, \"matmul_efficiency\": {\"value\": 0.8, \"source\": \"s\"}, \"clock_power_curve\": {\"clock_mhz\": [1500, 1200], \"watts\": [600], \"source\": \"s\"}}]}", "2 clocks but 1 powers")]
    [InlineData(BadAcceleratorStart + "\"idle_w\": {\"value\": 90, \"source\": \"s\"}, \"matmul_efficiency\": {\"value\": 0.8, \"source\": \"s\"}, \"clock_power_curve\": {\"clock_mhz\": [1500, 1200], \"watts\": [600, 80], \"source\": \"s\"}}]}", "must have a positive clock and draw more than idle_w (90 W)")]
    [InlineData(BadAcceleratorStart + "\"idle_w\": {\"value\": 90, \"source\": \"s\"}, \"matmul_efficiency\": {\"value\": 0.8, \"source\": \"s\"}, \"clock_power_curve\": {\"clock_mhz\": [1500, 1200], \"watts\": [600, 400], \"source\": \"s\", \"confidence\": \"sure\"}}]}", "clock_power_curve has unknown confidence 'sure'")]
    [InlineData(BadAcceleratorStart + "\"idle_w\": {\"value\": 90, \"source\": \"s\"}, \"matmul_efficiency\": {\"value\": 0.8, \"source\": \"s\"}, \"clock_power_curve\": {\"clock_share\": [0.9, 0.8], \"watts\": [600, 400], \"source\": \"s\"}}]}", "its first value must be 1 (not 0.9)")]
    [InlineData(BadAcceleratorStart + "\"idle_w\": {\"value\": 90, \"source\": \"s\"}, \"matmul_efficiency\": {\"value\": 0.8, \"source\": \"s\"}, \"clock_power_curve\": {\"clock_share\": [1, 0.8], \"clock_mhz\": [1500, 1200], \"watts\": [600, 400], \"source\": \"s\"}}]}", "takes \"clock_mhz\" or \"clock_share\", not both")]
    [InlineData(BadAcceleratorStart + "\"idle_w\": {\"value\": 90, \"source\": \"s\"}, \"matmul_efficiency\": {\"value\": 0.8, \"source\": \"s\"}, \"clock_power_curve\": {\"watts\": [600, 400], \"source\": \"s\"}}]}", "needs \"clock_mhz\" (locked clocks) or \"clock_share\"")]
    [InlineData(BadAcceleratorStart + "\"idle_w\": {\"value\": 90, \"source\": \"s\"}, \"matmul_efficiency\": {\"value\": 0.8, \"source\": \"s\"}, \"architecture\": \"hoper\"}]}", "architecture 'hoper' is not known (known: volta, ampere, hopper, blackwell, cdna2")]
    public void A_bad_user_file_gets_a_message_naming_the_file_and_the_problem(string json, string expected)
    {
        var e = Assert.Throws<WaferInputException>(() => Catalog.ExtendFromJsonText(json, "mine.json"));
        Assert.Contains("Catalog file 'mine.json'", e.Message);
        Assert.Contains(expected, e.Message);
    }

    private const string BadAcceleratorStart = """
        {"accelerators": [{"id": "x", "name": "X", "vendor": "V", "peak_tflops_16": {"value": 100, "source": "s"},
          "hbm_gb": {"value": 80, "source": "s"}, "hbm_tbps": {"value": 3, "source": "s"}, "scale_up_gbps": {"value": 450, "source": "s"},
          "scale_out_gbps": {"value": 50, "source": "s"}, "tdp_w": {"value": 700, "source": "s"},
        """;

    [Fact]
    public void The_architecture_is_read_from_the_entry_never_from_the_id()
    {
        Assert.Equal(DeviceArchitecture.Hopper, Catalog.FindAccelerator("h800").Architecture);
        Assert.Equal(DeviceArchitecture.Ampere, Catalog.FindAccelerator("a100-40gb").Architecture);
        Assert.Equal(DeviceArchitecture.TpuV5p, Catalog.FindAccelerator("tpu-v5p").Architecture);
        Assert.All(Catalog.Accelerators, a => Assert.NotEqual(DeviceArchitecture.Unknown, a.Architecture));
        const string rest = "\"idle_w\": {\"value\": 90, \"source\": \"s\"}, \"matmul_efficiency\": {\"value\": 0.8, \"source\": \"s\"}";
        // An id that starts like an H100 is not a Hopper unless the entry says so.
        var unstated = Catalog.ExtendFromJsonText(BadAcceleratorStart.Replace("\"x\"", "\"h100-oc\"") + rest + "}]}");
        Assert.Equal(DeviceArchitecture.Unknown, unstated.FindAccelerator("h100-oc").Architecture);
        var stated = Catalog.ExtendFromJsonText(BadAcceleratorStart + rest + ", \"architecture\": \"Hopper\"}]}");
        Assert.Equal(DeviceArchitecture.Hopper, stated.FindAccelerator("x").Architecture);
        Assert.Equal("tpu-v5e", DeviceArchitectureNames.Name(DeviceArchitecture.TpuV5e));
    }

    [Fact]
    public void A_system_on_an_unknown_accelerator_suggests_close_ones()
    {
        const string json = """{"systems": [{"id": "s", "name": "S", "kind": "gpu-cluster", "accelerator": "h10", "devices_per_node": 8, "scale_up_domain": 8, "scale_up_gbps": {"value": 1, "source": "s"}, "scale_out_gbps": {"value": 1, "source": "s"}, "scale_up_latency_us": {"value": 1, "source": "s"}, "scale_out_latency_us": {"value": 1, "source": "s"}, "node_overhead_w": {"value": 1, "source": "s"}}]}""";
        var e = Assert.Throws<WaferInputException>(() => Catalog.ExtendFromJsonText(json, "mine.json"));
        Assert.Contains("uses accelerator 'h10', which is not in the catalog. Did you mean: h100", e.Message);
    }

    [Fact]
    public void A_missing_file_is_reported_as_bad_input()
    {
        var e = Assert.Throws<WaferInputException>(() => Catalog.ExtendFromJson(Path.Combine(Path.GetTempPath(), "no-such-catalog-file.json")));
        Assert.Contains("Cannot read catalog file", e.Message);
    }
}
