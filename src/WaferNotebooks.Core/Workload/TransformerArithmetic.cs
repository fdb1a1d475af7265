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
    int MoeLayers,
    /// <summary>Multi-token prediction modules (<see cref="ModelSpec.MtpLayers"/>).</summary>
    int MtpModules = 0,
    /// <summary>Weights of one multi-token prediction module: its transformer layer, the 2h→h projection and three norms (the embedding and output head are shared).</summary>
    double MtpPerModule = 0,
    /// <summary>Matmul weights one token passes through in one module: the layer's attention and active MLP, and the projection.</summary>
    double MtpActiveMatmulPerModule = 0)
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

    /// <summary>Weights of the multi-token prediction modules, trained and stored beside <see cref="Total"/> (which is the model as published: DeepSeek-V3's 671B leaves its 14B module out).</summary>
    public double Mtp => MtpModules * MtpPerModule;

    /// <summary>Matmul weights per token of the prediction modules, each with its own pass through the shared output head.</summary>
    public double MtpMatmul => MtpModules * (MtpActiveMatmulPerModule + LogitMatmul);
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
        // A multi-token prediction module (DeepSeek-V3 §2.2): RMSNorm on the hidden state and on the
        // next token's embedding, M_k (2h → h), one transformer layer of the model's last kind, and a
        // final norm before the shared head (Megatron-Core MultiTokenPredictionLayer: enorm, hnorm, eh_proj, final_layernorm).
        double projection = 2 * h * h, mtpNorms = 3 * norm;
        if (m.Moe is not { } moe)
            return new ParameterCount(embedding, output, attention, denseMlp, 0, 0, layerNorms, norm, m.Layers, 0,
                m.MtpLayers, attention + layerNorms + denseMlp + projection + mtpNorms, attention + denseMlp + projection);

        double expert = MlpWeights(m.Ffn, h, moe.ExpertFfnHidden);
        double router = h * moe.Experts;
        int denseLayers = Math.Clamp(moe.DenseLayers, 0, m.Layers);
        double moeMlp = (moe.Experts + moe.Shared) * expert + router, moeActive = (moe.Active + moe.Shared) * expert + router;
        return new ParameterCount(
            embedding, output, attention, denseMlp, moeMlp, moeActive,
            layerNorms, norm, denseLayers, m.Layers - denseLayers,
            m.MtpLayers, attention + layerNorms + moeMlp + projection + mtpNorms, attention + moeActive + projection);
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

    /// <summary>Per-token widths of the tensors the attention core reads and writes (<see cref="AttentionWidths"/>).</summary>
    public static AttentionWidths Widths(ModelSpec m) => m.Mla is { } mla
        ? new AttentionWidths((double)m.Heads * mla.QkHeadDim(m.HeadDim), m.Heads, mla.QkHeadDim(m.HeadDim), mla.VHeadDim,
            (double)m.Heads * mla.RopeHeadDim, mla.RopeHeadDim)
        : new AttentionWidths((double)m.Heads * m.HeadDim, m.KvHeads, m.HeadDim, m.HeadDim,
            (double)m.Heads * m.HeadDim, (double)m.KvHeads * m.HeadDim);

    /// <summary>
    /// Attention weights of one layer on one of <paramref name="tp"/> tensor-parallel ranks: every
    /// projection split by heads; MLA's down-projections
    /// h·(r_q + r_kv + d_rope) whole on every rank (Megatron-Core duplicates them), the rest split.
    /// </summary>
    public static double AttentionWeightsPerRank(ModelSpec m, int tp)
    {
        double h = m.Hidden;
        if (m.Mla is { } mla)
        {
            double down = h * (mla.QLoraRank + mla.KvLoraRank + mla.RopeHeadDim);
            return down + (mla.ProjectionWeights(h, m.Heads, m.HeadDim) - down) / tp;
        }
        var w = Widths(m);
        return (h * (w.Query + 2 * w.Key) + w.Query * h) / tp;
    }

    /// <summary>Keys per query summed over the layers, as model FLOPs count them: s for a full layer, the band's mean for a windowed one.</summary>
    public static double CountedKeys(ModelSpec m, int seqLen) =>
        m.Window is { } w && w.Window < seqLen
            ? (m.Layers - w.WindowedLayers) * (double)seqLen + w.WindowedLayers * SlidingWindow.MeanKeys(w.Window, seqLen)
            : (double)m.Layers * seqLen;

    /// <summary>Forward FLOPs per token through the layers' and the logit layer's matmuls (2 per weight) plus attention scores.</summary>
    public static double ForwardFlopsPerToken(ModelSpec m, int seqLen) => ForwardFlopsPerToken(m, Parameters(m), seqLen);

    /// <summary>As above, with the model's parameter count <paramref name="p"/> already worked out (the estimators keep one per model).</summary>
    public static double ForwardFlopsPerToken(ModelSpec m, ParameterCount p, int seqLen) =>
        2 * (p.ActiveLayerMatmul + p.LogitMatmul) + AttentionForwardFlopsPerToken(m, seqLen) + MtpForwardFlopsPerToken(m, p, seqLen);

    /// <summary>
    /// Forward FLOPs per token of the multi-token prediction modules: 2 per matmul weight of each
    /// module's layer, projection and pass through the output head, plus one full layer's scores,
    /// 2·a·(d_qk + d_v)·s (the module's layer attends to the whole prefix).
    /// </summary>
    public static double MtpForwardFlopsPerToken(ModelSpec m, ParameterCount p, int seqLen) =>
        m.MtpLayers == 0 ? 0 : 2 * p.MtpMatmul + m.MtpLayers * 2.0 * m.Heads * (QkHeadDim(m) + VHeadDim(m)) * seqLen;

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
}

