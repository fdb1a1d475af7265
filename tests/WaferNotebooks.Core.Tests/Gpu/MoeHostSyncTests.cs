using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>The GPU idle around Megatron-Core's dispatcher host sync (docs/gpu-model.md §4.6).</summary>
public class MoeHostSyncTests
{
    const double Op = 20e-6, Host = 0.8e-3;

    [Fact]
    public void Kernel_counts_are_those_of_megatron_core_0_15()
    {
        Assert.Equal(7, MoeHostSync.RouterKernels);
        Assert.Equal(8 + 4, MoeHostSync.PreprocessKernels + MoeHostSync.DtohCopies);
        Assert.Equal(4, MoeHostSync.PermuteKernels);
        Assert.Equal(2, MoeHostSync.SortKernels);
        // 0.8 ms per layer forward over its 40 host operations: 20 µs each.
        Assert.Equal(Op, GpuSoftware.EagerLayerForwardS / MoeHostSync.HostOpsPerLayer, 1e-15);
    }

    [Fact]
    public void A_short_stretch_before_the_sync_and_a_host_bound_loop_expose_the_launches()
    {
        // EP 8, 16 local experts: before the sync 7 router + 8 preprocess + 4 copies + 4 permute + 1 unpermute = 24 launches
        // (480 µs) and half a layer's host forward (400 µs) against 300 µs of GPU work: 580 µs.
        // Wake and the dispatch launch 40 µs; probabilities' all-to-all and sort (60 µs) run under the 150 µs dispatch;
        // after the loop unsort and combine launch, 60 µs, forward and backward; the backward also hands back
        // 16 experts' weight gradients after each of its two grouped linears, 2 operations each: 2 · 32 · 20 µs = 1,280 µs.
        var w = MoeHostSync.Seconds(Host, Op, ep: 8, tp: 1, localExperts: 16, shared: false, gpuBeforeSyncS: 300e-6, dispatchS: 150e-6, loopSlackS: 0);
        Assert.Equal(580e-6 + 40e-6 + 60e-6, w.Forward, 1e-12);
        Assert.Equal(60e-6 + 1280e-6, w.Backward, 1e-12);
    }

    [Fact]
    public void Cuda_graphs_make_the_router_and_preprocess_one_replay_and_the_attention_half_one_operation()
    {
        // EP 8: 7 router + 8 preprocess + 4 copies + 4 permute + 1 unpermute = 24 launches ungraphed; the router graphed, 1 + 8 + 4 + 4 + 1 = 18;
        // router and preprocess graphed, 1 + 4 + 4 + 1 = 10 (the copies move after the graph and stay launches).
        Assert.Equal(24, MoeHostSync.BeforeSyncLaunches(exchange: true, shared: false, MoeCudaGraphScope.None));
        Assert.Equal(18, MoeHostSync.BeforeSyncLaunches(true, false, MoeCudaGraphScope.Router));
        Assert.Equal(10, MoeHostSync.BeforeSyncLaunches(true, false, MoeCudaGraphScope.Router | MoeCudaGraphScope.Preprocess));
        // Same stretch as above (300 µs of GPU work): 400 µs + 10 · 20 µs − 300 µs = 300 µs instead of 580 µs; with the attention
        // half graphed too, 20 µs + 200 µs < 300 µs: nothing waits before the sync.
        var graphed = MoeHostSync.Seconds(Host, Op, ep: 8, tp: 1, localExperts: 16, shared: false, gpuBeforeSyncS: 300e-6, dispatchS: 150e-6, loopSlackS: 0,
            MoeCudaGraphScope.Router | MoeCudaGraphScope.Preprocess);
        Assert.Equal(300e-6 + 40e-6 + 60e-6, graphed.Forward, 1e-12);
        var withAttention = MoeHostSync.Seconds(Host, Op, 8, 1, 16, false, 300e-6, 150e-6, 0, MoeCudaGraphScope.Attention | MoeCudaGraphScope.Router | MoeCudaGraphScope.Preprocess);
        Assert.Equal(40e-6 + 60e-6, withAttention.Forward, 1e-12);
        // The backward has no sync and no graphed part that changes here.
        Assert.Equal(graphed.Backward, withAttention.Backward);
        Assert.Equal(MoeHostSync.Seconds(Host, Op, 8, 1, 16, false, 300e-6, 150e-6, 0).Backward, graphed.Backward);
    }

