using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// The words of a GPU-class estimate, written when a view reads them: the step model runs once
/// more on the same inputs with its text switched on (estimators are pure, so the numbers the
/// words quote are the estimate's own). The planner and sweeps never pay for it.
/// </summary>
sealed class GpuEstimateText(TrainingJob job, GpuCluster system, int devices, Layout layout, GpuSoftware sw, EconomicAssumptions economics)
    : IEstimateDescriber
{
    public EstimateWords Describe() => new StepModel(job, system, devices, layout, sw).Describe(economics);

    public string? Reason(Estimate estimate) => StepModel.MemoryAdvice(estimate.Memory, layout);
}
