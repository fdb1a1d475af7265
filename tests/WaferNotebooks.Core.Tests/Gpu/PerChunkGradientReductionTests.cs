using CsCheck;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Tests.PropertyTests;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>overlap_grad_reduce with one window per virtual stage (docs/gpu-model.md §4.4).</summary>
public class PerChunkGradientReductionTests
{
    [Theory]
    // R = 4, b = 1, p = 4, v = 4: chunks finish 1 s apart (p·b/v), windows 0.25, 1.25, 2.25, 3.25 for 1, 2, 3, 4 s of traffic: 0.75 left each time.
    [InlineData(4.0, 1.0, 4, 4, 0.75)]
    // R = 1, b = 1, p = 4, v = 2: k = 1: 0.5 s under 0.5 s leaves the SM share 0.075; k = 2: 1 s under 2.5 s leaves 0.15.
    [InlineData(1.0, 1.0, 4, 2, 0.15)]
    // v = 1: the single window of one backward, 4 − 1.
    [InlineData(4.0, 1.0, 4, 1, 3.0)]
    public void The_largest_overrun_of_the_last_chunks_is_exposed(double reduce, double backward, int pp, int vpp, double exposed) =>
        Assert.Equal(exposed, DataParallelSync.PerChunkExposed(reduce, backward, pp, vpp), 1e-12);

    [Fact]
    public void One_window_per_chunk_is_never_slower_than_one_window_per_step() =>
        EstimatorCases.Gpu.Where(c => c.Layout is not null).Sample(c =>
        {
            var perChunk = c.Run();
            var single = new GpuEstimator(GpuSoftware.Modern.WithoutPerChunkGradientReduction()).Estimate(c.Job, c.System, c.Devices, c.Layout!, EconomicAssumptions.Default);
            if (!perChunk.Feasible) return;
            Assert.True(perChunk.StepTimeS <= single.StepTimeS * (1 + 1e-12), $"{c}: {single.StepTimeS} s -> {perChunk.StepTimeS} s");
            if (c.Layout!.Vpp == 1)
                Assert.Equal(single.StepTimeS, perChunk.StepTimeS, 1e-12);
        }, iter: 150);
}
