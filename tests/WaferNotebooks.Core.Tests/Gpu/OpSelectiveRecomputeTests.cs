using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>torchtitan's op-level selective checkpointing and the eager loss, against hand-derived values.</summary>
public class OpSelectiveRecomputeTests
{
    static readonly ModelSpec Llama = ElementwiseKernelsTests.Llama, Mpt = ElementwiseKernelsTests.Mpt;

    [Fact]
    public void Every_second_matmul_of_the_block_is_recomputed()
    {
        // Llama: wq 4096, wk 1024, wv 1024, wo 4096, w1, w3, w2 14336 (× h each); wk + wo + w3 recomputed.
        Assert.Equal((1024 + 4096 + 14336) / (2.0 * 4096 + 2 * 1024 + 3 * 14336), OpSelectiveRecompute.GemmShare(Llama, 14336, false), 12);
        Assert.Equal(0.365385, OpSelectiveRecompute.GemmShare(Llama, 14336, false), 6);
        // Non-gated MHA: wk + wo + w2 of wq, wk, wv, wo, w1, w2: (4096 + 4096 + 16384) / (4·4096 + 2·16384) = 1/2.
        Assert.Equal(0.5, OpSelectiveRecompute.GemmShare(Mpt, 16384, false), 12);
        // An MoE layer: the attention projections only, wk and wo of the four.
        Assert.Equal(0.5, OpSelectiveRecompute.GemmShare(Llama, 14336, true), 12);
    }

    [Fact]
    public void A_layer_keeps_its_input_every_other_matmul_output_and_the_attention_output()
    {
        // Llama 3.1 8B, tp = 1, eager bf16: input 2h, wq 2q, wv 2kv, w1 2F, w2 2h, attention 2q + 4a (fp32 log-sum-exp).
        double eager = 2 * 4096 + 2 * 4096 + 2 * 1024 + 2 * 14336 + 2 * 4096 + 2 * 4096 + 4 * 32;
        Assert.Equal(63_616, eager);
        Assert.Equal(eager, OpSelectiveRecompute.SavedBytesPerToken(Llama, 14336, 1, false, fusedAttention: true, fp8Gemms: false, eager: true), 9);
        // Compiled: w2's output, which the backward never reads, is not kept.
        Assert.Equal(eager - 2 * 4096, OpSelectiveRecompute.SavedBytesPerToken(Llama, 14336, 1, false, true, false, eager: false), 9);
        Assert.Equal(16384 * eager, ActivationMemory.OpSelectivePerLayer(Llama, 14336, 16384, 1, false, true, false, eager: true), 6);
        // Non-gated MHA: wq, wv, w1 are the 1st, 3rd and 5th matmuls (w2 the 6th): 2h + 2q + 2kv + 2F + 2q + 4a, eager or compiled.
        double mpt = 2 * 4096 + 2 * 4096 + 2 * 4096 + 2 * 16384 + 2 * 4096 + 4 * 32;
        Assert.Equal(mpt, OpSelectiveRecompute.SavedBytesPerToken(Mpt, 16384, 1, false, true, false, eager: true), 9);
        Assert.Equal(mpt, OpSelectiveRecompute.SavedBytesPerToken(Mpt, 16384, 1, false, true, false, eager: false), 9);
        // Unfused attention (batched matmuls and a softmax): nothing of the attention kept.
        Assert.Equal(mpt - 2 * 4096 - 4 * 32, OpSelectiveRecompute.SavedBytesPerToken(Mpt, 16384, 1, false, false, false, eager: true), 9);
    }

    [Fact]
    public void Tensor_and_sequence_parallel_split_the_column_parallel_outputs_and_keep_the_reduce_scatters()
    {
        // tp = 8 with sequence parallelism: input 2h/8; wq, wv 2(q + kv)/8; w1 2F/8; w2 2h whole (partial sums);
        // two reduce-scatter outputs 2h/8 each; attention (2q + 4a)/8.
        double expected = 8192 / 8.0 + 2 * 5120 / 8.0 + 2 * 14336 / 8.0 + 8192 + 2 * 8192 / 8.0 + (8192 + 128) / 8.0;
        Assert.Equal(17_168, expected);
        Assert.Equal(expected, OpSelectiveRecompute.SavedBytesPerToken(Llama, 14336, 8, true, true, false, eager: true), 9);
    }

