using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// Host time of the per-expert FP8 quantize launches of Transformer Engine's per-expert grouped linear
/// (docs/gpu-model.md §4.6, "Per-expert quantization"). <c>GroupedLinear</c> (TE 2.9) quantizes its input
/// (forward) and its output gradient (backward) with <c>split_quantize</c>, which launches the recipe's
/// kernels expert by expert (<see cref="Fp8ScalingRecipes.LaunchesPerExpert"/>) from C++ unless every
/// quantizer is delayed scaling. The kernels are tiny; what costs is launching them. When the expert loop
/// runs at its host floor (<see cref="GroupedGemm.LoopSlack"/> 0) nothing is queued behind them, so the GPU
/// waits that long; a loop above its floor hides them in its lead, the backward's (data- and weight-gradient
/// loops) twice the forward's.
/// </summary>
public static class MoeQuantizeLaunches
{
    /// <summary>
    /// Host seconds of one quantize launch from Transformer Engine's C++ loop: 4.05 µs. Measured on the
    /// same per-tensor path in AMD's port of Transformer Engine (ROCm/TransformerEngine PR #598, MXFP8 row-wise
    /// quantize of Qwen3's 128 experts, I = 1536, balanced: 615 µs one expert at a time against 96 µs for one
    /// grouped launch of the same data, (615 − 96)/128 = 4.05 µs per expert). Not fitted to any row.
    /// </summary>
    public const double PerLaunchS = (615e-6 - 96e-6) / 128;

    /// <summary>Grouped linears per expert MLP: the up (gated) and the down projection, each quantizing its own input and gradient.</summary>
    public const int GroupedLinears = MoeHostSync.GroupedLinearsPerExpertMlp;

    /// <summary>
    /// GPU idle per MoE layer and micro-batch, forward and backward: per grouped linear
    /// max(0, n_e·q·<see cref="PerLaunchS"/> − slack) forward and max(0, n_e·q·<see cref="PerLaunchS"/> − 2·slack)
    /// backward, n_e local experts, q the recipe's launches per expert; 0 in 16 bit, with one grouped kernel or one expert.
    /// </summary>
    public static FwdBwd Seconds(Fp8ScalingRecipe recipe, bool eightBit, bool oneKernel, double localExperts, double loopSlackS)
    {
        if (!eightBit || oneKernel || localExperts <= 1) return default;
        double launches = localExperts * recipe.LaunchesPerExpert() * PerLaunchS;
        return new FwdBwd(GroupedLinears * Math.Max(0, launches - loopSlackS), GroupedLinears * Math.Max(0, launches - 2 * loopSlackS));
    }
}
