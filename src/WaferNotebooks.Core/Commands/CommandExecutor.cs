using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Uncertainty;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Validation.Calibration;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// Runs a <see cref="CommandRequest"/> and returns its result record: an <see cref="Estimate"/>,
/// a <see cref="Comparison"/>, a <see cref="SweepResult"/>, a <see cref="PlanResult"/>, a
/// <see cref="CatalogListing"/>, a <see cref="ValidationReport"/> or a <see cref="StepTimeline"/>. Both
/// front ends call it, so a notebook cell and a terminal give the same numbers.
/// </summary>
/// <param name="catalog">The catalog for requests that carry none (those built in code rather than parsed).</param>
public sealed class CommandExecutor(SimulatorCatalog catalog)
{
    public static CommandExecutor Default => new(SimulatorCatalog.Default);

    /// <summary>Runs the request; progress goes from 0 to 1 for the long subcommands (sweep, plan, compare, validate).</summary>
    public object Execute(CommandRequest request, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var active = request.Catalog ?? catalog;
        return request switch
        {
            EstimateRequest r => Estimate(r.Job, r.Target, r.Layout, r.Economics, r.Objective),
            CompareRequest r => Compare(r, progress, ct),
            SweepRequest r => Sweeper.Sweep(r.Job, r.System, r.Counts, r.Layout, r.Economics, r.Objective, r.Knob, progress, ct),
            PlanRequest r => Planner.Plan(r.Job, r.Target.System, r.Target.Devices, r.Economics, r.Objective, r.Top, progress, ct),
            CatalogRequest r => new CatalogListing(
                r.Kinds.Contains(CatalogKind.Models) ? active.Models : [],
                r.Kinds.Contains(CatalogKind.Accelerators) ? active.Accelerators : [],
                r.Kinds.Contains(CatalogKind.Systems) ? active.Systems : []),
            ValidateRequest r => Validate(r, active, ct),
            CalibrateRequest r => CalibrationRun.Run(active, r.DataPaths, r.Fit, r.By, r.RowPatterns, r.Command, r.OutPath,
                DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), CommandGrammar.Data.Name, r.Weight, ct),
            TimelineRequest r => StepTimeline.From(Estimate(r.Job, r.Target, r.Layout, r.Economics, r.Objective)),
            _ => throw new ArgumentException($"No executor for {request.GetType().Name}.", nameof(request)),
        };
    }

    /// <summary>Runs the request off the caller's thread, so a notebook stays responsive and can cancel.</summary>
    public Task<object> ExecuteAsync(CommandRequest request, IProgress<double>? progress = null, CancellationToken ct = default) =>
        Task.Run(() => Execute(request, progress, ct), ct);

    /// <summary>
    /// Predicts every row of the file (a CSV in the schema, or a vTrain table), with the fitted
    /// values of each row's framework; with --cv, also leave-one-group-out. A file that cannot be
    /// read or lacks the schema's header is bad input; malformed rows are reported as skipped.
    /// </summary>
    private static object Validate(ValidateRequest r, SimulatorCatalog catalog, CancellationToken ct)
    {
        var data = ValidationData.Load(r.DataPath, CommandGrammar.Data.Name);
        if (r.CrossValidateBy is { } by) return CrossValidation.Run(catalog, data, by, ct);
        return Calibration.Validate(catalog, data, ct);
    }

    private static Comparison Compare(CompareRequest r, IProgress<double>? progress, CancellationToken ct)
    {
        var comparison = Comparison.Run(r.Job, r.Targets, r.Economics, r.Objective, progress, ct);
        return comparison with
        {
            Estimates = [.. comparison.Estimates.Select((e, i) => WithRanges(e, r.Job, r.Targets[i].System, r.Economics))],
        };
    }

    private static Estimate Estimate(TrainingJob job, SystemTarget target, Layout? layout, EconomicAssumptions economics, Objective objective) =>
        WithRanges(Simulator.Estimate(job, target.System, target.Devices, layout, economics, objective), job, target.System, economics, compilerChooses: layout is null);

    /// <summary>
    /// Low/high from the ranges of the catalog's uncertain inputs, for the estimate's own layout
    /// (the layout stays fixed across variants, so the range is the input uncertainty alone).
    /// An infeasible estimate has nothing to bound. On a wafer-scale system without a --layout,
    /// the Cerebras compiler picks the micro-batch and the activation handling (keep, recompute or
    /// offload), so each variant re-chooses them (<see cref="Wafer.WaferEstimator.Best"/>): that
    /// choice lies inside the range.
    /// </summary>
    private static Estimate WithRanges(Estimate nominal, TrainingJob job, SystemSpec system, EconomicAssumptions economics, bool compilerChooses = false)
    {
        if (!nominal.Feasible)
            return nominal;
        var estimator = Simulator.EstimatorFor(system);
        return UncertaintyAnalysis.Analyze(nominal, system, economics, (s, e) => compilerChooses && estimator is Wafer.WaferEstimator wafer
            ? wafer.Best(job, s, nominal.Devices, e)
            : estimator.Estimate(job, s, nominal.Devices, nominal.Layout, e));
    }
}
