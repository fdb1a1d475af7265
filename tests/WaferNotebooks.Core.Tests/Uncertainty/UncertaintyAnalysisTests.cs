using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Estimation;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Tests.Wafer;
using WaferNotebooks.Core.Uncertainty;
using WaferNotebooks.Core.Wafer;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.Uncertainty;

public class UncertaintyAnalysisTests
{
    static readonly WaferEstimator Estimator = new();

    static Estimate Analyzed(WaferCluster system, TrainingJob job, int systems, EconomicAssumptions? economics = null)
    {
        economics ??= WaferFixtures.Economics;
        var best = Estimator.Best(job, system, systems, economics);
        return UncertaintyAnalysis.Analyze(Estimator, job, system, systems, best.Layout, economics);
    }

    static Estimate Andromeda => Analyzed(WaferFixtures.Cs2, WaferFixtures.Job(WaferFixtures.Gpt3Xl, 528, 26e9), 16);
    static Estimate NeoXOnCs3 => Analyzed(WaferFixtures.Cs3, WaferFixtures.Job(WaferFixtures.NeoX20B, 1538, 412e9), 1);

    public static TheoryData<string> ClusterIds => new() { "cs-2", "cs-3" };

    [Theory]
    [MemberData(nameof(ClusterIds))]
    public void Every_ranged_catalog_number_appears_in_the_sensitivity_table(string id)
    {
        var e = id == "cs-2" ? Andromeda : NeoXOnCs3;
        var cluster = WaferFixtures.Clusters.Single(c => c.Id == id);
        var rows = e.Sensitivities!.Select(s => s.Parameter.Split(' ')[0]).ToHashSet();
        var ranged = typeof(WaferCluster).GetProperties()
            .Where(p => p.PropertyType == typeof(Sourced) && p.CanWrite && ((Sourced)p.GetValue(cluster)!).HasRange)
            .Select(UncertainKnob.KeyOf).ToList();
        Assert.NotEmpty(ranged);
        Assert.All(ranged, name => Assert.Contains(name, rows));
        Assert.Contains("economics.pue", rows);
        Assert.Contains("economics.grams_co2_per_kwh", rows);
        Assert.Equal(ranged.Count + 2, e.Sensitivities!.Count);
    }

    [Fact]
    public void The_ranges_bracket_the_nominal_for_every_metric_and_are_really_uncertain()
    {
        var e = NeoXOnCs3;
        var r = e.Ranges!;
        foreach (var (range, nominal) in new[] { (r.StepTimeS, e.StepTimeS), (r.TimeToTrainDays, e.TimeToTrainDays), (r.TokensPerS, e.TokensPerS), (r.EnergyMwh, e.EnergyMwh), (r.CostUsd, e.CostUsd), (r.Co2Tonnes, e.Co2Tonnes) })
        {
            Assert.InRange(nominal, range.Low, range.High);
            Assert.True(range.High > 1.2 * range.Low, $"{range} is too narrow for inputs this uncertain");
        }
        Assert.Contains("corner", r.Method);
    }

    [Fact]
    public void The_corners_reach_at_least_as_far_as_any_single_input()
    {
        var e = NeoXOnCs3;
        var rows = e.Sensitivities!;
        Assert.True(e.Ranges!.TimeToTrainDays.High >= rows.Max(s => Math.Max(s.DaysAtLow, s.DaysAtHigh)));
        Assert.True(e.Ranges.TimeToTrainDays.Low <= rows.Min(s => Math.Min(s.DaysAtLow, s.DaysAtHigh)));
        // Several inputs slow the run together, so the corner is wider than the widest single swing.
        Assert.True(e.Ranges.TimeToTrainDays.High - e.Ranges.TimeToTrainDays.Low > rows[0].Swing);
    }

    [Fact]
    public void The_tornado_is_ranked_by_swing_and_led_by_compute_when_the_wafer_is_compute_bound()
    {
        var rows = NeoXOnCs3.Sensitivities!;
        Assert.Equal(rows.OrderByDescending(s => s.Swing).Select(s => s.Swing), rows.Select(s => s.Swing));
        Assert.Contains(rows[0].Parameter, new[] { "peak_tflops16", "compute_utilisation" });
        // Price and carbon intensity do not change time, but they move cost and CO2.
        var price = rows.Single(s => s.Parameter == "price");
        Assert.Equal(0, price.Swing, 9);
        Assert.True(price.CostAtHigh > price.CostAtLow);
        var carbon = rows.Single(s => s.Parameter == "economics.grams_co2_per_kwh");
        Assert.True(carbon.Co2AtHigh > carbon.Co2AtLow);
    }

