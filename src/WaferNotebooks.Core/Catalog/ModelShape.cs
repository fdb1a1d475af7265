namespace WaferNotebooks.Core.Catalog;

/// <summary>The consistency rules a <see cref="ModelSpec"/>'s shapes must obey, shared by JSON, inline and C# entries.</summary>
public static class ModelShape
{
    /// <summary>What is wrong with the shapes, or null if they are consistent.</summary>
    /// <param name="requireDivisibleHeads">True when the head dimension is implied as hidden/heads.</param>
    public static string? Problem(ModelSpec m, bool requireDivisibleHeads = false)
    {
        if (m.Layers < 1) return $"layers must be at least 1 (got {m.Layers})";
        if (m.Hidden < 1) return $"hidden must be at least 1 (got {m.Hidden})";
        if (m.FfnHidden < 1) return $"ffn hidden size must be at least 1 (got {m.FfnHidden})";
        if (m.Heads < 1) return $"heads must be at least 1 (got {m.Heads})";
        if (requireDivisibleHeads && m.Hidden % m.Heads != 0)
            return $"hidden ({m.Hidden}) must be divisible by heads ({m.Heads}), or give the head dimension explicitly";
        if (m.HeadDim < 1) return $"head dimension must be at least 1 (got {m.HeadDim})";
        if (m.KvHeads < 1 || m.KvHeads > m.Heads || m.Heads % m.KvHeads != 0)
            return $"kv heads ({m.KvHeads}) must divide heads ({m.Heads}) (1 = multi-query, heads = multi-head)";
        if (m.Vocab < 1) return $"vocab must be at least 1 (got {m.Vocab})";
        if (m.SeqLen < 1) return $"sequence length must be at least 1 (got {m.SeqLen})";
        if (m.Moe is { } moe)
        {
            if (moe.Experts < 1) return $"experts must be at least 1 (got {moe.Experts})";
            if (moe.Active < 1 || moe.Active > moe.Experts) return $"active experts ({moe.Active}) must be between 1 and experts ({moe.Experts})";
            if (moe.Shared < 0) return $"shared experts must not be negative (got {moe.Shared})";
            if (moe.ExpertFfnHidden < 1) return $"expert ffn hidden size must be at least 1 (got {moe.ExpertFfnHidden})";
            if (moe.DenseLayers < 0 || moe.DenseLayers >= m.Layers) return $"dense layers ({moe.DenseLayers}) must be between 0 and layers - 1 ({m.Layers - 1})";
            if (moe.DenseLayers > 0 && moe.DenseFfnHidden < 1) return "dense layers need a dense ffn hidden size";
        }
        return null;
    }
}
