namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// How the training stack computes the cross-entropy loss over the vocabulary, which sets what the
/// last pipeline stage holds of one micro-batch's logits at the loss (bytes per logit element in
/// <see cref="Gpu.ActivationMemory.LogitBytesPerElement"/>).
/// </summary>
public enum CrossEntropyKernel
{
    /// <summary>The 16-bit logits cast to fp32 for the loss: Megatron-Core's
    /// <c>vocab_parallel_cross_entropy</c> and its native fusion (<c>cross_entropy_loss_fusion</c>
    /// with <c>cross_entropy_fusion_impl = native</c>) call <c>.float()</c> on the logits and save the
    /// fp32 softmax for the backward while the logit layer's 16-bit output is still alive: 2 + 4 bytes.</summary>
    Fp32Copy,

    /// <summary>PyTorch's <c>F.cross_entropy</c> on <c>pred.float()</c> (torchtitan's loss): the 16-bit
    /// logits, their fp32 copy and the fp32 log-softmax that <c>log_softmax</c> saves for its backward
    /// are alive together: 2 + 4 + 4 bytes.</summary>
    Fp32LogSoftmax,

    /// <summary>Transformer Engine's <c>parallel_cross_entropy</c> (Megatron-Core
    /// <c>cross_entropy_fusion_impl = te</c>) before TE's July 2026 numerics fix: online-softmax
    /// Triton kernels read the 16-bit logits and write the gradient back into them, and that tensor is
    /// what the backward keeps: 2 bytes (plus three fp32 statistics per token).</summary>
    InPlace16,
}
