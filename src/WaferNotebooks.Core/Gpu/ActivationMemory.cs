using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// Activation bytes stored per transformer layer for one micro-batch, 16-bit activations and
/// 1-byte dropout masks (Korthikanti et al. 2022, Sec. 4 and Table 2). For GPT shapes
/// (FFN = 4h, MHA, dropout) with no parallelism this is s·b·h·(34 + 5·a·s/h); with tensor
/// parallel s·b·h·(10 + 24/t + 5·a·s/(h·t)); with sequence parallel everything divides by t;
/// (Megatron's) selective recompute drops the 5·a·s/h score terms, torchtitan's selective
/// recompute by op keeps its own list (<see cref="OpSelectivePerLayer"/>); full recompute keeps only the 2·s·b·h
/// layer input. The 34 is built from the real shapes so GQA, gated MLPs and models trained
/// without dropout count right: attention 2h (QKV input) + 2q + 2kv (Q, K) + 2kv (V) + 2q
/// (output-projection input) + h (dropout mask); MLP 2h (input) + 4F (GELU input and output) or
/// 6F (gate, up, product) + h (mask); two norm inputs 4h. Fused attention keeps no s×s scores.
/// With FP8 GEMMs, Transformer Engine saves the FP8 cast of each linear layer's input for the
/// weight-gradient GEMM instead of the 16-bit tensor: QKV, output-projection, MLP-in and MLP-out
/// inputs take 1 byte per element. Multi-head latent attention keeps Q and K at a·d_qk, V and the
/// output-projection input at a·d_v, plus its two latents and the shared rotary key.
/// The last stage also holds one micro-batch's logits at the loss, in the bytes its loss kernel
/// keeps (<see cref="CrossEntropyKernel.HeldBytesPerLogit"/>). A MaxText run names a JAX remat policy instead,
/// which keeps what <see cref="RematPolicy"/> counts.
/// </summary>
public static class ActivationMemory
{
    /// <summary>Bytes per token per layer that stay whole on every tensor-parallel rank unless sequence parallelism splits them (norm inputs, QKV and MLP inputs, dropout masks): 10·h for GPT.</summary>
    public static double ReplicatedPerToken(ModelSpec m, bool fp8Inputs)
    {
        double h = m.Hidden, input = fp8Inputs ? 1 : 2;
        // MLA: each latent's norm input (2 bytes) and up-projection input, and the shared rotary key.
        double latents = m.Mla is { } mla ? (2 + input) * mla.NormWeights + 2.0 * mla.RopeHeadDim : 0;
        return 4 * h + 2 * input * h + (m.Dropout ? 2 * h : 0) + latents;
    }

    /// <summary>Bytes per token per layer that tensor parallelism splits (Q, K, V, attention output, MLP intermediates): 24·h for GPT.</summary>
    public static double SplitPerToken(ModelSpec m, int ffnHidden, bool fp8Inputs)
    {
        double q = (double)m.Heads * m.HeadDim, kv = (double)m.KvHeads * m.HeadDim, input = fp8Inputs ? 1 : 2;
        // MLA: Q and K are a·d_qk wide per token, V and the output-projection input a·d_v.
        double attention = m.Mla is null ? 2 * q + 2 * kv + 2 * kv + input * q
            : (double)m.Heads * (4.0 * TransformerArithmetic.QkHeadDim(m) + (2 + input) * TransformerArithmetic.VHeadDim(m));
        // The MLP-out input (activation output, F wide) is a GEMM input; the rest (GELU input, or gate and up) stays 16-bit.
        double mlp = (m.Ffn == FfnKind.SwiGlu ? 4.0 : 2.0) * ffnHidden + input * ffnHidden;
        return attention + mlp;
    }

    /// <summary>
    /// Bytes one layer keeps for one micro-batch of <paramref name="tokens"/> tokens on one device under
    /// torchtitan's selective checkpointing by op (<see cref="OpSelectiveRecompute.SavedBytesPerToken"/>):
    /// the checkpoint's input and the outputs of the ops its policy saves, whatever the layer's own
    /// shapes would store without it. <paramref name="eager"/>: PyTorch's checkpoint cache keeps every
    /// saved output; compiled, only those the backward reads.
    /// </summary>
    public static double OpSelectivePerLayer(ModelSpec m, int ffnHidden, double tokens, int tp, bool sequenceParallel, bool fusedAttention, bool fp8Gemms, bool eager) =>
        tokens * OpSelectiveRecompute.SavedBytesPerToken(m, ffnHidden, tp, sequenceParallel, fusedAttention, fp8Gemms, eager)
        + OpSelectiveRecompute.SavedBytesPerLayer(m, ffnHidden, tp, fp8Gemms, eager);

    /// <summary>Score bytes per token per layer when attention is not fused: softmax output 2·a·s, and with dropout its mask a·s and output 2·a·s.</summary>
    public static double ScoresPerToken(ModelSpec m, int seqLen) => (m.Dropout ? 5.0 : 2.0) * m.Heads * seqLen;

    /// <summary>Bytes one layer keeps for one micro-batch of <paramref name="tokens"/> tokens (b·s/cp) on one device;
    /// under a JAX remat policy (<paramref name="remat"/>, MaxText) what that policy saves (<see cref="RematPolicy.SavedBytesPerToken"/>).</summary>
    public static double PerLayer(ModelSpec m, int ffnHidden, int seqLen, double tokens, int tp, bool sequenceParallel, Recompute recompute, bool fusedAttention, bool fp8Inputs = false,
        RematPolicy? remat = null)
    {
        if (remat is not null)
            return tokens * remat.SavedBytesPerToken(m, ffnHidden, tp, sequenceParallel, fusedAttention);
        if (recompute == Recompute.Full)
            return tokens * 2.0 * m.Hidden / (sequenceParallel ? tp : 1);
        double replicated = ReplicatedPerToken(m, fp8Inputs) / (sequenceParallel ? tp : 1);
        double split = SplitPerToken(m, ffnHidden, fp8Inputs) / tp;
        double scores = fusedAttention || recompute == Recompute.Selective ? 0 : ScoresPerToken(m, seqLen) / tp;
        return tokens * (replicated + split + scores);
    }

    /// <summary>Logit bytes of one micro-batch of <paramref name="tokens"/> tokens on one device of the last stage: the vocabulary split over tp (vocab-parallel output layer and loss), as the loss kernel holds them.</summary>
    public static double Logits(ModelSpec m, double tokens, int tp, CrossEntropyKernel kernel) =>
        tokens * m.Vocab / tp * kernel.HeldBytesPerLogit;

    /// <summary>Working set of the one layer whose backward runs, when full recompute rebuilds it.</summary>
    public static double RecomputeWorkingSet(ModelSpec m, int ffnHidden, int seqLen, double tokens, int tp, bool sequenceParallel, bool fusedAttention, bool fp8Inputs = false) =>
        PerLayer(m, ffnHidden, seqLen, tokens, tp, sequenceParallel, Recompute.None, fusedAttention, fp8Inputs);
}
