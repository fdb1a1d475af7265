namespace WaferNotebooks.Core.Catalog;

/// <summary>A machine a job can run on: a GPU-class cluster or a wafer-scale cluster.</summary>
public abstract record SystemSpec(string Id, string Name, string Notes)
{
    /// <summary>What one unit of "devices" is (a GPU, a chip, a CS-3 system).</summary>
    public abstract string DeviceNoun { get; }

    /// <summary>The largest count this system can be built with, if it is bounded.</summary>
    public abstract int? MaxDevices { get; }

    /// <summary>Default rental price of one device (GPU) or one system (CS-3) for an hour, USD.</summary>
    public abstract Sourced PricePerDeviceHour { get; }
}

/// <summary>
/// A cluster of accelerators: nodes of <see cref="DevicesPerNode"/> devices, a scale-up domain
/// (NVLink, ICI, Infinity Fabric) of <see cref="ScaleUpDomain"/> devices, and a scale-out
/// network. Bandwidths are per device and per direction (GB/s) as achievable by collectives;
/// latencies are per collective step.
/// </summary>
public sealed record GpuCluster(
    string Id,
    string Name,
    Accelerator Device,
    int DevicesPerNode,
    int ScaleUpDomain,
    Sourced ScaleUpGBps,
    Sourced ScaleOutGBps,
    Sourced ScaleUpLatencyUs,
    Sourced ScaleOutLatencyUs,
    /// <summary>Power per node beyond the accelerators (CPUs, NICs, fans, switches share), W.</summary>
    Sourced NodeOverheadW,
    int? MaxDeviceCount,
    Sourced Price,
    string Notes = "") : SystemSpec(Id, Name, Notes)
{
    public override string DeviceNoun => "device";
    public override int? MaxDevices => MaxDeviceCount;
    public override Sourced PricePerDeviceHour => Price;
    public int Nodes(int devices) => (devices + DevicesPerNode - 1) / DevicesPerNode;
}
