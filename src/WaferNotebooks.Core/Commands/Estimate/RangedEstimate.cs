using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Uncertainty;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Commands;

/// <summary>The estimate a subcommand shows: the simulator's, with low/high from the catalog's uncertain inputs.</summary>
internal static class RangedEstimate
{
    public static Estimate Of(TrainingJob job, SystemTarget target, Layout? layout, EconomicAssumptions economics, Objective objective) =>
        WithRanges(Simulator.Estimate(job, target.System, target.Devices, layout, economics, objective), job, target.System, economics, compilerChooses: layout is null);

    /// <summary>
    /// Low/high from the ranges of the catalog's uncertain inputs, for the estimate's own layout
    /// (the layout stays fixed across variants, so the range is the input uncertainty alone).
    /// An infeasible estimate has nothing to bound. On a wafer-scale system without a --layout,
    /// the Cerebras compiler picks the micro-batch and the activation handling (keep, recompute or
    /// offload), so each variant re-chooses them (<see cref="Wafer.WaferEstimator.Best"/>): that
    /// choice lies inside the range.
    /// </summary>
    public static Estimate WithRanges(Estimate nominal, TrainingJob job, SystemSpec system, EconomicAssumptions economics, bool compilerChooses = false)
    {
        if (!nominal.Feasible)
            return nominal;
        var estimator = Simulator.EstimatorFor(system);
        return UncertaintyAnalysis.Analyze(nominal, system, economics, (s, e) => compilerChooses && estimator is Wafer.WaferEstimator wafer
            ? wafer.Best(job, s, nominal.Devices, e)
            : estimator.Estimate(job, s, nominal.Devices, nominal.Layout, e));
    }
}
