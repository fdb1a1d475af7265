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
}
