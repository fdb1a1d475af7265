using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// The memory-bound kernels of one transformer layer as a software stack launches them: HBM
/// bytes per token and kernels per layer, forward (backward moves and launches about twice as
/// much: read the saved input and the incoming gradient, write the gradient). Two stacks:
/// <b>fused</b> (Megatron-Core/Transformer Engine, NeMo, XLA, <c>torch.compile</c>): one kernel
/// per norm, one bias-dropout-residual kernel, one activation kernel; <b>eager PyTorch</b>
/// (llm-foundry, torchtitan without <c>torch.compile</c>): every op of the block's Python code is
/// its own kernel reading and writing HBM. Byte counts are from PyTorch's op semantics on 16-bit
/// activations (bf16, 2 bytes; fp32 intermediates 4 bytes; 1-byte dropout masks), per element of
/// the tensor the op runs over (h = hidden, q = query width, kv = key width, F = MLP width).
/// <para>Eager Llama block (torchtitan <c>models/llama/model.py</c>, <c>models/norms.py</c>):</para>
/// <list type="bullet">
/// <item>RMSNorm, twice: <c>x.float()</c> r2 w4, <c>pow(2)</c> r4 w4, <c>mean</c> r4,
/// <c>x * rsqrt(·)</c> r4 w4, <c>type_as</c> r4 w2, <c>* weight</c> r2 w2 = 36 bytes per h
/// element, 8 kernels (with the per-token <c>add eps</c> and <c>rsqrt</c>);</item>
/// <item>rotary on q and k (<c>apply_rotary_emb</c>): <c>float()</c> r2 w4, complex multiply
/// r4 w4, <c>type_as</c> r4 w2 = 20 bytes per q and per k element, 3 kernels each;</item>
/// <item>grouped-query K/V expanded to the query heads (<c>repeat_kv</c>, a copy): read kv,
/// write q, for K and V, 2 bytes each, 2 kernels; the attention output made contiguous again
/// (<c>transpose(1, 2).contiguous()</c>): r2 w2 per q element, 1 kernel;</item>
/// <item>SwiGLU <c>w2(silu(w1(x)) * w3(x))</c>: silu r2 w2, multiply r4 w2 = 10 bytes per F
/// element, 2 kernels; separate w1, w3, wq, wk, wv GEMMs: 7 GEMM kernels;</item>
/// <item>residual adds, twice: r4 w2 = 6 bytes per h element; dropout (when the model uses it),
/// twice: r2 w2 plus a 1-byte mask = 5 bytes per h element.</item>
/// </list>
/// <para>Eager GPT/MPT block (llm-foundry <c>MPTBlock</c>, non-gated MLP, no rotary): LayerNorm
/// as one native kernel (r2 w2 = 4 bytes per h element), twice; GELU r2 w2 = 4 bytes per F
/// element; residual adds and dropout as above; fused Wqkv: 4 GEMM kernels.</para>
/// <para>Fused (Megatron's kernels): LayerNorm r2 w2, twice; bias-dropout-residual r4 w2 (+1 byte
/// mask with dropout), twice; activation r2 w2 per F element (gated: r4 w2): 20 (+2 with dropout)
/// bytes per h element and 4 (gated 6) per F element, 9 kernels with fused QKV and gate+up GEMMs.
/// Attention is one kernel when fused, four when the scores are materialised (two batched GEMMs,
/// softmax, dropout), in every stack.</para>
/// </summary>
public static class ElementwiseKernels
{
    /// <summary>Forward HBM bytes per token of the layer's memory-bound kernels on one device:
    /// h-wide work divided by tp under sequence parallelism (else every rank repeats it), q/kv/F-wide
    /// work divided by tp; <paramref name="ffnWidth"/> is the MLP width the layer runs (gate width when gated).</summary>
    public static double BytesPerToken(ModelSpec m, double ffnWidth, int tp, bool sequenceParallel, bool eager)
    {
        double hShard = m.Hidden / (double)(sequenceParallel ? tp : 1);
        var w = TransformerArithmetic.Widths(m);
        double f = ffnWidth / tp, q = w.Query / tp, kv = w.Key / tp;
        bool gated = m.Ffn == FfnKind.SwiGlu;
        double dropout = m.Dropout ? 1 : 0;
        if (!eager)
            return (2 * 4 + 2 * 6 + 2 * dropout) * hShard + (gated ? 6 : 4) * f;
        double residualAndDropout = 2 * 6 + 2 * 5 * dropout;
        if (!gated)
            return (2 * 4 + residualAndDropout) * hShard + 4 * f;
        double repeatKv = m.KvHeads < m.Heads ? 2 * (2 * kv + 2 * q) : 0;
        if (m.Mla is { } mla)
            return (2 * 36 + residualAndDropout) * hShard + EagerLatentAttention(mla, w, m.Heads, tp) + 10 * f;
        return (2 * 36 + residualAndDropout) * hShard + 20 * (q + kv) + repeatKv + 4 * q + 10 * f;
    }

