using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Energy;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Wafer;

/// <summary>
/// Closed-form model of LLM training on a Cerebras wafer-scale cluster (docs/wafer-model.md).
/// A layout on a wafer cluster is dp = systems, a micro-batch (sequences per wafer pass) and a
/// recompute choice; tp, pp and cp do not exist there. Each estimate runs both execution modes
/// and keeps the faster feasible one, saying why in its first assumption.
/// </summary>
public sealed class WaferEstimator : IEstimator
{
    public bool Supports(SystemSpec system) => system is WaferCluster;

    public Estimate Estimate(TrainingJob job, SystemSpec system, int devices, Layout layout, EconomicAssumptions economics)
    {
        var (c, streaming, pipelined) = BothModes(job, system, devices, layout);
        var (chosen, why) = Choose(streaming, pipelined);
        return Build(job, c, devices, layout, economics, chosen, why);
    }

    /// <summary>The job in weight-streaming mode only, whatever layer-pipelined would do.</summary>
    public Estimate EstimateWeightStreaming(TrainingJob job, SystemSpec system, int devices, Layout layout, EconomicAssumptions economics)
    {
        var (c, streaming, _) = BothModes(job, system, devices, layout);
        return Build(job, c, devices, layout, economics, streaming, "Mode: weight-streaming (requested).");
    }

    /// <summary>The fastest feasible candidate layout; the first candidate's estimate (with its reason) when none is feasible.</summary>
    public Estimate Best(TrainingJob job, SystemSpec system, int devices, EconomicAssumptions economics)
    {
        var all = CandidateLayouts(job, system, devices).Select(l => Estimate(job, system, devices, l, economics)).ToList();
        return all.Where(e => e.Feasible).MinBy(e => e.StepTimeS) ?? all[0];
    }

    public IEnumerable<Layout> CandidateLayouts(TrainingJob job, SystemSpec system, int devices)
    {
        var c = Cluster(system);
        var act = WaferActivations.For(job.Model);
        int perSystem = SequencesPerSystem(job, devices);
        var seen = new HashSet<(int, Recompute)>();
        // Activation handling as alternatives: keep everything, recompute from checkpoints (kept or offloaded), or offload activations without recompute.
        foreach (var (recompute, offload) in new[] { (Recompute.None, false), (Recompute.Full, false), (Recompute.Full, true), (Recompute.None, true) })
        {
            int max = Math.Clamp(WeightStreaming.MaxMicroBatch(c, act, job.SeqLen, recompute, offload), 1, Math.Max(1, perSystem));
            foreach (int mb in new[] { max, Math.Max(1, max / 2) })
                if (seen.Add((mb, recompute)))
                    yield return new Layout(Dp: devices, MicroBatch: mb, Recompute: recompute);
        }
    }

    (WaferCluster, WaferStep Streaming, WaferStep Pipelined) BothModes(TrainingJob job, SystemSpec system, int devices, Layout layout)
    {
        var c = Cluster(system);
        var model = StreamedModel.From(job.Model, job.SeqLen);
        var act = WaferActivations.For(job.Model);
        int perSystem = SequencesPerSystem(job, devices);
        int microBatch = Math.Clamp(layout.MicroBatch, 1, Math.Max(1, perSystem));
        var streaming = WeightStreaming.Step(c, job.Model, model, act, devices, perSystem, microBatch, layout.Recompute);
        var pipelined = LayerPipelined.Step(c, job.Model, model, act, devices, perSystem, layout.Recompute);
        // MemoryX only matters when weights live there.
        string? problem = LayoutRules.Violation(job, c, devices, layout);
        string? streamingProblem = problem ?? MemoryXStore.CapacityProblem(c, model.Params) ?? streaming.Problem;
        return (c, streaming with { Problem = streamingProblem }, pipelined with { Problem = problem ?? pipelined.Problem });
    }