    [Theory]
    [InlineData("moe_router+moe_preprocess", MoeCudaGraphScope.Router | MoeCudaGraphScope.Preprocess)]
    [InlineData(" attn+moe_router ", MoeCudaGraphScope.Attention | MoeCudaGraphScope.Router)]
    [InlineData("none", MoeCudaGraphScope.None)]
    public void Scopes_take_megatron_cores_names(string text, MoeCudaGraphScope scope)
    {
        Assert.Equal(scope, MoeCudaGraphScopes.Parse(text));
        Assert.Equal(scope, MoeCudaGraphScopes.Parse(scope.Name()));
    }

    [Theory]
    [InlineData("moe_preprocess", "only with moe_router")]
    [InlineData("moe", "'moe' is not a CUDA graph scope; expected none or attn, moe_router, moe_preprocess joined by '+'")]
    public void Bad_scopes_say_what_would_be_right(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => MoeCudaGraphScopes.Parse(text)).Message);

    [Fact]
    public void Long_gpu_work_hides_everything_but_the_wake()
    {
        // 2 ms of GPU work before the sync covers the 880 µs of launches; GEMMs above the loop's floor keep the host ahead.
        var w = MoeHostSync.Seconds(Host, Op, ep: 8, tp: 1, localExperts: 16, shared: true, gpuBeforeSyncS: 2e-3, dispatchS: 150e-6, loopSlackS: double.PositiveInfinity);
        Assert.Equal(40e-6, w.Forward, 1e-12);
        Assert.Equal(0, w.Backward);
    }

    [Fact]
    public void Without_expert_or_tensor_parallelism_only_the_local_counts_remain()
    {
        // 7 + 2 + 1 + 4 + 1 = 15 launches (300 µs) + 400 µs against 500 µs: 200 µs; wake 20 µs (no all-to-all);
        // the sort (40 µs) has no dispatch to hide under; after the loop the unsort, 40 µs; the backward's
        // hand-back of 128 experts' gradients, 2 linears · 2 operations · 128 · 20 µs = 10,240 µs.
        var w = MoeHostSync.Seconds(Host, Op, ep: 1, tp: 1, localExperts: 128, shared: false, gpuBeforeSyncS: 500e-6, dispatchS: 0, loopSlackS: 0);
        Assert.Equal(200e-6 + 20e-6 + 40e-6 + 40e-6, w.Forward, 1e-12);
        Assert.Equal(40e-6 + 10240e-6, w.Backward, 1e-12);
    }

    [Fact]
    public void The_launches_after_the_loop_hide_in_its_lead_over_the_floor_so_a_faster_gpu_never_waits_more()
    {
        // After the loop: unsort 2 + combine 1 = 60 µs of launches. A loop 25 µs above its floor hides 25 µs
        // forward and 50 µs backward (its GEMMs are twice as long); 60 µs above hides them all.
        static FwdBwd After(double slack) => MoeHostSync.Seconds(Host, Op, ep: 8, tp: 1, localExperts: 16, shared: false,
            gpuBeforeSyncS: 2e-3, dispatchS: 150e-6, loopSlackS: slack);
        Assert.Equal(40e-6 + 35e-6, After(25e-6).Forward, 1e-12);
        // Backward: 10 µs of the after-loop launches, and per grouped linear 32 hand-back operations (640 µs) less 50 µs.
        Assert.Equal(10e-6 + 2 * 590e-6, After(25e-6).Backward, 1e-12);
        Assert.Equal(40e-6, After(60e-6).Forward, 1e-12);
        // The step's share of it, loop math plus wait, never falls as the loop's math grows (a slower GPU).
        double floor = 16 * GroupedGemm.PerExpertS, last = 0;
        for (double math = 0; math < floor + 100e-6; math += 5e-6)
        {
            double slack = Math.Max(0, math - floor), step = Math.Max(math, floor) + After(slack).Forward;
            Assert.True(step >= last - 1e-15, $"loop math {math * 1e6:0} µs");
            last = step;
        }
    }

    [Fact]
    public void The_backward_hands_back_each_experts_weight_gradient_unless_its_loops_run_ahead_of_the_host()
    {
        // Transformer Engine 2.9's GroupedLinear: one parameter per expert, a placeholder gradient and an
        // AccumulateGrad with Megatron's DDP hook each; two grouped linears per expert MLP.
        Assert.Equal(2, MoeHostSync.ExpertWeightBackwardOps);
        Assert.Equal(2, MoeHostSync.GroupedLinearsPerExpertMlp);
        static double Backward(double experts, double slack) => MoeHostSync.Seconds(Host, Op, ep: 8, tp: 1, localExperts: experts,
            shared: false, gpuBeforeSyncS: 2e-3, dispatchS: 150e-6, loopSlackS: slack).Backward;
        // 4 local experts at the floor: 60 µs after the loop + 2 · (2 · 4 · 20 µs) = 380 µs; twice the experts, 320 µs more.
        Assert.Equal(60e-6 + 320e-6, Backward(4, 0), 1e-12);
        Assert.Equal(Backward(4, 0) + 320e-6, Backward(8, 0), 1e-12);
        // A loop 100 µs above its floor runs 200 µs ahead backward: 160 µs per linear is hidden; one grouped kernel hides all.
        Assert.Equal(0, Backward(4, 100e-6), 1e-12);
        Assert.Equal(0, Backward(16, double.PositiveInfinity));
    }

    [Fact]
    public void A_host_that_never_holds_the_gpu_costs_nothing() =>
        Assert.Equal(default, MoeHostSync.Seconds(0, 0, 8, 1, 16, false, 0, 0, 0));

    static LayerTime Layer(bool moe, MoeDispatch dispatch)
    {
        var model = GroupedGemmTests.Qwen3MoeLike;
        var job = new TrainingJob(model, 1e9, 512, 4096, Precision.Bf16);
        var system = TestSystems.DgxH100;
        return LayerTime.For(model, moe, job, new Layout(Dp: 8, Ep: 8), system, new Collectives(system),
            GpuSoftware.Modern.WithMoeDispatch(dispatch), Host);
    }

    [Fact]
    public void Only_an_moe_layer_of_a_syncing_dispatcher_waits()
    {
        var layer = Layer(true, MoeDispatch.Flat);
        Assert.True(layer.HostWait.Forward >= 40e-6, $"forward wait {layer.HostWait.Forward * 1e6:0.#} µs");
        // The wait is outside the layer's GPU time.
        Assert.Equal(Layer(true, MoeDispatch.Flat with { HostSync = false }).All, layer.All);
        Assert.Equal(default, Layer(true, MoeDispatch.Flat with { HostSync = false }).HostWait);
        Assert.Equal(default, Layer(true, MoeDispatch.DeepSeekV3).HostWait);
        Assert.Equal(default, Layer(false, MoeDispatch.Flat).HostWait);
    }

    [Fact]
    public void Sync_parses_onto_the_framework_defaults()
    {
        Assert.False(MoeDispatch.Parse("--moe-dispatch", "sync=off", MoeDispatch.Flat).HostSync);
        Assert.True(MoeDispatch.Parse("--moe-dispatch", "sync=on", MoeDispatch.DeepSeekV3).HostSync);
        Assert.Contains("sync=maybe: expected on or off",
            Assert.Throws<WaferInputException>(() => MoeDispatch.Parse("--moe-dispatch", "sync=maybe", MoeDispatch.Flat)).Message);
    }
}
