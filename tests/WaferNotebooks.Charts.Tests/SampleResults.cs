using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Charts.Tests;

/// <summary>Result records built by hand, so chart tests do not depend on the estimators' numbers.</summary>
public static class SampleResults
{
    public static readonly ModelSpec Llama70B = new("llama2-70b", "Llama 2 70B", 80, 8192, 28672, FfnKind.SwiGlu, 64, 8, 128, 32000, 4096);

    public static Estimate Estimate(string system = "dgx-h100", int devices = 512, double days = 52.4, double mwh = 1031, EstimateRanges? ranges = null) => new(
        new TrainingJob(Llama70B, 2e12, 1024, 4096), system, "H100 SXM", devices, new Layout(Tp: 8, Pp: 4, Dp: devices / 32), "3d-parallel", true, null, 9.5,
        new StepBreakdown([new("compute", 7.0, "GEMMs"), new("tp_comm", 1.5, "tensor-parallel all-reduce"), new("bubble", 1.0, "pipeline fill and drain")]),
        441500, 400, 420, 0.41, 0.43,
        new MemoryBreakdown([new("weights", 4.4, "bf16 weights"), new("optimizer", 26.3, "Adam states"), new("activations", 30.0, "selective recompute")], 80),
        days, 644000, 820, mwh, 1.9e6, 378, "compute-bound: GEMMs take 74% of the step", [], ranges);

    public static EstimateRanges Ranges(double days, double mwh) => new(
        new(8, 11), new(days * 0.8, days * 1.3), new(4e5, 5e5), new(mwh * 0.9, mwh * 1.2), new(1.5e6, 2.4e6), new(300, 450), "input ranges, one at a time");
}
