using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// GPU idle around the device-to-host synchronisation of Megatron-Core's all-to-all token
/// dispatcher (docs/gpu-model.md §4.6, "Host time of the router and dispatcher"). The dispatcher
/// needs the split sizes on the host before the expert-parallel all-to-all
/// (<c>MoEAlltoAllTokenDispatcher._maybe_dtoh_and_synchronize</c>, sync point
/// <c>before_ep_alltoall</c>), so the host cannot run ahead of the GPU across it: what the host
/// launches before the sync is not hidden under the GPU work after it, and every launch after it
/// waits for the host until a long kernel lets the host get ahead again.
/// Kernel counts are those of Megatron-Core 0.15.0 (tag <c>core_v0.15.0</c>,
/// <c>megatron/core/transformer/moe/{router,token_dispatcher,moe_utils}.py</c>) with the router
/// and permutation fusions of Transformer Engine ≥ 2.6 that NVIDIA's MoE recipes switch on
/// (<c>moe_router_fusion</c>, <c>moe_permute_fusion</c>), dropless routing.
/// </summary>
public static class MoeHostSync
{
    /// <summary>Host operations (kernels and autograd records) per layer forward that the stack's
    /// host time per layer was counted from: 40 (<see cref="Catalog.GpuSoftware.EagerLayerForwardS"/>:
    /// about 40 at about 20 µs). One operation costs the host time per layer over this.</summary>
    public const double HostOpsPerLayer = 40;

    /// <summary>Router forward: the gating GEMM (<c>router_gating_linear</c>), the fused top-k with
    /// its score function (<c>fused_topk_with_score_function</c>), and the auxiliary loss: fused
    /// scores for the loss, <c>routing_map.sum</c>, the fused loss, and its logging
    /// (<c>aux_loss / coeff</c>, the tracker's <c>+=</c>): 7. (An expert-bias update instead of
    /// the loss is as many: <c>routing_map.sum</c> and <c>+=</c>.)</summary>
    public const int RouterKernels = 7;

    /// <summary>Dispatcher <c>preprocess</c> with expert or tensor parallelism: the token counts
    /// (<c>sum</c>, <c>long</c>), the input splits (<c>sum</c>), the counts all-gathered over the
    /// TP×EP group, the local experts' slice (<c>contiguous</c>), and four sums (per rank, output
    /// splits, TP splits, per local expert): 8. Without either, the counts only (2).</summary>
    public const int PreprocessKernels = 8, PreprocessKernelsLocal = 2;

    /// <summary>Device-to-host copies at <c>cuda_dtoh_point</c>: tokens per expert, input splits,
    /// output splits, TP splits (4); without expert or tensor parallelism tokens per expert only (1).</summary>
    public const int DtohCopies = 4, DtohCopiesLocal = 1;

    /// <summary>Fused permutation (Transformer Engine <c>moe_permute_with_probs</c>): three passes
    /// building the row map and the permute kernel.</summary>
    public const int PermuteKernels = 4;

    /// <summary>Fused <c>sort_chunks_by_idxs</c> (<c>moe_sort_chunks_by_index_with_probs</c>): the
    /// chunk map and the sort, each way, when a rank holds several experts.</summary>
    public const int SortKernels = 2;

    /// <summary>Host operations per expert weight in the backward of Transformer Engine's per-expert
    /// <c>GroupedLinear</c> (v2.9, <c>grouped_linear.py</c>), after its weight-gradient loop: each expert
    /// is its own parameter (<c>weight{i}</c>), so TE hands Megatron's DDP a placeholder gradient per
    /// expert (<c>handle_custom_ddp_from_mcore</c>: a <c>torch.empty</c>, the real gradient having gone
    /// into <c>main_grad</c>), and autograd runs one <c>AccumulateGrad</c> node per expert with the
    /// post-hook Megatron-Core registers on every parameter (<c>_make_backward_post_hook</c>,
    /// <c>distributed_data_parallel.py</c>, core_v0.15.0): 2. No kernels, so nothing queued covers them.</summary>
    public const int ExpertWeightBackwardOps = 2;

    /// <summary>Host operations of one replayed CUDA graph (Transformer Engine's graphed callable: one autograd
    /// operation around <c>graph.replay()</c>), counted like any other operation.</summary>
    public const int GraphReplayOps = 1;

