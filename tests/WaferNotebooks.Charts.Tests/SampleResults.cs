using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Charts.Tests;

/// <summary>Result records built by hand, so chart tests do not depend on the estimators' numbers.</summary>
public static class SampleResults
{
    public static readonly ModelSpec Llama70B = new("llama2-70b", "Llama 2 70B", 80, 8192, 28672, FfnKind.SwiGlu, 64, 8, 128, 32000, 4096);

    public static Estimate Estimate(string system = "dgx-h100", int devices = 512, double days = 52.4, double mwh = 1031, EstimateRanges? ranges = null) => new()
    {
        Job = new TrainingJob(Llama70B, 2e12, 1024, 4096), SystemId = system, DeviceName = "H100 SXM", Devices = devices,
        Layout = new Layout(Tp: 8, Pp: 4, Dp: devices / 32), ExecutionMode = ExecutionMode.ThreeDParallel, Feasible = true, StepTimeS = 9.5,
        Breakdown = new StepBreakdown([new("compute", 7.0, "GEMMs"), new("tp_comm", 1.5, "tensor-parallel all-reduce"), new("bubble", 1.0, "pipeline fill and drain")]),
        TokensPerS = 441500, ModelTflopsPerDevice = 400, HardwareTflopsPerDevice = 420, Mfu = 0.41, Hfu = 0.43,
        Memory = new MemoryBreakdown([new("weights", 4.4, "bf16 weights"), new("optimizer", 26.3, "Adam states"), new("activations", 30.0, "selective recompute")], 80),
        TimeToTrainDays = days, DeviceHours = 644000, AveragePowerKw = 820, EnergyMwh = mwh, CostUsd = 1.9e6, Co2Tonnes = 378,
        Bottleneck = "compute-bound: GEMMs take 74% of the step", Assumptions = [], Ranges = ranges,
    };

    public static EstimateRanges Ranges(double days, double mwh) => new(
        new(8, 11), new(days * 0.8, days * 1.3), new(4e5, 5e5), new(mwh * 0.9, mwh * 1.2), new(1.5e6, 2.4e6), new(300, 450), "input ranges, one at a time");
}
