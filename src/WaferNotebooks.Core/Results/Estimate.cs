using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Results;

/// <summary>
/// The answer for one training job on one system with one layout. Throughputs are per step in
/// steady state; whole-run figures multiply by the number of steps. MFU and HFU are fractions.
/// When <see cref="Feasible"/> is false, <see cref="Reason"/> says why and the numbers describe
/// the attempted layout as far as they could be computed.
/// </summary>
public sealed record Estimate(
    TrainingJob Job,
    string SystemId,
    string DeviceName,
    int Devices,
    Layout Layout,
    /// <summary>"3d-parallel" on GPU-class systems; "weight-streaming" or "layer-pipelined" on wafer-scale ones.</summary>
    string ExecutionMode,
    bool Feasible,
    string? Reason,
    double StepTimeS,
    StepBreakdown Breakdown,
    double TokensPerS,
    double ModelTflopsPerDevice,
    double HardwareTflopsPerDevice,
    double Mfu,
    double Hfu,
    MemoryBreakdown Memory,
    double TimeToTrainDays,
    double DeviceHours,
    /// <summary>Average power of the whole installation while training, including PUE, kW.</summary>
    double AveragePowerKw,
    double EnergyMwh,
    double CostUsd,
    double Co2Tonnes,
    /// <summary>The bottleneck in words, for the summary card.</summary>
    string Bottleneck,
    IReadOnlyList<string> Assumptions,
    EstimateRanges? Ranges = null,
    IReadOnlyList<Sensitivity>? Sensitivities = null,
    /// <summary>Whole-run interruptions, checkpoints and restarts (GPU-class systems); null where no failure rate is known.</summary>
    Reliability.Goodput? Goodput = null)
{
    public string ModelId => Job.Model.Id;
    public double TokensPerSPerDevice => TokensPerS / Devices;
}
