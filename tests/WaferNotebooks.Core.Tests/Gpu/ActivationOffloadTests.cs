using CsCheck;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Tests.PropertyTests;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>offload=N in --layout: activations of N layers per stage in host memory, costed over the host link (docs/gpu-model.md §4.4).</summary>
public class ActivationOffloadTests
{
    static readonly SimulatorCatalog Catalog = SimulatorCatalog.Default;
    static readonly ModelSpec Llama7 = Catalog.FindModel("llama2-7b");
    static readonly TrainingJob Job = new(Llama7, 1e12, 1024, 4096);

    static Sourced S(double v) => new(v, "test value");

    /// <summary>The test H100 with a host link of <paramref name="linkGBps"/> per direction and 256 GB of host memory per GPU.</summary>
    static GpuCluster H100(double linkGBps = 64, double hostGb = 256) =>
        TestSystems.DgxH100 with { Device = TestSystems.H100 with { HostLinkGBps = S(linkGBps), HostMemoryGb = S(hostGb) } };

    static Layout Parse(string text, GpuCluster system, int devices = 64) => LayoutSpec.Parse(text).Resolve(devices, Job, system);

    static Estimate Run(string layout, GpuCluster? system = null, int devices = 64)
    {
        system ??= H100();
        return new GpuEstimator().Estimate(Job, system, devices, Parse(layout, system, devices), EconomicAssumptions.Default);
    }

    // Llama 2 7B, selective recompute, tp=1, one 4,096-token micro-batch, no dropout (Korthikanti Table 2 from the real
    // shapes): norms 4h + QKV and MLP inputs 2·2h = 8h; attention Q, K, V, projection input 8h (MHA); MLP gate, up and
    // product 6F. (8·4096 + 8·4096 + 6·11008) · 4096 = 131,584 · 4,096 bytes.
    const double LayerBytes = 131_584.0 * 4096;

    [Fact]
    public void Offloaded_layers_leave_the_device_for_host_memory()
    {
        var kept = Run("tp=1,pp=1,dp=64,recompute=selective");
        var offloaded = Run("tp=1,pp=1,dp=64,recompute=selective,offload=16");
        // 16 of 32 layers go: 16 layers' bytes fewer on the device. Transformer Engine's schedule holds
        // each offloaded layer until layer L − N + i, so the copies in flight add nothing to the peak
        // of (L − N) layers.
        Assert.Equal(16 * LayerBytes / 1e9, kept.Memory["activations"] - offloaded.Memory["activations"], 1e-9);
        // Host: 16 layers × 1 micro-batch in flight (no pipeline).
        Assert.Equal(16 * LayerBytes / 1e9, offloaded.Memory.HostGb, 1e-9);
        Assert.Equal(0, kept.Memory.HostGb);
        // The host part is listed but not counted against HBM.
        Assert.Equal(offloaded.Memory.Parts.Where(p => p.Name != MemoryBreakdown.HostPart).Sum(p => p.Gb), offloaded.Memory.TotalGb, 1e-9);
        Assert.Contains("in host memory, not HBM", offloaded.Memory.Parts.Single(p => p.Name == MemoryBreakdown.HostPart).Description);
        Assert.DoesNotContain(kept.Memory.Parts, p => p.Name == MemoryBreakdown.HostPart);
    }

    [Fact]
    public void Under_a_pipeline_the_host_holds_the_offloaded_layers_of_every_micro_batch_in_flight()
    {
        // pp=4: 8 layers per stage, 1F1B keeps min(p, m) = 4 micro-batches on the first stage.
        var e = Run("tp=1,pp=4,dp=16,recompute=selective,offload=7");
        Assert.Equal(7 * LayerBytes * 4 / 1e9, e.Memory.HostGb, 1e-9);
    }

    [Fact]
    public void Exposed_copy_time_is_bytes_over_the_link_beyond_the_neighbouring_pass()
    {
        // At 0.5 and 1 GB/s a 0.54 GB copy (0.5–1.1 s) dwarfs a layer's milliseconds of compute, so both
        // copies are exposed and the difference is exactly the bytes over the two bandwidths:
        // m · N · 2 · (x/B₁ − x/B₂) with m = 1,024 / 64 = 16 micro-batches per device and N = 4.
        var slow = Run("tp=1,pp=1,dp=64,recompute=selective,offload=4", H100(linkGBps: 0.5));
        var faster = Run("tp=1,pp=1,dp=64,recompute=selective,offload=4", H100(linkGBps: 1));
        double expected = 16 * 4 * 2 * (LayerBytes / 0.5e9 - LayerBytes / 1e9);
        Assert.Equal(expected, slow.Breakdown[StepPartKind.Offload] - faster.Breakdown[StepPartKind.Offload], expected * 1e-9);
        Assert.Equal(slow.Breakdown[StepPartKind.Offload] - faster.Breakdown[StepPartKind.Offload], slow.StepTimeS - faster.StepTimeS, 1e-9);
    }

