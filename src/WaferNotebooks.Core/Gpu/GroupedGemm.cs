using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// The GEMMs of the experts on one rank, as a stack launches them (docs/gpu-model.md §4.6).
/// <list type="bullet">
/// <item><b>Per-expert loop</b> (Megatron-Core's <c>--moe-grouped-gemm</c> with Transformer
/// Engine's <c>GroupedLinear</c>, the default of NVIDIA's stacks in 2024–25): one cuBLAS GEMM per
/// local expert, spread over <see cref="Streams"/> CUDA streams. Only the tiles of the GEMMs on
/// those streams share the SMs at a time, so wave quantisation is that of
/// min(experts, streams) GEMMs; and each expert's GEMM costs at least <see cref="PerExpertS"/>
/// of wall time however small it is, because the split sizes come from the host after the
/// dispatcher's device-to-host synchronisation (MoE layers cannot be captured in CUDA graphs
/// while their shapes are dynamic), so nothing is queued ahead of the loop.</item>
/// <item><b>One grouped kernel</b> (DeepSeek's DeepGEMM, CUTLASS grouped GEMM, MegaBlocks):
/// every expert's tiles in one launch, costed as one batched GEMM.</item>
/// </list>
/// </summary>
public static class GroupedGemm
{
    /// <summary>CUDA streams Transformer Engine spreads a grouped GEMM's per-expert cuBLAS calls
    /// over: 4 (<c>get_num_compute_streams()</c> in <c>transformer_engine/common/util/multi_stream.cpp</c>).</summary>
    public const int Streams = 4;

    /// <summary>
    /// Wall time per expert of Transformer Engine's multi-stream cuBLAS grouped GEMM when the
    /// GEMMs are small: 0.267 ms for 8 experts of 128 tokens (N = K = 2048) on an SM100 GPU,
    /// kernels only, scales pre-swizzled (Transformer Engine PR #3134, benchmark_grouped_linear.py,
    /// "pure" multi-stream row: per-tensor NVFP4 inputs through the same per-expert multi-stream
    /// cuBLASLt loop as MXFP8 and BF16; 0.272 ms with the per-call scale swizzle), 0.267/8 = 33 µs;
    /// one launch of all eight took 0.069 ms. The
    /// same order as the 19–33 µs of host time per expert that TE issue #2897 profiles for the
    /// fused grouped MLP on GB200 (64 experts: 1.2 ms forward, 2.1 ms backward).
    /// </summary>
    public const double PerExpertS = 0.267e-3 / 8;

    /// <summary>
    /// Seconds of one grouped GEMM: <paramref name="experts"/> GEMMs of M×K·K×N (M the tokens
    /// routed to each expert). One grouped kernel: a batched GEMM. Per-expert loop: the GEMMs of
    /// min(experts, <see cref="Streams"/>) streams at a time, and at least <see cref="PerExpertS"/> per expert.
    /// </summary>
    public static double Seconds(Accelerator a, Precision p, double m, double n, double k, double experts, bool oneKernel)
    {
        if (oneKernel || experts <= 1) return MatmulEfficiency.Seconds(a, p, m, n, k, experts);
        return Math.Max(LoopMath(a, p, m, n, k, experts), experts * PerExpertS);
    }

    /// <summary>How far the per-expert loop's GEMMs run beyond the host's pace (its floor): 0 when the loop
    /// is at its floor, so nothing is queued behind its last GEMM; infinite for one grouped kernel or a
    /// single expert, which the host never holds up (<see cref="MoeHostSync"/>).</summary>
    public static double LoopSlack(Accelerator a, Precision p, double m, double n, double k, double experts, bool oneKernel) =>
        oneKernel || experts <= 1 ? double.PositiveInfinity : Math.Max(0, LoopMath(a, p, m, n, k, experts) - experts * PerExpertS);

    static double LoopMath(Accelerator a, Precision p, double m, double n, double k, double experts)
    {
        double concurrent = Math.Min(experts, Streams);
        return MatmulEfficiency.Seconds(a, p, m, n, k, concurrent) * (experts / concurrent);
    }
}
