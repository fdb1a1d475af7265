using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Wafer;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.Wafer;

public class FeasibilityTests
{
    static readonly WaferEstimator Estimator = new();

    static ModelSpec CerebrasGpt111M => WaferFixtures.CerebrasGpt111M;

    [Fact]
    public void A_model_larger_than_the_configured_memoryx_is_refused_with_the_option_that_fits()
    {
        var small = WaferFixtures.Cs3 with { MemoryXTb = WaferFixtures.Cs3.MemoryXTb.WithValue(12) };
        var e = Estimator.Best(WaferFixtures.Job(WaferFixtures.Megatron1T, 1024, 1e12), small, 16, WaferFixtures.Economics);
        Assert.False(e.Feasible);
        Assert.Contains("MemoryX", e.Reason);
        Assert.Contains("1200 TB", e.Reason);
    }

    [Fact]
    public void More_systems_than_swarmx_supports_are_refused()
    {
        var e = Estimator.Best(WaferFixtures.Job(WaferFixtures.Gpt3Xl, 4096, 1e9), WaferFixtures.Cs2, 256, WaferFixtures.Economics);
        Assert.False(e.Feasible);
        Assert.Contains("more than SwarmX supports", e.Reason);
        Assert.Contains("192", e.Reason);
    }

    [Fact]
    public void A_batch_smaller_than_the_system_count_is_refused()
    {
        var e = Estimator.Best(WaferFixtures.Job(WaferFixtures.Gpt3Xl, 8, 1e9), WaferFixtures.Cs2, 16, WaferFixtures.Economics);
        Assert.False(e.Feasible);
        Assert.Contains("at least one sequence", e.Reason);
    }

    [Fact]
    public void Gpu_only_layouts_are_refused_on_a_wafer()
    {
        var job = WaferFixtures.Job(WaferFixtures.Gpt3Xl, 528, 1e9);
        var tp = Estimator.Estimate(job, WaferFixtures.Cs2, 2, new Layout(Tp: 2), WaferFixtures.Economics);
        Assert.Contains("pure data parallelism", tp.Reason);
        var selective = Estimator.Estimate(job, WaferFixtures.Cs2, 1, new Layout(Recompute: Recompute.Selective), WaferFixtures.Economics);
        Assert.Contains("Selective recompute", selective.Reason);
    }

    [Fact]
    public void A_small_model_that_fits_in_sram_runs_layer_pipelined_when_streaming_would_wait_for_io()
    {
        // 120 sequences of 32 tokens: 3,840 tokens per step, under a fifth of CS-2's 20,350-token streaming threshold, so
        // streaming waits for the weights twice per pass, while the 10-layer pipeline fills and drains in 9/120 of
        // the compute (at its own, lower, assumed utilisation).
        var job = new Workload.TrainingJob(CerebrasGpt111M, 1e9, 120, 32);
        var one = Estimator.Best(job, WaferFixtures.Cs2, 1, WaferFixtures.Economics);
        Assert.True(one.Feasible, one.Reason);
        Assert.Equal(Results.ExecutionMode.LayerPipelined, one.ExecutionMode);
        Assert.StartsWith("Mode: layer-pipelined, because the model and its Adam state fit in SRAM", one.Assumptions[0]);
        Assert.Equal(0, one.Breakdown["weight_streaming"]);
        Assert.Equal(one.StepTimeS, one.Breakdown.Parts.Sum(p => p.Seconds), 12);

        var four = Estimator.Best(job, WaferFixtures.Cs2, 4, WaferFixtures.Economics);
        Assert.Equal(Results.ExecutionMode.WeightStreaming, four.ExecutionMode);
        Assert.Contains("runs on one system", four.Assumptions[0]);
    }

    [Fact]
    public void A_small_model_streams_when_its_batch_is_large_enough_to_hide_the_weights()
    {
        // Cerebras-GPT 111M's own batch, 120 × 2,048 tokens: every pass is above the threshold, so streaming has no pipeline bubble to pay.
        var e = Estimator.Best(WaferFixtures.Job(CerebrasGpt111M, 120, 1e9), WaferFixtures.Cs2, 1, WaferFixtures.Economics);
        Assert.Equal(Results.ExecutionMode.WeightStreaming, e.ExecutionMode);
        Assert.StartsWith("Mode: weight-streaming, because it is faster", e.Assumptions[0]);
    }

    [Fact]
    public void A_model_too_large_for_sram_streams_and_says_why()
    {
        var e = Estimator.Best(WaferFixtures.Job(WaferFixtures.NeoX20B, 1024, 1e9), WaferFixtures.Cs3, 1, WaferFixtures.Economics);
        Assert.Equal(Results.ExecutionMode.WeightStreaming, e.ExecutionMode);
        Assert.StartsWith("Mode: weight-streaming, because layer-pipelined is not possible", e.Assumptions[0]);
        Assert.Equal("SRAM (usable)", e.Memory.Where);
    }
}
