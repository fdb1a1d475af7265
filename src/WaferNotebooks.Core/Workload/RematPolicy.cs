using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Workload;

/// <summary>The named tensors of a transformer layer a JAX remat policy may save (MaxText's <c>checkpoint_name</c>s).</summary>
[Flags]
public enum RematSaves
{
    Nothing = 0,
    /// <summary><c>query_proj</c>, <c>key_proj</c>, <c>value_proj</c>: the Q, K, V projection outputs.</summary>
    QkvProj = 1,
    /// <summary><c>context</c>: the attention output (and, fused, the kernel's log-sum-exp).</summary>
    Context = 2,
    /// <summary><c>out_proj</c>: the attention output projection's output.</summary>
    OutProj = 4,
    /// <summary><c>mlpwi</c> (<c>mlpwi_0</c>, <c>mlpwi_1</c> gated): the MLP input projections' outputs.</summary>
    MlpWi = 8,
    /// <summary><c>mlpwo</c>: the MLP output projection's output.</summary>
    MlpWo = 16,
}

/// <summary>
/// A JAX remat (activation checkpoint) policy as MaxText names it: <c>remat_policy</c> in
/// <c>configs/base.yml</c>, turned into <c>jax.checkpoint_policies.save_only_these_names(...)</c> by
/// <c>Decoder.get_remat_policy</c> (<c>layers/decoders.py</c>) and applied to every scanned decoder
/// layer. Until 2024-02 MaxText's <c>minimal</c> was <c>checkpoint_dots_with_no_batch_dims</c> (every
/// projection's output: the same set) and <c>save_qkv_proj</c> was called <c>proj</c>.
/// <para>JAX saves, of the values the backward reads, those the policy names; it recomputes the
/// rest from them and from the layer's input, which the scan keeps for every layer
/// (<c>decoder_layer_input</c>). A named value the backward never reads is not kept, so
/// <see cref="SavedBytesPerToken"/> counts only what is read: Q, K and V (the attention backward),
/// the context (the output projection's weight gradient), the MLP input projections (the activation
/// function's backward), and the output projection's output when the MLP's norm reads the
/// post-attention residual (a sequential block; a parallel block feeds attention and MLP the same
/// normed input and adds both outputs to the residual, so nothing reads it). <c>mlpwo</c> is never
/// read: the layer's output is the next layer's saved input.</para>
/// <para>MaxText shards every saved tensor over the whole mesh: the batch over data and fsdp
/// (<c>activation_batch</c>), heads and MLP width over tensor (<c>activation_heads</c>,
/// <c>activation_mlp</c>), and the h-wide residual over tensor too (<c>activation_embed</c> in
/// <c>logical_axis_rules</c>): sequence parallelism in this model's terms, so an h-wide tensor divides by
/// tp when the layout shards the residual (sp=1).</para>
/// <para>Recomputed in the backward (<see cref="RecomputedGemmShare"/>, <see cref="RebuildsAttention"/>):
/// the projections whose outputs are read but not saved (and those feeding them), the attention
/// kernel when the context is not saved, and all elementwise work (norms, activation functions,
/// residual adds: no policy saves them).</para>
/// </summary>
public sealed record RematPolicy(string Name, RematSaves Saves)
{
    /// <summary>The policies MaxText defines that keep everything on the device, by their <c>remat_policy</c> names.</summary>
    public static readonly IReadOnlyList<RematPolicy> Known =
    [
        new("full", RematSaves.Nothing),
        new("minimal", RematSaves.QkvProj | RematSaves.OutProj | RematSaves.MlpWi | RematSaves.MlpWo),
        new("minimal_with_context", RematSaves.QkvProj | RematSaves.Context | RematSaves.OutProj | RematSaves.MlpWi | RematSaves.MlpWo),
        new("save_dot_with_context_except_mlp", RematSaves.QkvProj | RematSaves.Context | RematSaves.OutProj),
        new("save_dot_except_mlpwi", RematSaves.QkvProj | RematSaves.OutProj | RematSaves.MlpWo),
        new("save_dot_except_mlp", RematSaves.QkvProj | RematSaves.OutProj),
        new("save_qkv_proj", RematSaves.QkvProj),
        new("save_out_proj", RematSaves.OutProj),
    ];

