using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Estimation;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Validation;

/// <summary>
/// An estimator whose candidate layouts are the inner estimator's, passed through a constraint
/// (fix some fields, drop or reorder others). Lets the one planner search a restricted space.
/// </summary>
public sealed class ConstrainedEstimator(IEstimator inner, Func<IEnumerable<Layout>, IEnumerable<Layout>> constraint) : IEstimator
{
    public bool Supports(SystemSpec system) => inner.Supports(system);

    public Estimate Estimate(TrainingJob job, SystemSpec system, int devices, Layout layout, EconomicAssumptions economics) =>
        inner.Estimate(job, system, devices, layout, economics);

    public IEnumerable<Layout> CandidateLayouts(TrainingJob job, SystemSpec system, int devices) =>
        constraint(inner.CandidateLayouts(job, system, devices));
}
