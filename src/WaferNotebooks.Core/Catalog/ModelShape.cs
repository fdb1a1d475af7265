namespace WaferNotebooks.Core.Catalog;

/// <summary>The consistency rules a <see cref="ModelSpec"/>'s shapes must obey, shared by JSON, inline and C# entries.</summary>
public static class ModelShape
{
    // Upper bounds far beyond any published model (the largest have ~130 layers, hidden ~25K,
    // vocab ~260K, contexts of ~1M tokens, 256 experts). They keep every product of shapes
    // finite and exact in 64-bit and double arithmetic, so an absurd entry is refused with a
    // message instead of wrapping to a plausible, wrong answer.
    public const int MaxLayers = 10_000;
    public const int MaxWidth = 1 << 20;
    public const int MaxFfn = 1 << 24;
    public const int MaxHeads = 1 << 16;
    public const int MaxVocab = 1 << 24;
    public const int MaxSeqLen = 1 << 24;
    public const int MaxExperts = 1 << 16;

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
        if (TooLarge(m) is { } tooLarge) return tooLarge;
        if (m.Moe is { } moe)
        {
            if (moe.Experts < 1) return $"experts must be at least 1 (got {moe.Experts})";
            if (moe.Active < 1 || moe.Active > moe.Experts) return $"active experts ({moe.Active}) must be between 1 and experts ({moe.Experts})";
            if (moe.Shared < 0) return $"shared experts must not be negative (got {moe.Shared})";
            if (moe.ExpertFfnHidden < 1) return $"expert ffn hidden size must be at least 1 (got {moe.ExpertFfnHidden})";
            if (moe.DenseLayers < 0 || moe.DenseLayers >= m.Layers) return $"dense layers ({moe.DenseLayers}) must be between 0 and layers - 1 ({m.Layers - 1})";
            if (moe.DenseLayers > 0 && moe.DenseFfnHidden < 1) return "dense layers need a dense ffn hidden size";
        }
        if (m.Mla is { } mla)
        {
            if (mla.QLoraRank < 0 || mla.QLoraRank > MaxWidth) return $"q_lora_rank must be between 0 (no query compression) and {MaxWidth:N0} (got {mla.QLoraRank})";
            if (mla.KvLoraRank < 1 || mla.KvLoraRank > MaxWidth) return $"kv_lora_rank must be between 1 and {MaxWidth:N0} (got {mla.KvLoraRank})";
            if (mla.RopeHeadDim < 0 || mla.RopeHeadDim > MaxWidth) return $"qk_rope_head_dim must be between 0 and {MaxWidth:N0} (got {mla.RopeHeadDim})";
            if (mla.VHeadDim < 1 || mla.VHeadDim > MaxWidth) return $"v_head_dim must be between 1 and {MaxWidth:N0} (got {mla.VHeadDim})";
        }
        if (m.MtpLayers < 0 || m.MtpLayers > MaxLayers) return $"mtp_layers must be between 0 (no multi-token prediction) and {MaxLayers:N0} (got {m.MtpLayers})";
        if (m.Window is { } w)
        {
            if (w.Window < 1) return $"sliding_window must be at least 1 token (got {w.Window})";
            if (w.WindowedLayers < 1 || w.WindowedLayers > m.Layers) return $"windowed_layers ({w.WindowedLayers}) must be between 1 and layers ({m.Layers})";
        }
        return null;
    }

    private static string? TooLarge(ModelSpec m)
    {
        (string Name, long Value, long Max)[] sizes =
        [
            ("layers", m.Layers, MaxLayers), ("hidden", m.Hidden, MaxWidth), ("ffn hidden size", m.FfnHidden, MaxFfn),
            ("heads", m.Heads, MaxHeads), ("head dimension", m.HeadDim, MaxWidth), ("vocab", m.Vocab, MaxVocab),
            ("sequence length", m.SeqLen, MaxSeqLen), ("experts", m.Moe?.Experts ?? 1, MaxExperts),
            ("expert ffn hidden size", m.Moe?.ExpertFfnHidden ?? 1, MaxFfn),
        ];
        return sizes.Where(s => s.Value > s.Max).Select(s => $"{s.Name} {s.Value:N0} is more than the simulator takes (at most {s.Max:N0})").FirstOrDefault();
    }
}
