using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Wafer;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.Wafer;

public class WeightStreamingTests
{
    static readonly WaferEstimator Estimator = new();

    static Estimate Streamed(int batchSeqs, int systems, int microBatch, Recompute recompute = Recompute.None) =>
        Estimator.EstimateWeightStreaming(WaferFixtures.Job(WaferFixtures.Gpt3Xl, batchSeqs, 26e9), WaferFixtures.Cs2, systems,
            new Layout(Dp: systems, MicroBatch: microBatch, Recompute: recompute), WaferFixtures.Economics);

    [Fact]
    public void The_threshold_is_effective_flops_times_two_bytes_over_twice_the_io_bandwidth()
    {
        // CS-2: 7,500 TFLOP/s × 0.407 (the newest release era's utilisation, fitted to measured logs) = 3.0525e15 FLOP/s;
        // 2 bytes per weight; 150 GB/s → 3.0525e15·2/(2·150e9) = 20,350 tokens.
        Assert.Equal(20_350, WeightStreaming.ThresholdTokens(WaferFixtures.Cs2), 6);
    }

    [Fact]
    public void Below_the_threshold_the_step_is_io_bound_and_the_breakdown_shows_it()
    {
        // One 2,048-token sequence per pass: under a ninth of the 20,350-token threshold.
        var e = Streamed(batchSeqs: 16, systems: 16, microBatch: 1);
        Assert.True(e.Feasible, e.Reason);
        Assert.Equal("weight_streaming", e.Breakdown.Largest.Name);
        Assert.True(e.Breakdown["weight_streaming"] > 2 * e.Breakdown["compute"]);
        Assert.StartsWith("I/O-bound", e.Bottleneck);
    }

    [Fact]
    public void Above_the_threshold_the_step_is_compute_bound()
    {
        // 33 sequences per pass (67,584 tokens) with full recompute, 2.7× the threshold.
        var e = Streamed(batchSeqs: 528, systems: 16, microBatch: 33, Recompute.Full);
        Assert.True(e.Feasible, e.Reason);
        Assert.Equal("compute", e.Breakdown.Largest.Name);
        Assert.True(e.Breakdown["weight_streaming"] < 0.05 * e.Breakdown["compute"]);
        Assert.StartsWith("compute-bound", e.Bottleneck);
    }

    [Theory]
    [InlineData(16, 1, 1, Recompute.None)]
    [InlineData(528, 16, 7, Recompute.None)]
    [InlineData(528, 16, 33, Recompute.Full)]
    [InlineData(528, 1, 64, Recompute.Full)]
    public void The_five_parts_are_non_negative_and_sum_to_the_step_time(int batch, int systems, int microBatch, Recompute recompute)
    {
        var e = Streamed(batch, systems, microBatch, recompute);
        Assert.Equal(new[] { "compute", "weight_streaming", "gradient_reduction", "memoryx_update", "other" }, e.Breakdown.Parts.Select(p => p.Name));
        Assert.All(e.Breakdown.Parts, p => Assert.True(p.Seconds >= 0, p.Name));
        Assert.Equal(e.StepTimeS, e.Breakdown.Parts.Sum(p => p.Seconds), 12);
        Assert.Equal(e.TokensPerS, 528.0 * 2048 / e.StepTimeS * batch / 528, 6);
    }

    [Fact]
    public void The_swarmx_tree_deepens_with_log_fanout_of_the_system_count()
    {
        var c = WaferFixtures.Cs3;
        Assert.Equal(new[] { 1, 1, 2, 3, 4, 6 }, new[] { 1, 4, 16, 64, 256, 2048 }.Select(n => SwarmXTree.For(c, n).Depth));
        Assert.True(SwarmXTree.For(c, 2048).LatencyS > SwarmXTree.For(c, 16).LatencyS);
    }

    [Fact]
    public void Activations_that_do_not_fit_in_sram_make_the_layout_infeasible_and_say_what_fits()
    {
        // 64 sequences without recompute: even offloading every stored activation leaves the fp32 logits and the layer
        // in flight (554 MB per sequence) over the 30 GB left, so it does not fit; 54 would.
        var e = Streamed(batchSeqs: 528, systems: 1, microBatch: 64);
        Assert.False(e.Feasible);
        Assert.Contains("SRAM", e.Reason);
        Assert.Contains("micro-batch of at most 54", e.Reason);
    }

    [Fact]
    public void Full_recompute_offloads_checkpoints_that_do_not_fit_and_pays_for_them_in_io()
    {
        var job = WaferFixtures.Job(WaferFixtures.Megatron1T, 64, 1e9);
        var layout = new Layout(Dp: 1, MicroBatch: 16, Recompute: Recompute.Full);
        var e = Estimator.EstimateWeightStreaming(job, WaferFixtures.Cs3, 1, layout, WaferFixtures.Economics);
        Assert.True(e.Feasible, e.Reason);
        Assert.Contains(e.Assumptions, a => a.Contains("offloaded to MemoryX"));
        Assert.True(e.Memory.Fits);
    }

    [Fact]
    public void Without_recompute_activations_beyond_sram_go_to_the_activation_servers_and_cost_io()
    {
        // GPT-3 XL, 32 sequences of 2,048 per pass: 24 layers × 34·h bytes per token is 110 GB of activations,
        // far beyond the 30 GB of SRAM left, so most leave the wafer in the forward pass and come back in the backward.
        var offloaded = Streamed(batchSeqs: 64, systems: 1, microBatch: 32, Recompute.None);
        var recomputed = Streamed(batchSeqs: 64, systems: 1, microBatch: 32, Recompute.Full);
        Assert.True(offloaded.Feasible, offloaded.Reason);
        Assert.True(offloaded.Memory.Fits);
        Assert.Contains(offloaded.Assumptions, a => a.Contains("offloaded to the activation servers"));
        // 34·h bytes per token per layer each way cost more I/O time than recomputing the forward pass at the catalog's rates.
        Assert.True(offloaded.Breakdown["weight_streaming"] > recomputed.Breakdown["weight_streaming"]);
        Assert.True(offloaded.StepTimeS > recomputed.StepTimeS);
    }

    [Fact]
    public void Offload_without_recompute_is_one_of_the_alternatives_the_fastest_is_chosen_from()
    {
        var job = WaferFixtures.Job(WaferFixtures.Gpt3Xl, 64, 26e9);
        var cs2 = WaferFixtures.Cs2;
        var act = WaferActivations.For(job.Model);
        int keepAll = WeightStreaming.MaxMicroBatch(cs2, act, job.SeqLen, Recompute.None, allowOffload: false);
        var alternatives = Estimator.CandidateLayouts(job, cs2, 1).Select(l => Estimator.Estimate(job, cs2, 1, l, WaferFixtures.Economics)).ToList();
        var offload = alternatives.Where(e => e.Layout.Recompute == Recompute.None && e.Layout.MicroBatch > keepAll).ToList();
        Assert.NotEmpty(offload);
        Assert.All(offload, e => Assert.Contains(e.Assumptions, a => a.Contains("offloaded to the activation servers")));
        Assert.Contains(alternatives, e => e.Layout.Recompute == Recompute.Full);
        Assert.Equal(alternatives.Where(e => e.Feasible).Min(e => e.StepTimeS), Estimator.Best(job, cs2, 1, WaferFixtures.Economics).StepTimeS);
    }
}
