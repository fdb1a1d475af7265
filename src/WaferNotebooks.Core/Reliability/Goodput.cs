using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Reliability;

/// <summary>
/// What a whole run loses to interruptions: the inputs (options --mtbf, --checkpoint-bandwidth,
/// --restart-min), each with its source.
/// </summary>
public sealed record ReliabilityAssumptions(Sourced MtbfDeviceHours, Sourced CheckpointGBpsPerDevice, Sourced RestartMinutes)
{
    /// <summary>
    /// Llama 3 (Dubey et al. 2024, Sec. 3.3.4): 466 job interruptions in 54 days of pre-training
    /// on 16,384 H100s (419 unexpected), so one per 54·24·16,384/466 = 45,570 GPU-hours. Storage
    /// (Sec. 3.3.1): 2 TB/s sustained for the 16,384-GPU cluster, 122 MB/s per GPU. The restart
    /// time is assumed.
    /// </summary>
    public static ReliabilityAssumptions Default { get; } = new(
        new Sourced(54.0 * 24 * 16384 / 466, "Llama 3 paper, Sec. 3.3.4: 466 job interruptions (419 unexpected) in 54 days on 16,384 H100s: one per 45,570 GPU-hours", Confidence.Secondary, 20_000, 100_000),
        new Sourced(2000.0 / 16384, "Llama 3 paper, Sec. 3.3.1: Tectonic storage sustains 2 TB/s for 16,384 GPUs, 0.122 GB/s per GPU", Confidence.Secondary, 0.05, 1.0),
        Sourced.Assumed(10, "assumed: rescheduling, process start, NCCL initialisation (reading the checkpoint is counted from its size)", 5, 30));
}

/// <summary>
/// Goodput of a whole run with checkpoint/restart (Young 1974; Daly 2006). Interruptions arrive
/// at rate λ = devices / MTBF_device (a job-level MTBF of M = 1/λ); checkpoints of S bytes are
/// written every τ seconds, blocking training for δ = S/(b·devices), and restored in the same δ
/// after a restart of R. Young/Daly's first-order optimum is τ = √(2·δ·M). Per unit of useful
/// work the wall time is (1 + δ/τ) / (1 − λ·(R + δ + (τ + δ)/2)): each interruption loses the
/// restart, the restore, and on average half a checkpoint interval of work. Goodput is its
/// inverse; when the denominator reaches zero, interruptions come faster than work is saved and
/// the run never finishes (goodput 0). The wall days also count what MLPerf-style time-to-train
/// counts besides training: evaluation (<see cref="EvaluationAssumptions"/>, lost to interruptions
/// like training) and one initialisation at the start, costed as a restart (process start, NCCL
/// set-up; a fresh run reads no checkpoint):
/// <code>days with downtime = (training days + evaluation days) / goodput + R</code>
/// </summary>
public sealed record Goodput(
    double Share,
    double ExpectedInterruptions,
    double DaysWithDowntime,
    double JobMtbfHours,
    double CheckpointGb,
    double CheckpointWriteS,
    double CheckpointIntervalS,
    ReliabilityAssumptions Inputs,
    double EvaluationDays = 0,
    double InitialisationS = 0)
{
    /// <summary>Bytes of a checkpoint per parameter: 16-bit weights plus fp32 master weights, momentum and variance (mixed-precision Adam).</summary>
    public const double CheckpointBytesPerParameter = 2 + 12;

    public static Goodput For(double failureFreeDays, int devices, double parameters, ReliabilityAssumptions r, double evaluationDays = 0)
    {
        double m = r.MtbfDeviceHours.Value * 3600 / Math.Max(1, devices);
        double bytes = parameters * CheckpointBytesPerParameter;
        double delta = bytes / (r.CheckpointGBpsPerDevice.Value * 1e9 * Math.Max(1, devices));
        double tau = Math.Sqrt(2 * delta * m);
        double restart = r.RestartMinutes.Value * 60;
        double lost = (restart + delta + (tau + delta) / 2) / m;
        double share = lost >= 1 ? 0 : (1 - lost) / (1 + delta / tau);
        double days = share > 0 ? (failureFreeDays + evaluationDays) / share + restart / 86400 : double.PositiveInfinity;
        return new Goodput(share, days * 86400 / m, days, m / 3600, bytes / 1e9, delta, tau, r, evaluationDays, restart);
    }

    /// <summary>One line for the assumption list.</summary>
    public string Describe() =>
        $"goodput {Share:P1}: an interruption every {JobMtbfHours:0.##} h (MTBF {Inputs.MtbfDeviceHours.Value:N0} device-hours ÷ devices), " +
        $"checkpoints of {CheckpointGb:N0} GB written in {CheckpointWriteS:0.#} s every {CheckpointIntervalS / 60:0.#} min (Young/Daly √(2·δ·M)), " +
        $"restart {Inputs.RestartMinutes.Value:0.#} min plus the restore; wall days include the downtime, {EvaluationDays:0.##} days of evaluation and {InitialisationS / 60:0.#} min of initialisation";
}
