using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// Memory of the busiest device. Mixed-precision Adam (Rajbhandari et al. 2020, ZeRO):
/// 2-byte weights, gradients of <see cref="GradientBytes"/> bytes (Megatron accumulates and
/// reduces gradients in fp32 with bf16, so 18 bytes/parameter; with fp16 16 bytes/parameter as
/// in the ZeRO paper), 12 bytes of optimizer state (fp32 master weights, momentum, variance).
/// FP8 GEMMs add the weight copies Transformer Engine caches across micro-batches ("FP8 weight
/// caching"): the FP8 weight and its transpose, 2 bytes per linear-layer parameter.
/// ZeRO-1 shards the optimizer state over the data-parallel group, ZeRO-2 also the gradients,
/// ZeRO-3 also the weights (plus the gathered layers in flight); under a pipeline, ZeRO-3 keeps
/// the stage's weights and gradients whole through the step (<see cref="DataParallelSync.ShardsWeightsDuringStep"/>). Activations follow
/// <see cref="ActivationMemory"/> (torchtitan's selective checkpointing by op: <see cref="ActivationMemory.OpSelectivePerLayer"/>,
/// plus what the layer in its backward rebuilds); 1F1B keeps min(p, m) micro-batches in flight on the first
/// stage, interleaving multiplies that by 1 + (p−1)/(p·v) (Korthikanti et al. 2022, Sec. 4.2.3).
/// The last stage holds the logits of one micro-batch as the stack's loss kernel keeps them
/// (<see cref="CrossEntropyKernel.HeldBytesPerLogit"/>). Measured memory runs
/// above the formulas: <see cref="FixedBuffersGb"/> and <see cref="FragmentationShare"/> are added.
/// With offload=N (<see cref="ActivationOffload"/>), N layers of each stage keep their activations in
/// host memory (the breakdown's <see cref="MemoryBreakdown.HostPart"/>, off the device); the device
/// keeps the other layers' activations and nothing more: Transformer Engine's offload synchronizer
/// (TE 2.10, <c>get_cpu_offload_context</c>) lets layer i's copy finish as late as layer L − N + i
/// and starts its reload at the mirror point of the backward, so the saved activations peak at
/// (L − N) layers' worth. With fp8_param_gather under ZeRO-3, the linear layers' sharded and
/// gathered weights are FP8 (1 byte).
/// </summary>
public static class DeviceMemory
{
    /// <summary>CUDA context, cuBLAS workspaces and NCCL communicator buffers, GB. Assumed 2.5:
    /// the CUDA context alone takes 0.5–1 GB on A100/H100 and NCCL allocates buffers per
    /// communicator (tp, dp, pp, embedding groups).</summary>
    public const double FixedBuffersGb = 2.5;

    /// <summary>Allocator fragmentation and temporaries as a share of activation memory. Assumed
    /// 10% (PyTorch caching-allocator reserved-vs-allocated gaps of 5–15% are typical in
    /// Megatron memory reports).</summary>
    public const double FragmentationShare = 0.10;

    public static double GradientBytes(Precision p, GpuSoftware sw) => p == Precision.Fp16 || !sw.GradientsInFp32 ? 2 : 4;

    /// <summary>Micro-batches whose activations the first stage holds: min(p, m) in 1F1B, min(p + 1, m) in DualPipe (DeepSeek-V3 Table 2).</summary>
    public static int InFlightMicroBatches(Layout l, int microBatches, bool dualPipe = false) =>
        l.Pp == 1 ? 1 : Math.Min(l.Pp + (dualPipe ? 1 : 0), microBatches);

    /// <summary>Copies of a stage's parameters, gradients and optimizer state each rank holds: 2 under DualPipe (DeepSeek-V3 Table 2), else 1.</summary>
    public static int ParameterCopies(bool dualPipe) => dualPipe ? 2 : 1;

    public static double InterleaveFactor(Layout l) => l.Vpp > 1 ? 1 + (l.Pp - 1.0) / (l.Pp * l.Vpp) : 1;

    public readonly record struct Result(MemoryBreakdown Breakdown, double ActivationsGb);

