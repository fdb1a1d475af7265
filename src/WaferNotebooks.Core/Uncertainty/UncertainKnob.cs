using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;

namespace WaferNotebooks.Core.Uncertainty;

/// <summary>
/// One input with a low/high range: a <see cref="Sourced"/> field of the system, of a record
/// inside it (its accelerator), or of the economic assumptions. <see cref="Apply"/> returns
/// copies of the system and the economics with only this input moved.
/// <see cref="Choice"/> names the user's choice the input stands for (where the job runs and
/// what it pays: PUE, the price list, the grid's carbon intensity); it is null for the model's
/// own uncertainty (throughput, power, bandwidths), which no choice of the user removes.
/// </summary>
public sealed record UncertainKnob(string Name, Sourced Input, Func<SystemSpec, EconomicAssumptions, double, (SystemSpec System, EconomicAssumptions Economics)> Apply, string? Choice = null)
{
    /// <summary>Human names of the economic assumptions, each a choice of site or supplier (every one is a command option: --pue, --price, --carbon).</summary>
    static readonly Dictionary<string, string> ChoiceNames = new()
    {
        ["pue"] = "PUE",
        ["price_per_device_hour"] = "price",
        ["grams_co2_per_kwh"] = "grid carbon intensity",
    };

    /// <summary>
    /// Every ranged input of this system and these economics, found by walking the records'
    /// properties, so a field added to the catalog is swept without touching this code.
    /// When the economics override the price, the system's own price is not a knob.
    /// </summary>
    public static IReadOnlyList<UncertainKnob> Enumerate(SystemSpec system, EconomicAssumptions economics)
    {
        var knobs = new List<UncertainKnob>();
        var overriddenPrice = economics.PricePerDeviceHour is null ? null : system.PricePerDeviceHour;
        foreach (var (name, input, set) in WalkRecord(system, ""))
            if (!ReferenceEquals(input, overriddenPrice))
                knobs.Add(new(name, input, (s, e, v) => ((SystemSpec)set(s, input.WithValue(v)), e),
                    // The catalog's price range spans price lists (on-demand to reserved), which the user picks.
                    ReferenceEquals(input, system.PricePerDeviceHour) ? ChoiceNames["price_per_device_hour"] : null));
        foreach (var (name, input, set) in WalkRecord(economics, "economics."))
        {
            // An economic input not listed as a choice (a failure rate, say) stays model uncertainty.
            knobs.Add(new(name, input, (s, e, v) => (s, (EconomicAssumptions)set(e, input.WithValue(v))), ChoiceNames.GetValueOrDefault(name["economics.".Length..])));
        }
        return knobs;
    }

    /// <summary>
    /// The records whose properties are walked, by their exact type: reflection over a type named
    /// here is kept by the trimmer of the published <c>wafer</c> (Native AOT), where reflection over
    /// <c>GetType()</c> of any object would find no properties and drop every range. A system of
    /// another kind (a test's fake) has no ranged inputs; a record of the catalog inside a walked
    /// record that is not listed here fails loudly instead of silently losing its ranges.
    /// </summary>
    static IEnumerable<(string Name, Sourced Input, Func<object, Sourced, object> Set)> WalkRecord(object record, string prefix) => record switch
    {
        GpuCluster r => Walk(r, prefix),
        WaferCluster r => Walk(r, prefix),
        Accelerator r => Walk(r, prefix),
        EconomicAssumptions r => Walk(r, prefix),
        // Measured points without ranges: the curve's spread is not published, so it adds no knob.
        ClockPowerCurve => [],
        SystemSpec => [],
        _ => throw new InvalidOperationException(
            $"{record.GetType().Name} holds catalog numbers but is not listed in UncertainKnob.WalkRecord, so its ranges would be lost; add it there."),
    };

    /// <summary>Ranged Sourced properties under <paramref name="record"/>, each with a function that returns a copy of the root with that property replaced.</summary>
    static IEnumerable<(string Name, Sourced Input, Func<object, Sourced, object> Set)> Walk<[DynamicallyAccessedMembers(Walked)] T>(T record, string prefix)
        where T : notnull
    {
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            var value = property.GetValue(record);
            if (value is Sourced { HasRange: true } sourced)
                yield return (prefix + KeyOf(property), sourced, (root, v) => With<T>(root, property, v));
            else if (value is not null and not Sourced && value.GetType() is { IsClass: true, IsArray: false } type && type.Namespace == typeof(Sourced).Namespace)
                foreach (var (name, input, set) in WalkRecord(value, prefix + KeyOf(property) + "."))
                    yield return (name, input, (root, v) => With<T>(root, property, set(property.GetValue(root)!, v)));
        }
    }

    /// <summary>What <see cref="Walk{T}"/> reads: the properties, and the records' <c>&lt;Clone&gt;$</c>.</summary>
    const DynamicallyAccessedMemberTypes Walked = DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicMethods;

    /// <summary>A copy of a record with one init-only property replaced (what a `with` expression does).</summary>
    static object With<[DynamicallyAccessedMembers(Walked)] T>(object record, PropertyInfo property, object value)
    {
        var copy = typeof(T).GetMethod("<Clone>$")!.Invoke(record, null)!;
        property.SetValue(copy, value);
        return copy;
    }

    /// <summary>The catalog file's key where the record names it, else the property in snake_case.</summary>
    public static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? Regex.Replace(property.Name, "(?<=[a-z0-9])([A-Z])", "_$1").ToLowerInvariant();
}
