using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Wafer;

/// <summary>
/// Layer-pipelined execution (Cerebras docs, execution modes): every layer gets its own region
/// of the wafer and keeps its weights, gradients and Adam state in SRAM; sequences flow through
/// the layers as a pipeline. Nothing streams, but the model must fit, only one system is used,
/// and the pipeline fills and drains once per step: bubble (L−1)/m of the compute for m
/// sequences (GPipe/1F1B bubble with one-layer stages, Narayanan et al. 2021).
/// </summary>
public static class LayerPipelined
{
    public static WaferStep Step(WaferCluster c, ModelSpec spec, StreamedModel model, WaferActivations act, int systems, int sequences, Recompute recompute)
    {
        var memory = WaferMemory.Pipelined(c, act, model.Params, model.SeqLen, recompute);
        double hardwareFlops = sequences * model.SeqLen * TransformerArithmetic.HardwareFlopsPerToken(spec, ParameterCounts.Of(spec), (int)model.SeqLen, recompute);
        double compute = hardwareFlops / c.PipelinedFlops;
        double bubble = compute * (act.Layers - 1) / Math.Max(1, sequences);
        // The Adam step reads and writes the resident state at SRAM bandwidth.
        double update = model.Params * MemoryXStore.UpdateBytesPerParam / (c.SramPBps.Value * 1e15);
        var parts = new List<StepPart>
        {
            new("compute", compute, $"forward and backward{(recompute == Recompute.Full ? " with full recompute" : "")} of {sequences} sequences at {c.PipelinedFlops / 1e15:G3} PFLOP/s sustained (layer-pipelined)"),
            new("weight_streaming", 0, "none: the weights stay in SRAM"),
            new("gradient_reduction", 0, "none: one system"),
            new("memoryx_update", update, "Adam step on the wafer at SRAM bandwidth (MemoryX is not used)"),
            new("other", bubble + c.StepOverheadMs.Value / 1e3, $"pipeline fill and drain over {act.Layers} layer stages, plus per-step overhead"),
        };
        return new WaferStep(ExecutionMode.LayerPipelined, new StepBreakdown(parts), memory, 1, (double)sequences * model.SeqLen, hardwareFlops, 0,
            Problem(memory, systems));
    }

    static string? Problem(MemoryBreakdown memory, int systems)
    {
        if (systems > 1)
            return $"Layer-pipelined execution runs on one system; {systems} systems need weight streaming (pure data parallelism through SwarmX).";
        if (!memory.Fits)
            return $"Weights, gradients, Adam state and pipeline activations need {memory.TotalGb:G3} GB but one wafer has {memory.CapacityGb:G3} GB of usable SRAM: use weight streaming.";
        return null;
    }
}
