using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Estimation;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.PlanningTests;

/// <summary>A system only <see cref="FakeEstimator"/> supports.</summary>
public sealed record FakeSystem(string SystemId, int? Max = 1024, double CapacityGb = 80) : SystemSpec(SystemId, "Fake cluster", "for planner tests")
{
    public override string DeviceNoun => "device";
    public override int? MaxDevices => Max;
    public override Sourced PricePerDeviceHour => new(2, "test price");
}

/// <summary>
/// A synthetic estimator whose time, energy and cost are chosen to disagree about the best
/// layout, so the planner's ranking and Pareto logic can be checked exactly. Memory is weights
/// split over tp·pp (2 GB per billion parameters, like 16-bit weights); a layout that does not
/// fit in <see cref="FakeSystem.CapacityGb"/> is infeasible.
/// </summary>
public sealed class FakeEstimator : IEstimator
{
    private static readonly Lazy<FakeEstimator> registered = new(() =>
    {
        var e = new FakeEstimator();
        Simulator.Register(e);
        return e;
    });

    /// <summary>The instance registered with <see cref="Simulator"/> (registered once per test run).</summary>
    public static FakeEstimator Registered => registered.Value;

    public int Calls;

    public bool Supports(SystemSpec system) => system is FakeSystem;

    public IEnumerable<Layout> CandidateLayouts(TrainingJob job, SystemSpec system, int devices)
    {
        foreach (var tp in new[] { 1, 2, 4, 8 })
        foreach (var pp in new[] { 1, 2, 4, 8, 16 })
        foreach (var mb in new[] { 1, 2, 4 })
            if (devices % (tp * pp) == 0)
                yield return new Layout(Tp: tp, Pp: pp, Dp: devices / (tp * pp), MicroBatch: mb);
    }

    public Estimate Estimate(TrainingJob job, SystemSpec system, int devices, Layout layout, EconomicAssumptions economics)
    {
        Interlocked.Increment(ref Calls);
        var fake = (FakeSystem)system;
        var paramsB = job.Model.Layers * 12.0 * job.Model.Hidden * job.Model.Hidden / 1e9;
        var memory = new MemoryBreakdown([new MemoryPart("weights", 2 * paramsB / (layout.Tp * layout.Pp), "16-bit weights")], fake.CapacityGb);
        // Time falls with devices and grows with pipeline depth over micro-batch size and with tp;
        // power grows with micro-batch and falls with tp; the price falls with pipeline depth. Synthetic, for ranking tests only.
        var step = 6 * paramsB * 1e9 * job.TokensPerStep / (devices * 1e14) * (1 + 0.1 * (layout.Pp - 1) / layout.MicroBatch + 0.02 * layout.Tp);
        var hours = step * job.Steps / 3600;
        var kw = devices * (0.3 + 0.2 * layout.MicroBatch - 0.01 * layout.Tp);
        var price = economics.PricePerDeviceHour?.Value ?? system.PricePerDeviceHour.Value;
        var fits = memory.Fits;
        return new Estimate
        {
            Job = job, SystemId = system.Id, DeviceName = "fake", Devices = devices, Layout = layout, ExecutionMode = ExecutionMode.ThreeDParallel,
            Feasible = fits, Reason = fits ? null : $"needs {memory.TotalGb:F1} GB of {fake.CapacityGb:F0} GB per device",
            StepTimeS = step, Breakdown = new StepBreakdown([new StepPart(StepPartKind.Compute, step, "all of it")]),
            TokensPerS = job.TokensPerStep / step, ModelTflopsPerDevice = 100, HardwareTflopsPerDevice = 110, Mfu = 0.4, Hfu = 0.44, Memory = memory,
            TimeToTrainDays = hours / 24, DeviceHours = hours * devices, AveragePowerKw = kw * economics.Pue,
            EnergyMwh = hours * kw * economics.Pue / 1000, CostUsd = hours * devices * price * (1 - 0.04 * layout.Pp),
            Co2Tonnes = hours * kw * economics.Pue * economics.GramsCo2PerKwh / 1e6, Bottleneck = "compute", Assumptions = ["synthetic"],
        };
    }

    public static ModelSpec Model(int layers = 32, int hidden = 4096) =>
        new("fake-7b", "Fake 7B", layers, hidden, 4 * hidden, FfnKind.Gelu, 32, 32, hidden / 32, 32000, 2048);

    public static TrainingJob Job(ModelSpec? model = null, int batch = 512) => new(model ?? Model(), 1e11, batch, 2048);
}