    /// <summary>The parts of a device's memory, in breakdown order.</summary>
    static readonly string[] PartNames = ["weights", "gradients", "optimizer", "activations", "logits", "buffers"];

    /// <summary>The parts with activation offload: the host-held part last.</summary>
    static readonly string[] PartNamesWithOffload = [.. PartNames, MemoryBreakdown.HostPart];

    /// <summary>
    /// Memory of the busiest device. With <paramref name="text"/> the breakdown holds sizes only and
    /// its descriptions are written from it when read (the planner's path); without, they are written now.
    /// </summary>
    public static Result Of(ModelPartition part, TrainingJob job, Layout l, int microBatches, GpuSoftware sw, bool fp8Gemms, double capacityGb, EstimateText? text = null)
    {
        var m = part.Model;
        int shard = l.ShardSize;
        int expertShard = Math.Max(1, shard / l.Ep);
        bool dualPipe = PipelineSchedule.IsDualPipe(l, sw);
        bool shardedWeights = DataParallelSync.ShardsWeightsDuringStep(l);
        // ZeRO-2 shards the gradients; ZeRO-3 too, unless a pipeline accumulates them whole through the step.
        bool shardedGrads = l.ZeroStage >= 2 && (shardedWeights || l.ZeroStage == 2);
        double gradBytes = GradientBytes(job.Precision, sw);
        // The stage whose weights, gradients and optimizer state take the most bytes: ZeRO shards expert
        // and dense weights over different rank counts, so the stage with the most raw weights (a last stage
        // carrying a multi-token prediction module's experts) need not be it. Each stage is sized once.
        StageState State((double Dense, double Expert) stage)
        {
            var (d, e) = (stage.Dense * ParameterCopies(dualPipe), stage.Expert * ParameterCopies(dualPipe));
            double sharded = d / shard + e / expertShard;
            double w = 2 * (shardedWeights ? sharded : d + e);
            double g = gradBytes * (shardedGrads ? sharded : d + e);
            return new StageState(d, e, w, g, 12 * (l.ZeroStage >= 1 ? sharded : d + e));
        }
        var heaviest = State(part.HeaviestStageWeights);
        if (State(part.FirstStageWeights) is var first && first.Bytes > heaviest.Bytes) heaviest = first;
        if (State(part.LastStageWeights) is var last && last.Bytes > heaviest.Bytes) heaviest = last;
        var (dense, expert, weights, grads, optimizer) = heaviest;
        bool fp8Params = fp8Gemms && sw.Fp8ParamGather;
        if (shardedWeights)
        {
            // The computing layer and the prefetched ones, and ZeRO++ hpZ's secondary partition.
            double gatheredLayer = part.DenseWeightsPerLayer(part.MoeShare > 0);
            weights += 2 * (1 + sw.Zero3PrefetchLayers) * gatheredLayer
                + (l.SecondaryShard > 0 ? 2 * (dense / l.SecondaryShard + expert / Math.Max(1, l.SecondaryShard / l.Ep)) : 0);
            if (fp8Params)
                // fp8_param_gather: the linear layers' shards and gathered copies are FP8, 1 byte
                // instead of 2 (Megatron FSDP keeps no 16-bit copy of them; norms and embeddings stay 16-bit).
                weights -= ParameterCopies(dualPipe) * part.MaxLayersPerStage * LinearShard(part, shard, expertShard)
                    + (1 + sw.Zero3PrefetchLayers) * (gatheredLayer - part.Params.NormsPerLayer);
        }
        else if (fp8Gemms && !fp8Params)
            // FP8 weight and transpose cached beside the 16-bit weights; with fp8_param_gather they
            // replace the 16-bit copy of the linear layers (1 + 1 bytes), so nothing is added.
            weights += 2 * ParameterCopies(dualPipe) * part.MaxLayersPerStage * part.LinearWeightsPerLayer;

        double tokens = (double)l.MicroBatch * job.SeqLen / l.Cp;
        int ffn = EffectiveFfn(m);
        bool opSelective = sw.OpSelectiveRecompute && l.Recompute == Recompute.Selective && l.Remat is null;
        // A JAX remat policy (MaxText) sets what the layers it does not recompute in full keep.
        bool rematSelective = l.Remat is not null && l.Recompute == Recompute.Selective;
        double PerLayer(Recompute r) => r == Recompute.Selective && opSelective
            ? ActivationMemory.OpSelectivePerLayer(m, ffn, tokens, l.Tp, l.SequenceParallel, sw.FusedAttention, fp8Gemms, sw.EagerKernels)
            : ActivationMemory.PerLayer(m, ffn, job.SeqLen, tokens, l.Tp, l.SequenceParallel, r, sw.FusedAttention, fp8Gemms, r == Recompute.Selective ? l.Remat : null);
        // Recomputed layers keep only their input; the others keep what their policy stores
        // (under partial full recompute: everything).
        var others = l.Recompute == Recompute.Full ? Recompute.None : l.Recompute;
        double StageActivations(int layers, double inFlight)
        {
            double recomputedLayers = l.RecomputedLayers(layers);
            // Offload excludes full recompute (LayoutRules), so offloaded layers are among the others.
            double kept = layers - recomputedLayers - Math.Min(l.OffloadLayers, layers);
            return (recomputedLayers * PerLayer(Recompute.Full) + kept * PerLayer(others)) * inFlight;
        }
        // Stage i of 1F1B holds min(p − i, m) micro-batches: the first stage the most, so the
        // fullest is the first stage or, when first= shrinks it, the stage after it (the stages
        // between hold the same layers and fewer micro-batches further on).
        int stage = 0;
        int firstMicroBatches = InFlightMicroBatches(l, microBatches, dualPipe);
        double firstInFlight = firstMicroBatches * InterleaveFactor(l), inFlight = firstInFlight;
        double activations = StageActivations(part.StageLayersAt(0), inFlight);
        if (l.UnevenStages && l.Pp > 1)
        {
            double nextInFlight = Math.Min(l.Pp - 1 + (dualPipe ? 1 : 0), microBatches) * InterleaveFactor(l);
            double next = StageActivations(part.StageLayersAt(1), nextInFlight);
            if (next > activations) (stage, inFlight, activations) = (1, nextInFlight, next);
        }
        int stageLayers = part.StageLayersAt(stage);
        double recomputed = l.RecomputedLayers(stageLayers);
        // Offloaded: the N layers of every micro-batch the first stage holds in flight (the most); no
        // layer is counted in transit on the device (Transformer Engine's offload keeps L − N layers).
        double offloaded = l.OffloadLayers > 0
            ? l.OffloadLayers * PerLayer(others) * firstMicroBatches * InterleaveFactor(l)
            : 0;
        if (l.Recompute == Recompute.Full || opSelective || rematSelective)
        {
            double workingSet = ActivationMemory.RecomputeWorkingSet(m, ffn, job.SeqLen, tokens, l.Tp, l.SequenceParallel, sw.FusedAttention, fp8Gemms);
            // Under op-selective recompute or a JAX remat policy, the layer whose backward runs rebuilds what its policy did not keep.
            activations += l.Recompute == Recompute.Full ? workingSet : Math.Max(0, workingSet - PerLayer(Recompute.Selective));
        }
        // Logits of the micro-batch on the last stage, as the stack's loss kernel holds them.
        double logits = ActivationMemory.Logits(m, tokens, l.Tp, sw.CrossEntropy);
        // XLA assigns every buffer when it compiles the step: no allocator slack, no communicator buffers beside the program.
        double fixedGb = sw.XlaBuffers ? 0 : FixedBuffersGb;
        double fragmentation = (sw.XlaBuffers ? 0 : FragmentationShare) * (activations + logits);

        const double Gb = 1e9;
        double[] gb = [weights / Gb, grads / Gb, optimizer / Gb, activations / Gb, logits / Gb, fixedGb + fragmentation / Gb];
        if (l.OffloadLayers > 0) gb = [.. gb, offloaded / Gb];
        var names = l.OffloadLayers > 0 ? PartNamesWithOffload : PartNames;
        if (text is not null)
            return new Result(new MemoryBreakdown(names, gb, capacityGb, "HBM", text), (activations + logits) / Gb);
        string[] descriptions =
        [
            (dualPipe ? "two stages per rank (DualPipe): " : "") + (shardedWeights ? (fp8Params ? "FP8 linear-layer and 16-bit other weights" : "16-bit weights") + $", sharded over data parallel (ZeRO-3) plus {1 + sw.Zero3PrefetchLayers} gathered layers" + (l.SecondaryShard > 0 ? $" and a secondary copy sharded over {l.SecondaryShard} ranks (hpZ)" : "")
                : fp8Gemms ? "16-bit weights of this device's shard and their cached FP8 copies (weight and transpose)" : "16-bit weights of this device's shard"),
            $"{gradBytes}-byte gradients" + (shardedGrads ? ", sharded (ZeRO-2/3)"
                : l.ZeroStage >= 3 ? ", unsharded while the pipeline's micro-batches accumulate them" : ""),
            "Adam: fp32 master weights, momentum, variance (12 B/param)" + (l.ZeroStage >= 1 ? $", sharded over {shard} ranks" : ""),
            $"{stageLayers} layers × {inFlight:0.##} micro-batches in flight{(stage > 0 ? " (second pipeline stage)" : "")}, recompute {l.Recompute.ToString().ToLowerInvariant()}{(l.Remat is { } remat ? $" (JAX remat policy {remat.Name})" : "")}{(opSelective ? " by op (torchtitan's policy: the layer input, every other matmul's output and the attention output kept; one layer rebuilt in its backward)" : "")}"
                + (l.PartialRecompute ? $" ({recomputed:0} of {stageLayers} layers)" : "")
                + (l.OffloadLayers > 0 ? $"; {Math.Min(l.OffloadLayers, stageLayers)} of the layers offloaded to host memory" : ""),
            sw.CrossEntropy.Holds,
            sw.XlaBuffers ? "none beside the program: XLA assigns every buffer, collectives' included, when the step compiles"
                : $"CUDA context, NCCL/cuBLAS workspaces ({FixedBuffersGb} GB) and {FragmentationShare:P0} allocator fragmentation",
        ];
        if (l.OffloadLayers > 0)
            descriptions = [.. descriptions, $"in host memory, not HBM: activations of {l.OffloadLayers} layers per stage × {firstInFlight:0.##} micro-batches in flight (offload={l.OffloadLayers})"];
        var parts = new MemoryPart[gb.Length];
        for (var i = 0; i < parts.Length; i++)
            parts[i] = new MemoryPart(names[i], gb[i], descriptions[i]);
        return new Result(new MemoryBreakdown(parts, capacityGb), (activations + logits) / Gb);
    }

