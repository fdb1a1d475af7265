using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Wafer;

/// <summary>
/// Weight-streaming execution (Cerebras docs, execution modes): activations stay on the wafer;
/// each block's weights stream MemoryX → SwarmX → wafer in the forward pass and again in the
/// backward pass, while its gradients stream out (the other direction of the full-duplex I/O)
/// and are summed in the SwarmX tree. Per block and direction the wafer waits for the slower
/// of compute and stream; the systems run pure data parallelism on their share of the batch.
/// </summary>
public static class WeightStreaming
{
    /// <summary>Weights stream in 16-bit (mixed precision; the wafer has no FP8 path).</summary>
    public const double BytesPerWeight = 2;

    /// <summary>
    /// Tokens per system per wafer pass above which the forward pass hides weight delivery:
    /// a block of P weights takes 2·P·T/F_eff to compute and P·b_w/BW to arrive, equal at
    /// T* = F_eff·b_w/(2·BW). The backward pass (4·P·T FLOPs) is compute-bound from T*/2.
    /// </summary>
    public static double ThresholdTokens(WaferCluster c) =>
        c.EffectiveFlops * BytesPerWeight / (2 * SwarmXTree.For(c, 1).StreamGBps * 1e9);

    public static WaferStep Step(WaferCluster c, ModelSpec spec, StreamedModel model, WaferActivations act, int systems, int sequencesPerSystem, int microBatch, Recompute recompute)
    {
        var tree = SwarmXTree.For(c, systems);
        int passes = (sequencesPerSystem + microBatch - 1) / microBatch;
        double tokensPerPass = (double)sequencesPerSystem * model.SeqLen / passes;
        var (memory, offload) = WaferMemory.Streaming(c, act, (double)Math.Min(microBatch, sequencesPerSystem) * model.SeqLen, recompute);

        double f = c.EffectiveFlops;
        double bytesPerGradient = c.BytesPerGradient.Value;
        double compute = 0, streamed = 0, reduced = 0, backward = 0;
        foreach (var block in model.Blocks)
        {
            double cf = block.ForwardFlopsPerToken * tokensPerPass / f;
            double cb = (recompute == Recompute.Full && block.Recomputed ? 3 : 2) * cf;
            double w = tree.StreamS(block.Params * BytesPerWeight);
            double g = tree.StreamS(block.Params * bytesPerGradient);
            // Offloaded layer activations (checkpoints under full recompute) leave in the forward pass and come back in the backward pass.
            double o = block.Recomputed ? tree.StreamS(offload * act.OffloadedPerLayer(recompute) * tokensPerPass) : 0;

            double forward = Math.Max(cf, Math.Max(w, o));
            double back = Math.Max(cb, Math.Max(w + o, g));
            compute += cf + cb;
            streamed += forward - cf + Math.Max(0, w + o - cb);
            reduced += back - Math.Max(cb, w + o);
            backward += back;
        }

        // The first block's weights must arrive before the first forward; its gradients, reduced last, must reach MemoryX.
        double fill = tree.LatencyS + tree.StreamS(model.First.Params * BytesPerWeight);
        double tail = tree.LatencyS;
        double update = MemoryXStore.ExposedUpdateS(c, model.Params, model.First.Params, backward);
        var parts = new List<StepPart>
        {
            new("compute", passes * compute, $"forward and backward{(recompute == Recompute.Full ? " with full recompute" : "")}: {passes} pass(es) of {tokensPerPass:N0} tokens at {f / 1e15:G3} PFLOP/s effective"),
            new("weight_streaming", passes * streamed + fill, $"exposed I/O into the wafer (weights{(offload > 0 ? (recompute == Recompute.Full ? ", offloaded checkpoints" : ", offloaded activations") : "")}) at {tree.StreamGBps:G4} GB/s, plus the first block's delivery"),
            new("gradient_reduction", passes * reduced + tail, $"exposed gradient stream out and SwarmX reduction, tree depth {tree.Depth} (fan-out {c.SwarmXFanOut.Value:G2}, {systems} systems)"),
            new("memoryx_update", update, $"Adam step in MemoryX at the iteration boundary ({MemoryXStore.UpdateS(c, model.Params):G3} s in all, hidden behind the last backward pass except the first block's update)"),
            new("other", c.StepOverheadMs.Value / 1e3, "per-step runtime synchronisation and input hand-off"),
        };

        double hardwareFlops = sequencesPerSystem * model.SeqLen * TransformerArithmetic.HardwareFlopsPerToken(spec, ParameterCounts.Of(spec), (int)model.SeqLen, recompute);
        return new WaferStep(ExecutionMode.WeightStreaming, new StepBreakdown(parts), memory, passes, tokensPerPass, hardwareFlops, offload,
            SramProblem(c, act, memory, recompute, model.SeqLen));
    }

    /// <summary>Largest micro-batch (sequences per pass) whose activations fit, for a recompute choice; 0 when not even one fits.</summary>
    public static int MaxMicroBatch(WaferCluster c, WaferActivations act, double seqLen, Recompute recompute, bool allowOffload)
    {
        double room = c.UsableSramGb * 1e9 - c.StreamBufferGb.Value * 1e9;
        // With offload, only what must be on the wafer at once: the logits and the layer in flight (no recompute), or the working set (full recompute).
        double perSequence = recompute == Recompute.None
            ? act.LogitBytesPerToken * seqLen + (allowOffload ? act.LayerBytesPerToken * seqLen : act.StoredAllLayers(seqLen))
            : act.WorkingSet(seqLen) + (allowOffload ? 0 : act.Checkpoints(seqLen));
        return room <= 0 ? 0 : (int)Math.Floor(room / perSequence);
    }

    static string? SramProblem(WaferCluster c, WaferActivations act, MemoryBreakdown memory, Recompute recompute, double seqLen)
    {
        if (memory.Fits) return null;
        int none = MaxMicroBatch(c, act, seqLen, Recompute.None, true);
        int full = MaxMicroBatch(c, act, seqLen, Recompute.Full, true);
        string advice = recompute == Recompute.None
            ? (none > 0 ? $"use a micro-batch of at most {none} sequences (activations beyond SRAM are offloaded), or recompute=full" : "use recompute=full")
            : (full > 0 ? $"use a micro-batch of at most {full} sequences" : "not even one sequence's working set fits: shorten the sequence");
        return $"Activations need {memory.TotalGb:G3} GB of SRAM per wafer but {memory.CapacityGb:G3} GB are usable: {advice}.";
    }
}
