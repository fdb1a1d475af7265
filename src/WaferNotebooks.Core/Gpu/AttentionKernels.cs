using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// Achieved fraction of the dense 16-bit peak of a fused causal attention kernel, forward and
/// backward, by device and kernel generation, from kernel benchmarks (head dimension 128, BF16):
/// <code>
///   frac(pass) = e_gemm · share · clock · r(device, kernel, pass) · s/(s + S_half) · waveUse
/// </code>
/// <list type="bullet">
/// <item><c>e_gemm · share · clock</c>: the device's measured matmul maximum, its sustained share in
/// training and its power-limited clock (<see cref="MatmulEfficiency"/>): attention runs on the
/// same tensor cores at the same clock;</item>
/// <item><c>r</c>: the kernel's long-sequence rate over that GEMM maximum (<see cref="Ratio"/>);</item>
/// <item><c>s/(s + S_half)</c>: shorter sequences run slower (fewer key blocks per query block to
/// amortise the prologue, the diagonal blocks of the causal mask), <see cref="HalfRateSeqLen"/>;</item>
/// <item><c>waveUse</c>: one thread block per 128 queries of one head, in waves over the SMs.</item>
/// </list>
/// Causal FLOPs are counted as half the square, as the kernel benchmarks count them.
/// </summary>
public static class AttentionKernels
{
    /// <summary>
    /// FlashAttention-2 on A100 SXM (Dao 2023, arXiv 2307.08691, Sec. 4.1): up to 73% of the 312
    /// TFLOP/s peak forward and 63% backward at long sequences; over the A100's measured matmul
    /// maximum 0.869: 0.84 and 0.725. Native on Ampere, and what an Ampere-generation kernel reaches there.
    /// </summary>
    public const double NativeForward = 0.73 / 0.869, NativeBackward = 0.63 / 0.869;

    /// <summary>
    /// cuDNN fused attention on H100 SXM (Shah et al. 2024, FlashAttention-3, arXiv 2407.08608,
    /// Figs. 5–6, head dimension 128): causal forward 539 and backward 516 TFLOP/s at 16K tokens,
    /// 56% and 54% of the 989 TFLOP/s peak at infinite length after the sequence ramp
    /// (<see cref="HalfRateSeqLen"/>); over the H100's measured matmul maximum 0.803: 0.70 and 0.67.
    /// FlashAttention-3 itself is 5–10% faster; Transformer Engine calls cuDNN.
    /// </summary>
    public const double HopperNativeForward = 0.56 / 0.803, HopperNativeBackward = 0.54 / 0.803;

    /// <summary>
    /// FlashAttention-2 on H100 SXM (same figures): causal forward 335 and backward 322 TFLOP/s at
    /// 16K, 35% and 33% of peak at infinite length ("FlashAttention-2 achieving only 35% utilization
    /// on the H100", FA3 abstract; FA2 paper Sec. 4.1: "up to 335 TFLOPs/s" without Hopper
    /// instructions). PyTorch SDPA's flash backend on H100: 329 against cuDNN's 631 TFLOP/s at
    /// 4,608 tokens (pytorch/pytorch#142132). Over the matmul maximum 0.803: 0.435 and 0.41.
    /// </summary>
    public const double HopperAmpereMmaForward = 0.35 / 0.803, HopperAmpereMmaBackward = 0.33 / 0.803;

    /// <summary>
    /// How much slower the first FlashAttention generation runs than FlashAttention-2 on the same
    /// device, forward and backward: 1.4 and 2 (Dao 2023, Sec. 4.1, against FlashAttention in
    /// Triton, the faster of the first-generation kernels).
    /// </summary>
    public const double FirstGenerationSlowdownForward = 1.4, FirstGenerationSlowdownBackward = 2.0;

    /// <summary>
    /// Sequence length at which a kernel runs at half its long-sequence rate: 400 tokens, from the
    /// FA3 paper's causal forward curves on H100 (FlashAttention-2: 191, 260, 298, 319, 333, 335
    /// TFLOP/s at 512…16K = 345·s/(s + 400) within 3%; cuDNN: 315…539 = 560·s/(s + 380)).
    /// </summary>
    public const double HalfRateSeqLen = 400;

    /// <summary>Query rows per thread block of a flash kernel (FlashAttention-2/3, cuDNN: 128).</summary>
    const int QueryBlock = 128;

    /// <summary>True for Hopper devices (catalog <c>architecture: hopper</c>: H100 SXM and PCIe, H800, H200), where the FA3 paper's measurements apply.</summary>
    public static bool IsHopper(Accelerator a) => a.Architecture == DeviceArchitecture.Hopper;

    /// <summary>True for Ampere devices (<c>architecture: ampere</c>: the A100s), where the FA2 paper's measurements apply.</summary>
    public static bool IsAmpere(Accelerator a) => a.Architecture == DeviceArchitecture.Ampere;

