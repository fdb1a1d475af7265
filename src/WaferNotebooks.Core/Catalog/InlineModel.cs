using System.Globalization;

namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// A model described on the command line instead of by catalog id:
/// <c>layers=48,hidden=6144,heads=64,vocab=51200</c>, optionally with <c>ffn=</c>, <c>kv_heads=</c>,
/// <c>head_dim=</c>, <c>seq=</c>, <c>act=gelu|swiglu</c>, <c>experts=</c> and <c>active=</c>;
/// multi-head latent attention with <c>kv_lora_rank=</c> and <c>qk_rope_head_dim=</c> (optional
/// <c>q_lora_rank=</c>, <c>v_head_dim=</c>; head_dim is then the non-rotary query/key width), and
/// sliding-window layers with <c>sliding_window=</c> (optional <c>windowed_layers=</c>, default all), and
/// multi-token prediction modules with <c>mtp_layers=</c> (DeepSeek-V3: 1).
/// </summary>
public static class InlineModel
{
    private static readonly string[] Required = ["layers", "hidden", "heads", "vocab"];
    private static readonly string[] Optional = ["ffn", "kv_heads", "head_dim", "seq", "act", "experts", "active",
        "q_lora_rank", "kv_lora_rank", "qk_rope_head_dim", "v_head_dim", "sliding_window", "windowed_layers", "mtp_layers"];

    /// <summary>GPT-3's training context (Brown et al. 2020, Sec 2.1), the default when seq= is absent.</summary>
    public const int DefaultSeqLen = 2048;

    /// <summary>True when the text is an inline architecture rather than an id.</summary>
    public static bool Looks(string text) => text.Contains('=');

    /// <summary>Parses an inline architecture; every problem is a <see cref="WaferInputException"/> naming the key.</summary>
    public static ModelSpec Parse(string text)
    {
        var spec = text.Trim().ToLowerInvariant();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq].Trim().Replace('-', '_');
            if (eq < 0) throw Fail(text, $"'{part}' is not key=value.");
            if (!Required.Contains(key) && !Optional.Contains(key))
            {
                var close = CloseMatches.Find(key, Required.Concat(Optional), 2);
                var hint = close.Count > 0 ? $" (did you mean {string.Join(" or ", close)}?)" : "";
                throw Fail(text, $"unknown key '{key}'{hint}.");
            }
            if (!values.TryAdd(key, part[(eq + 1)..].Trim())) throw Fail(text, $"key '{key}' is given twice.");
        }
        var missing = Required.Where(k => !values.ContainsKey(k)).ToList();
        if (missing.Count > 0) throw Fail(text, $"missing {string.Join(", ", missing)}.");

        var layers = Int(values, "layers", text)!.Value;
        var hidden = Int(values, "hidden", text)!.Value;
        var heads = Int(values, "heads", text)!.Value;
        var vocab = Int(values, "vocab", text)!.Value;
        var act = values.GetValueOrDefault("act", "gelu") switch
        {
            "gelu" => FfnKind.Gelu,
            "swiglu" => FfnKind.SwiGlu,
            var other => throw Fail(text, $"act={other} is not allowed (allowed: gelu, swiglu)."),
        };
        if (hidden > ModelShape.MaxWidth)
            throw Fail(text, $"hidden {hidden:N0} is more than the simulator takes (at most {ModelShape.MaxWidth:N0}).");
        var ffn = Int(values, "ffn", text) ?? DefaultFfn(hidden, act);
        var kvHeads = Int(values, "kv_heads", text) ?? heads;
        var headDim = Int(values, "head_dim", text);
        if (headDim is null && hidden % heads != 0)
            throw Fail(text, $"hidden ({hidden}) is not divisible by heads ({heads}); give head_dim= explicitly.");
        var seq = Int(values, "seq", text) ?? DefaultSeqLen;
        var experts = Int(values, "experts", text);
        var active = Int(values, "active", text);
        if ((experts is null) != (active is null)) throw Fail(text, "experts= and active= go together (e.g. experts=8,active=2).");
        var moe = experts is { } e ? new MoeSpec(e, active!.Value, 0, ffn) : null;

        var kvRank = Int(values, "kv_lora_rank", text);
        var rope = Int(values, "qk_rope_head_dim", text);
        var qRank = Int(values, "q_lora_rank", text);
        var vDim = Int(values, "v_head_dim", text);
        if ((kvRank is null) != (rope is null))
            throw Fail(text, "kv_lora_rank= and qk_rope_head_dim= go together for multi-head latent attention (e.g. DeepSeek-V3: kv_lora_rank=512,qk_rope_head_dim=64).");
        if (kvRank is null && (qRank is not null || vDim is not null))
            throw Fail(text, "q_lora_rank= and v_head_dim= describe multi-head latent attention; give kv_lora_rank= and qk_rope_head_dim= too.");
        var window = Int(values, "sliding_window", text);
        var windowed = Int(values, "windowed_layers", text);
        if (window is null && windowed is not null) throw Fail(text, "windowed_layers= needs sliding_window= (the window in tokens).");
        var model = new ModelSpec(spec, $"Custom ({layers} layers, hidden {hidden})", layers, hidden, ffn, act, heads, kvHeads,
            headDim ?? hidden / heads, vocab, seq, moe, Source: "inline architecture given by the user",
            Mla: kvRank is { } r ? new LatentAttention(qRank ?? 0, r, rope!.Value, vDim ?? headDim ?? hidden / heads) : null,
            Window: window is { } w ? new SlidingWindow(w, windowed ?? layers) : null,
            MtpLayers: Int(values, "mtp_layers", text) ?? 0);
        return ModelShape.Problem(model) is { } problem ? throw Fail(text, problem + ".") : model;
    }

    /// <summary>
    /// FFN width when ffn= is absent: 4·hidden for GELU (GPT-3, Brown et al. 2020); for SwiGLU
    /// 8·hidden/3 rounded up to a multiple of 256, LLaMA's rule (Touvron et al. 2023, model.py multiple_of=256).
    /// </summary>
    public static int DefaultFfn(int hidden, FfnKind act) =>
        act == FfnKind.Gelu ? 4 * hidden : (int)((8L * hidden / 3 + 255) / 256 * 256);

    private static int? Int(Dictionary<string, string> values, string key, string text)
    {
        if (!values.TryGetValue(key, out var raw)) return null;
        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw Fail(text, $"{key}={raw} is not a positive whole number.");
    }

    private static WaferInputException Fail(string text, string problem) =>
        new($"Inline model '{text}': {problem} Allowed keys: {string.Join(", ", Required)} (required); {string.Join(", ", Optional)}.");
}
