namespace WaferNotebooks.Core.Catalog;

/// <summary>The MLP of a transformer block.</summary>
public enum FfnKind
{
    /// <summary>Two matrices, h→F→h (GELU, ReLU).</summary>
    Gelu,
    /// <summary>Gated: three matrices (gate, up, down), SwiGLU or GeGLU.</summary>
    SwiGlu,
}

/// <summary>Mixture of experts. <see cref="DenseLayers"/> leading layers use a dense MLP of <see cref="DenseFfnHidden"/>.</summary>
public sealed record MoeSpec(int Experts, int Active, int Shared, int ExpertFfnHidden, int DenseLayers = 0, int DenseFfnHidden = 0);

/// <summary>
/// A decoder-only transformer, described by its real weight shapes. Parameter and FLOP counts
/// are derived from these shapes (Workload), never typed in.
/// </summary>
public sealed record ModelSpec(
    string Id,
    string Name,
    int Layers,
    int Hidden,
    int FfnHidden,
    FfnKind Ffn,
    int Heads,
    int KvHeads,
    int HeadDim,
    int Vocab,
    int SeqLen,
    MoeSpec? Moe = null,
    bool TiedEmbeddings = false,
    /// <summary>Published total parameter count in billions, for cross-checking the shape arithmetic.</summary>
    double? PublishedParamsB = null,
    string Source = "",
    string Notes = "",
    /// <summary>Published global batch in sequences of <see cref="SeqLen"/> (the final one when the batch was ramped up).</summary>
    int? BatchSeqs = null,
    string BatchSource = "",
    /// <summary>Whether pre-training applied dropout, whose 1-byte masks are stored for the backward pass (GPT-3-era models did; LLaMA-style models do not).</summary>
    bool Dropout = true,
    /// <summary>Multi-head latent attention's ranks and head widths (DeepSeek-V2/V3); null for standard multi-head/grouped-query attention.</summary>
    LatentAttention? Mla = null,
    /// <summary>Sliding-window layers (GPT-OSS, Mistral 7B); null when every layer attends to the whole causal prefix.</summary>
    SlidingWindow? Window = null,
    /// <summary>Multi-token prediction modules trained beside the model (DeepSeek-V3 §2.2: D = 1; Megatron-Core <c>mtp_num_layers</c>), each one more
    /// transformer layer and a 2h→h projection predicting one token further, sharing the embedding and the output head; 0: none.</summary>
    int MtpLayers = 0,
    /// <summary>Parallel block: attention and MLP read the same normed layer input and both outputs add to the residual (GPT-J, PaLM;
    /// MaxText's default decoder layer until 2024-02); false for the sequential block (the MLP reads the post-attention residual).
    /// Only what a remat policy keeps depends on it (<see cref="Workload.RematPolicy"/>).</summary>
    bool ParallelBlock = false,
    /// <summary>Each routed expert adds a bias to its output (GPT-OSS; Megatron-Core <c>add_bias_linear</c> in an MoE layer),
    /// which Megatron-Core adds outside the grouped GEMM, one expert at a time (<see cref="Gpu.MoeExpertBias"/>).</summary>
    bool ExpertBias = false);