    /// <summary>True where a kernel benchmark measured fused attention on the device's generation (Ampere, Hopper); elsewhere, and for a device whose catalog entry states no architecture, <see cref="PriorFractions"/>.</summary>
    public static bool Measured(Accelerator a) => IsHopper(a) || IsAmpere(a);

    /// <summary>
    /// Devices without an attention measurement (V100, Blackwell, AMD, Gaudi, Trainium, TPU): fused
    /// attention as a GEMM of its shape (<see cref="MatmulEfficiency.ComputeFraction"/> over queries ×
    /// keys × head dimension, K = d) at <see cref="PriorShare"/> of it, forward and backward alike.
    /// </summary>
    public static double PriorFractions(Accelerator a, double queries, double keys, double headDim, double heads) =>
        MatmulEfficiency.ComputeFraction(a, queries, keys, headDim, heads) * PriorShare;

    /// <summary>
    /// Share of the full score square a causal kernel computes: half, as the kernel benchmarks count
    /// it (their measured rates carry the diagonal blocks); under the prior the diagonal 128-key
    /// blocks of the mask are added, ½·(1 + 128/s).
    /// </summary>
    public static double CausalShare(Accelerator a, double keys) => Measured(a) ? 0.5 : 0.5 * (1 + QueryBlock / keys);

    /// <summary>Prior share of a GEMM of the attention's shape that fused kernels reach where no kernel
    /// benchmark exists: 0.75, FlashAttention-2's overall rate against plain GEMMs on A100 (Dao 2023:
    /// 50–73% of peak forward, 35–63% backward, against about 87% for GEMMs).</summary>
    public const double PriorShare = 0.75;

    /// <summary>The kernel's long-sequence rate over the device's GEMM maximum, forward and backward.</summary>
    public static (double Forward, double Backward) Ratio(Accelerator a, AttentionKernel kernel) => kernel switch
    {
        AttentionKernel.Native => IsHopper(a) ? (HopperNativeForward, HopperNativeBackward) : (NativeForward, NativeBackward),
        AttentionKernel.AmpereMma => IsHopper(a) ? (HopperAmpereMmaForward, HopperAmpereMmaBackward) : (NativeForward, NativeBackward),
        _ => IsHopper(a)
            ? (HopperAmpereMmaForward / FirstGenerationSlowdownForward, HopperAmpereMmaBackward / FirstGenerationSlowdownBackward)
            : (NativeForward / FirstGenerationSlowdownForward, NativeBackward / FirstGenerationSlowdownBackward),
    };

    /// <summary>
    /// Seconds of a fused causal attention kernel, forward and backward (backward = twice the
    /// forward FLOPs): <paramref name="queries"/> queries of <paramref name="heads"/> heads against a
    /// causal length of <paramref name="keys"/>, QKᵀ over <paramref name="qkDim"/> and score·V over
    /// <paramref name="vDim"/> (2·(d_qk + d_v) FLOPs per score; 4·d_head for standard heads).
    /// A sliding-window layer passes its <see cref="SlidingWindow.EquivalentCausalKeys"/>.
    /// </summary>
    public static FwdBwd FusedSeconds(Accelerator a, AttentionKernel kernel, double queries, double keys, double heads, double qkDim, double vDim, double peakFlops)
    {
        var (fwdFrac, bwdFrac) = Fractions(a, kernel, queries, keys, heads, qkDim);
        double flops = CausalShare(a, keys) * 2 * heads * queries * keys * (qkDim + vDim);
        return new FwdBwd(flops / (peakFlops * fwdFrac) + MatmulEfficiency.KernelOverheadS,
                          2 * (flops / (peakFlops * bwdFrac) + MatmulEfficiency.KernelOverheadS));
    }

    /// <summary>
    /// Fractions of the dense 16-bit peak reached forward and backward by causal attention over
    /// <paramref name="queries"/> queries against <paramref name="keys"/> keys for <paramref name="heads"/> heads.
    /// </summary>
    public static (double Forward, double Backward) Fractions(Accelerator a, AttentionKernel kernel, double queries, double keys, double heads, double headDim)
    {
        if (!Measured(a))
        {
            double prior = PriorFractions(a, queries, keys, headDim, heads);
            return (prior, prior);
        }
        var (forward, backward) = Ratio(a, kernel);
        int units = MatmulEfficiency.ComputeUnits(a);
        double blocks = Math.Max(1, heads) * Math.Ceiling(Math.Max(1, queries) / QueryBlock);
        double waveUse = blocks / (Math.Ceiling(blocks / units) * units);
        double common = MatmulEfficiency.SustainedMaximum(a)
            * keys / (keys + HalfRateSeqLen) * waveUse;
        return (common * forward, common * backward);
    }
}
