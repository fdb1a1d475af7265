namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// The softmax cross-entropy kernel a training stack runs over the last stage's logits, and the
/// two things it decides: the bytes per logit element the stage holds at the loss
/// (<see cref="Gpu.ActivationMemory.Logits"/>) and the HBM bytes per logit element it moves forward
/// and backward (<see cref="Gpu.LayerTime.Logits"/>). Every number is counted from the kernel's
/// source on 16-bit logits (2 bytes, fp32 4 bytes); per-token statistics (max, log-sum-exp, loss)
/// are a vocabulary-width smaller and not counted (except <see cref="Fp32Copy"/>, assumed for the stacks not counted). Each framework picks its kernel in
/// <see cref="Gpu.TrainingFramework"/>.
/// </summary>
/// <param name="Name">Short name, as estimates print it.</param>
/// <param name="HeldBytesPerLogit">Bytes per logit element alive at the loss: the logit layer's 16-bit output and what the kernel keeps for its backward.</param>
/// <param name="ForwardBytesPerLogit">HBM bytes per logit element the loss's forward reads and writes.</param>
/// <param name="BackwardBytesPerLogit">HBM bytes per logit element its backward reads and writes, up to the 16-bit gradient of the logits.</param>
/// <param name="Holds">What the last stage holds, as the memory breakdown says it.</param>
public sealed record CrossEntropyKernel(string Name, double HeldBytesPerLogit, double ForwardBytesPerLogit, double BackwardBytesPerLogit, string Holds)
{
    /// <summary>
    /// Megatron's <c>vocab_parallel_cross_entropy</c> run op by op, the default of Megatron-LM, Megatron-Core
    /// and NeMo (<c>cross_entropy_loss_fusion = False</c>), and Megatron-DeepSpeed's and GPT-NeoX's copies
    /// of it. Forward 38: <c>.float()</c> r2 w4; <c>max</c> r4; subtracting the max r4 w4; <c>exp</c> r4 w4;
    /// <c>sum</c> r4; <c>div_</c> r4 w4. Backward 14: <c>mul_</c> by the incoming gradient r4 w4, and autograd
    /// casts the fp32 gradient to the 16-bit logits' type r4 w2. Held: the 16-bit logits and the fp32 copy,
    /// modified in place into the softmax the backward keeps, 2 + 4 (the subtraction is in place
    /// from 2019 to 2022-09 and again from 2024-06: <see cref="MegatronUnfused2022"/> between).
    /// </summary>
    public static CrossEntropyKernel MegatronUnfused { get; } = new("fp32 copy, op by op (Megatron)", 2 + 4, 38, 14,
        "logits of one micro-batch, 16-bit and fp32 (last stage)");

    /// <summary>
    /// <see cref="MegatronUnfused"/> as Megatron-Core wrote it from 2022-09-27 (Megatron-LM 55817ec) to
    /// 2024-06-13 (9634c0e, "Reduce logit memory pressure by using in-place operation"): the max subtracted
    /// into a new fp32 tensor while the <c>.float()</c> copy is still referenced, 2 + 4 + 4 held; the
    /// same 38 + 14 bytes moved.
    /// </summary>
    public static CrossEntropyKernel MegatronUnfused2022 { get; } = new("fp32 copy, op by op, max subtracted out of place (Megatron, 2022-09 to 2024-06)", 2 + 4 + 4, 38, 14,
        "logits of one micro-batch, 16-bit and two fp32 copies (last stage)");

    /// <summary>
    /// Megatron-Core's native fusion (<c>cross_entropy_loss_fusion = True</c>, <c>fusions/fused_cross_entropy.py</c>
    /// from 2024-06-14): the same operations in four <c>torch.compile</c>d functions (<c>jit_fuser</c> on
    /// PyTorch ≥ 2.2), each one pass. Forward 22: cast and max r2 w4; subtract, <c>exp</c> and sum, written
    /// back into the fp32 tensor, r4 w4; <c>div_</c> r4 w4. Backward 10: the target update, <c>mul_</c> and
    /// the cast to bf16 in one pass, which also writes the mutated fp32 softmax back, r4 w4 w2. Held 2 + 4.
    /// </summary>
    public static CrossEntropyKernel MegatronFused { get; } = new("fp32 copy, compiled fusion (Megatron-Core cross_entropy_loss_fusion)", 2 + 4, 22, 10,
        "logits of one micro-batch, 16-bit and fp32 (last stage)");

