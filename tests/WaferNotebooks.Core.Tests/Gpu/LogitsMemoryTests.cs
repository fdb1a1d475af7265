using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>The last stage's logits as each stack's loss kernel holds them, and FP8 weights under ZeRO-3 with fp8_param_gather (docs/gpu-model.md §5).</summary>
public class LogitsMemoryTests
{
    static readonly ModelSpec Llama7 = SimulatorCatalog.Default.FindModel("llama2-7b");
    static readonly Layout Tp2 = new(2, 1, 32, 1, 1, 1, 1, 1, Recompute.Selective, true);

    static Results.Estimate Run(GpuSoftware sw, TrainingJob job, Layout layout) =>
        new GpuEstimator(sw).Estimate(job, TestSystems.DgxH100, 64, layout, EconomicAssumptions.Default);

    static CrossEntropyKernel Kernel(string name) => name switch
    {
        "fp32-copy" => CrossEntropyKernel.Fp32Copy,
        "megatron" => CrossEntropyKernel.MegatronUnfused,
        "megatron-2022" => CrossEntropyKernel.MegatronUnfused2022,
        "megatron-fused" => CrossEntropyKernel.MegatronFused,
        "fp32-log-softmax" => CrossEntropyKernel.Fp32LogSoftmax,
        "in-place-16" => CrossEntropyKernel.InPlace16,
        "te-fp32-gradient" => CrossEntropyKernel.TeFp32Gradient,
        _ => CrossEntropyKernel.FlashXentropy,
    };

    [Theory]
    // Megatron: 16-bit logits + the fp32 copy (+ the out-of-place subtraction's second fp32 tensor, 2022-09 to 2024-06);
    // torchtitan: + the fp32 log-softmax; TE: in place, then an fp32 gradient; flash-attn: the 16-bit logits.
    [InlineData("fp32-copy", 6)]
    [InlineData("megatron", 6)]
    [InlineData("megatron-2022", 10)]
    [InlineData("megatron-fused", 6)]
    [InlineData("fp32-log-softmax", 10)]
    [InlineData("in-place-16", 2)]
    [InlineData("te-fp32-gradient", 6)]
    [InlineData("flash-xentropy", 2)]
    public void Each_loss_kernel_keeps_its_own_bytes_per_logit(string kernel, double bytes) =>
        Assert.Equal(bytes, Kernel(kernel).HeldBytesPerLogit);

    [Theory]
    [InlineData("fp32-copy", 0.393216)]
    [InlineData("fp32-log-softmax", 0.65536)]
    [InlineData("in-place-16", 0.131072)]
    [InlineData("flash-xentropy", 0.131072)]
    public void The_logits_part_is_one_micro_batch_of_the_vocabulary_split_over_tp(string kernel, double gb)
    {
        // Llama 2 7B, 4,096 tokens, 32,000 vocabulary over tp = 2: 65,536,000 logits per device;
        // × 6 = 0.393 GB, × 10 = 0.655 GB, × 2 = 0.131 GB.
        var job = new TrainingJob(Llama7, 1e11, 512, 4096);
        var e = Run(GpuSoftware.Modern.WithCrossEntropy(Kernel(kernel)), job, Tp2);
        Assert.Equal(gb, e.Memory["logits"], 1e-9);
    }

    [Fact]
    public void Megatron_bridge_recipes_take_te_cross_entropy_from_2025_09_until_te_keeps_the_gradient_in_fp32()
    {
        CrossEntropyKernel At(TrainingFramework f, int year, int month) => f.SoftwareAt(new DateOnly(year, month, 1)).CrossEntropy;
        var bridge = TrainingFramework.Parse("megatron-bridge");
        Assert.Same(TrainingFramework.MegatronBridge, bridge);
        Assert.Equal(CrossEntropyKernel.MegatronUnfused, At(bridge, 2025, 8));
        Assert.Equal(CrossEntropyKernel.InPlace16, At(bridge, 2025, 11));
        Assert.Equal(CrossEntropyKernel.InPlace16, At(bridge, 2026, 2));
        Assert.Equal(CrossEntropyKernel.TeFp32Gradient, At(bridge, 2026, 7));
        // Megatron-Core runs its loss op by op, NeMo 2 its compiled fusion; torchtitan casts and keeps the log-softmax;
        // llm-foundry runs flash-attn's fused loss, as FSDP stacks from 2022-03 (compiled or not).
        Assert.Equal(CrossEntropyKernel.MegatronFused, At(TrainingFramework.Parse("nemo"), 2026, 2));
        Assert.Equal(CrossEntropyKernel.MegatronUnfused, At(TrainingFramework.MegatronCore, 2026, 2));
        Assert.Equal(CrossEntropyKernel.Fp32LogSoftmax, At(TrainingFramework.Torchtitan, 2025, 6));
        Assert.Equal(CrossEntropyKernel.FlashXentropy, At(TrainingFramework.Parse("llm-foundry"), 2023, 6));
        Assert.Equal(CrossEntropyKernel.Fp32Copy, At(TrainingFramework.Fsdp, 2021, 10));
        // Apart from the loss, Bridge runs Megatron-Core's stack.
        Assert.Equal(TrainingFramework.MegatronCore.SoftwareAt(new DateOnly(2026, 2, 1)).WithCrossEntropy(CrossEntropyKernel.InPlace16),
            TrainingFramework.MegatronBridge.SoftwareAt(new DateOnly(2026, 2, 1)));
    }

