using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Economics;

/// <summary>
/// Facility and market assumptions that turn device-hours into MWh, $ and t CO2. Every default
/// carries its source; every field is a command option (--pue, --price, --carbon, and the
/// reliability options).
/// </summary>
public sealed record EconomicAssumptions(Sourced Pue, Sourced? PricePerDeviceHour, Sourced GramsCo2PerKwh, Reliability.ReliabilityAssumptions? Reliability = null,
    Reliability.EvaluationAssumptions? Evaluation = null)
{
    /// <summary>Evaluation interval and size (--eval-interval, --eval-iters), else Megatron-LM's defaults.</summary>
    public Reliability.EvaluationAssumptions Evaluations => Evaluation ?? Core.Reliability.EvaluationAssumptions.Default;

    /// <summary>Interruption rate, checkpoint bandwidth and restart time of the facility (--mtbf, --checkpoint-bandwidth, --restart-min), else their sourced defaults.</summary>
    public Reliability.ReliabilityAssumptions Failures => Reliability ?? Core.Reliability.ReliabilityAssumptions.Default;

    /// <summary>Defaults; the price is null so the system's catalog price applies.</summary>
    public static EconomicAssumptions Default { get; } = new(
        new Sourced(1.2, "Uptime Institute Global Data Center Survey 2023: average annual PUE 1.58; hyperscale AI halls report 1.1–1.2 (Google fleet 1.10, 2023). 1.2 taken as a modern AI data centre.", Confidence.Secondary, 1.08, 1.58),
        null,
        new Sourced(367, "IEA/Ember 2023 world average electricity carbon intensity, about 0.37 kg CO2/kWh (US grid 2023: 369 g/kWh, EIA).", Confidence.Secondary, 50, 700));
}
