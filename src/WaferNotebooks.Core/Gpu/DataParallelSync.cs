using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// Gradient and weight synchronisation across data-parallel replicas, and the share of it left
/// exposed.
/// <list type="bullet">
/// <item>ZeRO 0: all-reduce of the gradients, once per step.</item>
/// <item>ZeRO 1/2 (Megatron distributed optimizer): reduce-scatter of the gradients, then
/// all-gather of the updated 16-bit weights, once per step: the same bytes as an all-reduce.</item>
/// <item>ZeRO 3 (FSDP, DeepSpeed stage 3) as implemented: every micro-batch, each layer's
/// weights are all-gathered before its forward and again before its backward, and its gradients
/// are reduce-scattered after its backward (without <c>no_sync</c>, which would hold unsharded
/// gradients). Gathers run a bounded number of layers ahead (<see cref="GpuSoftware.Zero3PrefetchLayers"/>),
/// so per layer the pass takes the longer of its compute and its communication; the first
/// gather of each pass and the last reduce-scatter are exposed. PyTorch FSDP (1.x–2.1) runs every
/// collective of a process group on one NCCL stream, in issue order; with composer 0.16's default
/// <c>backward_prefetch = BACKWARD_POST</c> the post-backward hook of layer i issues the gather of
/// layer i+1 before layer i's reduce-scatter (torch/distributed/fsdp/_runtime_utils.py,
/// <c>_post_backward_hook</c>), the order <c>BACKWARD_PRE</c> gives too. The host runs ahead of the
/// GPU (<c>limit_all_gathers</c> stops it two gathers ahead, no sooner), so while layer i computes,
/// the stream carries one reduce-scatter and one gather: the backward's per-layer
/// Overlapped(g + r, c_b) below. A gather serialised with the compute instead is refuted by
/// llm-foundry's H100 table: equal per-GPU throughput on 8 and 64 GPUs.</item>
/// </list>
/// Overlapped collectives slow the compute beside them: NCCL kernels hold
/// <see cref="CommunicationSmShare"/> of the SMs while they run (Calculon's "processor usage" of
/// a network; Isaev et al., SC'23). A layer computing for c seconds under c' seconds of
/// communication takes max(c', c + share·c').
/// Overlap of ZeRO 0–2 (when the software buckets gradients): the reduction runs under the
/// backward pass of the last micro-batch, so only what exceeds it, and at least the last bucket
/// (one layer's gradients), is exposed; the weight all-gather runs under the next step's first
/// forward. Expert weights synchronise over the dp·cp/ep ranks that hold the same experts.
/// </summary>
public static class DataParallelSync
{
    /// <summary>
    /// Share of the SMs that NCCL's collective kernels occupy while they overlap compute. NCCL
    /// runs one thread block per channel on its own SM, and uses 16–32 channels for all-gather
    /// and reduce-scatter on 8-GPU NVLink nodes (NCCL_MIN/MAX_NCHANNELS; 12–24% of an H100's
    /// 132 SMs). Calculon's H100 and A100 system files charge 15% for their NVLink tier; 0.15 is
    /// taken, assumed.
    /// </summary>
    public const double CommunicationSmShare = 0.15;

    /// <summary>The synchronisation's time; <see cref="Description"/> is empty when the caller asked for numbers only.</summary>
    public readonly record struct Result(double TotalSeconds, double ExposedSeconds, string Description);

    /// <summary>
    /// True when ZeRO-3 keeps weights sharded through the step and gathers them per micro-batch:
    /// without a pipeline. Under a pipeline the stacks that combine FSDP with pipeline parallelism
    /// (PyTorch's pipelining schedules, as torchtitan and Llama 3 use them) keep the stage's
    /// weights unsharded after the first micro-batch's gather and accumulate unsharded gradients,
    /// reduce-scattering once after the last backward (Llama 3 paper, Sec. 3.3.2: no resharding
    /// after the forward pass), so the step gathers and reduces once.
    /// </summary>
    public static bool ShardsWeightsDuringStep(Layout l) => l.ZeroStage >= 3 && l.Pp == 1;

    /// <summary>Wall time of <paramref name="computeS"/> of compute that runs beside <paramref name="commS"/> of communication.</summary>
    public static double Overlapped(double commS, double computeS) => Math.Max(commS, computeS + CommunicationSmShare * commS);

    /// <summary>Bytes the weight all-gather moves per weight: 2, or with fp8_param_gather 1 for the linear layers' share of the stage.</summary>
    public static double GatherBytesPerWeight(ModelPartition part, bool fp8ParamGather)
    {
        if (!fp8ParamGather) return 2;
        var (dense, expert) = part.HeaviestStageWeights;
        double linear = part.MaxLayersPerStage * part.LinearWeightsPerLayer;
        return 2 - Math.Min(1, linear / Math.Max(1, dense + expert));
    }