    static (WaferStep, string) Choose(WaferStep streaming, WaferStep pipelined)
    {
        string fits = $"Mode: layer-pipelined, because the model and its Adam state fit in SRAM ({pipelined.Memory.TotalGb:G3} of {pipelined.Memory.CapacityGb:G3} GB)";
        if (pipelined.Feasible && !streaming.Feasible)
            return (pipelined, $"{fits} and weight streaming is not possible: {streaming.Problem}");
        if (pipelined.Feasible && pipelined.StepTimeS < streaming.StepTimeS)
            return (pipelined, $"{fits} and a step takes {pipelined.StepTimeS:G3} s against {streaming.StepTimeS:G3} s streaming.");
        if (pipelined.Feasible)
            return (streaming, $"Mode: weight-streaming, because it is faster ({streaming.StepTimeS:G3} s per step) than layer-pipelined ({pipelined.StepTimeS:G3} s, which pays the pipeline fill and drain).");
        return (streaming, $"Mode: weight-streaming, because layer-pipelined is not possible: {pipelined.Problem}");
    }

    static Estimate Build(TrainingJob job, WaferCluster c, int devices, Layout layout, EconomicAssumptions economics, WaferStep step, string why)
    {
        double stepS = step.StepTimeS;
        double tokensPerS = job.TokensPerStep / stepS;
        double peak = c.PeakTflops16.Value * 1e12;
        double modelTflops = TransformerArithmetic.ModelFlopsPerToken(job.Model, job.SeqLen) * tokensPerS / devices / 1e12;
        double hardwareTflops = step.HardwareFlopsPerSystem / stepS / 1e12;
        double seconds = job.Steps * stepS;
        double hours = seconds / 3600;
        bool streaming = step.Mode == "weight-streaming";
        // Idle can never exceed full power, even when the two ranges are swept against each other.
        double systemW = DevicePower.Watts(Math.Min(c.IdlePowerKw.Value, c.SystemPowerKw.Value) * 1e3, c.SystemPowerKw.Value * 1e3, step.Breakdown["compute"] / stepS);
        var energy = RunEnergy.For(devices, systemW, devices, streaming ? c.MemoryXSwarmXPowerKw.Value * 1e3 : 0, hours, c.Price, economics, "system");
        var usedLayout = layout with { Tp = 1, Pp = 1, Cp = 1, Ep = 1, Dp = devices, MicroBatch = Math.Min(layout.MicroBatch, SequencesPerSystem(job, devices)) };
        return new Estimate(job, c.Id, $"{c.Id.ToUpperInvariant()} system", devices, usedLayout, step.Mode, step.Feasible, step.Problem,
            stepS, step.Breakdown, tokensPerS, modelTflops, hardwareTflops, modelTflops * 1e12 / peak, hardwareTflops * 1e12 / peak,
            step.Memory, seconds / 86400, devices * hours, energy.AveragePowerKw, energy.EnergyMwh, energy.CostUsd, energy.Co2Tonnes,
            Bottleneck(c, step), [.. Assumptions(c, job, step, layout.Recompute, why), .. energy.Assumptions]);
    }

    static string Bottleneck(WaferCluster c, WaferStep step)
    {
        if (step.Mode != "weight-streaming")
            return $"compute-bound on the wafer (layer-pipelined; {step.Breakdown["other"] / step.StepTimeS:P0} pipeline fill/drain and overhead)";
        double threshold = WeightStreaming.ThresholdTokens(c);
        // The backward pass does twice the forward's FLOPs on the same stream, so it stays compute-bound down to half the threshold.
        string regime = step.TokensPerPass >= threshold ? "compute-bound"
            : step.TokensPerPass >= threshold / 2 ? "I/O-bound in the forward pass" : "I/O-bound";
        return $"{regime}: {step.TokensPerPass:N0} tokens per system per wafer pass against a streaming threshold of {threshold:N0} (F_eff·2 B/(2·I/O)); largest part: {step.Breakdown.Largest.Name}";
    }

    static IReadOnlyList<string> Assumptions(WaferCluster c, TrainingJob job, WaferStep step, Recompute recompute, string why)
    {
        var list = new List<string>
        {
            why,
            step.Mode == "weight-streaming"
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

    static int SequencesPerSystem(TrainingJob job, int devices) => (job.GlobalBatchSeqs + Math.Max(1, devices) - 1) / Math.Max(1, devices);

    static WaferCluster Cluster(SystemSpec system) => system as WaferCluster
        ?? throw new ArgumentException($"The wafer estimator models Cerebras wafer-scale clusters; {system.Id} is a {system.GetType().Name}.", nameof(system));
}
