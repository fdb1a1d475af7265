namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// The silicon generation of an accelerator, as the catalog's <c>architecture</c> field names it.
/// Kernel measurements are made on one generation and carry to the devices of that generation
/// only (fused attention: <see cref="Gpu.AttentionKernels"/>), so the generation is stated, never
/// guessed from the id. <see cref="Unknown"/>: the field was left out (a user's device), and only
/// the priors that hold for any device apply.
/// </summary>
public enum DeviceArchitecture
{
    Unknown,
    Volta,
    Ampere,
    Hopper,
    Blackwell,
    Cdna2,
    Cdna3,
    Cdna4,
    Gaudi2,
    Gaudi3,
    Trainium1,
    Trainium2,
    TpuV3,
    TpuV4,
    TpuV5e,
    TpuV5p,
    TpuV6e,
}

/// <summary>The catalog spelling of <see cref="DeviceArchitecture"/> (<c>hopper</c>, <c>cdna3</c>, <c>tpu-v5p</c>).</summary>
public static class DeviceArchitectureNames
{
    static readonly (DeviceArchitecture Value, string Name)[] Names =
        Enum.GetValues<DeviceArchitecture>().Where(v => v != DeviceArchitecture.Unknown)
            .Select(v => (v, Spell(v))).ToArray();

    /// <summary>Every name the catalog accepts, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = Names.Select(n => n.Name).ToArray();

    /// <summary>The catalog name: lowercase, a hyphen before a TPU version (tpu-v5p).</summary>
    public static string Name(DeviceArchitecture a) => a == DeviceArchitecture.Unknown ? "unknown" : Spell(a);

    /// <summary>The generation a catalog name stands for; null when the name is not one of <see cref="All"/>.</summary>
    public static DeviceArchitecture? Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        foreach (var (value, name) in Names)
            if (name == t) return value;
        return null;
    }

    static string Spell(DeviceArchitecture a)
    {
        var s = a.ToString().ToLowerInvariant();
        return s.StartsWith("tpu", StringComparison.Ordinal) ? "tpu-" + s[3..] : s;
    }
}
