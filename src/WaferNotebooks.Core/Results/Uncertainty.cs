namespace WaferNotebooks.Core.Results;

/// <summary>Low and high of one result metric over the ranges of the inputs.</summary>
public sealed record MetricRange(double Low, double High);

/// <summary>
/// Low/high of the headline metrics over the model's own uncertainty (throughput, power,
/// bandwidths), the user's choices (PUE, price list, grid) held at their values; the nominal
/// values are the estimate's own. <see cref="Choices"/> gives, apart, how far energy, cost and
/// CO2 move over the plausible range of each choice the user did not pin down.
/// </summary>
public sealed record EstimateRanges(
    MetricRange StepTimeS,
    MetricRange TimeToTrainDays,
    MetricRange TokensPerS,
    MetricRange EnergyMwh,
    MetricRange CostUsd,
    MetricRange Co2Tonnes,
    string Method,
    ChoiceRanges? Choices = null);

/// <summary>
/// Low/high of energy, cost and CO2 over the user's choices (the model at its nominal), with
/// the choices that move each. Time and throughput do not depend on them.
/// </summary>
public sealed record ChoiceRanges(ChoiceRange EnergyMwh, ChoiceRange CostUsd, ChoiceRange Co2Tonnes);

/// <summary>One metric's low/high over the choices named in <see cref="Inputs"/> (empty when no open choice moves it).</summary>
public sealed record ChoiceRange(double Low, double High, IReadOnlyList<string> Inputs)
{
    public bool Moves => Inputs.Count > 0 && High > Low;
}

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