    public static Result Of(ModelPartition part, Layout l, int microBatches, double gradientBytes, Collectives net,
        double microBatchBackwardS, double microBatchForwardS, GpuSoftware sw, bool fp8ParamGather = false, bool describe = true)
    {
        double w = GatherBytesPerWeight(part, fp8ParamGather);
        int replicas = l.Dp * l.Cp;
        if (replicas <= 1) return new Result(0, 0, "no data parallelism");
        var (dense, expert) = part.HeaviestStageWeights;
        // Sharding (ZeRO 1–3) spans `shard` of the replicas, the innermost (inside a node when tp·shard fits);
        // with shard= smaller than dp·cp (HSDP, MiCS) the copies all-reduce their gradient shard once per step.
        int shard = l.ShardSize, copies = l.ShardCopies, expertShard = Math.Max(1, shard / l.Ep);
        var denseGroup = net.Place(shard, l.Tp);
        var expertGroup = net.Place(expertShard, l.Tp * l.Ep);
        var copyGroup = net.Place(copies, l.Tp * shard);
        double acrossCopies = copies <= 1 ? 0
            : net.AllReduce(dense / shard * gradientBytes, copyGroup) + net.AllReduce(expert / expertShard * gradientBytes, copyGroup);
        string? over = !describe ? null : copies > 1 ? $"{shard} ranks (shard=), gradient shards all-reduced across {copies} copies" : $"{replicas} ranks";
        int layersOnStage = Math.Max(1, part.MaxLayersPerStage);

        if (l.ZeroStage >= 3)
        {
            var z3 = Zero3(part.Model, layersOnStage, ShardsWeightsDuringStep(l) ? microBatches : 1, !ShardsWeightsDuringStep(l), replicas, sw,
                gather: net.AllGather(dense / layersOnStage * w, denseGroup) + net.AllGather(expert / layersOnStage * w, expertGroup),
                reduce: net.ReduceScatter(dense / layersOnStage * gradientBytes, denseGroup) + net.ReduceScatter(expert / layersOnStage * gradientBytes, expertGroup),
                forwardPerLayer: microBatchForwardS / layersOnStage, backwardPerLayer: microBatchBackwardS / layersOnStage, over,
                backwardGather: l.SecondaryShard > 0
                    ? net.AllGather(dense / layersOnStage * w, net.Place(l.SecondaryShard, l.Tp)) + net.AllGather(expert / layersOnStage * w, net.Place(Math.Max(1, l.SecondaryShard / l.Ep), l.Tp * l.Ep))
                    : null, describe);
            if (copies <= 1) return z3;
            double exposedCopies = sw.OverlapGradientReduction
                ? Math.Max(acrossCopies / layersOnStage, Overlapped(acrossCopies, microBatchBackwardS) - microBatchBackwardS)
                : acrossCopies;
            return new Result(z3.TotalSeconds + acrossCopies, z3.ExposedSeconds + exposedCopies, !describe ? "" :
                z3.Description + $"; the copies' all-reduce of the gradient shards {(sw.OverlapGradientReduction ? "overlapped with the last backward" : "after the backward")} (HSDP)");
        }

        double reduce = net.ReduceScatter(dense * gradientBytes, denseGroup) + net.ReduceScatter(expert * gradientBytes, expertGroup) + acrossCopies;
        double gather = net.AllGather(dense * w, denseGroup) + net.AllGather(expert * w, expertGroup);
        if (!sw.OverlapGradientReduction)
            return new Result(reduce + gather, reduce + gather, !describe ? "" : $"gradients {(l.ZeroStage == 0 ? "all-reduced" : "reduce-scattered and weights all-gathered")} over {over} after the backward pass");

        // What the overlap leaves: the excess over the pass it hides under, or the compute the NCCL kernels slow, and at least one layer's bucket.
        bool perChunk = sw.PerChunkGradientReduction && l.Vpp > 1 && microBatches >= l.Pp;
        double exposedReduce = perChunk
            ? Math.Max(reduce / layersOnStage, PerChunkExposed(reduce, microBatchBackwardS, l.Pp, l.Vpp))
            : Math.Max(reduce / layersOnStage, Overlapped(reduce, microBatchBackwardS) - microBatchBackwardS);
        double exposedGather = Math.Max(gather / layersOnStage, Overlapped(gather, microBatchForwardS) - microBatchForwardS);
        return new Result(reduce + gather, exposedReduce + exposedGather, !describe ? "" :
            $"gradients {(l.ZeroStage == 0 ? "all-reduced" : "reduce-scattered, weights all-gathered")} over {over}, overlapped with "
            + (perChunk ? $"the backward of the {l.Vpp} model chunks as each finishes (one window per virtual stage)" : "the last backward") + " and the next forward");
    }

