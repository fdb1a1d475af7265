namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// The memory-bound copies that put a rank's tokens in expert order and back (docs/gpu-model.md
/// §4.6), as Megatron-Core's all-to-all token dispatcher runs them (<c>token_dispatcher.py</c>,
/// <c>moe_utils.py</c>; fused or not, each copy reads and writes HBM once), in 16-bit activations
/// (2 bytes) per token of width h with k active experts:
/// <list type="bullet">
/// <item>permute (before the dispatch): read the token, write its k copies: 2·(h + k·h);</item>
/// <item>with more than one expert per rank and EP &gt; 1, the received copies are sorted by local
/// expert after the dispatch and back before the combine (<c>sort_chunks_by_idxs</c>): 2·2·k·h each;</item>
/// <item>unpermute (after the combine): read the k copies and their router weights (fp32),
/// write the weighted sum: 2·(k·h + h) + 4·k.</item>
/// </list>
/// The backward runs the same copies on the gradients (a gather's gradient is a scatter of the
/// same size), so it moves the same bytes, not twice them.
/// </summary>
public static class MoePermutation
{
    /// <summary>HBM bytes per token of one MoE layer's permutations, forward (and, equally, backward).</summary>
    public static double BytesPerToken(double hidden, int active, int localExperts, int ep)
    {
        double copies = active * hidden;
        double permute = 2 * (hidden + copies), unpermute = 2 * (copies + hidden) + 4.0 * active;
        double sort = ep > 1 && localExperts > 1 ? 2 * (2 * 2 * copies) : 0;
        return permute + sort + unpermute;
    }
}
