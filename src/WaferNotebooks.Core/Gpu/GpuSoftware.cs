namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// What the training framework does that the hardware does not decide: whether attention runs
/// as one fused kernel (FlashAttention, xformers, cuDNN fused attention) and whether the
/// data-parallel gradient reduction is bucketed and overlapped with the backward pass.
/// </summary>
public sealed record GpuSoftware(bool FusedAttention = true, bool OverlapGradientReduction = true, double HostSecondsPerLayerForward = GpuSoftware.EagerLayerForwardS)
{
    /// <summary>
    /// CPU time to issue one transformer layer's forward kernels in eager PyTorch (Megatron-LM:
    /// about 40 kernels and autograd records per layer at ~20 µs each). Backward issues twice
    /// as many, recompute repeats the forward. When the GPU work of a layer is shorter, the layer
    /// runs at the host's pace. Fitted to the vTrain single-node runs (A100, Megatron-DeepSpeed,
    /// hidden 1024–2048), where small layers are launch-bound.
    /// </summary>
    public const double EagerLayerForwardS = 0.8e-3;

    /// <summary>A current stack (Megatron-Core, NeMo, DeepSpeed, FSDP since 2023): fused attention, bucketed overlapped reduction.</summary>
    public static GpuSoftware Modern { get; } = new();

    /// <summary>
    /// Megatron-LM as used in 2021–2022 (Narayanan et al. 2021; Korthikanti et al. 2022) and
    /// Megatron-DeepSpeed: attention scores materialised in HBM (fused scale-mask-softmax
    /// kernel, dropout), gradients all-reduced after the backward pass without bucketing.
    /// </summary>
    public static GpuSoftware Megatron2021 { get; } = new(FusedAttention: false, OverlapGradientReduction: false);

    public string Describe() =>
        (FusedAttention ? "fused (flash) attention: no s×s scores in HBM" : "attention scores materialised in HBM (softmax, dropout memory-bound)")
        + $"; host issues a layer forward in {HostSecondsPerLayerForward * 1e3:0.##} ms (launch-bound below that)"
        + "; " + (OverlapGradientReduction ? "data-parallel gradient reduction bucketed and overlapped with backward" : "data-parallel gradient reduction after backward, not overlapped");
}
