namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// A catalog constant that <c>wafer calibrate</c> can fit to measured runs: its name (the
/// catalog key and the value of <c>--fit</c>), where it lives on the accelerator record, and the
/// bounds of the search with the reason for them. Setting null removes the fit (the
/// uncalibrated default).
/// </summary>
public sealed record CalibratedConstant(
    string Name,
    string Description,
    double Low,
    double High,
    double Tolerance,
    string BoundsReason,
    Func<Accelerator, double> Get,
    Func<Accelerator, Sourced?, Accelerator> Set,
    Func<Accelerator, Sourced?> Given)
{
    /// <summary>Upper bound of <c>launch_s</c>, also the catalog's limit.</summary>
    public const double MaxLaunchS = 0.005;

    public static readonly CalibratedConstant SustainedMatmulShare = new("sustained_matmul_share",
        "share of the measured matmul maximum that GEMMs sustain inside a training step",
        0.5, 1.0, 1e-3,
        "a share of the microbenchmark maximum is at most 1; below 0.5 a device would lose half its measured GEMM rate in training, " +
        "beyond the sustained-clock drops reported for power-capped GPUs",
        a => a.SustainedShare, (a, v) => a with { SustainedMatmulShare = v }, a => a.SustainedMatmulShare);

    public static readonly CalibratedConstant LaunchS = new("launch_s",
        "host time to launch one transformer layer's forward kernels (s); backward takes twice that",
        0, MaxLaunchS, 1e-5,
        "0 is a host that never holds the GPU up (CUDA graphs); 5 ms is 250 launches at 20 µs, six times the ~40 kernels of a Megatron layer",
        a => a.LaunchS?.Value ?? GpuSoftware.EagerLayerForwardS, (a, v) => a with { LaunchS = v }, a => a.LaunchS);

    public static IReadOnlyList<CalibratedConstant> All { get; } = [SustainedMatmulShare, LaunchS];

    public static CalibratedConstant Find(string name, string givenBy) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new WaferInputException($"{givenBy}: '{name}' is not a constant that can be fitted; known: {string.Join(", ", All.Select(c => c.Name))}");
}