    [Fact]
    public void Under_zero3_fp8_param_gather_keeps_the_linear_shards_and_gathered_layers_at_one_byte()
    {
        // Llama 2 7B under ZeRO-3 over 64 ranks, FP8 GEMMs. Linear weights per layer: attention 4h² and
        // SwiGLU 3·h·F = 4·4096² + 3·4096·11008 = 202,375,168. FP8 parameters save 1 byte on each:
        // the stage's 32 layers of shards, 32 · 202,375,168 / 64 = 101,187,584, and the two gathered
        // layers (computing and prefetched), 2 · 202,375,168 = 404,750,336: 505,937,920 bytes in all.
        var job = new TrainingJob(Llama7, 1e11, 512, 4096, Precision.Fp8);
        var zero3 = new Layout(1, 1, 64, 1, 1, 1, 1, 3, Recompute.Selective, false);
        var plain = Run(GpuSoftware.Modern, job, zero3);
        var fp8 = Run(GpuSoftware.Modern.WithFp8ParamGather(), job, zero3);
        Assert.Equal(0.50593792, plain.Memory["weights"] - fp8.Memory["weights"], 1e-9);
        // Without FP8 GEMMs the flag changes nothing.
        var bf16 = job with { Precision = Precision.Bf16 };
        Assert.Equal(Run(GpuSoftware.Modern, bf16, zero3).Memory["weights"], Run(GpuSoftware.Modern.WithFp8ParamGather(), bf16, zero3).Memory["weights"]);
    }

    [Fact]
    public void Megatrons_loss_follows_its_source_by_date()
    {
        CrossEntropyKernel At(TrainingFramework f, int year, int month) => f.SoftwareAt(new DateOnly(year, month, 1)).CrossEntropy;
        // In-place subtraction until 2022-09-27 (Megatron-LM 55817ec), out of place until 2024-06-13 (9634c0e), in place since.
        Assert.Equal(CrossEntropyKernel.MegatronUnfused, At(TrainingFramework.MegatronLm, 2021, 4));
        Assert.Equal(CrossEntropyKernel.MegatronUnfused2022, At(TrainingFramework.MegatronLm, 2022, 10));
        Assert.Equal(CrossEntropyKernel.MegatronUnfused2022, At(TrainingFramework.MegatronCore, 2024, 6));
        Assert.Equal(CrossEntropyKernel.MegatronUnfused, At(TrainingFramework.MegatronCore, 2024, 7));
        Assert.Equal(CrossEntropyKernel.MegatronUnfused, TrainingFramework.MegatronCore.SoftwareAt(null).CrossEntropy);
        // NeMo 1 (2024-07) as Megatron-Core; NeMo 2's GPTConfig fuses from 2024-09 (NeMo PR #10209).
        Assert.Equal(CrossEntropyKernel.MegatronUnfused, At(TrainingFramework.Nemo, 2024, 7));
        Assert.Equal(CrossEntropyKernel.MegatronFused, At(TrainingFramework.Nemo, 2024, 9));
        // Megatron-DeepSpeed and GPT-NeoX copy Megatron's loss; the stacks not counted keep the assumed fused pass.
        Assert.Equal(CrossEntropyKernel.MegatronUnfused, At(TrainingFramework.Parse("gpt-neox"), 2022, 10));
        Assert.Equal(CrossEntropyKernel.Fp32Copy, At(TrainingFramework.Jax, 2024, 1));
        Assert.Equal(CrossEntropyKernel.Fp32Copy, At(TrainingFramework.Neuron, 2024, 1));
    }

    [Fact]
    public void Megatrons_loss_traffic_is_counted_op_by_op()
    {
        // Forward: .float() r2 w4, max r4, subtract r4 w4, exp r4 w4, sum r4, div_ r4 w4 = 6 + 4 + 8 + 8 + 4 + 8 = 38.
        // Backward: mul_ r4 w4, autograd's cast to the 16-bit input r4 w2 = 8 + 6 = 14.
        Assert.Equal((38.0, 14.0), (CrossEntropyKernel.MegatronUnfused.ForwardBytesPerLogit, CrossEntropyKernel.MegatronUnfused.BackwardBytesPerLogit));
        Assert.Equal((38.0, 14.0), (CrossEntropyKernel.MegatronUnfused2022.ForwardBytesPerLogit, CrossEntropyKernel.MegatronUnfused2022.BackwardBytesPerLogit));
        // Compiled fusion: cast+max r2 w4, subtract+exp+sum r4 w4, div_ r4 w4 = 22; update+mul_+cast r4 w4 w2 = 10.
        Assert.Equal((22.0, 10.0), (CrossEntropyKernel.MegatronFused.ForwardBytesPerLogit, CrossEntropyKernel.MegatronFused.BackwardBytesPerLogit));
        // Llama 2 7B, 4,096 tokens, vocabulary 32,000 over tp = 2: 65,536,000 logits; the loss's time is their bytes at the HBM's achievable rate.
        var job = new TrainingJob(Llama7, 1e11, 512, 4096);
        double hbm = 3.35e12 * MatmulEfficiency.HbmEfficiency, logits = 4096 * 32000 / 2.0;
        var t = LayerTime.Logits(Llama7, job, Tp2, TestSystems.DgxH100, CrossEntropyKernel.MegatronUnfused).Elementwise;
        Assert.Equal(logits * 38 / hbm, t.Forward, 1e-12);
        Assert.Equal(logits * 14 / hbm, t.Backward, 1e-12);
    }
}
