using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>Fused attention by kernel generation and device (docs/gpu-model.md §3.3), against hand-derived values.</summary>
public class AttentionKernelsTests
{
    static Accelerator Device(string id) => SimulatorCatalog.Default.FindAccelerator(id);

    // 132 heads of one 128-query block fill the H100's 132 SMs in one wave; 16,384 keys: ramp 16384/16784.
    const double Keys = 16384, Queries = 128, Heads = 132, Ramp = 16384.0 / (16384 + 400);

    [Fact]
    public void On_H100_cuDNN_runs_at_the_FA3_papers_rate_and_FlashAttention_2_at_a_third_of_peak()
    {
        var h100 = Device("h100-sxm");
        var (nf, nb) = AttentionKernels.Fractions(h100, AttentionKernel.Native, Queries, Keys, Heads, 128);
        var (af, ab) = AttentionKernels.Fractions(h100, AttentionKernel.AmpereMma, Queries, Keys, Heads, 128);
        Assert.Equal(0.56 * Ramp, nf, 6);   // cuDNN causal forward, 539 TFLOP/s at 16K of 989
        Assert.Equal(0.54 * Ramp, nb, 6);
        Assert.Equal(0.35 * Ramp, af, 6);   // FlashAttention-2: 335 TFLOP/s at 16K
        Assert.Equal(0.33 * Ramp, ab, 6);
        var (vf, vb) = AttentionKernels.Fractions(h100, AttentionKernel.FlashV1, Queries, Keys, Heads, 128);
        Assert.Equal(0.35 * Ramp / 1.4, vf, 6);
        Assert.Equal(0.33 * Ramp / 2, vb, 6);
    }

    [Fact]
    public void On_A100_FlashAttention_2_is_native_and_carries_the_sustained_share()
    {
        var a100 = Device("a100-80gb");
        double share = a100.SustainedShare;
        // 108 SMs: 132 blocks take two waves, the second 24 of 108 full: 132/216.
        double wave = 132.0 / 216;
        var (f, b) = AttentionKernels.Fractions(a100, AttentionKernel.AmpereMma, Queries, Keys, Heads, 128);
        Assert.Equal(0.73 * share * Ramp * wave, f, 6);
        Assert.Equal(0.63 * share * Ramp * wave, b, 6);
        Assert.Equal((f, b), AttentionKernels.Fractions(a100, AttentionKernel.Native, Queries, Keys, Heads, 128));
    }

    [Fact]
    public void Ramp_halves_the_rate_at_400_tokens_and_a_power_cap_slows_attention_like_the_GEMMs()
    {
        var h100 = Device("h100-sxm");
        double full = AttentionKernels.Fractions(h100, AttentionKernel.Native, Queries, 1e9, Heads, 128).Forward;
        Assert.Equal(full / 2, AttentionKernels.Fractions(h100, AttentionKernel.Native, Queries, 400, Heads, 128).Forward, 6);
        var capped = h100 with { PowerLimitW = new Sourced(500, "test") };
        Assert.Equal(Energy.PowerLimitedClock.ClockShare(capped) * full,
            AttentionKernels.Fractions(capped, AttentionKernel.Native, Queries, 1e9, Heads, 128).Forward, 6);
    }

    [Theory]
    [InlineData("b200")]
    [InlineData("tpu-v5p")]
    [InlineData("mi300x")]
    public void Devices_without_a_kernel_benchmark_keep_the_prior(string id)
    {
        var a = Device(id);
        double prior = MatmulEfficiency.ComputeFraction(a, 2048, 2048, 128, 64) * 0.75;
        Assert.False(AttentionKernels.Measured(a));
        Assert.Equal((prior, prior), AttentionKernels.Fractions(a, AttentionKernel.AmpereMma, 2048, 2048, 64, 128));
        Assert.Equal(0.5 * (1 + 128.0 / 2048), AttentionKernels.CausalShare(a, 2048), 12);
        Assert.Equal(0.5, AttentionKernels.CausalShare(Device("h100-sxm"), 2048));
    }

    [Fact]
    public void The_measured_rates_follow_the_catalog_architecture_not_the_id()
    {
        var h100 = Device("h100-sxm");
        var renamed = h100 with { Id = "my-gpu" };
        var unstated = h100 with { Architecture = DeviceArchitecture.Unknown };
        Assert.Equal(AttentionKernels.Fractions(h100, AttentionKernel.Native, Queries, Keys, Heads, 128),
            AttentionKernels.Fractions(renamed, AttentionKernel.Native, Queries, Keys, Heads, 128));
        double prior = MatmulEfficiency.ComputeFraction(unstated, Queries, Keys, 128, Heads) * 0.75;
        Assert.False(AttentionKernels.Measured(unstated));
        Assert.Equal((prior, prior), AttentionKernels.Fractions(unstated, AttentionKernel.Native, Queries, Keys, Heads, 128));
    }

    [Fact]
    public void Frameworks_choose_their_kernel_by_era()
    {
        Assert.Equal(AttentionKernel.Native, TrainingFramework.MegatronCore.SoftwareAt(new DateOnly(2024, 7, 1)).AttentionKernel);
        Assert.Equal(AttentionKernel.AmpereMma, TrainingFramework.Torchtitan.SoftwareAt(new DateOnly(2024, 12, 1)).AttentionKernel);
        Assert.Equal(AttentionKernel.FlashV1, TrainingFramework.Fsdp.SoftwareAt(new DateOnly(2023, 6, 1)).AttentionKernel);
        Assert.Equal(AttentionKernel.AmpereMma, TrainingFramework.Fsdp.SoftwareAt(new DateOnly(2024, 6, 1)).AttentionKernel);
        Assert.Equal(AttentionKernel.AmpereMma, TrainingFramework.DeepSpeed.SoftwareAt(new DateOnly(2023, 6, 1)).AttentionKernel);
    }

    [Fact]
    public void On_H100_a_newer_kernel_is_never_slower_and_long_sequences_feel_it_most()
    {
        var model = SimulatorCatalog.Default.FindModel("llama3-8b");
        var system = SimulatorCatalog.Default.FindSystem("dgx-h100");
        double Step(AttentionKernel k, int seq) =>
            Simulator.Estimate(new TrainingJob(model, 1e12, 64, seq) { Software = GpuSoftware.Modern.WithAttentionKernel(k) }, system, 8,
                new Layout(1, 1, 8, ZeroStage: 1, Recompute: Recompute.Full)).StepTimeS;
        foreach (int seq in new[] { 2048, 32768 })
        {
            Assert.True(Step(AttentionKernel.Native, seq) < Step(AttentionKernel.AmpereMma, seq));
            Assert.True(Step(AttentionKernel.AmpereMma, seq) < Step(AttentionKernel.FlashV1, seq));
        }
        Assert.True(Step(AttentionKernel.AmpereMma, 32768) / Step(AttentionKernel.Native, 32768) > Step(AttentionKernel.AmpereMma, 2048) / Step(AttentionKernel.Native, 2048));
    }
}
