using CsCheck;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Tests.PropertyTests;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>Megatron-Core tp_comm_overlap (docs/gpu-model.md §4.2).</summary>
public class TensorParallelOverlapTests
{
    [Theory]
    [InlineData(1.0, 10.0, 4, 0.25)]  // hidden: only the first of 4 chunks (1/4) is exposed, 0.15 of slowdown is less
    [InlineData(4.0, 10.0, 8, 0.6)]   // the GEMMs slowed by 0.15·4 = 0.6 exceed the first chunk's 0.5
    [InlineData(10.0, 2.0, 2, 8.0)]   // communication longer than the GEMMs: 10 − 2 exposed
    public void Exposed_tp_traffic_is_the_first_chunk_or_what_the_gemms_cannot_hide(double comm, double gemm, int t, double exposed) =>
        Assert.Equal(exposed, LayerTime.OverlappedTp(comm, gemm, t), 1e-12);

    [Fact]
    public void Tp_comm_overlap_is_never_slower_and_changes_nothing_without_tp_and_sequence_parallelism() =>
        EstimatorCases.Gpu.Where(c => c.Layout is not null).Sample(c =>
        {
            var plain = c.Run();
            var overlapped = new GpuEstimator(GpuSoftware.Modern.WithTensorParallelOverlap()).Estimate(c.Job, c.System, c.Devices, c.Layout!, EconomicAssumptions.Default);
            Assert.Equal(plain.Feasible, overlapped.Feasible);
            if (!plain.Feasible) return;
            Assert.True(overlapped.StepTimeS <= plain.StepTimeS * (1 + 1e-12), $"{c}: {plain.StepTimeS} s -> {overlapped.StepTimeS} s");
            if (c.Layout!.Tp == 1 || !c.Layout.SequenceParallel)
                Assert.Equal(plain.StepTimeS, overlapped.StepTimeS, 1e-12);
        }, iter: 150);
}
