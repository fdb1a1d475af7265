using System.Collections.Immutable;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Estimation;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Wafer;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Simulation;

/// <summary>
/// The one entry point for a single estimate: picks the estimator for the system, checks the
/// request, and when no layout is given lets the planner choose the best one for the objective.
/// </summary>
public static class Simulator
{
    private static ImmutableArray<IEstimator> estimators = [new GpuEstimator(), new WaferEstimator()];

    /// <summary>The estimators tried in order; the first whose <see cref="IEstimator.Supports"/> accepts a system is used.</summary>
    public static IReadOnlyList<IEstimator> Estimators => estimators;

    /// <summary>Adds an estimator ahead of the built-in ones, so a user's model can take over a kind of system.</summary>
    public static void Register(IEstimator estimator)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ImmutableInterlocked.Update(ref estimators, list => list.Insert(0, estimator));
    }

    public static IEstimator EstimatorFor(SystemSpec system) =>
        estimators.FirstOrDefault(e => e.Supports(system)) ??
        throw new WaferInputException(
            $"No estimator handles system '{system.Id}' ({system.GetType().Name}); " +
            "GPU-class clusters and wafer-scale clusters are built in, others need Simulator.Register.");

    /// <summary>
    /// Estimates the job on <paramref name="devices"/> devices of the system. A null layout means
    /// the planner's best layout for <paramref name="objective"/>; when no layout is feasible the
    /// result is the layout that came closest, with <see cref="Estimate.Reason"/> saying why none fits.
    /// </summary>
    public static Estimate Estimate(
        TrainingJob job, SystemSpec system, int devices, Layout? layout = null,
        EconomicAssumptions? economics = null, Objective objective = Objective.Time)
    {
        EstimatorInput.Check(job, system, devices);
        var econ = economics ?? EconomicAssumptions.Default;
        var estimator = EstimatorFor(system);
        if (layout is not null)
        {
            if (LayoutRules.Violation(job, system, devices, layout) is { } violation)
                throw new WaferInputException(EstimatorInput.Sentence($"Layout {layout}: {violation}"));
            return estimator.Estimate(job, system, devices, layout, econ);
        }
        var plan = Planner.Plan(estimator, job, system, devices, econ, objective, topK: 1);
        return plan.Best ?? plan.NearestMiss! with { Reason = plan.Why };
    }

    /// <summary>Plans with the estimator registered for the system (<see cref="EstimatorFor"/>).</summary>
    public static PlanResult Plan(
        TrainingJob job, SystemSpec system, int devices, EconomicAssumptions? economics = null,
        Objective objective = Objective.Time, int topK = Planner.DefaultTopK,
        IProgress<double>? progress = null, CancellationToken ct = default) =>
        Planner.Plan(EstimatorFor(system), job, system, devices, economics, objective, topK, progress, ct);
}
