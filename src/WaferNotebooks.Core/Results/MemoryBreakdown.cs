namespace WaferNotebooks.Core.Results;

/// <summary>One share of a device's memory, GB: weights, gradients, optimizer, activations, buffers.</summary>
public sealed record MemoryPart(string Name, double Gb, string Description);

/// <summary>
/// Memory per device (GPU: HBM; wafer: on-wafer SRAM) against its capacity. Estimators store
/// the sizes only; the parts' descriptions are written from the estimate's
/// <see cref="EstimateText"/> when <see cref="Parts"/> is first read. A part named
/// <see cref="HostPart"/> (activations offloaded to host memory) is listed but held off the
/// device: it is not in <see cref="TotalGb"/>.
/// </summary>
public sealed class MemoryBreakdown
{
    /// <summary>The part held in host memory rather than on the device (activation offload).</summary>
    public const string HostPart = "offloaded";

    private readonly string[] _names;
    private readonly double[] _gb;
    private readonly EstimateText? _text;
    private IReadOnlyList<MemoryPart>? _parts;

    /// <summary>A breakdown whose parts carry their descriptions already.</summary>
    public MemoryBreakdown(IReadOnlyList<MemoryPart> parts, double capacityGb, string where = "HBM")
    {
        _parts = parts;
        _names = new string[parts.Count];
        _gb = new double[parts.Count];
        for (var i = 0; i < parts.Count; i++)
            (_names[i], _gb[i]) = (parts[i].Name, parts[i].Gb);
        (CapacityGb, Where, TotalGb) = (capacityGb, where, Sum(_names, _gb));
    }

    /// <summary>Sizes by part in <paramref name="names"/> order; descriptions come from <paramref name="text"/> when read.</summary>
    public MemoryBreakdown(string[] names, double[] gb, double capacityGb, string where, EstimateText? text)
    {
        if (names.Length != gb.Length)
            throw new ArgumentException($"{names.Length} memory part names for {gb.Length} sizes.", nameof(gb));
        (_names, _gb, _text) = (names, gb, text);
        (CapacityGb, Where, TotalGb) = (capacityGb, where, Sum(names, gb));
    }

    /// <summary>The parts in breakdown order, with their descriptions.</summary>
    public IReadOnlyList<MemoryPart> Parts => _parts ??= Describe();

    public double CapacityGb { get; }

    /// <summary>Which memory: HBM, SRAM (usable).</summary>
    public string Where { get; }

    public double TotalGb { get; }

    public bool Fits => TotalGb <= CapacityGb;

    /// <summary>GB held in host memory (the <see cref="HostPart"/>), not counted in <see cref="TotalGb"/>; 0 without offload.</summary>
    public double HostGb => this[HostPart];

    /// <summary>GB of the part with this name; 0 for a part the breakdown lacks.</summary>
    public double this[string name]
    {
        get
        {
            var i = Array.IndexOf(_names, name);
            return i < 0 ? 0 : _gb[i];
        }
    }

    /// <summary>Name and size of the largest part on the device (the first of equals), without writing any description.</summary>
    public (string Name, double Gb) LargestPart
    {
        get
        {
            var best = -1;
            for (var i = 0; i < _gb.Length; i++)
                if ((best < 0 || _gb[i].CompareTo(_gb[best]) > 0) && !string.Equals(_names[i], HostPart, StringComparison.Ordinal))
                    best = i;
            return best < 0 ? ("", 0) : (_names[best], _gb[best]);
        }
    }

    private IReadOnlyList<MemoryPart> Describe()
    {
        var descriptions = _text?.Words.MemoryDescriptions;
        var parts = new MemoryPart[_names.Length];
        for (var i = 0; i < parts.Length; i++)
            parts[i] = new MemoryPart(_names[i], _gb[i], descriptions is not null && i < descriptions.Count ? descriptions[i] : "");
        return parts;
    }

    private static double Sum(string[] names, double[] values)
    {
        double sum = 0;
        for (var i = 0; i < values.Length; i++)
            if (!string.Equals(names[i], HostPart, StringComparison.Ordinal)) sum += values[i];
        return sum;
    }
}
