using System.Collections.Immutable;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Wafer;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core;

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
        CheckRun(job, system, devices);
        var econ = economics ?? EconomicAssumptions.Default;
        var estimator = EstimatorFor(system);
        if (layout is not null)
        {
            CheckLayout(layout, devices);
            return estimator.Estimate(job, system, devices, layout, econ);
        }
        var plan = Planner.Plan(estimator, job, system, devices, econ, objective, topK: 1);
        return plan.Best ?? plan.NearestMiss! with { Reason = plan.Why };
    }

    /// <summary>Rejects requests no estimator can answer, with a message that says what would be right.</summary>
    internal static void CheckRun(TrainingJob job, SystemSpec system, int devices)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(system);
        if (devices < 1)
            throw new WaferInputException($"The device count must be at least 1, got {devices}.");
        if (system.MaxDevices is int max && devices > max)
            throw new WaferInputException(
                $"{system.Id} is built with at most {max:N0} {system.DeviceNoun}s; {devices:N0} were asked for.");
        if (!(job.Tokens > 0) || !double.IsFinite(job.Tokens))
            throw new WaferInputException($"The number of training tokens must be a positive number, got {job.Tokens}.");
        if (job.GlobalBatchSeqs < 1)
            throw new WaferInputException($"The global batch must be at least 1 sequence, got {job.GlobalBatchSeqs}.");
        if (job.SeqLen < 1)
            throw new WaferInputException($"The sequence length must be at least 1 token, got {job.SeqLen}.");
    }

    /// <summary>Checks the parts of a layout that hold for every estimator; the estimator judges the rest (memory, divisibility by heads or layers).</summary>
    internal static void CheckLayout(Layout layout, int devices)
    {
        foreach (var (name, value) in new[] { ("tp", layout.Tp), ("pp", layout.Pp), ("dp", layout.Dp), ("cp", layout.Cp), ("ep", layout.Ep), ("vpp", layout.Vpp), ("mb", layout.MicroBatch) })
            if (value < 1)
                throw new WaferInputException($"Layout {name} must be at least 1, got {value}.");
        if (layout.ZeroStage is < 0 or > 3)
            throw new WaferInputException($"Layout zero must be 0, 1, 2 or 3, got {layout.ZeroStage}.");
        if (layout.Devices == devices) return;
        var model = layout.Tp * layout.Pp * layout.Cp;
        var fix = devices % model == 0
            ? $"with tp={layout.Tp}, pp={layout.Pp}, cp={layout.Cp} that is dp={devices / model}"
            : $"{devices} is not a multiple of tp·pp·cp = {model}, so change those too";
        throw new WaferInputException(
            $"Layout tp·pp·dp·cp = {layout.Tp}·{layout.Pp}·{layout.Dp}·{layout.Cp} uses {layout.Devices} devices, but the run has {devices}; " +
            $"the product must equal the device count ({fix}).");
    }
}