    /// <summary>
    /// Stacks whose loss kernel is not counted here (JAX/XLA, Neuron, DeepSeek's HAI-LLM, FairScale FSDP):
    /// the 16-bit logits and an fp32 copy held, 2 + 4, and one fused pass assumed: write the fp32 tensor,
    /// read it for max and sum (forward 8); read it and write the gradient (backward 8).
    /// </summary>
    public static CrossEntropyKernel Fp32Copy { get; } = new("fp32 copy, one fused pass (assumed)", 2 + 4, 8, 8,
        "logits of one micro-batch, 16-bit and fp32 (last stage)");

    /// <summary>
    /// PyTorch's <c>F.cross_entropy</c> on <c>pred.float()</c> run op by op (torchtitan
    /// <c>components/loss.py</c>, <c>train.py</c>; its <c>torch.compile</c> of the loss is commented out
    /// in 2024-12, "causes CUDA errors", so compiled runs keep it too). Held: the 16-bit logits, their
    /// fp32 copy and the fp32 log-softmax <c>log_softmax</c> saves, 2 + 4 + 4. Forward 22: the upcast
    /// r2 w4; <c>log_softmax</c> on a row too long for shared memory (128K × 4 bytes) reads it for the
    /// max, for the sum of exponentials and for the output, and writes the output, r12 w4. Backward 26:
    /// <c>nll_loss</c>'s dense gradient w4; the <c>log_softmax</c> gradient reads the incoming gradient
    /// for its row sum, then it and the output, and writes, r12 w4; the cast back to 16 bits r4 w2.
    /// </summary>
    public static CrossEntropyKernel Fp32LogSoftmax { get; } = new("fp32 log-softmax, op by op (PyTorch)", 2 + 4 + 4, 22, 26,
        "logits of one micro-batch, 16-bit, an fp32 copy and the fp32 log-softmax (last stage)");

    /// <summary>
    /// Transformer Engine's <c>parallel_cross_entropy</c> (Megatron-Core <c>cross_entropy_fusion_impl = te</c>)
    /// from its first version (TE PR #1456, 2025-02) to the July 2026 numerics fix (PR #3193): Triton
    /// kernels over the 16-bit logits. Held: the 16-bit tensor the backward keeps, 2 (plus three fp32
    /// statistics per token). Traffic charged as one fused fp32 pass (8 + 8), although the source
    /// counts 6 + 4: <c>online_softmax_kernel</c> r2, <c>cross_entropy_kernel</c> r2 and the gradient in
    /// place w2; <c>element_mul_kernel</c> r2 w2 (Megatron asks for unreduced losses, so it runs). The
    /// Blackwell <c>sustained_matmul_share</c> was fitted to three Bridge rows with 8 + 8 (0.737; 0.734
    /// with 6 + 4): the counted bytes wait for that refit.
    /// </summary>
    public static CrossEntropyKernel InPlace16 { get; } = new("Transformer Engine, gradient in place in 16 bits", 2, 8, 8,
        "logits of one micro-batch, 16-bit, the loss's gradient written into them (Transformer Engine cross entropy; last stage)");

    /// <summary>
    /// Transformer Engine's <c>parallel_cross_entropy</c> from its July 2026 numerics fix (PR #3193): the
    /// same two forward passes, the gradient written to a new fp32 tensor instead of the logits.
    /// Forward 8: r2, then r2 w4. Backward 14: <c>element_mul_kernel</c> on the fp32 gradient r4 w4,
    /// and autograd casts it to the 16-bit logits' type, r4 w2. Held: the 16-bit logits and the fp32
    /// gradient, 2 + 4.
    /// </summary>
    public static CrossEntropyKernel TeFp32Gradient { get; } = new("Transformer Engine, fp32 gradient", 2 + 4, 8, 14,
        "logits of one micro-batch, 16-bit, and the loss's fp32 gradient (Transformer Engine cross entropy; last stage)");

    /// <summary>
    /// flash-attn's <c>CrossEntropyLoss</c> (<c>xentropy_cuda_lib</c>, apex's softmax cross-entropy
    /// kernel), llm-foundry's default <c>loss_fn: fused_crossentropy</c> (<c>modeling_mpt.py</c>,
    /// 2023–2024; its benchmark configs keep it) and TinyLlama's fused loss. Forward 4:
    /// <c>cunn_SoftMaxXEntropyForward</c> reads the 16-bit row once for max and sum, once for the sum
    /// of exponentials (r2 r2), and writes only per-token values. Backward 4:
    /// <c>cunn_SoftMaxXEntropyBackward</c> reads the logits and writes the 16-bit gradient (r2 w2).
    /// Held: the 16-bit logits it saves, 2 (and the log-sum-exp per token).
    /// </summary>
    public static CrossEntropyKernel FlashXentropy { get; } = new("flash-attn xentropy, 16-bit", 2, 4, 4,
        "logits of one micro-batch, 16-bit, saved by the fused loss (flash-attn cross entropy; last stage)");

    public override string ToString() => Name;
}