    [Fact]
    public void When_the_wafer_waits_for_io_the_io_bandwidth_moves_the_time()
    {
        var job = WaferFixtures.Job(WaferFixtures.Gpt3Xl, 16, 1e9);
        var layout = new Parallel.Layout(Dp: 16, MicroBatch: 1);
        var e = UncertaintyAnalysis.Analyze(Estimator, job, WaferFixtures.Cs2, 16, layout, WaferFixtures.Economics);
        var io = e.Sensitivities!.Single(s => s.Parameter == "system_io_gbps");
        Assert.True(io.DaysAtLow > io.DaysAtHigh, "less I/O bandwidth must be slower when I/O-bound");
        Assert.True(io.Swing > 0.1 * e.TimeToTrainDays);
    }

    [Fact]
    public void An_infeasible_extreme_is_marked_and_left_out_of_the_ranges()
    {
        // 50 sequences per pass without recompute, activations beyond SRAM offloaded: the fp32 logits and the layer in
        // flight (27.7 GB) + 2 GB of stream buffers per CS-2 fit the nominal 32 GB of usable SRAM (80% of 40) but not the low 28 GB (70%).
        var job = WaferFixtures.Job(WaferFixtures.Gpt3Xl, 800, 1e9);
        var layout = new Parallel.Layout(Dp: 16, MicroBatch: 50);
        var e = UncertaintyAnalysis.Analyze(Estimator, job, WaferFixtures.Cs2, 16, layout, WaferFixtures.Economics);
        Assert.True(e.Feasible, e.Reason);
        var row = e.Sensitivities!.Single(s => s.Parameter.StartsWith("usable_sram_fraction"));
        Assert.Equal("usable_sram_fraction (infeasible at low)", row.Parameter);
        Assert.Equal(e.TimeToTrainDays, row.DaysAtLow);
        Assert.InRange(e.TimeToTrainDays, e.Ranges!.TimeToTrainDays.Low, e.Ranges.TimeToTrainDays.High);
        Assert.Contains("infeasible", e.Ranges.Method);
    }

    [Fact]
    public void An_infeasible_job_gets_no_ranges_only_its_reason()
    {
        var job = WaferFixtures.Job(WaferFixtures.Gpt3Xl, 8, 1e9);
        var e = UncertaintyAnalysis.Analyze(Estimator, job, WaferFixtures.Cs2, 16, new Parallel.Layout(Dp: 16), WaferFixtures.Economics);
        Assert.False(e.Feasible);
        Assert.Null(e.Ranges);
        Assert.Null(e.Sensitivities);
    }

    /// <summary>A minimal GPU-class estimator (6·N·D at peak × efficiency, power at TDP) to show the analysis is not wafer-specific.</summary>
    sealed class PeakRateEstimator : IEstimator
    {
        public bool Supports(SystemSpec system) => system is GpuCluster;

        public IEnumerable<Parallel.Layout> CandidateLayouts(TrainingJob job, SystemSpec system, int devices) => [new Parallel.Layout(Dp: devices)];

        public Estimate Estimate(TrainingJob job, SystemSpec system, int devices, Parallel.Layout layout, EconomicAssumptions economics)
        {
            var g = (GpuCluster)system;
            double flops = devices * g.Device.PeakTflops16.Value * 1e12 * g.Device.MatmulEfficiency.Value;
            double step = 6 * 1e9 * job.TokensPerStep / flops;
            double hours = job.Steps * step / 3600;
            double kw = devices * g.Device.TdpW.Value / 1e3 * economics.Pue.Value;
            double price = (economics.PricePerDeviceHour ?? g.Price).Value;
            return new Estimate
            {
                Job = job, SystemId = g.Id, DeviceName = g.Device.Name, Devices = devices, Layout = layout, ExecutionMode = ExecutionMode.ThreeDParallel,
                Feasible = true, StepTimeS = step, Breakdown = new StepBreakdown([new StepPart(StepPartKind.Compute, step, "")]),
                TokensPerS = job.TokensPerStep / step, ModelTflopsPerDevice = 0, HardwareTflopsPerDevice = 0, Mfu = 0, Hfu = 0,
                Memory = new MemoryBreakdown([], 80), TimeToTrainDays = hours / 24, DeviceHours = devices * hours, AveragePowerKw = kw,
                EnergyMwh = kw * hours / 1e3, CostUsd = price * devices * hours, Co2Tonnes = kw * hours / 1e3 * economics.GramsCo2PerKwh.Value / 1e3,
                Bottleneck = "compute", Assumptions = [],
            };
        }
    }

