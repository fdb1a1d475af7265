using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Workload;

/// <summary>
/// Parameter counts of a decoder-only transformer from its weight shapes. Biases are left out
/// (LLaMA-class models have none; in GPT-class models they are under 0.1% of N). Norm weights
/// are counted in <see cref="Total"/> but do no matmul work.
/// </summary>
public sealed record ParameterCount(
    /// <summary>Input token embedding, V·h.</summary>
    double Embedding,
    /// <summary>Output (logit) projection, V·h; 0 when tied to the input embedding.</summary>
    double Output,
    /// <summary>Q, K, V and output projections of one layer.</summary>
    double AttentionPerLayer,
    /// <summary>MLP of one dense layer (2 matrices for GELU, 3 for SwiGLU).</summary>
    double DenseMlpPerLayer,
    /// <summary>All routed + shared experts and the router of one MoE layer.</summary>
    double MoeMlpPerLayer,
    /// <summary>The experts one token passes through (active routed + shared) and the router.</summary>
    double MoeActiveMlpPerLayer,
    double NormsPerLayer,
    double FinalNorm,
    int DenseLayers,
    int MoeLayers)
{
    public int Layers => DenseLayers + MoeLayers;

    /// <summary>Every weight stored in the model.</summary>
    public double Total =>
        Embedding + Output + FinalNorm
        + Layers * (AttentionPerLayer + NormsPerLayer)
        + DenseLayers * DenseMlpPerLayer + MoeLayers * MoeMlpPerLayer;

    /// <summary>Weights a single token touches (MoE: only its experts).</summary>
    public double Active =>
        Embedding + Output + FinalNorm
        + Layers * (AttentionPerLayer + NormsPerLayer)
        + DenseLayers * DenseMlpPerLayer + MoeLayers * MoeActiveMlpPerLayer;

    /// <summary>Weights of the transformer layers that a token multiplies with (no embeddings, no norms).</summary>
    public double ActiveLayerMatmul => Layers * AttentionPerLayer + DenseLayers * DenseMlpPerLayer + MoeLayers * MoeActiveMlpPerLayer;

    /// <summary>The logit projection as a matmul (V·h), whether or not it is tied to the embedding.</summary>
    public double LogitMatmul => Embedding;
}

/// <summary>
/// Exact transformer arithmetic: parameter counts from real shapes and FLOPs per token.
/// Model FLOPs follow PaLM (Chowdhery et al. 2022, App. B): 6 per active matmul weight
/// (forward 2, backward 4) plus the attention term 12·L·a·d_head·s (MLA and sliding windows:
/// <see cref="AttentionForwardFlopsPerToken"/>); the logit layer is a matmul
/// of V·h weights and is counted, the input embedding lookup is not. For GPT shapes this equals
/// Megatron's 72·B·s·L·h²·(1 + s/6h + V/12Lh) per iteration (Korthikanti et al. 2022).
/// Hardware FLOPs add recomputation: full recompute repeats every layer's forward
/// (Narayanan et al. 2021 eq. 3, 96·B·s·L·h²·(1 + s/6h + V/16Lh)); selective recompute repeats
/// only the attention-score matmuls QKᵀ and score·V (Korthikanti et al. 2022, Sec. 4.2).
/// </summary>
public static class TransformerArithmetic
{
    public static ParameterCount Parameters(ModelSpec m)
    {
        double h = m.Hidden;
        double q = (double)m.Heads * m.HeadDim;
        double kv = (double)m.KvHeads * m.HeadDim;
        double attention = m.Mla is { } mla ? mla.ProjectionWeights(h, m.Heads, m.HeadDim) : h * q + 2 * h * kv + q * h;
        double denseFfn = m.Moe is { DenseFfnHidden: > 0 } moe0 ? moe0.DenseFfnHidden : m.FfnHidden;
        double denseMlp = MlpWeights(m.Ffn, h, denseFfn);
        // LayerNorm has a scale and a bias (2h); gated-MLP families (LLaMA, PaLM) use RMSNorm (h).
        double norm = m.Ffn == FfnKind.SwiGlu ? h : 2 * h;
        double layerNorms = 2 * norm + (m.Mla?.NormWeights ?? 0);
        double embedding = (double)m.Vocab * h;
        double output = m.TiedEmbeddings ? 0 : embedding;
        if (m.Moe is not { } moe)
            return new ParameterCount(embedding, output, attention, denseMlp, 0, 0, layerNorms, norm, m.Layers, 0);

        double expert = MlpWeights(m.Ffn, h, moe.ExpertFfnHidden);
        double router = h * moe.Experts;
        int denseLayers = Math.Clamp(moe.DenseLayers, 0, m.Layers);
        return new ParameterCount(
            embedding, output, attention, denseMlp,
            (moe.Experts + moe.Shared) * expert + router,
            (moe.Active + moe.Shared) * expert + router,
            layerNorms, norm, denseLayers, m.Layers - denseLayers);
    }

