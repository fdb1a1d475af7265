using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Energy;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Tests.GpuTests;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.EnergyModelTests;

public class PowerLimitedClockTests
{
    [Theory]
    // Hand-derived with P_static = 100 W, TDP = 700 W: f/f_TDP = ((cap − 100)/600)^(1/3) above the
    // voltage floor (dynamic share ≥ 1/8, i.e. cap ≥ 175 W), 0.5·share/(1/8) below it.
    [InlineData(700, 1.0)]
    [InlineData(800, 1.0)]            // the TDP is the top of the range
    [InlineData(400, 0.7937005259841)] // (300/600)^(1/3) = 0.5^(1/3)
    [InlineData(175, 0.5)]            // exactly at the floor: both branches give ½
    [InlineData(137.5, 0.25)]         // (37.5/600) = 1/16 → 0.5 · (1/16)/(1/8)
    public void Clock_share_follows_the_cubic_dynamic_power_law_above_the_voltage_floor(double cap, double share) =>
        Assert.Equal(share, PowerLimitedClock.ClockShare(100, 700, cap), 1e-9);

    [Fact]
    public void The_clock_is_continuous_and_monotone_in_the_cap()
    {
        double previous = 0;
        for (double cap = 101; cap <= 700; cap += 0.5)
        {
            double share = PowerLimitedClock.ClockShare(100, 700, cap);
            Assert.True(share >= previous, $"clock fell from {previous} to {share} at {cap} W");
            Assert.True(share - previous < 0.01, $"clock jumps at {cap} W");
            previous = share;
        }
    }

    static Accelerator Capped(double cap) => TestSystems.H100 with { PowerLimitW = new Sourced(cap, "test") };

    [Fact]
    public void At_the_TDP_gemm_efficiency_is_unchanged_and_under_a_cap_it_scales_with_the_clock()
    {
        var a = TestSystems.H100;
        double atTdp = MatmulEfficiency.ComputeFraction(a, 8192, 8192, 8192);
        Assert.Equal(atTdp, MatmulEfficiency.ComputeFraction(Capped(700), 8192, 8192, 8192), 1e-12);
        // H100 test device: idle 75 W, TDP 700 W; cap 500 W → ((500 − 75)/625)^(1/3) = 0.68^(1/3).
        double share = Math.Cbrt(425.0 / 625);
        Assert.Equal(share, PowerLimitedClock.ClockShare(Capped(500)), 1e-12);
        Assert.Equal(atTdp * share, MatmulEfficiency.ComputeFraction(Capped(500), 8192, 8192, 8192), 1e-12);
    }

    [Fact]
    public void A_memory_bound_gemm_keeps_its_time_under_a_cap()
    {
        // M = 1 row: a matrix-vector product, bound by HBM, whose clock the cap does not touch.
        double full = MatmulEfficiency.Seconds(TestSystems.H100, Precision.Bf16, 1, 8192, 8192);
        Assert.Equal(full, MatmulEfficiency.Seconds(Capped(400), Precision.Bf16, 1, 8192, 8192), 1e-15);
    }

    [Fact]
    public void A_capped_estimate_is_slower_draws_the_cap_when_busy_and_says_so()
    {
        var job = new TrainingJob(SimulatorCatalog.Default.FindModel("llama2-7b"), 1e11, 512, 4096, Precision.Bf16);
        var layout = new Layout(1, 1, 64, 1, 1, 1, 1, 1, Recompute.Selective, false);
        var est = new GpuEstimator();
        var full = est.Estimate(job, TestSystems.DgxH100, 64, layout, EconomicAssumptions.Default);
        var capped = est.Estimate(job, TestSystems.DgxH100 with { Device = Capped(500) }, 64, layout, EconomicAssumptions.Default);
        double share = Math.Cbrt(425.0 / 625);
        // Compute divides by the clock share, all but its kernel-launch overheads and the few
        // HBM-bound GEMMs (together under 0.5% here); the rest of the step does not depend on the clock.
        Assert.InRange(capped.Breakdown["compute"], full.Breakdown["compute"] / share * 0.995, full.Breakdown["compute"] / share);
        Assert.Equal(full.Breakdown["other"], capped.Breakdown["other"], 1e-12);
        Assert.Contains(capped.Assumptions, s => s.Contains("power cap 500 W of TDP 700 W"));
        Assert.Contains("of the TDP clock (power cap 500 W)", capped.Breakdown.Parts.Single(p => p.Name == "compute").Description);
        Assert.True(capped.AveragePowerKw < full.AveragePowerKw);
    }
}
