using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Sweeps;

/// <summary>
/// A job estimated over device counts (and optionally a second knob). Points are ordered by knob
/// value, then device count as given. <see cref="FixedLayout"/> is null when the planner chose
/// the best layout for <see cref="Objective"/> at every point. <see cref="Skipped"/> lists the
/// device counts no layout can use (with why); the other points are kept.
/// </summary>
public sealed record SweepResult(
    TrainingJob Job,
    string SystemId,
    Layout? FixedLayout,
    Objective Objective,
    KnobKind? Knob,
    IReadOnlyList<SweepPoint> Points,
    IReadOnlyList<SkippedPoint>? Skipped = null)
{
    public IReadOnlyList<SkippedPoint> Skipped { get; init; } = Skipped ?? [];

    /// <summary>Whether any feasible point has a goodput (GPU-class systems; wafer-scale ones have no published failure rate).</summary>
    public bool HasGoodput => Points.Any(p => p.Estimate.Feasible && p.Estimate.Goodput is not null);
}

/// <summary>A device count (at one knob value) that could not be laid out, and why.</summary>
public sealed record SkippedPoint(int Devices, double? KnobValue, string Reason);
