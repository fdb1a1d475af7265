namespace WaferNotebooks.Core.Results;

/// <summary>One share of a device's memory, GB: weights, gradients, optimizer, activations, buffers.</summary>
public sealed record MemoryPart(string Name, double Gb, string Description);

/// <summary>Memory per device (GPU: HBM; wafer: on-wafer SRAM) against its capacity.</summary>
public sealed record MemoryBreakdown(IReadOnlyList<MemoryPart> Parts, double CapacityGb, string Where = "HBM")
{
    public double TotalGb => Parts.Sum(p => p.Gb);
    public bool Fits => TotalGb <= CapacityGb;
    public double this[string name] => Parts.FirstOrDefault(p => p.Name == name)?.Gb ?? 0;
}
