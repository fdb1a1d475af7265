namespace WaferNotebooks.Core.Results;

/// <summary>
/// One named share of a training step's wall time. GPU parts: compute, recompute, tp_comm,
/// pp_comm, dp_comm, cp_comm, ep_comm, bubble, optimizer, other. Wafer parts: compute,
/// weight_streaming, gradient_reduction, memoryx_update, other. Only exposed (not overlapped)
/// time is counted, so the parts sum to the step time.
/// </summary>
public sealed record StepPart(string Name, double Seconds, string Description);

/// <summary>The step time split into parts that sum to it.</summary>
public sealed record StepBreakdown(IReadOnlyList<StepPart> Parts)
{
    public double Total => Parts.Sum(p => p.Seconds);

    public double this[string name] => Parts.FirstOrDefault(p => p.Name == name)?.Seconds ?? 0;

    /// <summary>The largest part: what bounds the step.</summary>
    public StepPart Largest => Parts.MaxBy(p => p.Seconds) ?? new StepPart("compute", 0, "");
}