    /// <summary>
    /// Eager MLA's attention-side bytes per token on one rank (torchtitan <c>models/deepseek_v3/model.py</c>
    /// <c>Attention.forward</c>): RMSNorm on each latent, 36 bytes per element, whole on every rank
    /// (the down-projections are replicated); rotary on the query's a·d_rope part and the one shared
    /// d_rope key, 20 bytes per element; <c>torch.cat</c> of the non-rotary and rotary parts into the
    /// a·d_qk query and key (the shared rotary key expanded to every head), r2 w2 each; and the
    /// a·d_v attention output made contiguous, r2 w2.
    /// </summary>
    static double EagerLatentAttention(LatentAttention mla, AttentionWidths w, int heads, int tp) =>
        36.0 * mla.NormWeights + 20 * (w.RotaryQuery / tp + w.RotaryKey) + 4 * (w.Query / tp + w.Key / tp) + 4 * w.Output(heads) / tp;

    /// <summary>Kernels the host launches for one layer's forward (GEMMs, attention and
    /// elementwise work, FP8 casts when the GEMMs run 8-bit); the counts of the summary.</summary>
    public static int KernelsPerLayer(ModelSpec m, bool fusedAttention, bool eager, Fp8Casts? fp8)
    {
        bool gated = m.Ffn == FfnKind.SwiGlu;
        int attention = fusedAttention ? 1 : 4;
        int dropout = m.Dropout ? 2 : 0;
        int gemms, elementwise;
        if (!eager) (gemms, elementwise) = (4, 2 + 2 + 1);
        else if (!gated) (gemms, elementwise) = (4, 2 + 2 + dropout + 1);
        else (gemms, elementwise) = (7, 2 * 8 + 2 + dropout + 2 * 3 + (m.KvHeads < m.Heads ? 2 : 0) + 1 + 2);
        return gemms + attention + elementwise + (fp8 is { } casts ? gemms * Fp8KernelsPerGemm(casts, eager) : 0);
    }

    /// <summary>Cast kernels per FP8 GEMM: Transformer Engine casts the activation (weights cached:
    /// 1) or both inputs (2) with the amax in the cast; dynamic scaling runs an amax reduction and a
    /// cast per input (4), and eagerly also abs, scale and clamp as their own kernels plus the scale
    /// arithmetic (abs, max, reciprocal, multiply, clamp, convert, about 8 per input: 16).</summary>
    static int Fp8KernelsPerGemm(Fp8Casts casts, bool eager) => casts switch
    {
        Fp8Casts.TransformerEngine => 1,
        Fp8Casts.TransformerEngineLinear => 2,
        _ => eager ? 16 : 4,
    };

    /// <summary>HBM bytes per element to turn one 16-bit GEMM input into FP8: Transformer Engine
    /// 3 (read 2, write 1, amax in the same kernel); dynamic scaling compiled 5 (amax pass read 2,
    /// then read 2, write 1); dynamic scaling eager 25 (<c>abs</c> r2 w2, <c>max</c> r2, multiply by
    /// the fp32 scale r2 w4, <c>clamp</c> r4 w4, convert r4 w1: torchao's
    /// <c>tensor_to_amax</c> and <c>to_fp8_saturated</c> op by op).</summary>
    public static double Fp8CastBytesPerElement(Fp8Casts casts, bool eager) => casts switch
    {
        Fp8Casts.Dynamic => eager ? 25 : 5,
        _ => 3,
    };

    /// <summary>Forward FP8 cast traffic per token of one layer on one device: the activation
    /// inputs of the four linear blocks (two h-wide, the attention output and the MLP hidden),
    /// plus, where the stack casts weights every micro-batch, the layer's linear weights spread over
    /// the micro-batch's tokens.</summary>
    public static double Fp8BytesPerToken(ModelSpec m, double ffnWidth, int tp, bool sequenceParallel, double tokens, Fp8Casts casts, bool eager)
    {
        double h = m.Hidden, output = TransformerArithmetic.Widths(m).Output(m.Heads);
        double perElement = Fp8CastBytesPerElement(casts, eager);
        // The output projection's input is a·d_v wide; MLA's up-projections also cast their latent inputs, whole on every rank.
        double activations = 2 * h / (sequenceParallel ? tp : 1) + (output + ffnWidth) / tp + (m.Mla?.NormWeights ?? 0);
        double weights = casts == Fp8Casts.TransformerEngine ? 0
            : (TransformerArithmetic.AttentionWeightsPerRank(m, tp) + (m.Ffn == FfnKind.SwiGlu ? 3 : 2) * h * ffnWidth / tp) / tokens;
        return perElement * (activations + weights);
    }
}
