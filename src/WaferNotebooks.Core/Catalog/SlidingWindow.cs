namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// Banded (sliding-window) causal attention in <see cref="WindowedLayers"/> of the model's layers:
/// each query sees itself and the <see cref="Window"/> − 1 keys before it (Mistral 7B, arXiv
/// 2310.06825 §2, all layers, window 4,096; GPT-OSS, arXiv 2508.10925, every other layer,
/// window 128; Gemma 2/3 local layers). The others attend to the whole causal prefix. Costs are
/// averaged over the layers: an alternating pattern puts the same share on every pipeline stage.
/// </summary>
public sealed record SlidingWindow(int Window, int WindowedLayers)
{
    /// <summary>
    /// Keys a windowed layer's query meets on average over a sequence of s tokens:
    /// (1/s)·Σᵢ min(i, w) = w − w(w−1)/(2s) for w ≤ s, the full causal (s+1)/2 beyond.
    /// </summary>
    public static double MeanKeys(double window, double seqLen) =>
        window >= seqLen ? (seqLen + 1) / 2 : window - window * (window - 1) / (2 * seqLen);

    /// <summary>
    /// The causal length with the same mean keys per query, min(s, 2·w − w(w−1)/s): what a
    /// windowed layer's kernel costs as, in the convention the causal kernel figures use (s keys
    /// per query counted, half of them computed). Equal to s when the window covers the sequence.
    /// </summary>
    public static double EquivalentCausalKeys(double window, double seqLen) =>
        window >= seqLen ? seqLen : Math.Min(seqLen, 2 * MeanKeys(window, seqLen));
}
