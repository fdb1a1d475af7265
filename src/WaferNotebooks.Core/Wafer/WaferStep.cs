using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Core.Wafer;

/// <summary>
/// One step of one wafer-scale execution mode: the breakdown (parts sum to the step time),
/// SRAM use, passes and tokens per pass, FLOPs executed per system, and, when the mode cannot
/// run the job, why.
/// </summary>
public sealed record WaferStep(
    ExecutionMode Mode,
    StepBreakdown Breakdown,
    MemoryBreakdown Memory,
    int Passes,
    double TokensPerPass,
    double HardwareFlopsPerSystem,
    double OffloadFraction,
    string? Problem)
{
    public double StepTimeS => Breakdown.Total;
    public bool Feasible => Problem is null;
}
