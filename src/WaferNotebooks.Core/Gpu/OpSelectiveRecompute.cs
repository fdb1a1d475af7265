using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// Selective activation checkpointing as torchtitan runs it by default (<c>mode = 'selective'</c>,
/// <c>selective_ac_option = 'op'</c> in its Llama configs; <c>parallelize_llama.py</c>, from the
/// first release of 2024-04 through 2024-12): each transformer block is checkpointed with a policy
/// that saves the outputs of <c>aten.mm</c>, of the flash/efficient attention kernels and of
/// reduce-scatters, except every second <c>mm</c> of the block, and recomputes every other op in the
/// backward. The block calls its matmuls in the order wq, wk, wv, wo, w1, w3, w2 (<c>Attention.forward</c>,
/// <c>FeedForward.forward</c> of <c>models/llama/model.py</c>), so the 2nd, 4th and 6th are
/// recomputed: wk, wo and w3 (non-gated MLP: w2). Megatron's selective recompute, by contrast,
/// recomputes the attention scores only (Korthikanti et al. 2022).
/// <para>Recomputed per layer: the share <see cref="GemmShare"/> of the forward GEMMs, and all the
/// forward elementwise work (norms, rotary, activation, residual adds, casts are not on the save list).
/// The attention kernel is saved. Independent check (not fitted): torchtitan's A100 table measures
/// Llama 2 13B at 2,162 tokens/s/GPU without checkpointing and 1,904 with op-level selective
/// checkpointing, a ratio of 0.88 (docs/performance.md, 2024-04).</para>
/// <para>Memory (<see cref="SavedBytesPerToken"/>): a layer keeps its checkpoint's input and the outputs
/// of the ops the policy saves. In eager mode, PyTorch's selective-checkpoint cache keeps every output the
/// policy marks must-save, whether the backward reads it or not; a compiled graph (the partitioner
/// honouring the same marks) keeps only those the backward reads.</para>
/// </summary>
public static class OpSelectiveRecompute
{
    /// <summary>
    /// Share of a layer's forward GEMM FLOPs that the policy recomputes: (kv + q + F) / (2q + 2kv + nF),
    /// q and kv the query and key widths, F the MLP width, n = 3 matrices gated (wk, wo, w3 recomputed),
    /// 2 otherwise (wk, wo, w2). The same share on every tensor-parallel rank (each GEMM splits by tp).
    /// An MoE layer's experts run outside <c>aten.mm</c> (grouped kernels): only its attention
    /// projections count, (kv + q) / (2q + 2kv) of them.
    /// </summary>
    public static double GemmShare(ModelSpec m, double ffnWidth, bool moeLayer)
    {
        double q = m.Heads * (double)m.HeadDim, kv = m.KvHeads * (double)m.HeadDim;
        if (moeLayer) return (kv + q) / (2 * q + 2 * kv);
        double matrices = m.Ffn == FfnKind.SwiGlu ? 3 : 2;
        return (kv + q + ffnWidth) / (2 * q + 2 * kv + matrices * ffnWidth);
    }

