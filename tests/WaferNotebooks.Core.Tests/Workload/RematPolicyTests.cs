using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Tests.GpuTests;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.WorkloadTests;

/// <summary>MaxText's remat policies: what a layer keeps and what the backward redoes, counted by hand.</summary>
public class RematPolicyTests
{
    // MaxText's 32B of 2023-12 (global_parameter_scale 32): h = 10240, 32 heads of 256 (q = kv = 8192), plain MLP of 32768.
    static readonly ModelSpec Parallel32b = new("mt32", "MaxText 32B", 32, 10240, 32768, FfnKind.Gelu, 32, 32, 256, 32768, 2048, ParallelBlock: true);
    static readonly ModelSpec Sequential32b = Parallel32b with { ParallelBlock = false };

    static RematPolicy P(string name) => RematPolicy.Parse(name);

    [Fact]
    public void Minimal_keeps_the_input_qkv_and_mlp_input_sharded_over_tensor()
    {
        // Parallel block: input 2h + Q, K, V 6·8192 + MLP input 2·32768, all over tp = 4.
        Assert.Equal((20480 + 6 * 8192 + 2 * 32768) / 4.0, P("minimal").SavedBytesPerToken(Parallel32b, 32768, 4, true, true), 6);
        // Sequential block: the output projection is read to rebuild the residual the MLP's norm reads: + 2h/4.
        Assert.Equal((20480 + 6 * 8192 + 20480 + 2 * 32768) / 4.0, P("minimal").SavedBytesPerToken(Sequential32b, 32768, 4, true, true), 6);
        // A gated MLP keeps both input projections (mlpwi_0, mlpwi_1).
        var gated = Sequential32b with { Ffn = FfnKind.SwiGlu };
        Assert.Equal((20480 + 6 * 8192 + 20480 + 4 * 32768) / 4.0, P("minimal").SavedBytesPerToken(gated, 32768, 4, true, true), 6);
    }

    [Fact]
    public void Full_keeps_the_layer_input_whole_unless_the_residual_is_sharded()
    {
        Assert.Equal(20480 / 4.0, P("full").SavedBytesPerToken(Parallel32b, 32768, 4, true, true), 6);
        Assert.Equal(20480.0, P("full").SavedBytesPerToken(Parallel32b, 32768, 4, false, true), 6);
        Assert.Equal(Recompute.Full, P("full").Recompute);
        Assert.Equal(Recompute.Selective, P("save_qkv_proj").Recompute);
    }

    [Fact]
    public void Saving_the_context_keeps_the_attention_output_and_its_log_sum_exp()
    {
        // + 2q + 4 bytes per head (fp32 log-sum-exp), over tp = 4; mlpwo is saved by name but never read.
        double minimal = P("minimal").SavedBytesPerToken(Sequential32b, 32768, 4, true, true);
        Assert.Equal(minimal + (2 * 8192 + 4 * 32) / 4.0, P("minimal_with_context").SavedBytesPerToken(Sequential32b, 32768, 4, true, true), 6);
        Assert.Equal(P("save_dot_except_mlp").SavedBytesPerToken(Sequential32b, 32768, 4, true, true),
            P("save_dot_except_mlpwi").SavedBytesPerToken(Sequential32b, 32768, 4, true, true), 6);
        Assert.False(P("minimal_with_context").RebuildsAttention(fusedAttention: true));
        Assert.True(P("minimal_with_context").RebuildsAttention(fusedAttention: false));
        Assert.True(P("minimal").RebuildsAttention(fusedAttention: true));
    }

    [Fact]
    public void The_backward_redoes_only_the_projections_it_reads_unsaved()
    {
        // Per token and layer the forward projections are QKV h·3q, output q·h, MLP h·F and F·h: 4q + 2F in units of h.
        double total = 4 * 8192 + 2 * 32768;
        Assert.Equal(0, P("minimal").RecomputedGemmShare(Parallel32b, 32768), 9);
        // full, parallel block: QKV and the MLP input; neither projection's output is read.
        Assert.Equal((3 * 8192 + 32768) / total, P("full").RecomputedGemmShare(Parallel32b, 32768), 9);
        // full, sequential block: the output projection too (the MLP's norm reads the residual it feeds).
        Assert.Equal((4 * 8192 + 32768) / total, P("full").RecomputedGemmShare(Sequential32b, 32768), 9);
        Assert.Equal((8192 + 32768) / total, P("save_qkv_proj").RecomputedGemmShare(Sequential32b, 32768), 9);
        Assert.Equal(32768 / total, P("save_dot_except_mlpwi").RecomputedGemmShare(Sequential32b, 32768), 9);
        // save_out_proj: QKV and the MLP input, the output projection kept.
        Assert.Equal((3 * 8192 + 32768) / total, P("save_out_proj").RecomputedGemmShare(Sequential32b, 32768), 9);
    }

