using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Energy;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Tests.GpuTests;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.EnergyModelTests;

/// <summary>Each pipeline stage's devices are busy for their own stage's kernels and idle for the rest of the step (docs/gpu-model.md §7).</summary>
public class StageEnergyTests
{
    [Fact]
    public void Two_uneven_stages_by_hand()
    {
        // Step 8 s; stage 1 busy 6 s, stage 2 busy 3 s; idle 100 W, limit 700 W.
        // Stage 1 device: (6·700 + 2·100) / 8 = 550 W; stage 2 device: (3·700 + 5·100) / 8 = 325 W; mean 437.5 W.
        Assert.Equal(437.5, DevicePower.Watts(100, 700, DevicePower.BusyShare(6 + 3, 2, 8)), 1e-9);
        // The slowest stage's busy share for every device would give 100 + 600·6/8 = 550 W.
        Assert.Equal(DevicePower.Watts(100, 700, 6.0 / 8), DevicePower.Watts(100, 700, DevicePower.BusyShare(6, 1, 8)), 1e-9);
    }

    static readonly ModelSpec Llama7 = SimulatorCatalog.Default.FindModel("llama2-7b");
    static readonly TrainingJob Job = new(Llama7, 1e9, 64, 4096);
    static readonly GpuCluster H100 = TestSystems.DgxH100;

    static Estimate Run(Layout l, int devices) => new GpuEstimator().Estimate(Job, H100, devices, l, EconomicAssumptions.Default);

    /// <summary>
    /// pp=2 with 20 and 12 layers against the same tp, dp and micro-batches without a pipeline:
    /// the unpipelined run is busy for every layer's kernels, the logit layer's and the whole
    /// optimizer update (Llama 2's embeddings are untied, so the two stages' weights add up to
    /// the whole model's), which is what the two stages' devices are busy for between them.
    /// </summary>
    [Fact]
    public void Two_uneven_stages_draw_power_for_their_own_busy_time()
    {
        var whole = Run(new Layout(8, 1, 1, 1, 1, 1, 1, 0, Recompute.Selective, true), 8);
        var split = Run(new Layout(8, 2, 1, 1, 1, 1, 1, 0, Recompute.Selective, true) with { FirstStageLayers = 20, LastStageLayers = 12 }, 16);
        var b = whole.Breakdown;
        double busyOverStages = b[StepPartKind.Compute] + b[StepPartKind.Recompute] + b[StepPartKind.Other] + b[StepPartKind.Optimizer];
        double step = split.StepTimeS;
        var a = H100.Device;
        double deviceW = a.IdleW.Value + (a.PowerLimit - a.IdleW.Value) * busyOverStages / (2 * step);
        double expectedKw = (16 * deviceW + H100.Nodes(16) * H100.NodeOverheadW.Value) * EconomicAssumptions.Default.Pue.Value / 1000;
        Assert.Equal(expectedKw, split.AveragePowerKw, expectedKw * 1e-9);
        Assert.Equal(expectedKw * split.TimeToTrainDays * 24 / 1000, split.EnergyMwh, split.EnergyMwh * 1e-9);

        // The 20-layer stage sets the pace; its busy share for all devices would be the old, higher figure.
        var s = split.Breakdown;
        double slowestStageBusy = s[StepPartKind.Compute] + s[StepPartKind.Recompute] + s[StepPartKind.Other] + s[StepPartKind.Optimizer];
        double slowestW = a.IdleW.Value + (a.PowerLimit - a.IdleW.Value) * slowestStageBusy / step;
        Assert.True(slowestW > deviceW * 1.05, $"slowest stage {slowestW:0} W, mean over stages {deviceW:0} W");
    }
}
