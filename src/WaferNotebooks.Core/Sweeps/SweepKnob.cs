using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Sweeps;

/// <summary>An input a sweep can vary besides the device count.</summary>
public enum KnobKind
{
    /// <summary>Global batch in sequences (tokens per step change with it).</summary>
    GlobalBatch,
    /// <summary>Sequence length in tokens; the global batch in sequences stays as it is.</summary>
    SeqLen,
    /// <summary>Training tokens of the whole run.</summary>
    Tokens,
    /// <summary>Rental price, USD per device-hour.</summary>
    Price,
    /// <summary>Power usage effectiveness of the data centre.</summary>
    Pue,
    /// <summary>Grid carbon intensity, g CO2 per kWh.</summary>
    Carbon,
}

/// <summary>A second axis for a sweep: one knob and the values it takes.</summary>
public sealed record SweepKnob(KnobKind Kind, IReadOnlyList<double> Values)
{
    /// <summary>The job and economics with the knob set to <paramref name="value"/>.</summary>
    public (TrainingJob Job, EconomicAssumptions Economics) Apply(TrainingJob job, EconomicAssumptions economics, double value)
    {
        var given = Sourced.Assumed(value, $"sweep value of {Kind}");
        return Kind switch
        {
            KnobKind.GlobalBatch => (job with { GlobalBatchSeqs = (int)value }, economics),
            KnobKind.SeqLen => (job with { SeqLen = (int)value }, economics),
            KnobKind.Tokens => (job with { Tokens = value }, economics),
            KnobKind.Price => (job, economics with { PricePerDeviceHour = given }),
            KnobKind.Pue => (job, economics with { Pue = given }),
            KnobKind.Carbon => (job, economics with { GramsCo2PerKwh = given }),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
        };
    }

    /// <summary>Rejects values the knob cannot take, naming the first bad one.</summary>
    public void Check()
    {
        if (Values.Count == 0)
            throw new WaferInputException($"The {Kind} sweep needs at least one value.");
        var integral = Kind is KnobKind.GlobalBatch or KnobKind.SeqLen;
        var minimum = Kind is KnobKind.Price or KnobKind.Carbon ? 0.0 : 1.0;
        foreach (var v in Values)
        {
            if (!double.IsFinite(v) || v < minimum || (integral && (v != Math.Floor(v) || v > int.MaxValue)))
                throw new WaferInputException(
                    $"{Kind} cannot be {v}: it takes {(integral ? "whole numbers" : "numbers")} of at least {minimum}.");
        }
    }
}
