using CsCheck;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.PropertyTests;

/// <summary>
/// Laws every estimator must obey, checked on generated jobs, systems and candidate layouts of
/// both built-in estimators: the breakdown adds up, more bandwidth or more peak never makes a
/// step slower, and the same inputs give the same answer.
/// </summary>
public class EstimatorProperties
{
    private const long Iterations = 150;

    public static TheoryData<string> Estimators => new() { "gpu", "wafer" };

    private static Gen<EstimatorCase> CasesOf(string estimator) => (estimator switch
    {
        "gpu" => EstimatorCases.Gpu,
        _ => EstimatorCases.Wafer,
    }).Where(c => c.Layout is not null);

    private static void NotSlower(Estimate before, Estimate after, string what)
    {
        Assert.True(after.Feasible == before.Feasible, $"{what} changed feasibility: {before.Reason} / {after.Reason}");
        if (before.Feasible)
            Assert.True(after.StepTimeS <= before.StepTimeS * (1 + 1e-12),
                $"{what} made the step slower: {before.StepTimeS} s -> {after.StepTimeS} s");
    }

    [Theory]
    [MemberData(nameof(Estimators))]
    public void Breakdown_parts_are_non_negative_and_sum_to_the_step_time(string estimator) =>
        CasesOf(estimator).Sample(c =>
        {
            var e = c.Run();
            if (!e.Feasible) return;
            Assert.All(e.Breakdown.Parts, p => Assert.True(p.Seconds >= 0, $"{p.Name} is {p.Seconds} s"));
            Assert.Equal(e.StepTimeS, e.Breakdown.Total, e.StepTimeS * 1e-9);
            Assert.Equal(c.Job.TokensPerStep, e.TokensPerS * e.StepTimeS, c.Job.TokensPerStep * 1e-9);
            Assert.InRange(e.Mfu, 0, e.Hfu * (1 + 1e-12));
            Assert.True(e.ModelTflopsPerDevice <= e.HardwareTflopsPerDevice * (1 + 1e-12));
            // Utilisation is against the 16-bit peak, so only 16-bit jobs are bounded by 1.
            if (c.Job.Precision is Precision.Bf16 or Precision.Fp16)
                Assert.InRange(e.Hfu, 0, 1);
        }, iter: Iterations);

    [Theory]
    [MemberData(nameof(Estimators))]
    public void The_same_inputs_give_the_same_estimate(string estimator) =>
        CasesOf(estimator).Sample(c =>
        {
            var (a, b) = (c.Run(), c.Run());
            Assert.Equal(a.Feasible, b.Feasible);
            Assert.Equal(a.Reason, b.Reason);
            Assert.Equal(a.StepTimeS, b.StepTimeS);
            Assert.Equal(a.Breakdown.Parts, b.Breakdown.Parts);
            Assert.Equal(a.Memory.Parts, b.Memory.Parts);
            Assert.Equal((a.EnergyMwh, a.CostUsd, a.Co2Tonnes), (b.EnergyMwh, b.CostUsd, b.Co2Tonnes));
            Assert.Equal(a.Assumptions, b.Assumptions);
        }, iter: Iterations);

    [Theory]
    [MemberData(nameof(Estimators))]
    public void More_scale_out_bandwidth_is_never_slower(string estimator) =>
        Gen.Select(CasesOf(estimator), Gen.Double[1, 8]).Sample((c, factor) =>
            NotSlower(c.Run(), c.Run(MoreScaleOut(c.System, factor)), $"scale-out bandwidth ×{factor:G3}"), iter: Iterations);

    [Theory]
    [MemberData(nameof(Estimators))]
    public void More_peak_compute_is_never_slower(string estimator) =>
        Gen.Select(CasesOf(estimator), Gen.Double[1, 8]).Sample((c, factor) =>
            NotSlower(c.Run(), c.Run(MorePeak(c.System, factor)), $"peak ×{factor:G3}"), iter: Iterations);

    [Fact]
    public void More_scale_up_bandwidth_is_never_slower_on_gpu_clusters() =>
        Gen.Select(CasesOf("gpu"), Gen.Double[1, 8]).Sample((c, factor) =>
        {
            var g = (GpuCluster)c.System;
            NotSlower(c.Run(), c.Run(g with { ScaleUpGBps = Times(g.ScaleUpGBps, factor) }), $"scale-up bandwidth ×{factor:G3}");
        }, iter: Iterations);

    private static Sourced Times(Sourced s, double factor) => s.WithValue(s.Value * factor);

    /// <summary>GPU: the per-device network bandwidth. Wafer: each system's I/O and the SwarmX links.</summary>
    private static SystemSpec MoreScaleOut(SystemSpec system, double f) => system switch
    {
        GpuCluster g => g with { ScaleOutGBps = Times(g.ScaleOutGBps, f) },
        WaferCluster w => w with { SystemIoGBps = Times(w.SystemIoGBps, f), SwarmXLinkGBps = Times(w.SwarmXLinkGBps, f) },
        _ => throw new ArgumentException(system.Id),
    };

    /// <summary>Dense peak at every precision.</summary>
    private static SystemSpec MorePeak(SystemSpec system, double f) => system switch
    {
        GpuCluster g => g with
        {
            Device = g.Device with
            {
                PeakTflops16 = Times(g.Device.PeakTflops16, f),
                PeakTflopsFp8 = g.Device.PeakTflopsFp8 is { } fp8 ? Times(fp8, f) : null,
            },
        },
        WaferCluster w => w with { PeakTflops16 = Times(w.PeakTflops16, f) },
        _ => throw new ArgumentException(system.Id),
    };
}