/// <summary>
/// Per-token widths of one layer's attention tensors, as the attention core receives them. Grouped-
/// query attention: <see cref="KeyValueHeads"/> = kv_heads of d_head, every element rotary. Multi-head
/// latent attention (Megatron-Core <c>MultiLatentAttention</c>, DeepSeek-V3
/// arXiv 2412.19437 §2.1): the up-projections rebuild a key and a value for every head, keys
/// d_nope + d_rope wide (the shared rotary key expanded to each head), values d_v, so the core
/// sees a·d_qk queries and keys and a·d_v values; only the d_rope parts pass the rotary kernel,
/// a·d_rope of the query (<see cref="RotaryQuery"/>) and one shared d_rope key (<see cref="RotaryKey"/>).
/// </summary>
public readonly record struct AttentionWidths(double Query, double KeyValueHeads, double KeyHeadDim, double ValueHeadDim, double RotaryQuery, double RotaryKey)
{
    /// <summary>Keys per token, summed over heads: kv_heads·d_head, or MLA's a·d_qk.</summary>
    public double Key => KeyValueHeads * KeyHeadDim;

    /// <summary>Values per token: kv_heads·d_head, or MLA's a·d_v; also the attention output over kv_heads.</summary>
    public double Value => KeyValueHeads * ValueHeadDim;

    /// <summary>The attention output, the output projection's input: one value per query head.</summary>
    public double Output(double heads) => heads * ValueHeadDim;

    /// <summary>
    /// Key and value elements per token on one of <paramref name="tp"/> tensor-parallel ranks: heads
    /// split by tp, but a rank holds at least one whole key-value head (GQA with fewer key-value heads
    /// than ranks replicates them, Megatron, PaLM MQA). The context-parallel ring moves these
    /// (Transformer Engine's ring concatenates the rank's K and V, no padding of V to d_qk).
    /// </summary>
    public double KeyValuePerRank(int tp) =>
        Math.Max(Key / tp, KeyHeadDim) + Math.Max(Value / tp, ValueHeadDim);
}

