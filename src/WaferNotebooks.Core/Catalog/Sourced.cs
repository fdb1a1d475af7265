namespace WaferNotebooks.Core.Catalog;

/// <summary>How far a catalog number can be trusted.</summary>
public enum Confidence
{
    /// <summary>Measured and published (a benchmark, a paper's measurement).</summary>
    Measured,
    /// <summary>A vendor datasheet figure.</summary>
    Datasheet,
    /// <summary>Derived from published figures by arithmetic stated in the source text.</summary>
    Derived,
    /// <summary>A secondary source (press, analyst) or a vendor marketing claim.</summary>
    Secondary,
    /// <summary>Our assumption or calibration; the source text says what it was fitted to.</summary>
    Assumed,
}

/// <summary>
/// A number with its provenance. Where the value is not a dense, measured figure it carries a
/// low/high range, which the uncertainty analysis sweeps.
/// </summary>
public sealed record Sourced(double Value, string Source, Confidence Confidence = Confidence.Datasheet, double? Low = null, double? High = null)
{
    public bool HasRange => Low is not null && High is not null && (Low != Value || High != Value);

    public Sourced WithValue(double value) => this with { Value = value };

    public static implicit operator double(Sourced s) => s.Value;

    public static Sourced Assumed(double value, string why, double? low = null, double? high = null) =>
        new(value, why, Confidence.Assumed, low, high);

    public override string ToString() => HasRange ? $"{Value:G4} ({Low:G4}–{High:G4})" : Value.ToString("G4");
}
