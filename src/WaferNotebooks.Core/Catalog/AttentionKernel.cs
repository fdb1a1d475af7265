namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// Which generation of tensor-core instructions a stack's fused (flash) attention kernel is
/// written for. On the generation it was written for a kernel is native; a kernel written for
/// Ampere's synchronous <c>mma.sync</c> runs on Hopper without Hopper's asynchronous <c>wgmma</c>
/// and TMA, at about a third of the dense peak (FlashAttention-3 paper).
/// </summary>
public enum AttentionKernel
{
    /// <summary>Written for the device's own instructions: cuDNN fused attention through Transformer
    /// Engine (Megatron-Core, NeMo) or FlashAttention-3 on Hopper, FlashAttention-2 on Ampere, the
    /// vendor's kernels elsewhere.</summary>
    Native,

    /// <summary>Written for Ampere's <c>mma.sync</c>: FlashAttention-2, PyTorch
    /// <c>scaled_dot_product_attention</c>'s flash backend (FlashAttention-2 code; PyTorch kept the
    /// cuDNN backend opt-in on H100 after 2.5, pytorch/pytorch#138522, #142132), Triton
    /// flash-attention before Triton's Hopper support (llm-foundry's <c>attn_impl: triton</c> on
    /// PyTorch 2.0). Native on Ampere and older; on Hopper it reaches FlashAttention-2's H100 rate.</summary>
    AmpereMma,

    /// <summary>The first FlashAttention generation, before FlashAttention-2's work partitioning:
    /// PyTorch 2.0–2.1 <c>scaled_dot_product_attention</c> (FlashAttention-2 entered SDPA with
    /// PyTorch 2.2, January 2024) and FlashAttention in Triton (llm-foundry's <c>attn_impl: triton</c>).
    /// FlashAttention-2 is 1.3–1.5× faster than FlashAttention in Triton forward and about 2×
    /// backward (Dao 2023, Sec. 4.1; 1.7–3.0× faster than the CUDA FlashAttention):
    /// <see cref="Gpu.AttentionKernels.FirstGenerationSlowdownForward"/>.</summary>
    FlashV1,
}
