using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Energy;
using WaferNotebooks.Core.Estimation;
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
        var why = Choose(streaming, pipelined);
        return Build(job, c, devices, layout, economics, why == ModeChoice.StreamingFaster || why == ModeChoice.StreamingOnly ? streaming : pipelined, streaming, pipelined, why);
    }

    /// <summary>The job in weight-streaming mode only, whatever layer-pipelined would do.</summary>
    public Estimate EstimateWeightStreaming(TrainingJob job, SystemSpec system, int devices, Layout layout, EconomicAssumptions economics)
    {
        var (c, streaming, pipelined) = BothModes(job, system, devices, layout);
        return Build(job, c, devices, layout, economics, streaming, streaming, pipelined, ModeChoice.Requested);
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
        var model = StreamedModel.Of(job.Model, job.SeqLen);
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

    /// <summary>Which mode runs and why: the faster feasible one, or the only one that can.</summary>
    static ModeChoice Choose(WaferStep streaming, WaferStep pipelined) =>
        pipelined.Feasible && !streaming.Feasible ? ModeChoice.PipelinedOnly
        : pipelined.Feasible && pipelined.StepTimeS < streaming.StepTimeS ? ModeChoice.PipelinedFaster
        : pipelined.Feasible ? ModeChoice.StreamingFaster
        : ModeChoice.StreamingOnly;

    static Estimate Build(TrainingJob job, WaferCluster c, int devices, Layout layout, EconomicAssumptions economics,
        WaferStep step, WaferStep streamingStep, WaferStep pipelinedStep, ModeChoice why)
    {
        double stepS = step.StepTimeS;
        double tokensPerS = job.TokensPerStep / stepS;
        double peak = c.PeakTflops16.Value * 1e12;
        double modelTflops = TransformerArithmetic.ModelFlopsPerToken(job.Model, ParameterCounts.Of(job.Model), job.SeqLen) * tokensPerS / devices / 1e12;
        double hardwareTflops = step.HardwareFlopsPerSystem / stepS / 1e12;
        double seconds = job.Steps * stepS;
        double hours = seconds / 3600;
        // Idle can never exceed full power, even when the two ranges are swept against each other.
        double systemW = DevicePower.Watts(Math.Min(c.IdlePowerKw.Value, c.SystemPowerKw.Value) * 1e3, c.SystemPowerKw.Value * 1e3, step.Breakdown[StepPartKind.Compute] / stepS);
        var power = new WaferEstimateText.Power(devices, systemW, step.Mode == ExecutionMode.WeightStreaming ? c.MemoryXSwarmXPowerKw.Value * 1e3 : 0, hours, economics);
        var energy = power.Energy(c, describe: false);
        var usedLayout = layout with { Tp = 1, Pp = 1, Cp = 1, Ep = 1, Dp = devices, MicroBatch = Math.Min(layout.MicroBatch, SequencesPerSystem(job, devices)) };
        return new Estimate
        {
            Job = job, SystemId = c.Id, DeviceName = $"{c.Id.ToUpperInvariant()} system", Devices = devices, Layout = usedLayout, ExecutionMode = step.Mode,
            Feasible = step.Feasible, Reason = step.Problem, StepTimeS = stepS, Breakdown = step.Breakdown, TokensPerS = tokensPerS,
            ModelTflopsPerDevice = modelTflops, HardwareTflopsPerDevice = hardwareTflops, Mfu = modelTflops * 1e12 / peak, Hfu = hardwareTflops * 1e12 / peak,
            Memory = step.Memory, TimeToTrainDays = seconds / 86400, DeviceHours = devices * hours, AveragePowerKw = energy.AveragePowerKw,
            EnergyMwh = energy.EnergyMwh, CostUsd = energy.CostUsd, Co2Tonnes = energy.Co2Tonnes,
            Text = new WaferEstimateText(c, job, step, streamingStep, pipelinedStep, why, power, layout.Recompute),
        };
    }

    static int SequencesPerSystem(TrainingJob job, int devices) => (job.GlobalBatchSeqs + Math.Max(1, devices) - 1) / Math.Max(1, devices);

    static WaferCluster Cluster(SystemSpec system) => system as WaferCluster
        ?? throw new ArgumentException($"The wafer estimator models Cerebras wafer-scale clusters; {system.Id} is a {system.GetType().Name}.", nameof(system));
}
