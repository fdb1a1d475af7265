using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Results;

/// <summary>
/// The answer for one training job on one system with one layout, built from named parts.
/// Throughputs are per step in steady state; whole-run figures multiply by the number of steps.
/// MFU and HFU are fractions. When <see cref="Feasible"/> is false, <see cref="Reason"/> says
/// why and the numbers describe the attempted layout as far as they could be computed.
/// An estimator stores numbers only: <see cref="Bottleneck"/>, <see cref="Assumptions"/>,
/// <see cref="Reason"/> and the parts' descriptions are written by <see cref="Text"/> when read,
/// unless they were given explicitly.
/// </summary>
public sealed record Estimate
{
    private readonly string? _reason;
    private readonly string? _bottleneck;
    private readonly IReadOnlyList<string>? _assumptions;

    // The job and where it runs.
    public required TrainingJob Job { get; init; }
    public required string SystemId { get; init; }
    public required string DeviceName { get; init; }
    public required int Devices { get; init; }
    public required Layout Layout { get; init; }
    public required ExecutionMode ExecutionMode { get; init; }

    // The step.
    public required bool Feasible { get; init; }
    public required double StepTimeS { get; init; }
    public required StepBreakdown Breakdown { get; init; }
    public required double TokensPerS { get; init; }
    public required double ModelTflopsPerDevice { get; init; }
    public required double HardwareTflopsPerDevice { get; init; }
    public required double Mfu { get; init; }
    public required double Hfu { get; init; }
    public required MemoryBreakdown Memory { get; init; }

    // The whole run.
    public required double TimeToTrainDays { get; init; }
    public required double DeviceHours { get; init; }
    /// <summary>Average power of the whole installation while training, including PUE, kW.</summary>
    public required double AveragePowerKw { get; init; }
    public required double EnergyMwh { get; init; }
    public required double CostUsd { get; init; }
    public required double Co2Tonnes { get; init; }
    /// <summary>Share of the step the devices' math units are busy, averaged over pipeline stages (GPU-class; it sets
    /// device power between idle and the limit); null where the estimator does not split power that way.</summary>
    public double? BusyShare { get; init; }
    /// <summary>Whole-run interruptions, checkpoints and restarts (GPU-class systems); null where no failure rate is known.</summary>
    public Reliability.Goodput? Goodput { get; init; }

    // What the uncertainty analysis adds.
    public EstimateRanges? Ranges { get; init; }
    public IReadOnlyList<Sensitivity>? Sensitivities { get; init; }

    /// <summary>Writes the words below when they are read; null when they were all given.</summary>
    public EstimateText? Text { get; init; }

    /// <summary>Why the job cannot run as laid out; null when it can.</summary>
    public string? Reason
    {
        get => _reason ?? (Feasible || Text is null ? null : Text.Reason(this));
        init => _reason = value;
    }

    /// <summary>The kind of <see cref="Reason"/> when <see cref="Text"/> writes it and can tell its kind without writing it (<see cref="EstimateText.ReasonKind"/>).</summary>
    internal InfeasibilityKind? ReasonKind => _reason is null && !Feasible ? Text?.ReasonKind(this) : null;

    /// <summary>The bottleneck in words, for the summary card.</summary>
    public string Bottleneck
    {
        get => _bottleneck ?? Text?.Words.Bottleneck ?? "";
        init => _bottleneck = value;
    }

    /// <summary>
    /// The modelling assumptions behind the numbers, most general first; for a job that does not
    /// fit, only those its memory and layout rest on. <see cref="InputNotes"/> come last.
    /// </summary>
    public IReadOnlyList<string> Assumptions
    {
        get
        {
            var modelled = _assumptions ?? Text?.Words.Applying(Feasible) ?? [];
            return InputNotes.Count == 0 ? modelled : [.. modelled, .. InputNotes];
        }
        init => _assumptions = value;
    }

    /// <summary>
    /// What the user's options did not do on this run: an option that changed nothing here or does
    /// not apply to this system. Every subcommand that shows the estimate says them, so no option
    /// is dropped silently.
    /// </summary>
    public IReadOnlyList<string> InputNotes { get; init; } = [];

    public string ModelId => Job.Model.Id;
    public double TokensPerSPerDevice => TokensPerS / Devices;
}
