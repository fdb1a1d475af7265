namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// One accelerator as counted in "devices" (a GPU, a Gaudi card, a TPU chip, one MI250X GCD).
/// Bandwidths are per device and per direction, in GB/s; FLOP/s are dense (no 2:4 sparsity).
/// </summary>
public sealed record Accelerator(
    string Id,
    string Name,
    string Vendor,
    Sourced PeakTflops16,
    Sourced? PeakTflopsFp8,
    Sourced HbmGb,
    Sourced HbmTBps,
    Sourced ScaleUpGBps,
    Sourced ScaleOutGBps,
    Sourced TdpW,
    Sourced IdleW,
    /// <summary>Largest fraction of peak a large, well-shaped BF16 GEMM reaches (measured maximum achievable matmul FLOPS).</summary>
    Sourced MatmulEfficiency,
    Sourced? OnChipSramMb = null,
    string Notes = "",
    /// <summary>As <see cref="MatmulEfficiency"/> for FP8 GEMMs, where measured (null: use the 16-bit fraction).</summary>
    Sourced? MatmulEfficiencyFp8 = null,
    /// <summary>Streaming multiprocessors or compute units that GEMM tiles are spread over (an integer; null: unknown).</summary>
    Sourced? ComputeUnits = null,
    /// <summary>Share of the measured matmul maximum that GEMMs sustain inside a training step, where fitted (null: not calibrated, 1).</summary>
    Sourced? SustainedMatmulShare = null,
    /// <summary>Host time to launch one transformer layer's forward kernels when driving this device, where fitted (null: the software stack's default).</summary>
    Sourced? LaunchS = null,
    /// <summary>Board power limit set by the operator (nvidia-smi -pl), W; null: the TDP, the default limit.</summary>
    Sourced? PowerLimitW = null,
    /// <summary>Dense FP4 (NVFP4/MXFP4) peak, where the device has FP4 tensor cores (null: FP4 GEMMs run at the FP8 peak).</summary>
    Sourced? PeakTflopsFp4 = null,
    /// <summary>Link to host memory per device and direction, GB/s (PCIe, Infinity Fabric, NVLink-C2C); null: unknown, so activations cannot be offloaded.</summary>
    Sourced? HostLinkGBps = null,
    /// <summary>Host memory per device, GB (the node's system memory over its devices); null: unknown, not checked.</summary>
    Sourced? HostMemoryGb = null,
    /// <summary>Measured board power against locked clock under training load; null: the generic clock/power law (Energy.PowerLimitedClock).</summary>
    ClockPowerCurve? ClockPower = null,
    /// <summary>Silicon generation (catalog <c>architecture</c>): which kernel measurements apply; <see cref="DeviceArchitecture.Unknown"/> when not stated.</summary>
    DeviceArchitecture Architecture = DeviceArchitecture.Unknown)
{
    /// <summary>The power limit in force: the operator's cap, else the TDP.</summary>
    public double PowerLimit => PowerLimitW?.Value ?? TdpW.Value;

    /// <summary>Share of the microbenchmark maximum that GEMMs sustain inside a training step: the
    /// catalog's <c>sustained_matmul_share</c> (fitted per accelerator, with its source), else 1
    /// (not calibrated: the measured maximum is taken as is).</summary>
    public double SustainedShare => SustainedMatmulShare?.Value ?? 1.0;

    /// <summary>Dense peak for GEMMs at the given precision; FP4 falls back to FP8 and FP8 to 16-bit where the device lacks the units.</summary>
    public double PeakTflops(Precision precision) =>
        precision is Precision.Fp4 && PeakTflopsFp4 is not null ? PeakTflopsFp4.Value
        : precision is Precision.Fp8 or Precision.Fp4 && PeakTflopsFp8 is not null ? PeakTflopsFp8.Value : PeakTflops16.Value;

    /// <summary>Largest fraction of <see cref="PeakTflops"/> a well-shaped GEMM reaches at the given precision. No FP4 GEMM has
    /// been measured, so FP4 takes the FP8 fraction (an assumption every FP4 estimate states).</summary>
    public double MatmulEfficiencyAt(Precision precision) =>
        precision is Precision.Fp8 or Precision.Fp4 && PeakTflopsFp8 is not null && MatmulEfficiencyFp8 is not null
            ? MatmulEfficiencyFp8.Value
            : MatmulEfficiency.Value;
}
