using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Core.Sweeps;

/// <summary>
/// One point of a sweep. <see cref="ScalingEfficiency"/> is tokens/s per device relative to the
/// first feasible point of the same knob value (1 there); null when the point is infeasible.
/// </summary>
public sealed record SweepPoint(int Devices, double? KnobValue, Estimate Estimate, double? ScalingEfficiency);
