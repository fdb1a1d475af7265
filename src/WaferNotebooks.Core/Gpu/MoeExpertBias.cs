namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// The output bias of routed experts (GPT-OSS: Megatron-Bridge's <c>GPTOSSProvider</c> sets <c>add_bias_linear</c>), which
/// Megatron-Core adds outside the grouped GEMM (<c>TEGroupedMLP._apply_bias</c>, <c>megatron/core/transformer/moe/experts.py</c>
/// at tag <c>core_v0.15.0</c>): for each local expert <c>t + b·p</c> on its rows (the bias scaled by the token's router
/// probability), then one <c>torch.cat</c> of the experts' results (docs/gpu-model.md §4.6). Per routed copy of width h, in
/// 16-bit activations and router probabilities (<c>moe_router_dtype</c> unset):
/// <list type="bullet">
/// <item>forward: <c>b·p</c> writes an h-wide row (2h), the add reads it and the expert's output and writes the sum (6h),
/// the concatenation copies the sum (4h): 12h bytes;</item>
/// <item>backward: the gradient passes through the add and the concatenation's slices as views; the product's backward
/// forms grad·p for the bias gradient and grad·b for the probability's, each an h-wide write and read before its sum
/// (2h read, 2h write, 2h read each): 12h bytes.</item>
/// </list>
/// The same bytes each way, as the permutation copies (<see cref="MoePermutation"/>) beside which they are costed. Their
/// launches (two per expert forward, four backward) are not counted.
/// </summary>
public static class MoeExpertBias
{
    /// <summary>HBM bytes per token of one MoE layer's expert-bias adds, forward (and, equally, backward): 12·h per routed copy.</summary>
    public static double BytesPerToken(double hidden, int active) => 12 * hidden * active;
}