    [Fact]
    public void A_layer_redoes_the_policys_share_of_its_projections_the_attention_kernel_and_its_elementwise_work()
    {
        var m = Parallel32b with { Layers = 4 };
        var job = new TrainingJob(m, 1e9, 64, 2048, Precision.Bf16);
        var system = TestSystems.DgxH100;
        LayerTime Time(string policy) => LayerTime.For(m, false, job, new Layout(Tp: 4, Dp: 2, MicroBatch: 8, Recompute: P(policy).Recompute, SequenceParallel: true, Remat: P(policy)),
            system, new Collectives(system), GpuSoftware.Modern);
        var full = Time("full");
        var (compute, elementwise, comm) = full.Recompute(Recompute.Full, fused: true);
        // 0.583 of the forward projections (QKV and the MLP input; not the two projections whose outputs the backward never reads),
        // the attention kernel's forward, all the elementwise forward, and the same share of the forward tensor-parallel traffic.
        double share = (3 * 8192 + 32768) / (4 * 8192 + 2 * 32768.0);
        Assert.Equal(share * full.Gemm.Forward + full.Attention.Forward, compute, 9);
        Assert.Equal(full.Elementwise.Forward, elementwise, 9);
        Assert.Equal(share * full.Tp.Forward, comm, 9);
        // minimal: no projection redone; with the context saved, not the attention kernel either.
        var minimal = Time("minimal");
        Assert.Equal(minimal.Attention.Forward, minimal.Recompute(Recompute.Selective, fused: true).Compute, 9);
        Assert.Equal(0, Time("minimal_with_context").Recompute(Recompute.Selective, fused: true).Compute, 9);
        // Without a policy, Megatron's full recompute repeats the whole forward.
        var megatron = LayerTime.For(m, false, job, new Layout(Tp: 4, Dp: 2, MicroBatch: 8, Recompute: Recompute.Full, SequenceParallel: true), system, new Collectives(system), GpuSoftware.Modern);
        Assert.Equal(megatron.Gemm.Forward + megatron.Attention.Forward, megatron.Recompute(Recompute.Full, fused: true).Compute, 9);
    }

    [Fact]
    public void The_recomputed_flops_count_the_same_share()
    {
        var m = Parallel32b with { Layers = 4 };
        var p = TransformerArithmetic.Parameters(m);
        // Per layer 4·h·q + 2·h·F = 335,544,320 + 671,088,640 projection weights.
        Assert.Equal(4 * 1_006_632_960.0, p.ActiveLayerMatmul, 0);
        double attention = TransformerArithmetic.AttentionForwardFlopsPerToken(m, 2048);
        Assert.Equal(7.0 / 12 * 2 * 4 * 1_006_632_960.0 + attention, P("full").RecomputeFlopsPerToken(m, p, 2048, true), 0);
        Assert.Equal(attention, P("minimal").RecomputeFlopsPerToken(m, p, 2048, true), 0);
        Assert.Equal(0, P("minimal_with_context").RecomputeFlopsPerToken(m, p, 2048, true), 0);
    }

    [Fact]
    public void Names_parse_with_their_old_aliases_and_refuse_what_is_not_modelled()
    {
        Assert.Equal("save_qkv_proj", P("proj").Name);
        Assert.Equal("minimal_with_context", P("minimal_flash").Name);
        Assert.Contains("recompute none", Assert.Throws<FormatException>(() => P("none")).Message);
        Assert.Contains("host memory", Assert.Throws<FormatException>(() => P("minimal_offloaded")).Message);
        var unknown = Assert.Throws<FormatException>(() => P("minimall")).Message;
        Assert.Contains("not a MaxText remat policy", unknown);
        Assert.Contains("save_dot_except_mlpwi", unknown);
    }

    [Fact]
    public void The_layout_key_sets_the_policy_and_its_recompute_class()
    {
        var spec = LayoutSpec.Parse("tp=4,remat=minimal,sp=1");
        Assert.Equal("minimal", spec.Remat!.Name);
        Assert.Null(spec.Recompute);
        var wrong = Assert.Throws<WaferInputException>(() => LayoutSpec.Parse("remat=minimall")).Message;
        Assert.Contains("save_qkv_proj", wrong);
        var job = new TrainingJob(Parallel32b, 1e9, 64, 2048, Precision.Bf16);
        var layout = LayoutSpec.Parse("tp=4,mb=8,remat=full").Resolve(8, job, TestSystems.DgxH100);
        Assert.Equal(Recompute.Full, layout.Recompute);
        Assert.EndsWith(",remat=full", layout.ToString());
        var disagree = Assert.Throws<WaferInputException>(() => LayoutSpec.Parse("tp=4,mb=8,remat=full,recompute=selective").Resolve(8, job, TestSystems.DgxH100)).Message;
        Assert.Contains("remat=full is recompute=full", disagree);
        var partial = Assert.Throws<WaferInputException>(() => LayoutSpec.Parse("tp=4,mb=8,remat=full,rl=2").Resolve(8, job, TestSystems.DgxH100)).Message;
        Assert.Contains("applies to every layer", partial);
    }

    [Fact]
    public void A_row_whose_remat_policy_and_recompute_disagree_is_refused()
    {
        const string header = "id,model,layers,hidden,heads,seq_len,system,metric,value,tp,dp,micro_batch,recompute,remat_policy\n";
        var row = new ValidationRun().Run(header + "bad,x,4,512,8,1024,tpu-v5p-pod,mfu_percent,50,1,8,1,full,minimal\n", "bad.csv").Rows.Single();
        Assert.True(row.Skipped);
        Assert.Contains("remat_policy = minimal", row.Reason);
        var unknown = new ValidationRun().Run(header + "bad,x,4,512,8,1024,tpu-v5p-pod,mfu_percent,50,1,8,1,,minimall\n", "bad.csv").Rows.Single();
        Assert.Contains("column remat_policy", unknown.Reason);
    }
}