    /// <summary>
    /// Bytes per token one layer keeps on one device under the policy, 16-bit activations:
    /// <list type="bullet">
    /// <item>the checkpoint's input, 2h (split over tp with sequence parallelism);</item>
    /// <item>the saved <c>aten.mm</c> outputs, the 1st, 3rd, 5th and 7th of wq, wk, wv, wo, w1, w3, w2:
    /// wq 2q/tp, wv 2kv/tp, w1 2F/tp (column-parallel, split over tp), and, in eager mode, w2 2h
    /// (row-parallel: each rank's partial sum is whole before its reduction; the backward never reads
    /// it, so a compiled graph drops it). Non-gated: wq, wv, w1 (w2 is the 6th). An MoE layer's
    /// experts run grouped kernels, not <c>aten.mm</c>: its attention's wq and wv only (its router's
    /// scores, a few hundred values per token, are left out). torchao's FP8 linears are still
    /// <c>aten.mm</c> at the policy (the FP8 tensor subclass turns it into a scaled matmul beneath),
    /// with 16-bit outputs;</item>
    /// <item>with sequence parallelism, the two reduce-scatters' outputs, 2h/tp each, in eager mode only
    /// (they feed residual adds, whose backward reads nothing);</item>
    /// <item>the fused attention kernel's output 2q/tp and its fp32 log-sum-exp 4·a/tp (unfused
    /// attention runs batched matmuls and a softmax, none on the list);</item>
    /// <item>with FP8 in eager mode, <c>abs</c> of each linear input that torchao scales (the
    /// <c>max(abs(x))</c> of dynamic scaling): the attention input three times (wq, wk, wv each cast
    /// it), the wo input q/tp, the MLP input twice (w1, w3; once non-gated) and the w2 input F/tp,
    /// 2 bytes each; the input of a column-parallel linear is whole on each rank (gathered under
    /// sequence parallelism). Compiled, the backward reads none of them.</item>
    /// </list>
    /// For Llama 3.1 8B at tp = 1, eager, bf16: 2·4096 + 2·4096 + 2·1024 + 2·14336 + 2·4096 + 2·4096 + 4·32 = 63,616 bytes.
    /// </summary>
    public static double SavedBytesPerToken(ModelSpec m, int ffnHidden, int tp, bool sequenceParallel, bool fusedAttention, bool fp8Gemms, bool eager)
    {
        double h = m.Hidden, q = m.Heads * (double)m.HeadDim, kv = m.KvHeads * (double)m.HeadDim;
        bool gated = m.Ffn == FfnKind.SwiGlu;
        var (denseShare, denseFfn) = DenseMlp(m, ffnHidden);
        double input = 2 * h / (sequenceParallel ? tp : 1);
        double matmuls = 2 * (q + kv) / tp + denseShare * (2 * denseFfn / tp + (gated && eager ? 2 * h : 0));
        double reduceScatters = eager && sequenceParallel && tp > 1 ? 2 * (2 * h / tp) : 0;
        double attention = fusedAttention ? (2 * q + 4.0 * m.Heads) / tp : 0;
        double abs = fp8Gemms && eager
            ? 2 * (3 * h + q / tp) + denseShare * 2 * ((gated ? 2 : 1) * h + denseFfn / tp)
            : 0;
        return input + matmuls + reduceScatters + attention + abs;
    }

    /// <summary>
    /// Bytes per layer, independent of the tokens, that the policy keeps with FP8 in eager mode: <c>abs</c>
    /// of each linear weight torchao casts inside the checkpointed block (FP8 all-gather off, torchtitan's
    /// default), 2 bytes per weight element on the rank; dense layers only (experts are not <c>aten.mm</c>
    /// and their casts are outside this count). Compiled, or without FP8: nothing.
    /// </summary>
    public static double SavedBytesPerLayer(ModelSpec m, int ffnHidden, int tp, bool fp8Gemms, bool eager)
    {
        if (!fp8Gemms || !eager) return 0;
        double h = m.Hidden, q = m.Heads * (double)m.HeadDim, kv = m.KvHeads * (double)m.HeadDim;
        var (denseShare, denseFfn) = DenseMlp(m, ffnHidden);
        double attention = h * (2 * q + 2 * kv), mlp = (m.Ffn == FfnKind.SwiGlu ? 3 : 2) * h * denseFfn;
        return 2 * (attention + denseShare * mlp) / tp;
    }

    /// <summary>Share of the layers whose MLP is plain matmuls (all of a dense model, an MoE model's dense layers), and that MLP's width.</summary>
    static (double Share, double Width) DenseMlp(ModelSpec m, int ffnHidden) => m.Moe is { } moe
        ? (moe.DenseLayers / (double)m.Layers, moe.DenseFfnHidden > 0 ? moe.DenseFfnHidden : m.FfnHidden)
        : (1, ffnHidden);
}