    /// <summary>Older MaxText names of the same policies.</summary>
    static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["proj"] = "save_qkv_proj",
        ["minimal_flash"] = "minimal_with_context",
    };

    /// <summary>The names accepted by <see cref="Parse"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Known.Select(p => p.Name), .. Aliases.Keys];

    /// <summary>
    /// The policy named <paramref name="name"/>; a <see cref="FormatException"/> saying which names
    /// exist for an unknown one, and why the offloading ones (host memory) and <c>none</c> are not here.
    /// </summary>
    public static RematPolicy Parse(string name)
    {
        string key = Aliases.TryGetValue(name.Trim(), out var alias) ? alias : name.Trim();
        if (Known.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase)) is { } known) return known;
        string why = key.ToLowerInvariant() switch
        {
            "none" => "'none' saves everything: use recompute none instead",
            "minimal_offloaded" or "qkv_proj_offloaded" or "custom" => $"'{key}' offloads tensors to host memory, which is not modelled for remat policies",
            _ => $"'{key}' is not a MaxText remat policy",
        };
        throw new FormatException($"{why}; expected one of {string.Join(", ", Names)}");
    }

    /// <summary>The coarse recompute class: full when nothing but the layer input is saved, else selective.</summary>
    public Recompute Recompute => Saves == RematSaves.Nothing ? Recompute.Full : Recompute.Selective;

    bool Saved(RematSaves s) => (Saves & s) != 0;

    /// <summary>
    /// Bytes per token one layer keeps on one device, 16-bit activations: the layer input 2h, and
    /// of the values the backward reads those the policy saves: Q 2q/tp, K and V 2kv/tp each, the
    /// context 2q/tp plus the fused kernel's fp32 log-sum-exp 4·a/tp, the output projection 2h
    /// (sequential block only), the MLP input projections 2F/tp (4F/tp gated). h-wide tensors divide by tp
    /// when the residual is sharded (<paramref name="shardedResidual"/>).
    /// For MaxText's 2023 32B model (h = 10240, q = kv = 8192, F = 32768 plain, parallel block) at tp = 4, sharded,
    /// <c>minimal</c>: (20480 + 6·8192 + 2·32768)/4 = 33,792 bytes.
    /// </summary>
    public double SavedBytesPerToken(ModelSpec m, double ffnHidden, int tp, bool shardedResidual, bool fusedAttention)
    {
        double hWide = 2.0 * m.Hidden / (shardedResidual ? tp : 1);
        double q = (double)m.Heads * m.HeadDim, kv = (double)m.KvHeads * m.HeadDim;
        double bytes = hWide;
        if (Saved(RematSaves.QkvProj)) bytes += 2 * (q + 2 * kv) / tp;
        if (Saved(RematSaves.Context)) bytes += (2 * q + (fusedAttention ? 4.0 * m.Heads : 0)) / tp;
        if (Saved(RematSaves.OutProj) && !m.ParallelBlock) bytes += hWide;
        if (Saved(RematSaves.MlpWi)) bytes += (m.Ffn == FfnKind.SwiGlu ? 4 : 2) * ffnHidden / tp;
        return bytes;
    }

    /// <summary>
    /// Share of a layer's forward projection FLOPs the backward recomputes: of QKV h·(q + 2kv), output
    /// projection q·h, MLP input h·F (2h·F gated) and MLP output F·h, the ones whose outputs the backward
    /// reads and the policy did not save: QKV unless saved (the attention backward reads Q, K, V); the
    /// output projection in a sequential block unless saved; the MLP input unless saved. The MLP output
    /// projection never (its output is not read), so even <c>full</c> recomputes less than the whole forward.
    /// </summary>
    public double RecomputedGemmShare(ModelSpec m, double ffnWidth)
    {
        double h = m.Hidden, q = (double)m.Heads * m.HeadDim, kv = (double)m.KvHeads * m.HeadDim;
        double qkv = h * (q + 2 * kv), outProj = q * h, wi = (m.Ffn == FfnKind.SwiGlu ? 2 : 1) * h * ffnWidth, wo = ffnWidth * h;
        double recomputed = (Saved(RematSaves.QkvProj) ? 0 : qkv)
            + (!m.ParallelBlock && !Saved(RematSaves.OutProj) ? outProj : 0)
            + (Saved(RematSaves.MlpWi) ? 0 : wi);
        return recomputed / (qkv + outProj + wi + wo);
    }

    /// <summary>Whether the backward reruns the attention kernel: the context is not saved (its output projection's weight gradient reads it), or the attention is unfused (no policy saves the scores).</summary>
    public bool RebuildsAttention(bool fusedAttention) => !fusedAttention || !Saved(RematSaves.Context);

    /// <summary>FLOPs per token the backward redoes (the HFU numerator's recompute): <see cref="RecomputedGemmShare"/> of the layers'
    /// forward projections, and the attention forward when <see cref="RebuildsAttention"/>.</summary>
    public double RecomputeFlopsPerToken(ModelSpec m, ParameterCount p, int seqLen, bool fusedAttention) =>
        RecomputedGemmShare(m, m.FfnHidden) * 2 * p.ActiveLayerMatmul
        + (RebuildsAttention(fusedAttention) ? TransformerArithmetic.AttentionForwardFlopsPerToken(m, seqLen) : 0);

    public override string ToString() => Name;
}