    /// <summary>
    /// Exposed gradient reduction when each of v interleaved model chunks is reduced as soon as its
    /// backward for the last micro-batch ends (Megatron-Core <c>overlap_grad_reduce</c> with a
    /// virtual pipeline). In the interleaved cool-down a device finishes successive chunks of the
    /// last micro-batch p chunk-backwards apart (p·b/v, b the stage's backward per micro-batch), so
    /// the last k chunks' reductions, k·R/v, have the window W_k = b/v + (k−1)·p·b/v; what is left
    /// is the largest overrun: max over k of Overlapped(k·R/v, W_k) − W_k. v = 1 gives one window of b.
    /// </summary>
    public static double PerChunkExposed(double reduceS, double backwardS, int pp, int vpp)
    {
        double exposed = 0, chunk = backwardS / vpp;
        for (int k = 1; k <= vpp; k++)
        {
            double window = chunk + (k - 1) * pp * chunk;
            exposed = Math.Max(exposed, Overlapped(k * reduceS / vpp, window) - window);
        }
        return exposed;
    }

    /// <summary>
    /// ZeRO-3 per micro-batch over a stage of L layers, with per-layer gather g, reduce-scatter r,
    /// forward compute c_f and backward compute c_b (recompute included). With prefetch:
    /// forward g + (L−1)·Overlapped(g, c_f) + c_f; backward g + (L−1)·Overlapped(g + r, c_b) + c_b + r
    /// (a layer's backward runs beside the next gather and the previous layer's reduce-scatter,
    /// which share the links). Without prefetch every gather waits: L·(g + c_f) and L·(g + c_b + r).
    /// Gradients reduced after the backward (no bucketing) add L·r outside the overlap.
    /// </summary>
    public static Result Zero3(ModelSpec m, int layers, int syncedMicroBatches, bool oncePerStep, int replicas, GpuSoftware sw,
        double gather, double reduce, double forwardPerLayer, double backwardPerLayer, string? over = null, double? backwardGather = null, bool describe = true)
    {
        double g = gather + sw.Zero3SyncPerTensorS * ParameterTensorsPerLayer(m);
        // Once per step the backward finds the weights still gathered: it only reduce-scatters.
        // With ZeRO++ hpZ the backward gathers from the secondary partition inside the node.
        double gb = oncePerStep ? 0 : backwardGather is { } secondary ? secondary + (g - gather) : g;
        double r = reduce;
        double cf = forwardPerLayer, cb = backwardPerLayer;
        double overlappedReduce = sw.OverlapGradientReduction ? r : 0, serialReduce = r - overlappedReduce;
        double forward, backward, contention = 0;
        if (sw.Zero3PrefetchLayers > 0 && layers > 1)
        {
            forward = g + (layers - 1) * Overlapped(g, cf) + cf;
            backward = gb + (layers - 1) * Overlapped(gb + overlappedReduce, cb) + cb + overlappedReduce + layers * serialReduce;
            contention = (layers - 1) * (Overlapped(g, cf) - Math.Max(g, cf) + Overlapped(gb + overlappedReduce, cb) - Math.Max(gb + overlappedReduce, cb));
        }
        else
        {
            forward = layers * (g + cf);
            backward = layers * (gb + cb + r);
        }
        int n = syncedMicroBatches;
        double exposed = n * (forward + backward - layers * (cf + cb));
        double total = n * layers * (g + gb + r);
        if (!describe) return new Result(total, exposed, "");
        string prefetch = sw.Zero3PrefetchLayers > 0 ? $"prefetched {sw.Zero3PrefetchLayers} layer ahead" : "each gather waited for (no prefetch)";
        string when = oncePerStep
            ? "weights gathered layer by layer in the first micro-batch's forward and kept through the step (pipeline), gradients reduce-scattered in the last backward"
            : "each layer's weights gathered before its forward and its backward, its gradients reduce-scattered after its backward, every micro-batch";
        return new Result(total, exposed,
            $"ZeRO-3 over {over ?? $"{replicas} ranks"}: {when}; {prefetch}"
            + (contention > 0 ? $"; of which {n * contention:0.###} s is compute slowed by NCCL kernels on {CommunicationSmShare * 100:0}% of the SMs" : ""));
    }

    /// <summary>
    /// Parameter tensors of one layer as a PyTorch module holds them: Q, K, V and output
    /// projections, the MLP matrices (3 gated, else 2), two norms; LayerNorm families (non-gated
    /// MLPs) also have a bias per linear layer and per norm. MoE layers hold each expert's MLP
    /// and the router.
    /// </summary>
    public static double ParameterTensorsPerLayer(ModelSpec m)
    {
        int mlp = m.Ffn == FfnKind.SwiGlu ? 3 : 2;
        int perTensor = m.Ffn == FfnKind.SwiGlu ? 1 : 2;
        double dense = perTensor * (4 + mlp + 2);
        if (m.Moe is not { } moe) return dense;
        double moeShare = (double)(m.Layers - moe.DenseLayers) / m.Layers;
        return dense + moeShare * perTensor * ((moe.Experts + moe.Shared - 1) * mlp + 1);
    }
}
