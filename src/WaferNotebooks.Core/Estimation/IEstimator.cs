using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Estimation;

/// <summary>
/// A closed-form performance model for one kind of system. Estimates cost microseconds, so the
/// planner can call them thousands of times.
/// </summary>
public interface IEstimator
{
    bool Supports(SystemSpec system);

    /// <summary>Estimates the job with exactly this layout (layout.Devices must equal devices).</summary>
    Estimate Estimate(TrainingJob job, SystemSpec system, int devices, Layout layout, EconomicAssumptions economics);

    /// <summary>Every layout worth trying for the job on this many devices (the planner's search space).</summary>
    IEnumerable<Layout> CandidateLayouts(TrainingJob job, SystemSpec system, int devices);

    /// <summary>
    /// Layouts one change away from a candidate that may do better than it: the planner's second
    /// round, tried only around its best candidates and its nearest misses. Never one of
    /// <see cref="CandidateLayouts"/> (the plan would count it twice). None by default.
    /// </summary>
    IEnumerable<Layout> Refinements(TrainingJob job, SystemSpec system, int devices, Layout layout) => [];
}
