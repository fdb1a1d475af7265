using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Commands;

/// <summary>Front-end options that do not change the result: the notebook's --name and --offline, the CLI's --json.</summary>
public sealed record OutputOptions(string? Name = null, bool Offline = false, bool Json = false)
{
    public static OutputOptions None { get; } = new();
}

/// <summary>A system with the number of devices (GPUs, chips, or wafer-scale systems) to use.</summary>
public sealed record SystemTarget(SystemSpec System, int Devices)
{
    public override string ToString() => $"{System.Id}:{Devices}";
}

/// <summary>A parsed, checked subcommand, ready for <see cref="CommandExecutor"/>.</summary>
public abstract record CommandRequest
{
    public abstract string Subcommand { get; }

    public OutputOptions Output { get; init; } = OutputOptions.None;

    /// <summary>
    /// The catalog the request's ids were found in, with any user files (set by <see cref="RequestParser"/>);
    /// null for a request built in code, which then uses the executor's catalog.
    /// </summary>
    public SimulatorCatalog? Catalog { get; init; }
}

/// <summary>
/// A request that runs one training job (estimate, compare, sweep, plan, timeline), with what
/// its estimates need to say which of the user's options did nothing (<see cref="InputNotes"/>).
/// </summary>
public abstract record JobRequest : CommandRequest
{
    /// <summary>With --moe-dispatch: the stack without it, to tell whether the option changed anything.</summary>
    public GpuSoftware? SoftwareWithoutMoeDispatch { get; init; }

    /// <summary>The given options only one kind of system reads (<see cref="RequestArgs.SystemKindOptions"/>).</summary>
    public IReadOnlyList<SystemKindOption> SystemKindOptions { get; init; } = [];
}

/// <summary>An option given on the command line that only GPU-class systems read or, with <paramref name="ForWafer"/>, only wafer-scale ones.</summary>
public sealed record SystemKindOption(string Name, string Text, bool ForWafer)
{
    public bool AppliesTo(SystemSpec system) => ForWafer == system is WaferCluster;
}

/// <summary>
/// estimate: one job on one system. <see cref="Layout"/> null means the planner chooses for
/// <see cref="Objective"/>.
/// </summary>
public sealed record EstimateRequest(TrainingJob Job, SystemTarget Target, Layout? Layout, EconomicAssumptions Economics, Objective Objective) : JobRequest
{
    public override string Subcommand => "estimate";
}

/// <summary>compare: one job on each of several systems.</summary>
public sealed record CompareRequest(TrainingJob Job, IReadOnlyList<ComparisonTarget> Targets, EconomicAssumptions Economics, Objective Objective) : JobRequest
{
    public override string Subcommand => "compare";
}

/// <summary>
/// sweep: one job on one system at several device counts, optionally crossed with a second
/// knob. <see cref="Layout"/> fixes tp, pp, cp and the rest while dp grows with the count;
/// null lets the planner choose at every point.
/// </summary>
public sealed record SweepRequest(TrainingJob Job, SystemSpec System, IReadOnlyList<int> Counts, Layout? Layout, SweepKnob? Knob, EconomicAssumptions Economics, Objective Objective) : JobRequest
{
    public override string Subcommand => "sweep";
}

/// <summary>plan: search the layouts of one job on one system and device count.</summary>
public sealed record PlanRequest(TrainingJob Job, SystemTarget Target, EconomicAssumptions Economics, Objective Objective, int Top) : JobRequest
{
    public override string Subcommand => "plan";
}

/// <summary>What <c>catalog</c> lists.</summary>
public enum CatalogKind { Models, Accelerators, Systems }

/// <summary>catalog: list models, accelerators and/or systems.</summary>
public sealed record CatalogRequest(IReadOnlyList<CatalogKind> Kinds) : CommandRequest
{
    public override string Subcommand => "catalog";
}

/// <summary>validate: predict every row of a CSV of published runs; with <see cref="CrossValidateBy"/>, also leave-one-group-out.</summary>
public sealed record ValidateRequest(string DataPath, string? CrossValidateBy = null) : CommandRequest
{
    public override string Subcommand => "validate";
}

/// <summary>calibrate: fit constants to the rows of data files; <see cref="Command"/> is the command line the overlay records.</summary>
public sealed record CalibrateRequest(
    IReadOnlyList<string> DataPaths, IReadOnlyList<CalibratedConstant> Fit, string By, IReadOnlyList<string> RowPatterns, string? OutPath, string Command,
    string Weight = CalibrationFit.WeightRows) : CommandRequest
{
    public override string Subcommand => "calibrate";
}

/// <summary>timeline: one step of one job on one system, drawn as a Gantt.</summary>
public sealed record TimelineRequest(TrainingJob Job, SystemTarget Target, Layout? Layout, EconomicAssumptions Economics, Objective Objective) : JobRequest
{
    public override string Subcommand => "timeline";

    /// <summary>The given options that size, price or time the whole run (their names, "--price"), which one step of a fixed layout does not show.</summary>
    public IReadOnlyList<string> WholeRunOptions { get; init; } = [];
}
