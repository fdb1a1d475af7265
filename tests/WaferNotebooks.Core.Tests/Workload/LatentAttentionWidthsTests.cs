using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Tests.GpuTests;

namespace WaferNotebooks.Core.Tests.WorkloadTests;

/// <summary>MLA's context-parallel and elementwise widths, and DeepSeek-V3's multi-token prediction module, against hand-derived values (docs/gpu-model.md §2.1).</summary>
public class LatentAttentionWidthsTests
{
    static readonly ModelSpec V3 = SimulatorCatalog.Default.FindModel("deepseek-v3");

    [Fact]
    public void The_ring_carries_the_up_projected_keys_and_values_not_the_latent()
    {
        // 128 heads: K 128·(128 + 64) = 24,576 and V 128·128 = 16,384 per token; over tp = 8, 5,120.
        var w = TransformerArithmetic.Widths(V3);
        Assert.Equal((24_576.0, 16_384.0), (w.Key, w.Value));
        Assert.Equal(40_960, w.KeyValuePerRank(1));
        Assert.Equal(5_120, w.KeyValuePerRank(8));
        // Llama-3-8B, 8 KV heads of 128 over tp = 16: one whole head of K and of V per rank (replicated), 256.
        var llama = SimulatorCatalog.Default.FindModel("llama3-8b");
        Assert.Equal(256, TransformerArithmetic.Widths(llama).KeyValuePerRank(16));
        Assert.Equal(2 * 8 * 128, TransformerArithmetic.Widths(llama).KeyValuePerRank(1));
    }

    [Fact]
    public void Context_parallel_time_moves_the_MLA_keys_and_values()
    {
        var m = V3 with { Layers = 4, Moe = null, FfnHidden = 18432, MtpLayers = 0 };
        var job = new TrainingJob(m, 1e9, 64, 4096, Precision.Bf16);
        var system = TestSystems.DgxH100;
        var net = new Collectives(system);
        var layout = new Layout(Tp: 2, Cp: 4, Dp: 1);
        var t = LayerTime.For(m, false, job, layout, system, net, GpuSoftware.Modern);
        // One micro-batch of 4096/4 tokens; 2 bytes × 40,960/2 elements × 4 ranks gathered.
        double cpF = net.AllGather(2.0 * 1024 * 20_480 * 4, net.Place(4, 2));
        Assert.Equal(Math.Max(0, cpF - t.Attention.Forward), t.Cp.Forward, 12);
        Assert.Equal(Math.Max(0, 2 * cpF - t.Attention.Backward), t.Cp.Backward, 12);
    }

    [Fact]
    public void Fp8_casts_and_eager_kernels_use_the_MLA_widths()
    {
        // Transformer Engine casts (3 bytes per element): two h-wide inputs 2·7168, the output
        // projection's a·d_v = 16,384, the MLP's F = 18,432, and the two latents 1536 + 512.
        double fp8 = ElementwiseKernels.Fp8BytesPerToken(V3, 18432, 1, false, 4096, Fp8Casts.TransformerEngine, false);
        Assert.Equal(3.0 * (2 * 7168 + 16_384 + 18_432 + 2048), fp8, 9);
        // Eager (torchtitan): two RMSNorms 72·h and residual adds 12·h; latent norms 36·2048; rotary on
        // 128·64 query and 64 key elements at 20; cat into q and k, 4·(24,576 + 24,576); output copy 4·16,384; SwiGLU 10·F.
        double eager = ElementwiseKernels.BytesPerToken(V3, 18432, 1, false, eager: true);
        Assert.Equal(84.0 * 7168 + 36 * 2048 + 20 * (8192 + 64) + 4 * 49_152 + 4 * 16_384 + 10 * 18_432, eager, 9);
    }

    [Fact]
    public void The_prediction_module_is_one_more_MoE_layer_a_projection_and_three_norms()
    {
        // Layer: attention 187,105,280 + norms 16,384 + 257 experts·3·7168·2048 + router 7168·256;
        // projection 2·7168²; norms 3·7168.
        var p = TransformerArithmetic.Parameters(V3);
        double moeLayer = 187_105_280 + 16_384 + 257.0 * 3 * 7168 * 2048 + 7168 * 256;
        Assert.Equal(1, p.MtpModules);
        Assert.Equal(moeLayer + 2.0 * 7168 * 7168 + 3 * 7168, p.Mtp);
        Assert.InRange(p.Mtp / 1e9, 11.6, 11.62);
        Assert.Equal(671_026_404_352, p.Total); // the published count leaves the module out
        // Forward FLOPs per token: 2 × (attention + 9 experts + router + projection + output head 129,280·7168) + 2·128·(192 + 128)·4096.
        double active = 187_105_280 + 9.0 * 3 * 7168 * 2048 + 7168 * 256 + 2.0 * 7168 * 7168;
        double extra = 2 * (active + 129_280.0 * 7168) + 2.0 * 128 * 320 * 4096;
        var without = V3 with { MtpLayers = 0 };
        Assert.Equal(extra, TransformerArithmetic.ForwardFlopsPerToken(V3, 4096) - TransformerArithmetic.ForwardFlopsPerToken(without, 4096), 3);
        Assert.Equal(3 * extra, TransformerArithmetic.ModelFlopsPerToken(V3, 4096) - TransformerArithmetic.ModelFlopsPerToken(without, 4096), 3);
    }