    /// <summary>
    /// One stage's parameters on a device (DualPipe's two copies counted) and the bytes of its weights,
    /// gradients and optimizer state after ZeRO sharding, before gathered layers and FP8 copies.
    /// </summary>
    readonly record struct StageState(double Dense, double Expert, double Weights, double Grads, double Optimizer)
    {
        public double Bytes => Weights + Grads + Optimizer;
    }

    /// <summary>Linear-layer weights of one layer on one device under ZeRO-3 sharding (non-expert over the shard, routed experts over theirs).</summary>
    static double LinearShard(ModelPartition part, int shard, int expertShard)
    {
        double moe = part.MoeShare;
        double dense = (1 - moe) * part.DenseWeightsPerLayer(false) + moe * part.DenseWeightsPerLayer(true) - part.Params.NormsPerLayer;
        return dense / shard + moe * part.ExpertWeightsPerLayer / expertShard;
    }

    /// <summary>MLP width per token for activation purposes: MoE tokens pass through their active and shared experts.</summary>
    public static int EffectiveFfn(Catalog.ModelSpec m) => m.Moe is { } moe
        ? (int)Math.Round((moe.Active + moe.Shared) * (double)moe.ExpertFfnHidden * (m.Layers - moe.DenseLayers) / m.Layers
                         + (moe.DenseFfnHidden > 0 ? moe.DenseFfnHidden : m.FfnHidden) * (double)moe.DenseLayers / m.Layers)
        : m.FfnHidden;
}