    [Fact]
    public void Any_estimator_is_analysed_including_the_inputs_of_the_systems_accelerator_and_an_overridden_price()
    {
        var gpu = new Accelerator("test-gpu", "Test GPU", "Test",
            new Sourced(1000, "datasheet"), null, new Sourced(80, "datasheet"), new Sourced(3, "datasheet"),
            new Sourced(450, "datasheet"), new Sourced(50, "datasheet"),
            new Sourced(700, "datasheet", Confidence.Secondary, 600, 700), new Sourced(100, "assumed", Confidence.Assumed, 80, 120),
            new Sourced(0.8, "measured maximum", Confidence.Measured, 0.7, 0.85));
        var cluster = new GpuCluster("test-cluster", "Test cluster", gpu, 8, 8, gpu.ScaleUpGBps, gpu.ScaleOutGBps,
            new Sourced(2, "assumed"), new Sourced(5, "assumed"), new Sourced(2000, "assumed"), null,
            new Sourced(2, "rental", Confidence.Secondary, 1.5, 3));
        var job = WaferFixtures.Job(WaferFixtures.Gpt3Xl, 512, 1e11);
        var economics = EconomicAssumptions.Default with { PricePerDeviceHour = new Sourced(4, "quote", Confidence.Secondary, 3, 5) };

        var e = UncertaintyAnalysis.Analyze(new PeakRateEstimator(), job, cluster, 64, new Parallel.Layout(Dp: 64), economics);

        var names = e.Sensitivities!.Select(s => s.Parameter).ToList();
        Assert.Contains("device.matmul_efficiency", names);
        Assert.Contains("device.tdp_w", names);
        Assert.Contains("economics.price_per_device_hour", names);
        Assert.DoesNotContain("price", names);
        Assert.Equal("device.matmul_efficiency", names[0]);
        // Time scales as 1/efficiency, so the corners are exact here: 0.8/0.85 and 0.8/0.7 of nominal.
        Assert.Equal(e.TimeToTrainDays * 0.8 / 0.85, e.Ranges!.TimeToTrainDays.Low, 9);
        Assert.Equal(e.TimeToTrainDays * 0.8 / 0.7, e.Ranges.TimeToTrainDays.High, 9);
        // The model's range holds the price at its value (issue 13 splits model uncertainty from
        // the user's choices; before, this low was 3/4 · 0.8/0.85 of nominal, the price folded in).
        Assert.Equal(e.CostUsd * 0.8 / 0.85, e.Ranges.CostUsd.Low, 6);
        Assert.Equal(e.CostUsd * 0.8 / 0.7, e.Ranges.CostUsd.High, 6);
    }

    [Fact]
    public void The_users_choices_get_their_own_range_with_the_model_at_nominal_and_leave_the_model_range()
    {
        // The same hand-checkable estimator: time ∝ 1/efficiency (0.7–0.85 around 0.8), power ∝ TDP
        // (600–700 around 700) × PUE (1.08–1.58 around 1.2), cost ∝ price (3–5 around 4) × hours,
        // CO2 ∝ energy × grid intensity (50–700 around 367 g/kWh).
        var gpu = new Accelerator("test-gpu", "Test GPU", "Test",
            new Sourced(1000, "datasheet"), null, new Sourced(80, "datasheet"), new Sourced(3, "datasheet"),
            new Sourced(450, "datasheet"), new Sourced(50, "datasheet"),
            new Sourced(700, "datasheet", Confidence.Secondary, 600, 700), new Sourced(100, "assumed"),
            new Sourced(0.8, "measured maximum", Confidence.Measured, 0.7, 0.85));
        var cluster = new GpuCluster("test-cluster", "Test cluster", gpu, 8, 8, gpu.ScaleUpGBps, gpu.ScaleOutGBps,
            new Sourced(2, "assumed"), new Sourced(5, "assumed"), new Sourced(2000, "assumed"), null,
            new Sourced(4, "rental", Confidence.Secondary, 3, 5));
        var job = WaferFixtures.Job(WaferFixtures.Gpt3Xl, 512, 1e11);

        var e = UncertaintyAnalysis.Analyze(new PeakRateEstimator(), job, cluster, 64, new Parallel.Layout(Dp: 64), EconomicAssumptions.Default);
        var model = e.Ranges!;
        var choices = model.Choices!;

        // Model: efficiency and TDP only. CO2 and energy ∝ TDP/efficiency (the hours cancel the rate).
        Assert.Equal(e.Co2Tonnes * (600.0 / 700) * (0.8 / 0.85), model.Co2Tonnes.Low, 6);
        Assert.Equal(e.Co2Tonnes * 0.8 / 0.7, model.Co2Tonnes.High, 6);
        Assert.Equal(e.EnergyMwh * 0.8 / 0.7, model.EnergyMwh.High, 6);
        // Choices: the model at nominal.
        Assert.Equal(e.EnergyMwh * 1.08 / 1.2, choices.EnergyMwh.Low, 6);
        Assert.Equal(e.EnergyMwh * 1.58 / 1.2, choices.EnergyMwh.High, 6);
        Assert.Equal(["PUE"], choices.EnergyMwh.Inputs);
        Assert.Equal(e.CostUsd * 3 / 4, choices.CostUsd.Low, 6);
        Assert.Equal(e.CostUsd * 5 / 4, choices.CostUsd.High, 6);
        Assert.Equal(["price"], choices.CostUsd.Inputs);
        Assert.Equal(e.Co2Tonnes * (1.08 / 1.2) * (50.0 / 367), choices.Co2Tonnes.Low, 6);
        Assert.Equal(e.Co2Tonnes * (1.58 / 1.2) * (700.0 / 367), choices.Co2Tonnes.High, 6);
        Assert.Equal(["grid carbon intensity", "PUE"], choices.Co2Tonnes.Inputs.Order());
        // The tornado keeps every input, choices included.
        Assert.Contains(e.Sensitivities!, s => s.Parameter == "economics.grams_co2_per_kwh");
        Assert.Contains(e.Sensitivities!, s => s.Parameter == "price");
    }