    /// <summary>Host operations from the previous layer's combine to the sync, less the attention half: router, preprocess,
    /// device-to-host copies, permutation, the previous layer's unpermute (and shared-expert add). Graphed, the router is one
    /// replay, and the router with the preprocess one replay; the copies stay launches (Megatron-Core moves them after the graph).</summary>
    public static int BeforeSyncLaunches(bool exchange, bool shared, MoeCudaGraphScope graphs)
    {
        int preprocess = exchange ? PreprocessKernels : PreprocessKernelsLocal, copies = exchange ? DtohCopies : DtohCopiesLocal;
        int routing = graphs.HasFlag(MoeCudaGraphScope.Preprocess) ? GraphReplayOps
            : graphs.HasFlag(MoeCudaGraphScope.Router) ? GraphReplayOps + preprocess
            : RouterKernels + preprocess;
        return routing + copies + PermuteKernels + 1 + (shared ? 1 : 0);
    }

    /// <summary>Grouped linears per expert MLP: the up (gated) and the down projection.</summary>
    public const int GroupedLinearsPerExpertMlp = 2;

    /// <summary>
    /// Seconds the GPU waits on the host in one MoE layer, forward and backward, for one micro-batch.
    /// <paramref name="hostLayerForwardS"/>: the stack's host time to issue a layer's forward (§3.5);
    /// <paramref name="perOpS"/>: one host operation (<paramref name="hostLayerForwardS"/> unscaled
    /// by the stack's kernel count, over <see cref="HostOpsPerLayer"/>);
    /// <paramref name="gpuBeforeSyncS"/>: the GPU work between the previous layer's combine launch and
    /// this layer's sync (the combine itself, the attention half of the layer, the router);
    /// <paramref name="dispatchS"/>: the dispatch all-to-all; <paramref name="loopSlackS"/>: how far the
    /// per-expert GEMM loop's forward math runs beyond its host floor (<see cref="GroupedGemm.LoopSlack"/>; 0 at
    /// the floor, infinite for one grouped kernel): the launches after the loop hide in that lead, so the
    /// wait shrinks continuously as the GPU gets slower and a faster GPU is never slower. The backward also
    /// pays, after each grouped linear's weight-gradient loop, the per-expert gradient hand-back
    /// (<see cref="ExpertWeightBackwardOps"/>), less that linear's lead (its data- and weight-gradient
    /// loops: twice the forward's). <paramref name="graphs"/>: the parts captured in CUDA graphs, each one replay
    /// (<see cref="BeforeSyncLaunches"/>; the attention half one operation instead of half the layer's host time).
    /// </summary>
    public static FwdBwd Seconds(double hostLayerForwardS, double perOpS, int ep, int tp, double localExperts, bool shared,
        double gpuBeforeSyncS, double dispatchS, double loopSlackS, MoeCudaGraphScope graphs = MoeCudaGraphScope.None)
    {
        if (perOpS <= 0) return default;
        bool exchange = ep > 1 || tp > 1, sorted = localExperts > 1;
        int a2a = ep > 1 ? 1 : 0, tpComm = tp > 1 ? 1 : 0;
        // Before the sync: the attention half of the layer's launches, the router, preprocess, copies
        // and permutation, and the previous layer's unpermute (and shared-expert add), against the GPU's work in that stretch.
        int beforeSync = BeforeSyncLaunches(exchange, shared, graphs);
        double attentionHalf = graphs.HasFlag(MoeCudaGraphScope.Attention) ? GraphReplayOps * perOpS : hostLayerForwardS / 2;
        double waitBefore = Math.Max(0, attentionHalf + beforeSync * perOpS - gpuBeforeSyncS);
        // The host's return from the sync and the first launch after it: the GPU has nothing queued.
        double wake = (1 + a2a) * perOpS;
        // While the dispatch runs: the probabilities' all-to-all, TP all-gathers, the sort.
        double middle = Math.Max(0, (a2a + 2 * tpComm + (sorted ? SortKernels : 0)) * perOpS - dispatchS);
        // After the expert loop: the unsort, TP reduce-scatter and the combine's launch (and their backward),
        // less what the loop's GPU work beyond its floor keeps queued (the backward's GEMMs are twice as long).
        double afterLaunches = ((sorted ? SortKernels : 0) + tpComm + a2a) * perOpS;
        double afterForward = Math.Max(0, afterLaunches - loopSlackS), afterBackward = Math.Max(0, afterLaunches - 2 * loopSlackS);
        double handBack = GroupedLinearsPerExpertMlp * Math.Max(0, ExpertWeightBackwardOps * localExperts * perOpS - 2 * loopSlackS);
        return new FwdBwd(waitBefore + wake + middle + afterForward, afterBackward + handBack);
    }
}