    [Fact]
    public void A_link_fast_enough_hides_every_copy_and_the_step_is_that_of_no_offload()
    {
        var kept = Run("tp=1,pp=1,dp=64,recompute=selective");
        var hidden = Run("tp=1,pp=1,dp=64,recompute=selective,offload=16", H100(linkGBps: 1e6));
        Assert.Equal(0, hidden.Breakdown[StepPartKind.Offload]);
        Assert.Equal(kept.StepTimeS, hidden.StepTimeS, kept.StepTimeS * 1e-12);
        Assert.Contains(hidden.Breakdown.Parts, p => p.Kind == StepPartKind.Offload);
        Assert.DoesNotContain(kept.Breakdown.Parts, p => p.Kind == StepPartKind.Offload);
        Assert.Contains(hidden.Assumptions, a => a.StartsWith("activation offload (offload=16)"));
    }

    [Fact]
    public void ExposedPerLayer_is_each_copy_beyond_its_window() =>
        Assert.Equal((3 - 1) + 0, ActivationOffload.ExposedPerLayer(3, 1, 4));

    [Fact]
    public void Offloaded_activations_beyond_host_memory_do_not_fit_and_say_so()
    {
        var e = Run("tp=1,pp=1,dp=64,recompute=selective,offload=16", H100(hostGb: 1));
        Assert.False(e.Feasible);
        Assert.Contains("offloaded to host memory need", e.Reason);
    }

    [Theory]
    [InlineData("tp=1,pp=4,offload=8", "the smallest stage has 8 layers, so offload ≤ 7")]
    [InlineData("tp=1,pp=1,recompute=full,offload=4", "with recompute=full a layer stores only its input")]
    [InlineData("tp=1,pp=1,offload=0", "--layout offload")]
    public void Impossible_offloads_are_refused_by_the_one_rulebook(string layout, string message) =>
        Assert.Contains(message, Assert.Throws<WaferInputException>(() => Parse(layout, H100())).Message);

    [Fact]
    public void A_device_whose_host_link_is_unknown_refuses_offload_with_the_reason()
    {
        var unknown = TestSystems.DgxH100; // the test H100 carries no host link
        var ex = Assert.Throws<WaferInputException>(() => Parse("tp=1,pp=1,offload=4", unknown));
        Assert.Contains("needs the host-link bandwidth of H100 SXM5 test, which the catalog does not know", ex.Message);
    }

    [Fact]
    public void Wafer_scale_systems_refuse_offload()
    {
        var cs3 = Catalog.FindSystem("cs-3");
        var ex = Assert.Throws<WaferInputException>(() => LayoutSpec.Parse("offload=1").Resolve(4, Job, cs3));
        Assert.Contains("keeps its activations on the wafer", ex.Message);
    }

    [Theory]
    [InlineData("h100-sxm", 64)]
    [InlineData("a100-80gb", 32)]
    [InlineData("gb200", 225)]
    [InlineData("mi250x", 36)]
    public void The_catalog_gives_each_gpu_its_host_link_with_a_source(string id, double gbps)
    {
        var a = Catalog.FindAccelerator(id);
        Assert.Equal(gbps, a.HostLinkGBps!.Value);
        Assert.False(string.IsNullOrWhiteSpace(a.HostLinkGBps.Source));
    }

    [Theory]
    [InlineData("tpu-v4")]
    [InlineData("trainium2")]
    public void Devices_whose_host_link_is_unpublished_have_none(string id) =>
        Assert.Null(Catalog.FindAccelerator(id).HostLinkGBps);

    /// <summary>Generated layouts on the catalog's GPU systems whose device has a host link, with an offload the rules allow.</summary>
    static readonly Gen<(EstimatorCase Case, int Offload)> OffloadCases =
        from c in EstimatorCases.Gpu
        where c.Layout is { Recompute: not Recompute.Full } && c.System is GpuCluster { Device.HostLinkGBps: not null }
        let fewest = LayoutRules.FewestStageLayers(c.Job.Model.Layers, c.Layout!)
        where fewest > 1
        from n in Gen.Int[1, fewest - 1]
        select (c, n);

    [Fact]
    public void Offload_never_increases_device_memory() =>
        OffloadCases.Sample(x =>
        {
            var (c, n) = x;
            var kept = c.Run();
            var offloaded = c.Estimator.Estimate(c.Job, c.System, c.Devices, c.Layout! with { OffloadLayers = n }, EconomicAssumptions.Default);
            Assert.True(offloaded.Memory.TotalGb <= kept.Memory.TotalGb * (1 + 1e-12), $"{c} offload={n}: {kept.Memory.TotalGb} -> {offloaded.Memory.TotalGb} GB");
        }, iter: 150);

    [Fact]
    public void More_host_link_bandwidth_is_never_slower() =>
        Gen.Select(OffloadCases, Gen.Double[1, 16]).Sample((x, factor) =>
        {
            var (c, n) = x;
            var gpu = (GpuCluster)c.System;
            var link = gpu.Device.HostLinkGBps!;
            var faster = gpu with { Device = gpu.Device with { HostLinkGBps = link with { Value = link.Value * factor } } };
            var layout = c.Layout! with { OffloadLayers = n };
            var before = c.Estimator.Estimate(c.Job, gpu, c.Devices, layout, EconomicAssumptions.Default);
            var after = c.Estimator.Estimate(c.Job, faster, c.Devices, layout, EconomicAssumptions.Default);
            Assert.Equal(before.Feasible, after.Feasible);
            if (before.Feasible)
                Assert.True(after.StepTimeS <= before.StepTimeS * (1 + 1e-12), $"{c} offload={n}, link ×{factor:G3}: {before.StepTimeS} -> {after.StepTimeS} s");
        }, iter: 150);
}
