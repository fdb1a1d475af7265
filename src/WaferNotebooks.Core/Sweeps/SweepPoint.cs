using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Core.Sweeps;

/// <summary>
/// One point of a sweep. <see cref="ScalingEfficiency"/> is tokens/s per device relative to the
/// first feasible point of the same knob value (1 there); null when the point is infeasible.
/// </summary>
public sealed record SweepPoint(int Devices, double? KnobValue, Estimate Estimate, double? ScalingEfficiency)
{
    /// <summary>The estimate <see cref="ScalingEfficiency"/> is relative to (the first feasible point of the same knob value).</summary>
    public Estimate? Baseline { get; init; }

    /// <summary>
    /// Above 100% as shown (to 0.1%): more devices did more per device than the baseline, which
    /// needs a cause (a layout the baseline's memory ruled out, a step part that shrinks per
    /// device) and gets one (<see cref="ShrunkPart"/>).
    /// </summary>
    public bool SuperLinear => ScalingEfficiency > 1.0005 && Baseline is not null;

    /// <summary>
    /// The step part whose device-seconds per step (seconds × devices; tokens per step are the
    /// same at one knob value) fell most from the baseline: where the super-linear gain comes from.
    /// </summary>
    public StepPartKind? ShrunkPart =>
        Baseline is not { } b ? null
            : Enum.GetValues<StepPartKind>().MaxBy(k => b.Breakdown[k] * b.Devices - Estimate.Breakdown[k] * Estimate.Devices);
}
