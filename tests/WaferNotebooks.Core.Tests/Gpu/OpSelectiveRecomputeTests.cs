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
    public void The_eager_loss_moves_three_times_the_bytes_of_megatrons_fused_pass()
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
        // At one layout, the compiled torchtitan step differs from the same stack with Megatron's loss by the loss's extra bytes alone:
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
