using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Energy;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Wafer;

/// <summary>Why a wafer-scale estimate runs the mode it runs.</summary>
enum ModeChoice
{
    /// <summary>Weight streaming was asked for.</summary>
    Requested,
    /// <summary>Layer-pipelined, because weight streaming cannot run the job.</summary>
    PipelinedOnly,
    /// <summary>Layer-pipelined, because its step is shorter.</summary>
    PipelinedFaster,
    /// <summary>Weight streaming, because its step is shorter than layer-pipelined's.</summary>
    StreamingFaster,
    /// <summary>Weight streaming, because layer-pipelined cannot run the job.</summary>
    StreamingOnly,
}

/// <summary>
/// The words of a wafer-scale estimate, written when a view reads them from the steps both
/// modes computed: why the mode was chosen (the first assumption), the sustained rate and
/// streaming bandwidth, the energy inputs, and the bottleneck.
/// </summary>
sealed class WaferEstimateText(WaferCluster c, TrainingJob job, WaferStep step, WaferStep streaming, WaferStep pipelined, ModeChoice why, WaferEstimateText.Power power, Recompute recompute)
    : EstimateText
{
    /// <summary>What the run's energy is computed from, so its assumptions can be written later.</summary>
    internal sealed record Power(int Systems, double SystemW, double OverheadW, double Hours, EconomicAssumptions Economics)
    {
        public RunEnergy Energy(WaferCluster c, bool describe) =>
            RunEnergy.For(Systems, SystemW, Systems, OverheadW, Hours, c.Price, Economics, "system", describe);
    }

    public override string? Reason(Estimate estimate) => step.Problem;

    protected override EstimateWords Describe() => new(
        Bottleneck(),
        Assumptions(),
        step.Breakdown.Parts.Select(p => p.Description).ToArray(),
        step.Memory.Parts.Select(p => p.Description).ToArray())
    {
        RunAssumptions = power.Energy(c, describe: true).Assumptions,
    };

    string Why()
    {
        string fits = $"Mode: layer-pipelined, because the model and its Adam state fit in SRAM ({pipelined.Memory.TotalGb:G3} of {pipelined.Memory.CapacityGb:G3} GB)";
        return why switch
        {
            ModeChoice.Requested => "Mode: weight-streaming (requested).",
            ModeChoice.PipelinedOnly => $"{fits} and weight streaming is not possible: {streaming.Problem}",
            ModeChoice.PipelinedFaster => $"{fits} and a step takes {pipelined.StepTimeS:G3} s against {streaming.StepTimeS:G3} s streaming.",
            ModeChoice.StreamingFaster => $"Mode: weight-streaming, because it is faster ({streaming.StepTimeS:G3} s per step) than layer-pipelined ({pipelined.StepTimeS:G3} s, which pays the pipeline fill and drain).",
            _ => $"Mode: weight-streaming, because layer-pipelined is not possible: {pipelined.Problem}",
        };
    }

    string Bottleneck()
    {
        if (step.Mode != ExecutionMode.WeightStreaming)
            return $"compute-bound on the wafer (layer-pipelined; {step.Breakdown[StepPartKind.Other] / step.StepTimeS:P0} pipeline fill/drain and overhead)";
        double threshold = WeightStreaming.ThresholdTokens(c);
        // The backward pass does twice the forward's FLOPs on the same stream, so it stays compute-bound down to half the threshold.
        string regime = step.TokensPerPass >= threshold ? "compute-bound"
            : step.TokensPerPass >= threshold / 2 ? "I/O-bound in the forward pass" : "I/O-bound";
        return $"{regime}: {step.TokensPerPass:N0} tokens per system per wafer pass against a streaming threshold of {threshold:N0} (F_eff·2 B/(2·I/O)); largest part: {step.Breakdown.LargestKind.Id()}";
    }

    List<string> Assumptions()
    {
        var list = new List<string>
        {
            Why(),
            step.Mode == ExecutionMode.WeightStreaming
                ? $"Sustained rate {c.EffectiveFlops / 1e15:G3} PFLOP/s per system: nominal dense 16-bit peak {c.PeakTflops16.Value:N0} TFLOP/s × utilisation {c.ComputeUtilisation} fitted to measured Cerebras training logs, {(c.Release is { } r ? $"software release era {r}" : "release not known: the range spans every release era")} (the one uncertain throughput input; see the sensitivity table)."
                : $"Sustained rate {c.PipelinedFlops / 1e15:G3} PFLOP/s: nominal dense 16-bit peak {c.PeakTflops16.Value:N0} TFLOP/s × layer-pipelined utilisation {c.LayerPipelinedUtilisation}, an assumption (no layer-pipelined LLM rate is public).",
            $"Weights stream in 16-bit at {SwarmXTree.For(c, 1).StreamGBps:G4} GB/s per direction (min of system I/O, SwarmX link, MemoryX).",
        };
        if (job.Precision is Precision.Fp8 or Precision.Fp4)
            list.Add($"{job.Precision} requested: the wafer computes in 16-bit, so the estimate uses the 16-bit peak.");
        if (step.OffloadFraction > 0)
            list.Add(recompute == Recompute.Full
                ? $"{step.OffloadFraction:P0} of the layer checkpoints are offloaded to MemoryX and read back in the backward pass."
                : $"{step.OffloadFraction:P0} of the layer activations are offloaded to the activation servers (instead of recompute) and read back in the backward pass, over the system I/O.");
        return list;
    }
}
