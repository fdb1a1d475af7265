using System.Text.RegularExpressions;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.Catalog;

/// <summary>The embedded catalog data: ids, sources, ranges, and model shapes against published parameter counts.</summary>
public class CatalogDataTests
{
    private static readonly SimulatorCatalog Catalog = SimulatorCatalog.Default;

    public static TheoryData<string> ValidationSystemIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in ReadValidationSystemIds()) data.Add(id);
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidationSystemIds))]
    public void Every_validation_system_id_exists(string id) =>
        Assert.Equal(id, Catalog.FindSystem(id).Id);

    [Fact]
    public void The_validation_ids_were_read() =>
        Assert.Superset(new HashSet<string> { "dgx-a100-80gb", "tpu-v4-pod", "cs-2", "cs-3", "vtrain-a100" }, ReadValidationSystemIds().ToHashSet());

    [Fact]
    public void The_vtrain_preset_describes_the_vtrain_cluster()
    {
        var s = Assert.IsType<GpuCluster>(Catalog.FindSystem("vtrain-a100"));
        Assert.Equal(8, s.DevicesPerNode);
        Assert.Equal(150, s.ScaleUpGBps.Value);
        Assert.Equal(800.0 / 8 / 8, s.ScaleOutGBps.Value); // 800 Gb/s per node of 8 GPUs
        Assert.StartsWith("a100", s.Device.Id);
    }

    [Fact]
    public void A_calibration_group_holds_one_die_so_its_fitted_constants_carry_over()
    {
        // H200 and H800 are the H100's GH100 die at its clocks and 700 W: an H100 fit applies to them.
        // A group is one die (its clock may differ with the power limit: GB200 runs the B200's die at 1,200 W).
        Assert.Equal("h100-sxm", Catalog.CalibrationGroupOf("h200"));
        Assert.Equal("h100-sxm", Catalog.CalibrationGroupOf("h800"));
        foreach (var group in Catalog.Accelerators.GroupBy(a => Catalog.CalibrationGroupOf(a.Id)).Where(g => g.Count() > 1))
        {
            var first = group.First();
            Assert.All(group, a =>
            {
                Assert.Equal(first.Architecture, a.Architecture);
                Assert.Equal(first.ComputeUnits?.Value, a.ComputeUnits?.Value);
            });
        }
    }

    [Fact]
    public void The_required_accelerators_exist()
    {
        string[] ids = ["a100-40gb", "a100-80gb", "h100-sxm", "h100-sxm-96gb", "h100-pcie", "h800", "h200", "b200", "gb200", "mi250x", "mi300x",
            "mi325x", "mi350x", "mi355x", "gaudi2", "gaudi3", "trainium1", "trainium2", "tpu-v3", "tpu-v4", "tpu-v5e", "tpu-v5p", "tpu-v6e", "v100"];
        Assert.Equal(ids.Order(), Catalog.Accelerators.Select(a => a.Id).Order());
    }

    [Fact]
    public void Every_accelerator_has_a_default_system_built_from_it()
    {
        foreach (var a in Catalog.Accelerators)
        {
            var system = Assert.IsType<GpuCluster>(Catalog.DefaultSystemFor(a.Id));
            Assert.Equal(a.Id, system.Device.Id);
            Assert.Same(system, Catalog.FindSystem(a.Id));
        }
    }

    [Theory]
    [InlineData("h100", "dgx-h100")]
    [InlineData("H100", "dgx-h100")]
    [InlineData("b200", "dgx-b200")]
    [InlineData("mi300x", "mi300x-node")]
    [InlineData("a100", "dgx-a100-80gb")]
    [InlineData("tpu-v4", "tpu-v4-pod")]
    [InlineData("trainium2", "trn2")]
    [InlineData("tpu-v6e", "tpu-v6e-pod")]
    [InlineData("trillium", "tpu-v6e-pod")]
    [InlineData("v6e", "tpu-v6e-pod")]
    public void A_bare_accelerator_id_means_its_default_system(string accelerator, string system) =>
        Assert.Equal(system, Catalog.FindSystem(accelerator).Id);

    [Fact]
    public void Tpu_v6e_is_read_as_the_cloud_tpu_page_states_it()
    {
        // Google Cloud TPU v6e page: 918 TFLOPs bf16, 32 GB at 1,638 GBps, ICI 800 GBps bidirectional over 4 ports,
        // 4 x 200 Gbps NICs per 8-chip host, 256-chip pods in a 2D torus; no FP8 figure, so no FP8 units.
        var v6e = Catalog.FindAccelerator("trillium");
        Assert.Equal("tpu-v6e", v6e.Id);
        Assert.Equal(DeviceArchitecture.TpuV6e, v6e.Architecture);
        Assert.Equal((918.0, 32.0, 1.638), (v6e.PeakTflops16.Value, v6e.HbmGb.Value, v6e.HbmTBps.Value));
        Assert.Equal(800.0 / 2, v6e.ScaleUpGBps.Value);
        Assert.Equal(4 * 200.0 / 8 / 8, v6e.ScaleOutGBps.Value); // Gb/s per host -> GB/s per chip
        Assert.Null(v6e.PeakTflopsFp8);
        Assert.Equal(v6e.PeakTflops16.Value, v6e.PeakTflops(Precision.Fp8));
        Assert.Equal(0, v6e.LaunchS!.Value);
        var price = Catalog.DefaultPricePerHour("tpu-v6e")!;
        Assert.Equal((2.7, 1.22), (price.Value, price.Low!.Value)); // on demand; 3-year commitment
        Assert.Equal(Confidence.Assumed, v6e.TdpW.Confidence);

        var pod = Assert.IsType<GpuCluster>(Catalog.FindSystem("tpu-v6e-pod"));
        Assert.Equal("tpu-v6e", pod.Device.Id);
        Assert.Equal((8, 256, (int?)null), (pod.DevicesPerNode, pod.ScaleUpDomain, pod.MaxDevices));
        Assert.Equal(0.85 * 400, pod.ScaleUpGBps.Value, 9);
        Assert.Equal(0.9 * 12.5, pod.ScaleOutGBps.Value, 9);
    }

    [Fact]
    public void Ids_are_lowercase_and_unique()
    {
        IEnumerable<string> ids = [.. Catalog.Accelerators.Select(a => a.Id), .. Catalog.Systems.Select(s => s.Id), .. Catalog.Models.Select(m => m.Id)];
        foreach (var id in ids) Assert.Matches("^[a-z0-9][a-z0-9.\\-]*$", id);
        Assert.Equal(Catalog.Systems.Count, Catalog.Systems.Select(s => s.Id).Distinct().Count());
        Assert.Equal(Catalog.Models.Count, Catalog.Models.Select(m => m.Id).Distinct().Count());
    }

    public static TheoryData<string, string> EverySourcedValue()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, s) in SourcedValues(Catalog)) data.Add(path, s.Source);
        return data;
    }

    [Theory]
    [MemberData(nameof(EverySourcedValue))]
    public void Every_sourced_value_has_a_source(string path, string source) =>
        Assert.False(string.IsNullOrWhiteSpace(source), $"{path} has no source");

    [Fact]
    public void Every_range_contains_its_value_and_uncertain_values_carry_a_range()
    {
        foreach (var (path, s) in SourcedValues(Catalog))
        {
            if (s.Low is { } low) Assert.True(low <= s.Value, $"{path}: low {low} > value {s.Value}");
            if (s.High is { } high) Assert.True(high >= s.Value, $"{path}: high {high} < value {s.Value}");
            if (s.Confidence is Confidence.Assumed or Confidence.Secondary)
                Assert.True(s.HasRange, $"{path} is {s.Confidence} but has no range");
        }
    }

    [Fact]
    public void Accelerator_figures_are_consistent()
    {
        foreach (var a in Catalog.Accelerators)
        {
            Assert.True(a.IdleW.Value < a.TdpW.Value, $"{a.Id}: idle >= TDP");
            Assert.InRange(a.MatmulEfficiency.Value, 0.3, 1.0);
            if (a.PeakTflopsFp8 is { } fp8) Assert.True(fp8.Value >= a.PeakTflops16.Value, $"{a.Id}: FP8 peak below 16-bit peak");
            else Assert.Null(a.MatmulEfficiencyFp8);
            Assert.True(Catalog.DefaultPricePerHour(a.Id) is { Value: > 0 }, $"{a.Id}: no default price");
        }
    }

    [Fact]
    public void Fp8_gemms_use_the_fp8_efficiency_where_measured_and_the_16_bit_one_elsewhere()
    {
        var h100 = Catalog.FindAccelerator("h100-sxm");
        Assert.Equal(h100.MatmulEfficiencyFp8!.Value, h100.MatmulEfficiencyAt(Precision.Fp8));
        Assert.Equal(h100.MatmulEfficiency.Value, h100.MatmulEfficiencyAt(Precision.Bf16));
        var a100 = Catalog.FindAccelerator("a100-80gb");
        Assert.Equal(a100.MatmulEfficiency.Value, a100.MatmulEfficiencyAt(Precision.Fp8));
        Assert.Equal(a100.PeakTflops16.Value, a100.PeakTflops(Precision.Fp8));
    }

    [Fact]
    public void Achievable_system_bandwidth_never_exceeds_the_device_link_rate()
    {
        foreach (var s in Catalog.Systems.OfType<GpuCluster>())
        {
            Assert.True(s.ScaleUpGBps.Value <= s.Device.ScaleUpGBps.Value, $"{s.Id}: scale-up {s.ScaleUpGBps.Value} above link {s.Device.ScaleUpGBps.Value}");
            Assert.True(s.ScaleOutGBps.Value <= s.Device.ScaleOutGBps.Value, $"{s.Id}: scale-out {s.ScaleOutGBps.Value} above link {s.Device.ScaleOutGBps.Value}");
            Assert.True(s.ScaleUpDomain % s.DevicesPerNode == 0 || s.DevicesPerNode % s.ScaleUpDomain == 0, s.Id);
            if (s.MaxDevices is { } max) Assert.True(max >= s.ScaleUpDomain || max >= s.DevicesPerNode, s.Id);
        }
    }

    [Fact]
    public void The_required_models_exist()
    {
        string[] ids = ["gpt3-125m", "gpt3-350m", "gpt3-760m", "gpt3-1.3b", "gpt3-2.7b", "gpt3-6.7b", "gpt3-13b", "gpt3-175b",
            "megatron-1t", "mtnlg-530b", "gpt-neox-20b", "llama1-7b", "llama1-13b", "llama1-33b", "llama1-65b", "llama2-7b",
            "llama2-13b", "llama2-70b", "llama3-8b", "llama3-70b", "llama3-405b", "bloom-176b", "opt-175b", "palm-540b",
            "falcon-180b", "mixtral-8x7b", "deepseek-v3", "deepseek-v2", "gpt-oss-120b", "cerebras-gpt-111m", "cerebras-gpt-256m", "cerebras-gpt-590m",
            "cerebras-gpt-1.3b", "cerebras-gpt-2.7b", "cerebras-gpt-6.7b", "cerebras-gpt-13b"];
        Assert.Equal(ids.Order(), Catalog.Models.Select(m => m.Id).Order());
    }

    public static TheoryData<string> ModelIds()
    {
        var data = new TheoryData<string>();
        foreach (var m in Catalog.Models) data.Add(m.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelIds))]
    public void Parameters_counted_from_the_shapes_match_the_published_count(string id)
    {
        var m = Catalog.FindModel(id);
        Assert.NotNull(m.PublishedParamsB);
        Assert.False(string.IsNullOrWhiteSpace(m.Source));
        var counted = TransformerArithmetic.Parameters(m).Total / 1e9;
        var error = Math.Abs(counted - m.PublishedParamsB!.Value) / m.PublishedParamsB.Value;
        Assert.True(error <= 0.03, $"{id}: {counted:F3}B from shapes vs {m.PublishedParamsB}B published ({error:P1})");
    }

    [Fact]
    public void Model_shapes_carry_the_published_details()
    {
        var palm = Catalog.FindModel("palm-540b");
        Assert.Equal((256, 1, FfnKind.SwiGlu), (palm.HeadDim, palm.KvHeads, palm.Ffn));
        var dsv3 = Catalog.FindModel("deepseek-v3");
        Assert.Equal(new MoeSpec(256, 8, 1, 2048, 3, 18432), dsv3.Moe);
        var l405 = Catalog.FindModel("llama3-405b");
        Assert.Equal((126, 16384, 53248, 128, 8, 128256), (l405.Layers, l405.Hidden, l405.FfnHidden, l405.Heads, l405.KvHeads, l405.Vocab));
        var m1t = Catalog.FindModel("megatron-1t");
        Assert.Equal((128, 25600, 160), (m1t.Layers, m1t.Hidden, m1t.Heads));
    }

    // The system ids of the catalog table in data/validation/README.md and the system column of runs.csv.
    private static IReadOnlyList<string> ReadValidationSystemIds()
    {
        var dir = Path.Combine(RepoRoot(), "data", "validation");
        var fromReadme = File.ReadLines(Path.Combine(dir, "README.md"))
            .SkipWhile(l => !l.StartsWith("## System catalog", StringComparison.Ordinal))
            .TakeWhile((l, i) => i == 0 || !l.StartsWith("## ", StringComparison.Ordinal))
            .Select(l => Regex.Match(l, @"^\|\s*`([a-z0-9.\-]+)`\s*\|"))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value);
        var lines = File.ReadLines(Path.Combine(dir, "runs.csv")).ToList();
        var systemColumn = Array.IndexOf(lines[0].Split(','), "system");
        var fromRuns = lines.Skip(1).Where(l => l.Length > 0).Select(l => CsvFields(l)[systemColumn]);
        return fromReadme.Concat(fromRuns).Append("vtrain-a100").Distinct().ToList();
    }

    // RFC 4180 fields of one line (quoted fields may hold commas and doubled quotes).
    private static List<string> CsvFields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WaferNotebooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("WaferNotebooks.sln not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<(string Path, Sourced Value)> SourcedValues(SimulatorCatalog catalog)
    {
        IEnumerable<(string, object)> owners = [.. catalog.Accelerators.Select(a => (a.Id, (object)a)), .. catalog.Systems.Select(s => (s.Id, (object)s))];
        foreach (var (id, owner) in owners)
            foreach (var p in owner.GetType().GetProperties().Where(p => p.PropertyType == typeof(Sourced)))
                if (p.GetValue(owner) is Sourced s) yield return ($"{id}.{p.Name}", s);
        foreach (var a in catalog.Accelerators)
            if (catalog.DefaultPricePerHour(a.Id) is { } price) yield return ($"{a.Id}.PricePerHour", price);
    }
}
