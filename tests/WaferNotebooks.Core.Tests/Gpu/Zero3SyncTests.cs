using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>ZeRO-3 as implemented (docs/gpu-model.md §4.4), against values derived by hand.</summary>
public class Zero3SyncTests
{
    static readonly ModelSpec Llama = SimulatorCatalog.Default.FindModel("llama2-7b");
    static readonly ModelSpec Gpt = SimulatorCatalog.Default.FindModel("gpt3-1.3b");

    [Theory]
    [InlineData(1.0, 3.0, 3.15)]  // compute longer: it is slowed by 15% of the communication time
    [InlineData(3.0, 1.0, 3.0)]   // communication longer: the compute hides under it
    [InlineData(2.0, 1.7, 2.0)]   // 1.7 + 0.3 = 2.0: the two bounds meet
    public void Overlapped_compute_runs_beside_the_communication_kernels(double comm, double compute, double wall) =>
        Assert.Equal(wall, DataParallelSync.Overlapped(comm, compute), 1e-12);

    [Fact]
    public void Per_micro_batch_gathers_and_reduce_scatters_pipelined_one_layer_ahead()
    {
        // L = 4, m = 2, g = 1, r = 2, c_f = 3, c_b = 6 (seconds, per layer).
        // forward  = g + 3·max(1, 3 + 0.15) + 3 = 13.45
        // backward = g + 3·max(1 + 2, 6 + 0.15·3) + 6 + 2 = 28.35
        // exposed  = 2 · (13.45 + 28.35 − 4·9) = 11.6; total = 2·4·(1 + 1 + 2) = 32
        var r = DataParallelSync.Zero3(Llama, 4, 2, false, 64, GpuSoftware.Modern, gather: 1, reduce: 2, forwardPerLayer: 3, backwardPerLayer: 6);
        Assert.Equal(11.6, r.ExposedSeconds, 1e-9);
        Assert.Equal(32, r.TotalSeconds, 1e-9);
        Assert.Contains("compute slowed by NCCL kernels on 15% of the SMs", r.Description);
    }

    [Fact]
    public void Under_a_pipeline_weights_are_gathered_and_gradients_reduced_once_per_step()
    {
        // No gather in the backward: backward = 0 + 3·max(2, 6 + 0.3) + 6 + 2 = 26.9; once: 13.45 + 26.9 − 36 = 4.35.
        var r = DataParallelSync.Zero3(Llama, 4, 1, true, 64, GpuSoftware.Modern, gather: 1, reduce: 2, forwardPerLayer: 3, backwardPerLayer: 6);
        Assert.Equal(4.35, r.ExposedSeconds, 1e-9);
        Assert.Equal(4 * (1 + 2), r.TotalSeconds, 1e-9);
        Assert.True(DataParallelSync.ShardsWeightsDuringStep(new Layout(2, 1, 8, 1, 1, 1, 1, 3, Recompute.None, true)));
        Assert.False(DataParallelSync.ShardsWeightsDuringStep(new Layout(2, 2, 4, 1, 1, 1, 1, 3, Recompute.None, true)));
    }

    [Fact]
    public void DeepSpeed_2021_synchronises_every_tensor_gather_and_overlaps_nothing()
    {
        // LLaMA layer: Q, K, V, O, gate, up, down, two RMSNorms = 9 tensors; GPT-3 (LayerNorm, biases): 2·(4 + 2 + 2) = 16.
        Assert.Equal(9, DataParallelSync.ParameterTensorsPerLayer(Llama));
        Assert.Equal(16, DataParallelSync.ParameterTensorsPerLayer(Gpt));
        var sw = GpuSoftware.Modern.WithDeepSpeed2021Zero3();
        double g = 1 + 9 * GpuSoftware.DeepSpeed2021SyncPerTensorS;
        // Every gather and reduce-scatter on the critical path: m·L·(2g + r).
        var r = DataParallelSync.Zero3(Llama, 4, 2, false, 64, sw, gather: 1, reduce: 2, forwardPerLayer: 3, backwardPerLayer: 6);
        Assert.Equal(2 * 4 * (2 * g + 2), r.ExposedSeconds, 1e-9);
        Assert.Contains("no prefetch", r.Description);
    }

    [Fact]
    public void More_overlap_is_never_slower()
    {
        foreach (var (g, r, cf, cb) in new[] { (1.0, 2.0, 3.0, 6.0), (5.0, 5.0, 1.0, 2.0), (0.1, 0.2, 3.0, 6.0) })
        {
            double prefetched = DataParallelSync.Zero3(Llama, 8, 2, false, 64, GpuSoftware.Modern, g, r, cf, cb).ExposedSeconds;
            double serial = DataParallelSync.Zero3(Llama, 8, 2, false, 64, GpuSoftware.Modern with { Zero3PrefetchLayers = 0 }, g, r, cf, cb).ExposedSeconds;
            double unbucketed = DataParallelSync.Zero3(Llama, 8, 2, false, 64, GpuSoftware.Modern with { OverlapGradientReduction = false }, g, r, cf, cb).ExposedSeconds;
            Assert.True(prefetched <= serial, $"prefetch made it slower: {prefetched} > {serial}");
            Assert.True(prefetched <= unbucketed, $"overlapped reduce-scatter made it slower: {prefetched} > {unbucketed}");
        }
    }
}
