using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>Systems built from the contract records with datasheet values, so the GPU model's tests do not depend on the catalog's tuning.</summary>
static class TestSystems
{
    static Sourced S(double v) => new(v, "test value (datasheet)");

    public static Accelerator A100(double hbmGb = 80, double hbmTBps = 2.039) => new(
        "a100-test", "A100 SXM4 test", "NVIDIA", S(312), null, S(hbmGb), S(hbmTBps), S(300), S(25), S(400), S(60), S(0.87),
        Architecture: DeviceArchitecture.Ampere);

    public static Accelerator H100 { get; } = new(
        "h100-test", "H100 SXM5 test", "NVIDIA", S(989), S(1979), S(80), S(3.35), S(450), S(50), S(700), S(75), S(0.80),
        Architecture: DeviceArchitecture.Hopper);

    public static GpuCluster Cluster(string id, Accelerator a, double upGBps, double outGBps, int perNode = 8) =>
        new(id, id, a, perNode, perNode, S(upGBps), S(outGBps), S(3), S(8), S(1500), null, S(2.0));

    // Achievable collective bandwidths: ~82% of NVLink link rate, ~90% of NIC rate (nccl-tests).
    public static GpuCluster DgxA100 { get; } = Cluster("dgx-a100-80gb", A100(), 246, 22.5);
    public static GpuCluster DgxH100 { get; } = Cluster("dgx-h100", H100, 370, 45);

    public static SystemSpec Find(string id) => id switch
    {
        "dgx-a100-80gb" => DgxA100,
        "dgx-a100-40gb" => Cluster(id, A100(40, 1.555), 246, 22.5),
        "p4d-a100-40gb" => Cluster(id, A100(40, 1.555), 246, 5.3),
        "jeanzay-a100-80gb" => Cluster(id, A100(), 246, 5.6),
        "vtrain-a100" => Cluster(id, A100(), 150, 12.5),
        "dgx-h100" => DgxH100,
        "h100-roce" => Cluster(id, H100, 370, 42),
        _ => throw new KeyNotFoundException($"no test system '{id}'"),
    };
}
