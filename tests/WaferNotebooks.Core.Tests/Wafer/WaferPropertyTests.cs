using CsCheck;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Wafer;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.Wafer;

/// <summary>Properties that must hold for any job on any wafer cluster size.</summary>
public class WaferPropertyTests
{
    static readonly WaferEstimator Estimator = new();

    static readonly Gen<(int Batch, int Systems, int MicroBatch, bool Full, bool Cs3)> Jobs =
        Gen.Select(Gen.Int[1, 2048], Gen.Int[1, 192], Gen.Int[1, 64], Gen.Bool, Gen.Bool);

    static Results.Estimate Run((int Batch, int Systems, int MicroBatch, bool Full, bool Cs3) j, WaferCluster c) =>
        Estimator.Estimate(WaferFixtures.Job(WaferFixtures.Gpt3Xl, j.Batch, 1e10), c, j.Systems,
            new Layout(Dp: j.Systems, MicroBatch: j.MicroBatch, Recompute: j.Full ? Recompute.Full : Recompute.None), WaferFixtures.Economics);

    [Fact]
    public void The_parts_always_sum_to_the_step_time_and_none_is_negative() =>
        Jobs.Sample(j =>
        {
            var e = Run(j, j.Cs3 ? WaferFixtures.Cs3 : WaferFixtures.Cs2);
            Assert.Equal(e.StepTimeS, e.Breakdown.Parts.Sum(p => p.Seconds), 9);
            Assert.All(e.Breakdown.Parts, p => Assert.True(p.Seconds >= 0));
            Assert.True(e.StepTimeS > 0 && double.IsFinite(e.StepTimeS));
        }, iter: 300);

    [Fact]
    public void More_io_bandwidth_or_a_faster_wafer_is_never_slower() =>
        Jobs.Sample(j =>
        {
            var c = j.Cs3 ? WaferFixtures.Cs3 : WaferFixtures.Cs2;
            var baseline = Run(j, c).StepTimeS;
            var moreIo = c with { SystemIoGBps = c.SystemIoGBps.WithValue(2 * c.SystemIoGBps.Value), SwarmXLinkGBps = c.SwarmXLinkGBps.WithValue(2 * c.SwarmXLinkGBps.Value) };
            var faster = c with { ComputeUtilisation = c.ComputeUtilisation.WithValue(0.7) };
            Assert.True(Run(j, moreIo).StepTimeS <= baseline * (1 + 1e-12));
            Assert.True(Run(j, faster).StepTimeS <= baseline * (1 + 1e-12));
        }, iter: 300);

    [Fact]
    public void Estimates_are_deterministic() =>
        Jobs.Sample(j =>
        {
            var (a, b) = (Run(j, WaferFixtures.Cs2), Run(j, WaferFixtures.Cs2));
            Assert.Equal(a.Breakdown.Parts, b.Breakdown.Parts);
            Assert.Equal(a.Memory.Parts, b.Memory.Parts);
            Assert.Equal((a.Feasible, a.Reason, a.EnergyMwh, a.CostUsd, a.Bottleneck), (b.Feasible, b.Reason, b.EnergyMwh, b.CostUsd, b.Bottleneck));
        }, iter: 50);
}