    [Fact]
    public void The_last_stage_runs_and_holds_the_module()
    {
        var job = new TrainingJob(V3, 1e9, 64, 4096, Precision.Bf16);
        var system = TestSystems.DgxH100;
        var net = new Collectives(system);
        var layout = new Layout(Tp: 8, Pp: 4, Dp: 1, Ep: 1);
        var moe = LayerTime.For(V3, true, job, layout, system, net, GpuSoftware.Modern);
        var loss = GpuSoftware.Modern.CrossEntropy;
        var logits = LayerTime.Logits(V3, job, layout, system, loss);
        var heads = LayerTime.OutputHeads(V3, job, layout, system, moe, loss);
        double projection = MatmulEfficiency.Seconds(system.Device, Precision.Bf16, 4096, 7168 / 8.0, 2 * 7168);
        Assert.Equal(2 * logits.Gemm.Forward + moe.Gemm.Forward + projection, heads.Gemm.Forward, 12);
        Assert.Equal(moe.Attention, heads.Attention);
        Assert.Equal(2 * logits.Elementwise.Total + moe.Elementwise.Total, heads.Elementwise.Total, 12);
        Assert.Equal(logits, LayerTime.OutputHeads(V3 with { MtpLayers = 0 }, job, layout, system, moe, loss));

        // Weights: the last stage adds the module's layer (non-expert split by tp, experts by ep·tp), projection/tp,
        // three norms, and an embedding copy (untied, not the first stage).
        var p = TransformerArithmetic.Parameters(V3);
        var with = new ModelPartition(V3, p, layout).LastStageWeights;
        var without = new ModelPartition(V3 with { MtpLayers = 0 }, TransformerArithmetic.Parameters(V3 with { MtpLayers = 0 }), layout).LastStageWeights;
        var part = new ModelPartition(V3, p, layout);
        Assert.Equal(part.DenseWeightsPerLayer(true) + 2.0 * 7168 * 7168 / 8 + 3 * 7168 + 129_280.0 * 7168 / 8, with.Dense - without.Dense, 3);
        Assert.Equal(part.ExpertWeightsPerLayer, with.Expert - without.Expert, 3);
        Assert.Equal(new ModelPartition(V3 with { MtpLayers = 0 }, p, layout).FirstStageWeights, part.FirstStageWeights);
    }

    [Fact]
    public void The_estimate_states_the_module_and_the_ring_width()
    {
        var job = new TrainingJob(V3, 1e12, 1024, 4096, Precision.Bf16);
        var estimate = Simulator.Estimate(job, SimulatorCatalog.Default.FindSystem("dgx-h100"), 1024,
            new Layout(Tp: 8, Pp: 8, Dp: 16, Ep: 16, Recompute: Recompute.Full));
        Assert.Contains(estimate.Assumptions, a => a.StartsWith("1 multi-token prediction module on the last pipeline stage: one more MoE layer"));
        Assert.Contains(estimate.Assumptions, a => a.Contains("context parallelism rings the per-head keys and values, not the latent"));
        var without = Simulator.Estimate(job with { Model = V3 with { MtpLayers = 0 } }, SimulatorCatalog.Default.FindSystem("dgx-h100"), 1024,
            new Layout(Tp: 8, Pp: 8, Dp: 16, Ep: 16, Recompute: Recompute.Full));
        Assert.True(estimate.StepTimeS > without.StepTimeS);
        Assert.DoesNotContain(without.Assumptions, a => a.Contains("multi-token prediction"));
    }

    [Fact]
    public void Mtp_layers_is_an_input_of_the_catalog_the_inline_model_and_its_checks()
    {
        Assert.Equal(1, V3.MtpLayers);
        Assert.Equal(0, SimulatorCatalog.Default.FindModel("deepseek-v2").MtpLayers);
        var inline = InlineModel.Parse("layers=4,hidden=512,heads=8,vocab=1000,mtp_layers=2");
        Assert.Equal(2, inline.MtpLayers);
        Assert.Contains("mtp_layers=-1 is not a positive whole number", Assert.Throws<WaferInputException>(() => InlineModel.Parse("layers=4,hidden=512,heads=8,vocab=1000,mtp_layers=-1")).Message);
        Assert.Contains("mtp_layers must be between 0", ModelShape.Problem(inline with { MtpLayers = -1 }));
        const string json = """{"models": [{"id": "m", "name": "M", "layers": 2, "hidden": 64, "ffn_hidden": 256, "ffn": "gelu", "heads": 4, "vocab": 10, "seq_len": 8, "mtp_layers": 1, "source": "s"}]}""";
        Assert.Equal(1, SimulatorCatalog.Default.ExtendFromJsonText(json).FindModel("m").MtpLayers);
    }
}
