using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Wafer;

/// <summary>
/// One unit that streams through the wafer as a whole: the input embedding, a transformer
/// layer, or the LM head. <see cref="ForwardFlopsPerToken"/> is the forward pass only;
/// <see cref="Recomputed"/> blocks repeat it under full recompute (the layers, not the head).
/// </summary>
public sealed record StreamedBlock(string Name, double Params, double ForwardFlopsPerToken, bool Recomputed);

/// <summary>
/// A model as the wafer sees it under weight streaming: blocks in forward order, each with the
/// weights that must stream in and the FLOPs they feed. Counts come from
/// <see cref="TransformerArithmetic"/>; MoE layers stream every expert but compute only the
/// active ones.
/// </summary>
public sealed record StreamedModel(IReadOnlyList<StreamedBlock> Blocks, double SeqLen)
{
    public double Params { get; } = Blocks.Sum(b => b.Params);

    public double ForwardFlopsPerToken { get; } = Blocks.Sum(b => b.ForwardFlopsPerToken);

    /// <summary>The block whose weights are needed first and whose gradients come back last.</summary>
    public StreamedBlock First => Blocks[0];

    /// <summary>Built once per model and sequence length: every estimate of a plan or sweep streams the same blocks.</summary>
    static readonly ConditionalWeakTable<ModelSpec, ConcurrentDictionary<int, StreamedModel>> Built = new();

    /// <summary><see cref="From"/>, kept per model and sequence length.</summary>
    public static StreamedModel Of(ModelSpec m, int seqLen) =>
        Built.GetValue(m, _ => new()).GetOrAdd(seqLen, s => From(m, s));

    public static StreamedModel From(ModelSpec m, int seqLen)
    {
        var p = ParameterCounts.Of(m);
        double attentionFlops = TransformerArithmetic.AttentionForwardFlopsPerToken(m, seqLen) / Math.Max(1, m.Layers);
        var blocks = new List<StreamedBlock>();
        if (p.Output > 0)
            blocks.Add(new StreamedBlock("embedding", p.Embedding, 0, false));
        for (int layer = 0; layer < p.Layers; layer++)
        {
            bool dense = layer < p.DenseLayers;
            double stored = dense ? p.DenseMlpPerLayer : p.MoeMlpPerLayer;
            double active = dense ? p.DenseMlpPerLayer : p.MoeActiveMlpPerLayer;
            blocks.Add(new StreamedBlock($"layer {layer + 1}", p.AttentionPerLayer + p.NormsPerLayer + stored,
                2 * (p.AttentionPerLayer + active) + attentionFlops, true));
        }
        // A tied head is the embedding table itself: it streams once, here, for the logits.
        blocks.Add(new StreamedBlock("lm_head", (p.Output > 0 ? p.Output : p.Embedding) + p.FinalNorm, 2 * p.LogitMatmul, false));
        return new StreamedModel(blocks, seqLen);
    }
}
