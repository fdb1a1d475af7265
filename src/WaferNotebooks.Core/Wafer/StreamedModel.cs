using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Wafer;

/// <summary>
/// One unit that streams through the wafer as a whole: the input embedding, a transformer
/// layer, or the LM head. <see cref="ForwardFlopsPerToken"/> is the forward pass only.
/// </summary>
public sealed record StreamedBlock(string Name, double Params, double ForwardFlopsPerToken);

/// <summary>
/// A model as the wafer sees it under weight streaming: blocks in forward order, each with the
/// weights that must stream in and the FLOPs they feed. Parameters are counted from the weight
/// shapes; MoE layers stream every expert but compute only the active ones.
/// </summary>
public sealed record StreamedModel(IReadOnlyList<StreamedBlock> Blocks, double SeqLen)
{
    public double Params => Blocks.Sum(b => b.Params);

    /// <summary>Forward FLOPs per token: 2 per active weight plus attention (PaLM appendix B).</summary>
    public double ForwardFlopsPerToken => Blocks.Sum(b => b.ForwardFlopsPerToken);

    /// <summary>Model FLOPs per token for training (forward + backward = 3 × forward), recompute excluded.</summary>
    public double TrainingFlopsPerToken => 3 * ForwardFlopsPerToken;

    /// <summary>The block whose gradients come back last and whose weights are needed first: the first block.</summary>
    public StreamedBlock First => Blocks[0];

    public static StreamedModel From(ModelSpec m, int seqLen)
    {
        double h = m.Hidden;
        double qDim = (double)m.Heads * m.HeadDim;
        double kvDim = (double)m.KvHeads * m.HeadDim;
        double attention = h * qDim + 2 * h * kvDim + qDim * h;
        double norms = 2 * h;
        // Scores and weighted values: 2·s·qDim multiply-adds each per token, forward (PaLM appendix B, 12·L·h·s over fwd+bwd).
        double attentionFlops = 4.0 * seqLen * qDim;
        double embedding = (double)m.Vocab * h;

        var blocks = new List<StreamedBlock>();
        if (!m.TiedEmbeddings)
            blocks.Add(new StreamedBlock("embedding", embedding, 0));
        for (int layer = 0; layer < m.Layers; layer++)
        {
            var (stored, active) = Mlp(m, layer);
            blocks.Add(new StreamedBlock($"layer {layer + 1}", attention + stored + norms, 2 * (attention + active) + attentionFlops));
        }
        // A tied head is the embedding table itself: it streams once, here, for the logits.
        blocks.Add(new StreamedBlock("lm_head", embedding + h, 2 * embedding));
        return new StreamedModel(blocks, seqLen);
    }

    /// <summary>MLP weights stored and active per token for one layer.</summary>
    static (double Stored, double Active) Mlp(ModelSpec m, int layer)
    {
        double h = m.Hidden;
        double perHidden = m.Ffn == FfnKind.SwiGlu ? 3 : 2;
        if (m.Moe is not { } moe)
            return (perHidden * h * m.FfnHidden, perHidden * h * m.FfnHidden);
        if (layer < moe.DenseLayers)
        {
            double dense = perHidden * h * (moe.DenseFfnHidden > 0 ? moe.DenseFfnHidden : m.FfnHidden);
            return (dense, dense);
        }
        double expert = perHidden * h * moe.ExpertFfnHidden;
        double router = h * moe.Experts;
        return ((moe.Experts + moe.Shared) * expert + router, (moe.Active + moe.Shared) * expert + router);
    }
}
