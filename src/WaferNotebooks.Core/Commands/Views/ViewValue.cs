using System.Collections;
using System.Diagnostics.CodeAnalysis;
using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// What a number of a view measures. It decides how the number reads (<see cref="ValueText.Format"/>);
/// JSON writes the bare number under a key that names the unit (<c>_s</c>, <c>_gb</c>, <c>_mwh</c>).
/// </summary>
public enum ViewUnit
{
    /// <summary>A plain quantity, three significant figures.</summary>
    Plain,
    /// <summary>A count of whole things (devices, rows), with thousands separators.</summary>
    Count,
    /// <summary>A large count with K/M/B/T (tokens, steps).</summary>
    Tokens,
    /// <summary>A quantity of mixed size with K/M/B/T (a swept knob's values).</summary>
    Scaled,
    /// <summary>Throughput of a whole system, with K/M/B.</summary>
    TokensPerSecond,
    /// <summary>Throughput of one device, three significant figures.</summary>
    TokensPerSecondPerDevice,
    Seconds,
    Hours,
    Days,
    /// <summary>A share (MFU, goodput, efficiency), shown as a percentage.</summary>
    Fraction,
    /// <summary>A signed relative error, shown as +4.5%.</summary>
    RelativeError,
    Gigabytes,
    GigabytesPerSecond,
    TflopsPerSecond,
    Kilowatts,
    MegawattHours,
    Usd,
    Tonnes,
    DeviceHours,
    /// <summary>A fitted or catalog constant, four significant digits.</summary>
    Constant,
}

/// <summary>A typed value of a view: what the text and the card print and what the JSON exporter writes.</summary>
public abstract record ViewValue
{
    [return: NotNullIfNotNull(nameof(text))]
    public static implicit operator ViewValue?(string? text) => text is null ? null : new ViewString(text);

    public static implicit operator ViewValue(int value) => new ViewInteger(value);

    public static implicit operator ViewValue(long value) => new ViewInteger(value);

    public static implicit operator ViewValue(bool value) => new ViewFlag(value);

    /// <summary>An optional integer: null stays null.</summary>
    public static ViewValue? Of(int? value) => value is { } v ? new ViewInteger(v) : null;

    public static ViewValue? Of(bool? value) => value is { } v ? new ViewFlag(v) : null;

    public static ViewArray Strings(IEnumerable<string> items) => new([.. items.Select(s => (ViewValue?)new ViewString(s))]);

    /// <summary>An enum member in snake_case: GlobalBatch → global_batch.</summary>
    public static ViewString SnakeCase<T>(T value) where T : struct, Enum =>
        new(string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())));
}

/// <summary>
/// A number with its unit and, where the inputs are uncertain, its range over the model's
/// uncertainty (<see cref="Range"/>) and apart over the user's open choices (<see cref="Choices"/>).
/// NaN or ±∞ is a number that does not exist (a run that does not fit): "–" in text, null in JSON.
/// </summary>
public sealed record ViewNumber(double Value, ViewUnit Unit, MetricRange? Range = null, ChoiceRange? Choices = null) : ViewValue
{
    /// <summary>How the number reads: its value in its unit's format.</summary>
    public override string ToString() => ValueText.Format(Value, Unit);

    /// <summary>An optional number: null stays null.</summary>
    public static ViewNumber? Of(double? value, ViewUnit unit) => value is { } v ? new ViewNumber(v, unit) : null;
}

public sealed record ViewInteger(long Value) : ViewValue
{
    public override string ToString() => ValueText.Format(Value, ViewUnit.Count);
}

public sealed record ViewString(string Value) : ViewValue
{
    public override string ToString() => Value;
}

public sealed record ViewFlag(bool Value) : ViewValue
{
    public override string ToString() => Value ? "yes" : "no";
}

public sealed record ViewArray(IReadOnlyList<ViewValue?> Items) : ViewValue
{
    public static ViewArray Of<T>(IEnumerable<T> items, Func<T, ViewValue?> map) => new([.. items.Select(map)]);
}

/// <summary>Another result's view inside this one (each estimate of a comparison), with fields of its own place (a sweep point's device count).</summary>
public sealed record NestedView(ResultView View, ViewRecord? Extra = null) : ViewValue;

/// <summary>
/// A document with a format of its own, written into the JSON as it is: the fit calibrate writes
/// to its overlay file, so <c>--json</c> and the file cannot disagree. People see the fit as a table.
/// </summary>
public sealed record ViewDocument(System.Text.Json.Nodes.JsonNode Node) : ViewValue;

/// <summary>One keyed value of a <see cref="ViewRecord"/>; a null value is a value that does not exist.</summary>
public sealed record ViewField(string Key, ViewValue? Value);

/// <summary>
/// Keyed typed values in order: the result for programs, which the facts, tables and notes of a
/// view show to people by referring to the same <see cref="ViewNumber"/> objects. Keys are the
/// snake_case names of <c>--json</c>, written out so that renaming a C# member cannot change them.
/// </summary>
public sealed record ViewRecord : ViewValue, IEnumerable<ViewField>
{
    private readonly List<ViewField> fields = [];

    public IReadOnlyList<ViewField> Fields => fields;

    /// <summary>Sets a field; a key set again keeps its place and takes the new value.</summary>
    public ViewValue? this[string key]
    {
        get => fields.Find(f => f.Key == key)?.Value;
        set
        {
            var i = fields.FindIndex(f => f.Key == key);
            if (i >= 0) fields[i] = new ViewField(key, value);
            else fields.Add(new ViewField(key, value));
        }
    }

    /// <summary>The number under <paramref name="key"/>, for a fact or cell that shows it.</summary>
    public ViewNumber Number(string key) => this[key] as ViewNumber ?? throw new KeyNotFoundException($"No number '{key}' in the record.");

    /// <summary>Name → number, in order (the step's parts, memory's parts).</summary>
    public static ViewRecord Map(IEnumerable<(string Key, ViewNumber Value)> items)
    {
        var record = new ViewRecord();
        foreach (var (key, value) in items) record[key] = value;
        return record;
    }

    public IEnumerator<ViewField> GetEnumerator() => fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
