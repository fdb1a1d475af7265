using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Wafer;

/// <summary>
/// Activation sizes on the wafer, bytes per token. The per-layer figure is Korthikanti et al.
/// 2022, table 2, without parallelism (34·s·b·h) and without the 5·a·s/h attention-score term:
/// the wafer computes attention without writing the s×s scores out (assumed, like flash
/// attention on GPUs). A checkpoint is the 16-bit layer input (2·h). Logits are kept in fp32
/// for the softmax and loss.
/// </summary>
public sealed record WaferActivations(double LayerBytesPerToken, double CheckpointBytesPerToken, double LogitBytesPerToken, int Layers)
{
    public static WaferActivations For(ModelSpec m) =>
        new(34.0 * m.Hidden, 2.0 * m.Hidden, 4.0 * m.Vocab, m.Layers);

    /// <summary>Every layer's activations, kept for the backward pass without recompute.</summary>
    public double StoredAllLayers(double tokens) => Layers * LayerBytesPerToken * tokens;

    /// <summary>Layer inputs kept for a full-recompute backward pass.</summary>
    public double Checkpoints(double tokens) => Layers * CheckpointBytesPerToken * tokens;

    /// <summary>Bytes per token a layer sends off the wafer when its activations are offloaded: the checkpoint under full recompute, all of them without.</summary>
    public double OffloadedPerLayer(Recompute recompute) => recompute == Recompute.Full ? CheckpointBytesPerToken : LayerBytesPerToken;

    /// <summary>The larger of one layer's full activations (live while it runs) and the logits (live at the head).</summary>
    public double WorkingSet(double tokens) => Math.Max(LayerBytesPerToken, LogitBytesPerToken) * tokens;
}
