using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Gpu;

/// <summary>Seconds of one kind of work in one layer for one micro-batch, forward and backward.</summary>
public readonly record struct FwdBwd(double Forward, double Backward)
{
    public double Total => Forward + Backward;
    public static FwdBwd operator +(FwdBwd a, FwdBwd b) => new(a.Forward + b.Forward, a.Backward + b.Backward);
    public static FwdBwd operator *(double k, FwdBwd a) => new(k * a.Forward, k * a.Backward);
}

/// <summary>
/// Time of one transformer layer (or the logit layer) for one micro-batch on one device,
/// split by kind: matmuls, attention scores, memory-bound elementwise work, and the tensor,
/// context and expert parallel communication the layer cannot hide. Backward matmuls are the
/// data-gradient and weight-gradient GEMMs, twice the forward FLOPs on the same shapes.
/// <see cref="HostWait"/>: the GPU idle around an MoE dispatcher's host sync (<see cref="MoeHostSync"/>),
/// a launch wait outside <see cref="All"/>. <see cref="SelectiveGemmS"/>: forward GEMM seconds that
/// selective recompute repeats when the stack checkpoints by op (<see cref="OpSelectiveRecompute"/>).
/// <see cref="RematRecompute"/>: what a JAX remat policy repeats (<see cref="RematPolicy"/>), when the layout names one.
/// </summary>
public readonly record struct LayerTime(FwdBwd Gemm, FwdBwd Attention, FwdBwd Elementwise, FwdBwd Tp, FwdBwd Cp, FwdBwd Ep, FwdBwd HostWait = default,
    double SelectiveGemmS = 0, (double Compute, double Elementwise, double Comm)? RematRecompute = null)
{
    /// <summary>Bytes per score element when scores are materialised: forward scale-mask-softmax
    /// (read 2, write 2) and dropout (read 2, write 2, mask 1) = 9; backward dropout and softmax
    /// gradients = 11 (Megatron fused softmax kernels).</summary>
    public const double ScoreBytesForward = 9, ScoreBytesBackward = 11;

    public FwdBwd Compute => Gemm + Attention;

    public FwdBwd All => Gemm + Attention + Elementwise + Tp + Cp + Ep;

    /// <summary>Work done again in backward: full recompute repeats the forward of everything;
    /// selective recompute repeats the attention-score part only (Megatron), or, checkpointed by op,
    /// every second GEMM and all the elementwise work (<see cref="OpSelectiveRecompute"/>).</summary>
    public (double Compute, double Elementwise, double Comm) Recompute(Recompute r, bool fused) => RematRecompute ?? r switch
    {
        Workload.Recompute.Full => (Gemm.Forward + Attention.Forward, Elementwise.Forward, Tp.Forward + Cp.Forward + Ep.Forward),
        Workload.Recompute.Selective => ((fused ? 0 : Attention.Forward) + SelectiveGemmS, SelectiveGemmS > 0 ? Elementwise.Forward : 0, 0),
        _ => (0, 0, 0),
    };

    /// <summary>Times one layer for a micro-batch of b sequences on one device; <paramref name="hostLayerForwardS"/>
    /// is the stack's host time to issue a layer's forward (§3.5), which an MoE layer's host sync exposes.</summary>
    public static LayerTime For(ModelSpec m, bool moeLayer, TrainingJob job, Layout l, GpuCluster system, Collectives net, GpuSoftware sw,
        double hostLayerForwardS = 0)
    {
        var a = system.Device;
        double peak16 = a.PeakTflops16.Value;
        // FP8 narrows only the linear layers' GEMM inputs; the router, attention and logits stay 16-bit.
        var linear = job.Precision;
        bool eightBit = MatmulEfficiency.RunsEightBit(a, linear);
        int t = l.Tp;
        double s = job.SeqLen;
        double tokens = l.MicroBatch * s / l.Cp;
        double h = m.Hidden, dh = m.HeadDim;
        double q = m.Heads * dh, kv = m.KvHeads * dh;
        double dqk = TransformerArithmetic.QkHeadDim(m), dv = TransformerArithmetic.VHeadDim(m);
        // GQA with fewer KV heads than tp ranks replicates K and V (Megatron, PaLM MQA).
        double kvPerRank = Math.Max(kv / t, dh);

        double Gemm(double mm, double n, double k, Precision p, double batch = 1) =>
            MatmulEfficiency.Seconds(a, p, mm, n, k, batch);

        // Linear layers: QKV, attention output, MLP (gated: gate+up fused).
        // MLA: the down-projections to the latents run whole on every tp rank (Megatron-Core's
        // MLA duplicates them); the up-projections and the output split by heads.
        double gemmF = m.Mla is { } mla
            ? Gemm(tokens, (mla.QLoraRank > 0 ? mla.QLoraRank : m.Heads * dqk / t) + mla.KvLoraRank + mla.RopeHeadDim, h, linear)
              + (mla.QLoraRank > 0 ? Gemm(tokens, m.Heads * dqk / t, mla.QLoraRank, linear) : 0)
              + Gemm(tokens, m.Heads * (dh + dv) / t, mla.KvLoraRank, linear) + Gemm(tokens, h, m.Heads * dv / t, linear)
            : Gemm(tokens, q / t + 2 * kvPerRank, h, linear) + Gemm(tokens, h, q / t, linear);
        double attentionSideGemm = gemmF, routerGemm = 0;
        double loopSlack = double.PositiveInfinity;
        double ffnWidth;
        if (moeLayer && m.Moe is { } moe)
        {
            // Each device computes its tokens' share of the active experts; the busiest rank sets the pace (balanced unless an imbalance is given).
            double routedTokens = tokens * moe.Active * l.Ep / moe.Experts * sw.MoeDispatch.BusiestRank(l.Ep);
            double localExperts = (double)moe.Experts / l.Ep;
            gemmF += ExpertMlp(moe.ExpertFfnHidden / (double)t, routedTokens, localExperts, sw.MoeDispatch.GroupedKernel);
            if (moe.Shared > 0) gemmF += Mlp(m.Ffn, moe.Shared * moe.ExpertFfnHidden / (double)t, tokens, 1);
            routerGemm = Gemm(tokens, moe.Experts, h, Precision.Bf16);
            gemmF += routerGemm;
            loopSlack = GroupedGemm.LoopSlack(a, linear, routedTokens, h, moe.ExpertFfnHidden / (double)t, localExperts, sw.MoeDispatch.GroupedKernel);
            ffnWidth = (moe.Active + moe.Shared) * (double)moe.ExpertFfnHidden;
        }
        else
        {
            ffnWidth = m.Moe is { DenseFfnHidden: > 0 } dm ? dm.DenseFfnHidden : m.FfnHidden;
            gemmF += Mlp(m.Ffn, ffnWidth / t, tokens, 1);
        }

        double Mlp(FfnKind kind, double f, double mm, double batch) =>
            Gemm(mm, kind == FfnKind.SwiGlu ? 2 * f : f, h, linear, batch) + Gemm(mm, h, f, linear, batch);

        // The routed experts' GEMMs as the stack launches them: one grouped kernel or a loop over experts (GroupedGemm).
        double ExpertMlp(double f, double mm, double experts, bool oneKernel) =>
            GroupedGemm.Seconds(a, linear, mm, m.Ffn == FfnKind.SwiGlu ? 2 * f : f, h, experts, oneKernel)
            + GroupedGemm.Seconds(a, linear, mm, h, f, experts, oneKernel);

        // Attention scores: b·a/t heads, queries s/cp against keys s.
        double heads = l.MicroBatch * (double)m.Heads / t;
        double sq = s / l.Cp;
        double hbm = MatmulEfficiency.HbmBytesPerS(a);
        FwdBwd attention;
        if (sw.FusedAttention)
        {
            // Causal kernels skip the masked upper triangle (about half the blocks); windowed
            // layers compute their band only, averaged in by their share of the layers.
            attention = AttentionKernels.FusedSeconds(a, sw.AttentionKernel, sq, s, heads, dqk, dv, peak16 * 1e12);
            if (m.Window is { } window && window.Window < s)
            {
                var banded = AttentionKernels.FusedSeconds(a, sw.AttentionKernel, sq, SlidingWindow.EquivalentCausalKeys(window.Window, s), heads, dqk, dv, peak16 * 1e12);
                double share = (double)window.WindowedLayers / m.Layers;
                attention = (1 - share) * attention + share * banded;
            }
        }
        else
        {
            // Unfused kernels compute the whole square and mask it, windowed or not.
            double mm = Gemm(sq, s, dqk, Precision.Bf16, heads) + Gemm(sq, dv, s, Precision.Bf16, heads);
            double scores = heads * sq * s;
            attention = new FwdBwd(mm + scores * ScoreBytesForward / hbm, 2 * mm + scores * ScoreBytesBackward / hbm);
        }

        // Memory-bound elementwise work as the stack launches it (fused or eager PyTorch, ElementwiseKernels);
        // without sequence parallelism every tp rank repeats the h-wide part.
        double elemBytes = tokens * ElementwiseKernels.BytesPerToken(m, ffnWidth, t, l.SequenceParallel, sw.EagerKernels);
        // FP8: each GEMM input is cast forward and each gradient backward (and weights, outside Megatron's TE).
        if (eightBit) elemBytes += tokens * ElementwiseKernels.Fp8BytesPerToken(m, ffnWidth, t, l.SequenceParallel, tokens, sw.Fp8Casts, sw.EagerKernels);
        // MoE: the copies into expert order and back (the backward moves the same bytes), and the
        // FP8 casts of the k copies each token sends to its experts (the cast above counts one).
        double permutation = 0;
        if (moeLayer && m.Moe is { } pm)
        {
            double routing = tokens / (l.SequenceParallel ? t : 1);
            permutation = routing * MoePermutation.BytesPerToken(h, pm.Active, pm.Experts / l.Ep, l.Ep);
            if (m.ExpertBias) permutation += routing * MoeExpertBias.BytesPerToken(h, pm.Active);
            if (eightBit && !sw.MoeDispatch.Fp8)
                elemBytes += routing * (pm.Active - 1) * h * ElementwiseKernels.Fp8CastBytesPerElement(sw.Fp8Casts, sw.EagerKernels);
        }
        var elementwise = new FwdBwd((elemBytes + permutation) / hbm, (2 * elemBytes + permutation) / hbm);

        // Tensor parallel: two all-reduces of the b·s·h activations forward and two backward
        // (with sequence parallelism the same bytes move as reduce-scatter + all-gather).
        var tpGroup = net.Place(t, 1);
        double tpOne = net.AllReduce(2 * tokens * h, tpGroup);
        var tp = sw.TensorParallelOverlap && l.SequenceParallel && t > 1
            ? new FwdBwd(OverlappedTp(2 * tpOne, gemmF, t), OverlappedTp(2 * tpOne, 2 * gemmF, t))
            : new FwdBwd(2 * tpOne, 2 * tpOne);

        // Context parallel: K and V circulate around the ring (forward), and again with their
        // gradients (backward); the transfers overlap the attention blocks they feed. MLA rings
        // its up-projected per-head K (d_qk) and V (d_v), not the latent (AttentionWidths).
        var cpGroup = net.Place(l.Cp, t);
        double kvBytes = 2 * tokens * TransformerArithmetic.Widths(m).KeyValuePerRank(t) * l.Cp;
        double cpF = net.AllGather(kvBytes, cpGroup);
        var cp = new FwdBwd(Math.Max(0, cpF - attention.Forward), Math.Max(0, 2 * cpF - attention.Backward));

        // Expert parallel: dispatch and combine all-to-alls of the routed tokens, each way.
        FwdBwd ep = default;
        if (moeLayer && m.Moe is { } moe2 && l.Ep > 1)
        {
            var epGroup = net.Place(l.Ep, t * l.Cp);
            var dispatch = sw.MoeDispatch;
            ep = dispatch.LayerSeconds(net, epGroup, moe2, tokens / (l.SequenceParallel ? t : 1), h);
            // DualPipe: the exchange runs beside another micro-batch's chunk; what the SM share costs or the compute cannot cover stays.
            if (dispatch.Overlap)
                ep = new FwdBwd(DataParallelSync.Overlapped(ep.Forward, gemmF + attention.Forward) - gemmF - attention.Forward,
                                DataParallelSync.Overlapped(ep.Backward, 2 * gemmF + attention.Backward) - 2 * gemmF - attention.Backward);
        }

        // The dispatcher's host sync: the GPU's work from the previous combine to the sync against the host's launches (MoeHostSync).
        FwdBwd hostWait = default;
        if (moeLayer && m.Moe is { } moe3 && sw.MoeDispatch.HostSync && hostLayerForwardS > 0)
        {
            double perOp = (a.LaunchS?.Value ?? sw.HostSecondsPerLayerForward) / MoeHostSync.HostOpsPerLayer;
            double exchange = ep.Forward / 2;
            // The attention half's exposed communication (all of CP's ring exchange, half of TP's) also keeps the GPU busy before the sync,
            // so a faster attention that leaves more of the ring exposed does not add to the wait as well.
            double beforeSync = exchange + attentionSideGemm + attention.Forward + elementwise.Forward / 2 + routerGemm + cp.Forward + tp.Forward / 2;
            hostWait = MoeHostSync.Seconds(hostLayerForwardS, perOp, l.Ep, t, (double)moe3.Experts / l.Ep, moe3.Shared > 0,
                beforeSync, exchange, loopSlack, sw.MoeDispatch.Graphs);
        }

        // FP8 recipes other than delayed scaling quantize each local expert's input and gradient with launches of their own (MoeQuantizeLaunches).
        if (moeLayer && m.Moe is { } moe4 && hostLayerForwardS > 0)
            hostWait += MoeQuantizeLaunches.Seconds(sw.MoeDispatch.Recipe, eightBit, sw.MoeDispatch.GroupedKernel, (double)moe4.Experts / l.Ep, loopSlack);

        // Checkpointing by op saves only every other matmul's output: the others are recomputed in the backward.
        double selectiveGemm = sw.OpSelectiveRecompute && l.Recompute == Workload.Recompute.Selective
            ? OpSelectiveRecompute.GemmShare(m, ffnWidth, moeLayer && m.Moe is not null) * (moeLayer && m.Moe is not null ? attentionSideGemm : gemmF)
            : 0;
        // A JAX remat policy: the projections the backward reads unsaved, the attention kernel unless its output
        // is saved, all elementwise work, and the tensor-parallel traffic of the recomputed projections.
        (double, double, double)? remat = null;
        if (l.Remat is { } policy)
        {
            double share = policy.RecomputedGemmShare(m, ffnWidth);
            remat = (share * gemmF + (policy.RebuildsAttention(sw.FusedAttention) ? attention.Forward : 0), elementwise.Forward, share * tp.Forward);
        }
        return new LayerTime(new FwdBwd(gemmF, 2 * gemmF), attention, elementwise, tp, cp, ep, hostWait, selectiveGemm, remat);
    }

    /// <summary>
    /// Exposed seconds of <paramref name="comm"/> seconds of tensor-parallel traffic pipelined in
    /// t chunks with <paramref name="gemm"/> seconds of the GEMMs beside it (Megatron-Core
    /// <c>tp_comm_overlap</c>): the first chunk cannot overlap, the rest runs beside the GEMMs,
    /// which the communication kernels slow by their SM share (<see cref="DataParallelSync.Overlapped"/>).
    /// </summary>
    public static double OverlappedTp(double comm, double gemm, int t) =>
        Math.Max(comm / t, DataParallelSync.Overlapped(comm, gemm) - gemm);

    /// <summary>
    /// What the last stage runs after its layers for one micro-batch: the logit layer and the loss,
    /// and each multi-token prediction module (Megatron-Core puts them on the last stage by default):
    /// its transformer layer (<paramref name="mtpLayer"/>, the model's last kind of layer), the 2h→h
    /// projection split by tp, and another pass through the shared output head and a loss.
    /// </summary>
    public static LayerTime OutputHeads(ModelSpec m, TrainingJob job, Layout l, GpuCluster system, in LayerTime mtpLayer, CrossEntropyKernel loss)
    {
        var logits = Logits(m, job, l, system, loss);
        if (m.MtpLayers == 0) return logits;
        double tokens = l.MicroBatch * (double)job.SeqLen / l.Cp;
        double projection = MatmulEfficiency.Seconds(system.Device, job.Precision, tokens, m.Hidden / (double)l.Tp, 2.0 * m.Hidden);
        var module = new LayerTime(mtpLayer.Gemm + logits.Gemm + new FwdBwd(projection, 2 * projection), mtpLayer.Attention,
            mtpLayer.Elementwise + logits.Elementwise, mtpLayer.Tp, mtpLayer.Cp, mtpLayer.Ep);
        double d = m.MtpLayers;
        return new LayerTime(logits.Gemm + d * module.Gemm, d * module.Attention, logits.Elementwise + d * module.Elementwise,
            d * module.Tp, d * module.Cp, d * module.Ep);
    }

    /// <summary>The logit layer and the cross-entropy loss on the last stage for one micro-batch, the loss's
    /// HBM traffic as its kernel moves it (<see cref="CrossEntropyKernel.ForwardBytesPerLogit"/>, <see cref="CrossEntropyKernel.BackwardBytesPerLogit"/>).</summary>
    public static LayerTime Logits(ModelSpec m, TrainingJob job, Layout l, GpuCluster system, CrossEntropyKernel loss)
    {
        var a = system.Device;
        double tokens = l.MicroBatch * (double)job.SeqLen / l.Cp;
        // The output layer stays 16-bit in FP8 recipes (Transformer Engine keeps it in BF16).
        double gemm = MatmulEfficiency.Seconds(a, Precision.Bf16, tokens, m.Vocab / (double)l.Tp, m.Hidden);
        double logits = tokens * m.Vocab / (double)l.Tp, hbm = MatmulEfficiency.HbmBytesPerS(a);
        return new LayerTime(new FwdBwd(gemm, 2 * gemm), default,
            new FwdBwd(logits * loss.ForwardBytesPerLogit / hbm, logits * loss.BackwardBytesPerLogit / hbm), default, default, default);
    }
}
