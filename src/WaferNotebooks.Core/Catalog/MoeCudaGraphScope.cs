namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// The parts of a transformer layer that Megatron-Core captures in Transformer Engine CUDA graphs
/// (<c>cuda_graph_impl = "transformer_engine"</c>, <c>cuda_graph_scope</c>), as far as they change an MoE
/// layer's host time before the dispatcher's sync (docs/gpu-model.md §4.6). A replayed graph costs the host
/// one operation however many kernels it holds. Megatron-Core's names (<c>CudaGraphScope</c>, Megatron-LM
/// commit 92c8482e, the one Megatron-Bridge 25.11 pins): <c>attn</c>, <c>moe_router</c>, <c>moe_preprocess</c>
/// (only with <c>moe_router</c>). The whole-layer scopes (<c>moe</c>, <c>mlp</c>) need static shapes, which
/// dropless routing does not have.
/// </summary>
[Flags]
public enum MoeCudaGraphScope
{
    None = 0,
    /// <summary>The attention half of the layer: its launches are one replay.</summary>
    Attention = 1,
    /// <summary>The router (gating GEMM, top-k, auxiliary loss): its kernels are one replay.</summary>
    Router = 2,
    /// <summary>The dispatcher's preprocess with the router (token counts and splits): one replay for both; the
    /// device-to-host copies move after the graph (<c>cuda_dtoh_point = "before_ep_alltoall"</c>) and stay launches.</summary>
    Preprocess = 4,
}

/// <summary>Names of <see cref="MoeCudaGraphScope"/> as Megatron-Core spells them, '+'-separated.</summary>
public static class MoeCudaGraphScopes
{
    static readonly (string Name, MoeCudaGraphScope Scope)[] names =
        [("attn", MoeCudaGraphScope.Attention), ("moe_router", MoeCudaGraphScope.Router), ("moe_preprocess", MoeCudaGraphScope.Preprocess)];

    /// <summary>The names a scope list may hold.</summary>
    public static IEnumerable<string> Names => names.Select(n => n.Name);

    /// <summary>none, or attn, moe_router and moe_preprocess joined by '+'; the message of a
    /// <see cref="FormatException"/> says what was wrong and what would be right.</summary>
    public static MoeCudaGraphScope Parse(string text)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t is "" or "none" or "off") return MoeCudaGraphScope.None;
        var scope = MoeCudaGraphScope.None;
        foreach (var part in t.Split('+', StringSplitOptions.TrimEntries))
        {
            var match = names.FirstOrDefault(n => n.Name == part);
            if (match.Name is null)
                throw new FormatException($"'{part}' is not a CUDA graph scope; expected none or {string.Join(", ", Names)} joined by '+' (attn+moe_router+moe_preprocess)");
            scope |= match.Scope;
        }
        if (scope.HasFlag(MoeCudaGraphScope.Preprocess) && !scope.HasFlag(MoeCudaGraphScope.Router))
            throw new FormatException("moe_preprocess is captured only with moe_router (Megatron-Core asserts it): give moe_router+moe_preprocess");
        return scope;
    }

    public static string Name(this MoeCudaGraphScope scope) => scope == MoeCudaGraphScope.None
        ? "none"
        : string.Join("+", names.Where(n => scope.HasFlag(n.Scope)).Select(n => n.Name));
}
