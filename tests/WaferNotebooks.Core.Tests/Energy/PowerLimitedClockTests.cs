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

    /// <summary>A device with a measured curve: 1,500 MHz at 600 W, 1,200 at 400, 900 at 250; idle 100 W, TDP 500 W.</summary>
    static Accelerator Curved(double cap) => TestSystems.H100 with
    {
        TdpW = new Sourced(500, "test"),
        IdleW = new Sourced(100, "test"),
        PowerLimitW = new Sourced(cap, "test"),
        ClockPower = new ClockPowerCurve([1500, 1200, 900], [600, 400, 250], "test"),
    };

    [Theory]
    // f(TDP 500 W) = 1200 + 300·(500 − 400)/(600 − 400) = 1350 MHz.
    [InlineData(500, 1.0)]
    [InlineData(400, 1200.0 / 1350)]
    [InlineData(300, 1000.0 / 1350)]   // 900 + 300·(300 − 250)/(400 − 250)
    [InlineData(175, 450.0 / 1350)]    // below the lowest point: straight to idle at 0 MHz, 900·(175 − 100)/(250 − 100)
    public void A_measured_curve_replaces_the_cubic_law(double cap, double share) =>
        Assert.Equal(share, PowerLimitedClock.ClockShare(Curved(cap)), 1e-12);

    [Fact]
    public void A_curve_whose_top_lies_below_the_TDP_pins_the_clock_there()
    {
        // The curve tops out at 600 W; with a 700 W TDP every cap from 600 W up keeps the top clock.
        var a = Curved(650) with { TdpW = new Sourced(700, "test") };
        Assert.Equal(1.0, PowerLimitedClock.ClockShare(a), 1e-12);
        Assert.Equal(1200.0 / 1500, PowerLimitedClock.ClockShare(a with { PowerLimitW = new Sourced(400, "test") }), 1e-12);
    }

    [Theory]
    // Segments P = a + b·f: 1200–1500 MHz a = −400 W, 900–1200 a = −200 W, 0–900 a = idle; margin = idle − a.
    [InlineData(1250, 1450, 500)]
    [InlineData(1000, 1100, 300)]
    [InlineData(1000, 1300, 300)]
    [InlineData(700, 1100, 0)]
    public void The_energy_saving_margin_is_the_least_over_the_curve_segments_spanned(double lowMhz, double highMhz, double margin) =>
        Assert.Equal(margin, PowerLimitedClock.EnergySavingMarginW(Curved(500), lowMhz / 1350, highMhz / 1350), 1e-9);

    [Fact]
    public void The_energy_saving_margin_of_the_cubic_law_is_twice_its_dynamic_power_above_the_voltage_floor()
    {
        // H100 test device: idle 75 W, TDP 700 W → 2·625·r³ at the low end; 0 below φ = ½.
        Assert.Equal(2 * 625 * 0.729, PowerLimitedClock.EnergySavingMarginW(TestSystems.H100, 0.9, 0.95), 1e-9);
        Assert.Equal(0, PowerLimitedClock.EnergySavingMarginW(TestSystems.H100, 0.4, 0.95));
    }

    [Fact]
    public void The_catalog_A100_follows_its_measured_training_curve()
    {
        var a100 = SimulatorCatalog.Default.FindAccelerator("a100-80gb");
        Assert.NotNull(a100.ClockPower);
        // Catalog points (Perseus GPT-3 175B stages): 1,230 MHz 364.5 W, 1,290 MHz 411.5 W → 400 W at 1,230 + 60·35.5/47;
        // 1,170 MHz 326.7 W → 350 W at 1,170 + 60·23.3/37.8.
        double atTdp = 1230 + 60 * 35.5 / 47, at350 = 1170 + 60 * 23.3 / 37.8;
        var capped = a100 with { PowerLimitW = new Sourced(350, "test") };
        Assert.Equal(at350 / atTdp, PowerLimitedClock.ClockShare(capped), 1e-9);
        Assert.Contains("measured clock/power curve", PowerLimitedClock.Describe(capped));
        Assert.Contains("no measured clock/power curve", PowerLimitedClock.Describe(Capped(500)));
    }

    [Theory]
    // Catalog points (MLPerf Inference v4.0 DGX H100, capped over uncapped throughput): share 1 at 700 W,
    // 0.820 at 450, 0.766 at 400, 0.735 at 350, 0.707 at 300; idle 75 W.
    [InlineData("h100-sxm", 700, 1.0)]
    [InlineData("h100-sxm", 600, 0.820 + 0.180 * 150 / 250)]   // 0.928
    [InlineData("h100-sxm", 500, 0.820 + 0.180 * 50 / 250)]    // 0.856
    [InlineData("h100-sxm", 425, 0.766 + 0.054 * 25 / 50)]     // 0.793
    [InlineData("h100-sxm", 200, 0.707 * 125 / 225)]           // below 300 W: straight to idle at clock 0
    [InlineData("h100-sxm-96gb", 500, 0.820 + 0.180 * 50 / 250)] // Grand Teton's part, torchtitan's 500 W default limit
    [InlineData("h800", 500, 0.820 + 0.180 * 50 / 250)]
    // H100 PCIe (MLPerf v3.1 capped BERT): 1 at 350 W, 0.872 at 300, 0.868 at 290; idle 50 W.
    [InlineData("h100-pcie", 325, 0.872 + 0.128 * 25 / 50)]    // 0.936
    [InlineData("h100-pcie", 250, 0.868 * 200 / 240)]          // below 290 W: straight to idle at clock 0
    public void The_catalog_H100s_follow_their_capped_against_uncapped_MLPerf_throughput(string id, double cap, double share)
    {
        var h100 = SimulatorCatalog.Default.FindAccelerator(id);
        Assert.True(h100.ClockPower is { ClockIsShare: true });
        var capped = h100 with { PowerLimitW = new Sourced(cap, "test") };
        Assert.Equal(share, PowerLimitedClock.ClockShare(capped), 1e-9);
        if (cap < h100.TdpW.Value) Assert.Contains($"of the {h100.TdpW.Value:0} W clock at the cap", PowerLimitedClock.Describe(capped));
    }

    [Fact]
    public void A_share_curve_reads_like_a_megahertz_curve_scaled_by_its_top_clock()
    {
        // The test curve above written as shares of its 1,500 MHz top: every clock share is the same.
        var shares = Curved(300) with { ClockPower = new ClockPowerCurve([1, 0.8, 0.6], [600, 400, 250], "test", ClockIsShare: true) };
        Assert.Equal(PowerLimitedClock.ClockShare(Curved(300)), PowerLimitedClock.ClockShare(shares), 1e-12);
        Assert.Equal(PowerLimitedClock.EnergySavingMarginW(Curved(500), 0.7, 0.95),
            PowerLimitedClock.EnergySavingMarginW(shares with { PowerLimitW = new Sourced(500, "test") }, 0.7, 0.95), 1e-9);
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
