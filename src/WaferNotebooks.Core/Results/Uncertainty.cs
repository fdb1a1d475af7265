namespace WaferNotebooks.Core.Results;

/// <summary>Low and high of one result metric over the ranges of the inputs.</summary>
public sealed record MetricRange(double Low, double High);

/// <summary>Low/high of the headline metrics; the nominal values are the estimate's own.</summary>
public sealed record EstimateRanges(
    MetricRange StepTimeS,
    MetricRange TimeToTrainDays,
    MetricRange TokensPerS,
    MetricRange EnergyMwh,
    MetricRange CostUsd,
    MetricRange Co2Tonnes,
    string Method);

/// <summary>
/// One row of the sensitivity (tornado) table: an uncertain input moved to its low and its
/// high value, all else nominal, and what that does to time to train, energy, cost and CO2.
/// </summary>
public sealed record Sensitivity(
    string Parameter,
    string Source,
    double NominalValue,
    double LowValue,
    double HighValue,
    double DaysAtLow,
    double DaysAtHigh,
    double MwhAtLow,
    double MwhAtHigh,
    double? CostAtLow = null,
    double? CostAtHigh = null,
    double? Co2AtLow = null,
    double? Co2AtHigh = null)
{
    /// <summary>Width of the swing in days, used to rank rows.</summary>
    public double Swing => Math.Abs(DaysAtHigh - DaysAtLow);
}