    [Fact]
    public void Fp8_in_eager_mode_also_keeps_the_abs_of_what_torchao_scales()
    {
        // Inputs: the attention input thrice (wq, wk, wv), wo's q, the MLP input twice (w1, w3), w2's F, 2 bytes each.
        double abs = 2 * (3 * 4096 + 4096) + 2 * (2 * 4096 + 14336);
        Assert.Equal(63_616 + abs, OpSelectiveRecompute.SavedBytesPerToken(Llama, 14336, 1, false, true, fp8Gemms: true, eager: true), 9);
        // Weights: 2 bytes per linear weight element of the layer, h(2q + 2kv) + 3hF.
        Assert.Equal(2.0 * (4096 * (2 * 4096 + 2 * 1024) + 3 * 4096 * 14336), OpSelectiveRecompute.SavedBytesPerLayer(Llama, 14336, 1, true, eager: true), 3);
        // Compiled, the backward reads none of them.
        Assert.Equal(63_616 - 2 * 4096, OpSelectiveRecompute.SavedBytesPerToken(Llama, 14336, 1, false, true, fp8Gemms: true, eager: false), 9);
        Assert.Equal(0, OpSelectiveRecompute.SavedBytesPerLayer(Llama, 14336, 1, true, eager: false));
    }

    [Fact]
    public void Torchtitan_selective_activations_are_its_policys_not_megatrons()
    {
        // The Llama 3.1 8B eager row: 8 GPUs, FSDP, micro-batch 2 of 8192 tokens. 32 layers keep 63,616 B per token;
        // the layer in its backward rebuilds the rest of its 139,264 B (Korthikanti's set for this shape, no dropout).
        var system = SimulatorCatalog.Default.FindSystem("grand-teton-h100-96gb");
        var job = new TrainingJob(Llama, 1e10, 16, 8192);
        var layout = new Layout(1, 1, 8, 1, 1, 1, 2, 3, Recompute.Selective, false);
        double Activations(GpuSoftware sw, Recompute r) =>
            new GpuEstimator(sw).Estimate(job, system, 8, layout with { Recompute = r }, EconomicAssumptions.Default).Memory["activations"];
        var titan = TrainingFramework.Torchtitan.SoftwareAt(new DateOnly(2024, 12, 1));
        double tokens = 2 * 8192;
        Assert.Equal((32 * 63_616 + (139_264 - 63_616)) * tokens / 1e9, Activations(titan, Recompute.Selective), 9);
        Assert.Equal(32 * 139_264 * tokens / 1e9, Activations(TrainingFramework.MegatronCore.SoftwareAt(null), Recompute.Selective), 9);
        Assert.True(Activations(titan, Recompute.Full) < Activations(titan, Recompute.Selective)
            && Activations(titan, Recompute.Selective) < Activations(titan, Recompute.None));
    }

    [Fact]
    public void Torchtitan_recomputes_its_share_of_gemms_and_all_elementwise_work_megatron_the_scores_only()
    {
        var job = new TrainingJob(Llama, 1e10, 64, 8192);
        var layout = new Layout(1, 1, 8, 1, 1, 1, 1, 3, Recompute.Selective, false);
        var system = TestSystems.DgxH100;
        var titan = TrainingFramework.Torchtitan.SoftwareAt(null);
        var layer = LayerTime.For(Llama, false, job, layout, system, new Collectives(system), titan);
        var (compute, elementwise, comm) = layer.Recompute(Recompute.Selective, fused: true);
        Assert.Equal(0.365385 * layer.Gemm.Forward, compute, layer.Gemm.Forward * 1e-6);
        Assert.Equal(layer.Elementwise.Forward, elementwise);
        Assert.Equal(0, comm);

        var megatron = LayerTime.For(Llama, false, job, layout, system, new Collectives(system), TrainingFramework.MegatronCore.SoftwareAt(null));
        Assert.Equal((0.0, 0.0, 0.0), megatron.Recompute(Recompute.Selective, fused: true));
        // Checkpointing by op changes nothing without selective recompute.
        var none = LayerTime.For(Llama, false, job, layout with { Recompute = Recompute.None }, system, new Collectives(system), titan);
        Assert.Equal(0, none.SelectiveGemmS);
    }

    [Fact]
    public void Only_torchtitan_checkpoints_by_op_and_says_so()
    {
        var titan = TrainingFramework.Torchtitan.SoftwareAt(new DateOnly(2024, 4, 1));
        Assert.True(titan.OpSelectiveRecompute);
        Assert.Contains("selective recompute by op", titan.Describe());
        foreach (var f in TrainingFramework.All.Where(f => f != TrainingFramework.Torchtitan))
            Assert.False(f.SoftwareAt(null).OpSelectiveRecompute, f.Name);
    }

    /// <summary>Property: selective by op sits between no recompute and full recompute, at the same layout.</summary>
    [Theory]
    [InlineData("llama3-8b", 1)]
    [InlineData("llama2-13b", 1)]
    [InlineData("llama3-70b", 8)]
    public void Op_selective_lies_between_none_and_full(string modelId, int tp)
    {
        var model = SimulatorCatalog.Default.FindModel(modelId);
        var job = new TrainingJob(model, 1e10, 128, 4096);
        var sw = TrainingFramework.Torchtitan.SoftwareAt(null);
        double Step(Recompute r) => new GpuEstimator(sw).Estimate(job, TestSystems.DgxH100, 64,
            new Layout(tp, 1, 64 / tp, 1, 1, 1, 2, 3, r, tp > 1), EconomicAssumptions.Default).StepTimeS;
        double none = Step(Recompute.None), selective = Step(Recompute.Selective), full = Step(Recompute.Full);
        Assert.True(none < selective && selective < full, $"{modelId}: none {none}, selective {selective}, full {full}");
    }

