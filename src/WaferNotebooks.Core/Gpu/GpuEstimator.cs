using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Estimation;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// Closed-form step-time model of 3D/4D-parallel transformer training on a GPU-class cluster
/// (NVIDIA, AMD, Intel Gaudi, TPU pods): per-layer matmul time by GEMM shape, memory-bound
/// work at HBM bandwidth, exposed tensor/context/expert communication per layer, pipeline
/// transfers and bubble, data-parallel synchronisation with overlap, the optimizer step, and
/// memory per device. docs/gpu-model.md gives the formulas and their sources.
/// </summary>
public sealed class GpuEstimator(GpuSoftware software) : IEstimator
{
    public GpuEstimator() : this(GpuSoftware.Modern) { }

    /// <summary>The software profile for jobs that name none (<see cref="TrainingJob.Software"/>).</summary>
    public GpuSoftware Software { get; } = software;

    public bool Supports(SystemSpec system) => system is GpuCluster;

    public IEnumerable<Layout> CandidateLayouts(TrainingJob job, SystemSpec system, int devices) =>
        Gpu.CandidateLayouts.For(job, AsCluster(system), devices);

    public IEnumerable<Layout> Refinements(TrainingJob job, SystemSpec system, int devices, Layout layout) =>
        Gpu.CandidateLayouts.Refinements(job, AsCluster(system), devices, layout);

    static GpuCluster AsCluster(SystemSpec system) => system as GpuCluster
        ?? throw new WaferInputException($"{system.Id} is not a GPU-class system; the GPU estimator cannot run it");

    public Estimate Estimate(TrainingJob job, SystemSpec system, int devices, Layout layout, EconomicAssumptions economics)
    {
        var cluster = AsCluster(system);
        if (LayoutRules.Violation(job, cluster, devices, layout) is { } violation)
            return Infeasible(job, cluster, devices, layout, violation);
        var software = job.Software ?? Software;
        if (layout.Vpp > 1 && !software.InterleavedSchedule)
            return Infeasible(job, cluster, devices, layout, $"vpp={layout.Vpp}: this framework's pipeline engine has no interleaved schedule (vpp must be 1)");
        return new StepModel(job, cluster, devices, layout, software).ToEstimate(economics);
    }

    static Estimate Infeasible(TrainingJob job, GpuCluster system, int devices, Layout layout, string reason) => new()
    {
        Job = job, SystemId = system.Id, DeviceName = system.Device.Name, Devices = Math.Max(1, devices), Layout = layout,
        ExecutionMode = ExecutionMode.ThreeDParallel, Feasible = false, Reason = reason,
        StepTimeS = 0, Breakdown = new StepBreakdown([]), TokensPerS = 0, ModelTflopsPerDevice = 0, HardwareTflopsPerDevice = 0, Mfu = 0, Hfu = 0,
        Memory = new MemoryBreakdown([], system.Device.HbmGb.Value),
        TimeToTrainDays = 0, DeviceHours = 0, AveragePowerKw = 0, EnergyMwh = 0, CostUsd = 0, Co2Tonnes = 0,
        Bottleneck = "infeasible: " + reason, Assumptions = [reason],
    };
}
