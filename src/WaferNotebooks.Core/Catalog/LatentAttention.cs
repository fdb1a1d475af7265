namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// Multi-head latent attention (MLA; DeepSeek-V2, arXiv 2405.04434 §2.1; DeepSeek-V3, arXiv
/// 2412.19437 §2.1). Queries pass through a rank-<see cref="QLoraRank"/> bottleneck (0: one full
/// h × a·d_qk projection, as DeepSeek-V2-Lite); keys and values are rebuilt per head from a shared
/// rank-<see cref="KvLoraRank"/> latent, plus one <see cref="RopeHeadDim"/>-wide rotary key shared
/// by all heads. The model's head dimension is the non-rotary query/key part (qk_nope_head_dim),
/// so a head's query/key is head_dim + rope wide and its value <see cref="VHeadDim"/> wide.
/// </summary>
public sealed record LatentAttention(int QLoraRank, int KvLoraRank, int RopeHeadDim, int VHeadDim)
{
    /// <summary>Width of one head's query and key: qk_nope_head_dim + qk_rope_head_dim (DeepSeek-V3: 192).</summary>
    public int QkHeadDim(int nopeHeadDim) => nopeHeadDim + RopeHeadDim;

    /// <summary>
    /// Matmul weights of one layer's attention: W_DQ h·r_q and W_UQ r_q·a·d_qk (or W_Q h·a·d_qk
    /// without a query rank); W_DKV h·(r_kv + d_rope) (the latent and the shared rotary key);
    /// W_UKV r_kv·a·(d_nope + d_v); W_O a·d_v·h.
    /// </summary>
    public double ProjectionWeights(double hidden, double heads, int nopeHeadDim)
    {
        double qk = heads * QkHeadDim(nopeHeadDim);
        double query = QLoraRank > 0 ? hidden * QLoraRank + (double)QLoraRank * qk : hidden * qk;
        double keyValue = hidden * (KvLoraRank + RopeHeadDim) + KvLoraRank * heads * (nopeHeadDim + VHeadDim);
        return query + keyValue + heads * VHeadDim * hidden;
    }

    /// <summary>RMSNorm weights on the two latents, r_q + r_kv.</summary>
    public double NormWeights => QLoraRank + KvLoraRank;
}