    /// <summary>Weights of one MLP: h→F→h is 2·h·F; gated (gate, up, down) is 3·h·F.</summary>
    public static double MlpWeights(FfnKind kind, double hidden, double ffn) =>
        (kind == FfnKind.SwiGlu ? 3 : 2) * hidden * ffn;

    /// <summary>
    /// Attention-score FLOPs per token, forward only: QKᵀ and score·V, 2·a·(d_qk + d_v)·k per layer
    /// for k keys per query. A full layer counts k = s (no causal halving, as PaLM, Megatron and
    /// DeepSeek LLM §3.1 count: 4·a·d_head·s for d_qk = d_v); MLA heads are d_qk = d_nope + d_rope
    /// wide for QKᵀ and d_v for score·V. A windowed layer counts the keys it really computes, the
    /// band's mean w − w(w−1)/2s (<see cref="SlidingWindow.MeanKeys"/>); a window as long as the
    /// sequence is a full layer.
    /// </summary>
    public static double AttentionForwardFlopsPerToken(ModelSpec m, int seqLen)
    {
        if (m.Mla is null && m.Window is null) return 4.0 * m.Layers * m.Heads * m.HeadDim * seqLen;
        return 2.0 * m.Heads * (QkHeadDim(m) + VHeadDim(m)) * CountedKeys(m, seqLen);
    }

    /// <summary>Width of one head's query and key: head_dim, or MLA's d_nope + d_rope.</summary>
    public static int QkHeadDim(ModelSpec m) => m.Mla is { } mla ? mla.QkHeadDim(m.HeadDim) : m.HeadDim;

    /// <summary>Width of one head's value: head_dim, or MLA's d_v.</summary>
    public static int VHeadDim(ModelSpec m) => m.Mla?.VHeadDim ?? m.HeadDim;

    /// <summary>Keys per query summed over the layers, as model FLOPs count them: s for a full layer, the band's mean for a windowed one.</summary>
    public static double CountedKeys(ModelSpec m, int seqLen) =>
        m.Window is { } w && w.Window < seqLen
            ? (m.Layers - w.WindowedLayers) * (double)seqLen + w.WindowedLayers * SlidingWindow.MeanKeys(w.Window, seqLen)
            : (double)m.Layers * seqLen;

    /// <summary>Forward FLOPs per token through the layers' and the logit layer's matmuls (2 per weight) plus attention scores.</summary>
    public static double ForwardFlopsPerToken(ModelSpec m, int seqLen) => ForwardFlopsPerToken(m, Parameters(m), seqLen);

    /// <summary>As above, with the model's parameter count <paramref name="p"/> already worked out (the estimators keep one per model).</summary>
    public static double ForwardFlopsPerToken(ModelSpec m, ParameterCount p, int seqLen) =>
        2 * (p.ActiveLayerMatmul + p.LogitMatmul) + AttentionForwardFlopsPerToken(m, seqLen);

    /// <summary>Model FLOPs per token (MFU numerator, PaLM App. B): 6·N_matmul + 12·L·a·d_head·s.</summary>
    public static double ModelFlopsPerToken(ModelSpec m, int seqLen) => ModelFlopsPerToken(m, Parameters(m), seqLen);

    public static double ModelFlopsPerToken(ModelSpec m, ParameterCount p, int seqLen) => 3 * ForwardFlopsPerToken(m, p, seqLen);

    /// <summary>FLOPs per token executed again because activations were dropped.</summary>
    public static double RecomputeFlopsPerToken(ModelSpec m, int seqLen, Recompute recompute) => RecomputeFlopsPerToken(m, Parameters(m), seqLen, recompute);

    public static double RecomputeFlopsPerToken(ModelSpec m, ParameterCount p, int seqLen, Recompute recompute) => recompute switch
    {
        // One more forward through every layer; the logit layer is not checkpointed (Narayanan 2021 eq. 3: V/16Lh).
        Recompute.Full => 2 * p.ActiveLayerMatmul + AttentionForwardFlopsPerToken(m, seqLen),
        Recompute.Selective => AttentionForwardFlopsPerToken(m, seqLen),
        _ => 0,
    };

    /// <summary>Hardware FLOPs per token (HFU numerator): model FLOPs plus recomputation, of which
    /// <paramref name="recomputedShare"/> of the layers are recomputed (partial full recompute).</summary>
    public static double HardwareFlopsPerToken(ModelSpec m, int seqLen, Recompute recompute, double recomputedShare = 1) =>
        HardwareFlopsPerToken(m, Parameters(m), seqLen, recompute, recomputedShare);

    public static double HardwareFlopsPerToken(ModelSpec m, ParameterCount p, int seqLen, Recompute recompute, double recomputedShare = 1) =>
        ModelFlopsPerToken(m, p, seqLen) + recomputedShare * RecomputeFlopsPerToken(m, p, seqLen, recompute);

    /// <summary>Whole-run model FLOPs.</summary>
    public static double TrainingFlops(TrainingJob job) => ModelFlopsPerToken(job.Model, job.SeqLen) * job.Tokens;
}
