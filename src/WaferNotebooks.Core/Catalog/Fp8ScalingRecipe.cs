namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// Transformer Engine's FP8 scaling recipe for the expert GEMMs of an MoE layer: how many quantize
/// kernels a grouped linear launches per local expert for its input (forward) and its output gradient
/// (backward), counted from Transformer Engine 2.9 (<c>split_quantize</c> →
/// <c>multi_tensor_quantize_impl</c>, <c>transformer_engine/pytorch/csrc/extensions/cast.cpp</c>;
/// <c>Float8CurrentScalingQuantizer::quantize_impl</c>, <c>csrc/quantizer.cpp</c>), docs/gpu-model.md §4.6.
/// </summary>
public enum Fp8ScalingRecipe
{
    /// <summary>Delayed scaling (TE's <c>DelayedScaling</c>, its historical default): one fused
    /// <c>nvte_multi_cast_transpose</c> for all experts, so no launch per expert.</summary>
    Delayed,
    /// <summary>Per-tensor current scaling (<c>Float8CurrentScaling</c>, NVIDIA's "FP8-CS" on Hopper): per expert
    /// an amax kernel, a scale-from-amax kernel and the cast: 3 launches.</summary>
    Current,
    /// <summary>MXFP8 (<c>MXFP8BlockScaling</c>, "FP8-MX" on Blackwell): one quantize kernel per expert (row- and
    /// column-wise outputs bulk-allocated, one <c>nvte_quantize_v2</c> each).</summary>
    Mxfp8,
    /// <summary>FP8 block scaling (<c>Float8BlockScaling</c>, 1×128 activations and 128×128 weights, DeepSeek-V3's
    /// granularity): one quantize kernel per expert.</summary>
    Blockwise,
}

/// <summary>Names and launch counts of <see cref="Fp8ScalingRecipe"/>.</summary>
public static class Fp8ScalingRecipes
{
    /// <summary>The names <see cref="Parse"/> takes, as the option and the validation column spell them.</summary>
    public static IReadOnlyList<string> Names => names;

    static readonly string[] names = ["delayed", "current", "mxfp8", "blockwise"];

    /// <summary>Quantize kernels per local expert and quantized tensor (the input forward, the output gradient backward)
    /// of Transformer Engine 2.9's grouped linear: 0 delayed (one fused launch for all experts), 3 current, 1 MXFP8 and block scaling.</summary>
    public static int LaunchesPerExpert(this Fp8ScalingRecipe recipe) => recipe switch
    {
        Fp8ScalingRecipe.Current => 3,
        Fp8ScalingRecipe.Mxfp8 or Fp8ScalingRecipe.Blockwise => 1,
        _ => 0,
    };

    public static string Name(this Fp8ScalingRecipe recipe) => names[(int)recipe];

    /// <summary>A recipe by name, or null when <paramref name="text"/> names none.</summary>
    public static Fp8ScalingRecipe? Parse(string text) =>
        Array.IndexOf(names, text.Trim().ToLowerInvariant()) is var i and >= 0 ? (Fp8ScalingRecipe)i : null;
}