    [Fact]
    public void Choices_the_user_pinned_down_are_no_range()
    {
        var economics = EconomicAssumptions.Default with
        {
            Pue = new Sourced(1.1, "given"), GramsCo2PerKwh = new Sourced(30, "given"), PricePerDeviceHour = new Sourced(2, "given"),
        };
        var e = Analyzed(WaferFixtures.Cs3, WaferFixtures.Job(WaferFixtures.NeoX20B, 1538, 412e9), 1, economics);
        Assert.Null(e.Ranges!.Choices);
        Assert.True(e.Ranges.Co2Tonnes.High > e.Ranges.Co2Tonnes.Low, "the model's own power uncertainty still moves CO2");
    }
}

public class GpuUncertaintyTests
{
    [Fact]
    public void The_gpu_estimator_gets_ranges_and_a_tornado_from_the_same_analysis()
    {
        var catalog = SimulatorCatalog.Default;
        var system = catalog.FindSystem("dgx-h100");
        var job = WaferFixtures.Job(catalog.FindModel("gpt3-1.3b"), 512, 26e9);
        var gpu = new Core.Gpu.GpuEstimator();
        var nominal = gpu.CandidateLayouts(job, system, 64)
            .Select(l => gpu.Estimate(job, system, 64, l, EconomicAssumptions.Default)).Where(e => e.Feasible).MinBy(e => e.StepTimeS)!;

        var e = UncertaintyAnalysis.Analyze(gpu, job, system, 64, nominal.Layout, EconomicAssumptions.Default);

        Assert.Equal(nominal.StepTimeS, e.StepTimeS);
        Assert.InRange(e.TimeToTrainDays, e.Ranges!.TimeToTrainDays.Low, e.Ranges.TimeToTrainDays.High);
        Assert.InRange(e.EnergyMwh, e.Ranges.EnergyMwh.Low, e.Ranges.EnergyMwh.High);
        var cluster = (GpuCluster)system;
        var ranged = typeof(GpuCluster).GetProperties().Where(p => p.PropertyType == typeof(Sourced) && p.CanWrite)
            .Where(p => ((Sourced)p.GetValue(cluster)!).HasRange).Select(UncertainKnob.KeyOf)
            .Concat(typeof(Accelerator).GetProperties().Where(p => p.PropertyType == typeof(Sourced) && p.CanWrite)
                .Where(p => p.GetValue(cluster.Device) is Sourced { HasRange: true }).Select(p => "device." + UncertainKnob.KeyOf(p)))
            .ToList();
        Assert.NotEmpty(ranged);
        Assert.All(ranged, name => Assert.Contains(e.Sensitivities!, s => s.Parameter.Split(' ')[0] == name));
        Assert.Contains(e.Sensitivities!, s => s.Parameter == "economics.pue" && s.MwhAtHigh > s.MwhAtLow);
    }
}
