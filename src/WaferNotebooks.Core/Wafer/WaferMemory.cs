using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Wafer;

/// <summary>
/// What one wafer's SRAM holds in each execution mode, and how much of it must leave the wafer.
/// Weight streaming keeps only stream buffers and activations. What does not fit leaves the wafer
/// over the system I/O: with full recompute, the layer checkpoints (Cerebras R2.0, "dynamic memory
/// offload"); without recompute, the layers' full activations, to the activation servers (the
/// alternative to recompute). Layer-pipelined keeps weights, gradients and Adam state too.
/// </summary>
public static class WaferMemory
{
    const double Gb = 1e9;

    /// <summary>SRAM use of weight streaming for one pass of <paramref name="tokens"/> tokens, and the fraction of checkpoints offloaded (0 when none are).</summary>
    public static (MemoryBreakdown Memory, double OffloadFraction) Streaming(WaferCluster c, WaferActivations act, double tokens, Recompute recompute)
    {
        double capacity = c.UsableSramGb * Gb;
        double buffers = c.StreamBufferGb.Value * Gb;
        double working = act.WorkingSet(tokens);
        if (recompute == Recompute.None)
        {
            double logits = act.LogitBytesPerToken * tokens, stored = act.StoredAllLayers(tokens);
            if (buffers + stored + logits <= capacity)
                return (Breakdown(c, ("stream_buffers", buffers, "weight and gradient stream staging"),
                    ("activations", stored, "every layer's activations, kept for the backward pass"),
                    ("working_set", logits, "fp32 logits, live at the head on top of the stored activations")), 0);
            // Activation offload instead of recompute: keep what fits beside the layer in flight, send the rest to the activation servers.
            double inFlight = act.LayerBytesPerToken * tokens;
            double kept = Math.Clamp(capacity - buffers - logits - inFlight, 0, stored);
            double offloaded = (stored - kept) / stored;
            return (Breakdown(c, ("stream_buffers", buffers, "weight and gradient stream staging"),
                ("activations", kept, $"layer activations kept on the wafer ({offloaded:P0} offloaded to the activation servers)"),
                ("working_set", logits + inFlight, "the layer whose activations are streaming off or back, and the fp32 logits")), offloaded);
        }

        double checkpoints = act.Checkpoints(tokens);
        double room = Math.Max(0, capacity - buffers - working);
        double onWafer = Math.Min(checkpoints, room);
        double offload = checkpoints > 0 ? (checkpoints - onWafer) / checkpoints : 0;
        return (Breakdown(c, ("stream_buffers", buffers, "weight and gradient stream staging"),
            ("activations", onWafer, offload > 0 ? $"layer checkpoints kept on the wafer ({offload:P0} offloaded to MemoryX)" : "layer checkpoints for the recompute"),
            ("working_set", working, "one layer's activations during its recompute and backward, or the fp32 logits")), offload);
    }

    /// <summary>SRAM use of layer-pipelined execution: the whole model and its optimizer state stay on the wafer.</summary>
    public static MemoryBreakdown Pipelined(WaferCluster c, WaferActivations act, double parameters, double seqLen, Recompute recompute)
    {
        // 1F1B over L one-layer stages with one sequence per micro-batch: stage i holds L−i sequences in flight, L(L+1)/2 layer-sequences in all.
        double inFlight = act.Layers * (act.Layers + 1) / 2.0 / act.Layers;
        double activations = recompute == Recompute.None
            ? inFlight * act.StoredAllLayers(seqLen) + act.LogitBytesPerToken * seqLen
            : inFlight * act.Checkpoints(seqLen) + act.WorkingSet(seqLen);
        // Mixed-precision Adam: 16 bytes per parameter (Rajbhandari et al. 2020, ZeRO).
        return Breakdown(c,
            ("weights", 2 * parameters, "16-bit weights"),
            ("gradients", 2 * parameters, "16-bit gradients"),
            ("optimizer", 12 * parameters, "fp32 master weights, Adam momentum and variance"),
            ("activations", activations, "activations of the sequences in flight in the layer pipeline"));
    }

    static MemoryBreakdown Breakdown(WaferCluster c, params (string Name, double Bytes, string Description)[] parts) =>
        new(parts.Select(p => new MemoryPart(p.Name, p.Bytes / Gb, p.Description)).ToList(), c.UsableSramGb, "SRAM (usable)");
}
