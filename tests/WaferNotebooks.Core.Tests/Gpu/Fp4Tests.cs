using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>FP4 GEMMs: the FP4 peak where the device has FP4 tensor cores, the FP8 matmul fraction (assumed), NVFP4 input bytes.</summary>
public class Fp4Tests
{
    static Sourced S(double v) => new(v, "test");
    static readonly Accelerator Blackwell = TestSystems.H100 with { PeakTflopsFp4 = S(2 * 1979), MatmulEfficiencyFp8 = S(0.7) };

    [Fact]
    public void Fp4_takes_the_fp4_peak_and_the_fp8_fraction_where_the_device_has_fp4_units()
    {
        Assert.Equal(2 * 1979, Blackwell.PeakTflops(Precision.Fp4));
        Assert.Equal(1979, Blackwell.PeakTflops(Precision.Fp8));
        Assert.Equal(0.7, Blackwell.MatmulEfficiencyAt(Precision.Fp4));
        // Without FP4 units FP4 runs as FP8.
        Assert.Equal(1979, TestSystems.H100.PeakTflops(Precision.Fp4));
        Assert.False(MatmulEfficiency.RunsFourBit(TestSystems.H100, Precision.Fp4));
    }

    [Fact]
    public void A_large_fp4_gemm_takes_half_the_fp8_time_and_a_memory_bound_one_moves_nvfp4_bytes()
    {
        double fp8 = MatmulEfficiency.Seconds(Blackwell, Precision.Fp8, 16384, 16384, 16384) - MatmulEfficiency.KernelOverheadS;
        double fp4 = MatmulEfficiency.Seconds(Blackwell, Precision.Fp4, 16384, 16384, 16384) - MatmulEfficiency.KernelOverheadS;
        Assert.Equal(fp8 / 2, fp4, fp8 * 1e-9);
        // M = 1: bytes = (1·K + K·N)·0.5625 + 1·N·2 at 3.35 TB/s × 0.85.
        double k = 8192, n = 8192;
        double expected = ((k + k * n) * (0.5 + 1.0 / 16) + n * 2) / (3.35e12 * MatmulEfficiency.HbmEfficiency) + MatmulEfficiency.KernelOverheadS;
        Assert.Equal(expected, MatmulEfficiency.Seconds(Blackwell, Precision.Fp4, 1, n, k), 1e-12);
    }

    [Fact]
    public void The_catalog_has_fp4_peaks_for_blackwell_at_twice_fp8()
    {
        foreach (var id in new[] { "b200", "gb200" })
        {
            var a = SimulatorCatalog.Default.FindAccelerator(id);
            Assert.Equal(2 * a.PeakTflopsFp8!.Value, a.PeakTflopsFp4!.Value);
        }
        Assert.Null(SimulatorCatalog.Default.FindAccelerator("h100-sxm").PeakTflopsFp4);
    }
}