    [Fact]
    public void The_eager_loss_moves_three_times_the_bytes_of_one_fused_fp32_pass()
    {
        // Eager: upcast r2 w4, log_softmax r12 w4 = 22 forward; nll gradient w4, log_softmax gradient r12 w4, cast back r4 w2 = 26.
        var eagerKernel = CrossEntropyKernel.Fp32LogSoftmax;
        Assert.Equal((22.0, 26.0), (eagerKernel.ForwardBytesPerLogit, eagerKernel.BackwardBytesPerLogit));
        var job = new TrainingJob(Llama, 1e10, 64, 8192);
        var layout = new Layout(1, 1, 8, 1, 1, 1, 2, 3, Recompute.None, false);
        var eager = LayerTime.Logits(Llama, job, layout, TestSystems.DgxH100, eagerKernel);
        var fused = LayerTime.Logits(Llama, job, layout, TestSystems.DgxH100, CrossEntropyKernel.Fp32Copy);
        Assert.Equal(3, eager.Elementwise.Total / fused.Elementwise.Total, 12);
        // 2 × 8192 tokens × 128,256 logits × 16 bytes at the HBM's achievable bandwidth.
        double hbm = 3.35e12 * MatmulEfficiency.HbmEfficiency;
        Assert.Equal(2 * 8192 * 128256.0 * 16 / hbm, fused.Elementwise.Total, 1e-9);
        // flash-attn's xentropy kernel (llm-foundry): r2 r2 forward, r2 w2 backward, 8 bytes: half the fused pass.
        var xentropy = LayerTime.Logits(Llama, job, layout, TestSystems.DgxH100, CrossEntropyKernel.FlashXentropy);
        Assert.Equal(2 * 8192 * 128256.0 * 8 / hbm, xentropy.Elementwise.Total, 1e-9);
    }

    [Fact]
    public void Torchtitan_compiled_keeps_its_loss_eager()
    {
        var compiled = WaferNotebooks.Core.Commands.ValueParsers.ParseFramework("--framework", "torchtitan+compiled@2024-12").Software;
        Assert.False(compiled.EagerKernels);
        Assert.Equal(CrossEntropyKernel.Fp32LogSoftmax, compiled.CrossEntropy);
        // Compiling llm-foundry's model leaves its loss, a CUDA kernel already, as it was.
        Assert.Equal(CrossEntropyKernel.FlashXentropy,
            WaferNotebooks.Core.Commands.ValueParsers.ParseFramework("--framework", "llm-foundry+compiled@2023-10").Software.CrossEntropy);
        // At one layout, the compiled torchtitan step differs from the same stack with one fused fp32 pass (8 + 8) by the loss's extra bytes alone:
        // 2 × 8192 tokens × 128,256 logits × (48 − 16) bytes at the HBM's achievable bandwidth.
        var job = new TrainingJob(Llama, 1e10, 64, 8192);
        var layout = new Layout(1, 1, 8, 1, 1, 1, 2, 3, Recompute.None, false);
        double Other(GpuSoftware sw) => new GpuEstimator(sw).Estimate(job, TestSystems.DgxH100, 8, layout, EconomicAssumptions.Default).Breakdown["other"];
        double hbm = 3.35e12 * MatmulEfficiency.HbmEfficiency;
        Assert.Equal(2 * 8192 * 128256.0 * 32 / hbm * 4, Other(compiled) - Other(compiled.WithCrossEntropy(CrossEntropyKernel.Fp32Copy)), 1e-9);
    }

    [Fact]
    public void The_torchtitan_benchmark_part_is_in_the_catalog_as_stated()
    {
        var catalog = SimulatorCatalog.Default;
        var system = Assert.IsType<GpuCluster>(catalog.FindSystem("grand-teton-h100-96gb"));
        Assert.Equal("h100-sxm-96gb", system.Device.Id);
        Assert.Equal(96, system.Device.HbmGb.Value);
        Assert.Equal(2.4, system.Device.HbmTBps.Value);
        Assert.Equal(50, system.Device.ScaleOutGBps.Value); // 400 Gb/s RDMA per GPU
        Assert.Equal(Assert.IsType<GpuCluster>(catalog.FindSystem("h100-sxm")).Device.PeakTflops16.Value, system.Device.PeakTflops16.Value);
        // The same die as h100-sxm: fitted constants of that group apply to it.
        Assert.Equal("h100-sxm", catalog.CalibrationGroupOf("h100-sxm-96gb"));
    }
}
