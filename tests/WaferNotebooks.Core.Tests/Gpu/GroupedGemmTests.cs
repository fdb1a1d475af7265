using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>The experts' GEMMs as stacks launch them, and the permutation copies (docs/gpu-model.md §4.6).</summary>
public class GroupedGemmTests
{
    static readonly Accelerator H100 = TestSystems.H100;

    [Fact]
    public void Per_expert_wall_time_is_the_transformer_engine_benchmark_figure()
    {
        // TE PR #3134: 8 experts in 0.267 ms on the multi-stream cuBLAS path.
        Assert.Equal(33.375e-6, GroupedGemm.PerExpertS, 1e-12);
        Assert.Equal(4, GroupedGemm.Streams);
    }

    [Fact]
    public void Small_experts_in_a_loop_cost_the_per_expert_floor()
    {
        // 16 experts of 128 tokens, 1536 × 2048: each GEMM is microseconds of math; the loop takes 16 · 33.375 µs = 0.534 ms.
        double loop = GroupedGemm.Seconds(H100, Precision.Bf16, 128, 1536, 2048, 16, oneKernel: false);
        Assert.Equal(0.534e-3, loop, 1e-12);
        double grouped = GroupedGemm.Seconds(H100, Precision.Bf16, 128, 1536, 2048, 16, oneKernel: true);
        Assert.Equal(MatmulEfficiency.Seconds(H100, Precision.Bf16, 128, 1536, 2048, 16), grouped, 1e-15);
        Assert.True(grouped < loop / 5, $"one kernel {grouped * 1e3:0.###} ms against the loop's {loop * 1e3:0.###} ms");
    }

    [Fact]
    public void Large_experts_in_a_loop_run_four_streams_at_a_time()
    {
        // 16 experts of 16,384 tokens, 4096 × 4096: math dominates; four GEMMs share the SMs at a time, four rounds.
        double loop = GroupedGemm.Seconds(H100, Precision.Bf16, 16384, 4096, 4096, 16, oneKernel: false);
        Assert.Equal(4 * MatmulEfficiency.Seconds(H100, Precision.Bf16, 16384, 4096, 4096, 4), loop, 1e-12);
        Assert.True(loop > 16 * GroupedGemm.PerExpertS);
        // Shapes this large fill the waves either way: the loop costs only its extra launches (3 · 4 µs).
        double grouped = GroupedGemm.Seconds(H100, Precision.Bf16, 16384, 4096, 4096, 16, oneKernel: true);
        Assert.Equal(3 * MatmulEfficiency.KernelOverheadS, loop - grouped, 1e-9);
        // One expert per rank is one plain GEMM either way (Megatron-Core groups only when a rank holds several).
        Assert.Equal(MatmulEfficiency.Seconds(H100, Precision.Bf16, 512, 1536, 2048),
            GroupedGemm.Seconds(H100, Precision.Bf16, 512, 1536, 2048, 1, oneKernel: false), 1e-15);
    }

    [Theory]
    // h = 2048, k = 8, 16 local experts, EP 8: permute 2·(2048 + 16,384) + sort and unsort 8·16,384 + unpermute 2·(16,384 + 2048) + 4·8.
    [InlineData(2048, 8, 16, 8, 36864 + 131072 + 36864 + 32)]
    // EP 1: no sort by local expert after a dispatch.
    [InlineData(2048, 8, 128, 1, 36864 + 36864 + 32)]
    // One expert per rank: the received copies are already in expert order.
    [InlineData(7168, 8, 1, 256, 2 * (7168 + 57344) * 2 + 32)]
    public void Permutation_bytes_per_token_follow_the_dispatcher_copies(double h, int k, int local, int ep, double bytes) =>
        Assert.Equal(bytes, MoePermutation.BytesPerToken(h, k, local, ep), 1e-9);

    internal static readonly ModelSpec Qwen3MoeLike = new("qwen3-30b-a3b-test", "Qwen3-30B-A3B test", 48, 2048, 768, FfnKind.SwiGlu, 32, 4, 128, 151936, 4096,
        new MoeSpec(Experts: 128, Active: 8, Shared: 0, ExpertFfnHidden: 768), Dropout: false);

    static LayerTime Layer(bool moe, MoeDispatch dispatch)
    {
        var job = new TrainingJob(Qwen3MoeLike, 1e9, 512, 4096, Precision.Bf16);
        var layout = new Layout(Dp: 8, Ep: 8);
        var system = TestSystems.DgxH100;
        return LayerTime.For(Qwen3MoeLike, moe, job, layout, system, new Collectives(system), GpuSoftware.Modern.WithMoeDispatch(dispatch));
    }

    [Fact]
    public void A_moe_layer_pays_the_expert_loop_and_the_permutations_and_a_dense_layer_neither()
    {
        var loop = Layer(true, MoeDispatch.Flat);
        var grouped = Layer(true, MoeDispatch.Flat with { GroupedKernel = true });
        // 4096 tokens · 8 copies · 8 ranks / 128 experts = 2048 tokens on each of 16 local experts: fc1 2048×1536×2048, fc2 2048×2048×768.
        double loopExperts = GroupedGemm.Seconds(H100, Precision.Bf16, 2048, 1536, 2048, 16, false) + GroupedGemm.Seconds(H100, Precision.Bf16, 2048, 2048, 768, 16, false);
        double groupedExperts = MatmulEfficiency.Seconds(H100, Precision.Bf16, 2048, 1536, 2048, 16) + MatmulEfficiency.Seconds(H100, Precision.Bf16, 2048, 2048, 768, 16);
        Assert.Equal(loopExperts - groupedExperts, loop.Gemm.Forward - grouped.Gemm.Forward, 1e-12);
        Assert.True(loopExperts > groupedExperts);
        // The permutations move the same bytes backward as forward; the rest of the elementwise work moves twice as much.
        double permutation = 4096 * MoePermutation.BytesPerToken(2048, 8, 16, 8) / (3.35e12 * MatmulEfficiency.HbmEfficiency);
        Assert.Equal(-permutation, loop.Elementwise.Backward - 2 * loop.Elementwise.Forward, 1e-12);

        var dense = Layer(false, MoeDispatch.Flat);
        Assert.Equal(dense, Layer(false, MoeDispatch.Flat with { GroupedKernel = true }));
        Assert.Equal(2 * dense.Elementwise.Forward, dense.Elementwise.Backward, 1e-15);
    }

    [Theory]
    // GPT-OSS: h = 2880, top-4: forward b·p 2h + add 6h + concatenation 4h = 12h per copy, 4 copies: 138,240 bytes per token.
    [InlineData(2880, 4, 138240)]
    // Qwen3-sized: h = 2048, top-8: 12 · 2048 · 8.
    [InlineData(2048, 8, 196608)]
    public void Expert_bias_bytes_per_token_are_twelve_h_per_routed_copy(double h, int k, double bytes) =>
        Assert.Equal(bytes, MoeExpertBias.BytesPerToken(h, k), 1e-9);

    [Fact]
    public void Expert_biases_add_their_bytes_to_both_passes_of_a_moe_layer_only()
    {
        var job = new TrainingJob(Qwen3MoeLike, 1e9, 512, 4096, Precision.Bf16);
        var system = TestSystems.DgxH100;
        LayerTime Of(bool bias, bool moe) => LayerTime.For(Qwen3MoeLike with { ExpertBias = bias }, moe, job, new Layout(Dp: 8, Ep: 8), system,
            new Collectives(system), GpuSoftware.Modern.WithMoeDispatch(MoeDispatch.Flat));
        // 4096 tokens per rank, each with 8 routed copies of 2048: 4096 · 12 · 2048 · 8 bytes each way at the H100's HBM rate.
        double seconds = 4096 * 12.0 * 2048 * 8 / (3.35e12 * MatmulEfficiency.HbmEfficiency);
        Assert.Equal(seconds, Of(true, true).Elementwise.Forward - Of(false, true).Elementwise.Forward, 1e-12);
        Assert.Equal(seconds, Of(true, true).Elementwise.Backward - Of(false, true).Elementwise.Backward, 1e-12);
        Assert.Equal(Of(false, false), Of(true, false));
    }
}

/// <summary>Routing imbalance: the busiest expert-parallel rank sets the pace (docs/gpu-model.md §4.6).</summary>
public class MoeImbalanceTests
{
    static readonly ModelSpec Model = new("moe-test", "MoE test", 24, 2048, 1024, FfnKind.SwiGlu, 16, 4, 128, 32000, 4096,
        new MoeSpec(Experts: 64, Active: 4, Shared: 0, ExpertFfnHidden: 1024), Dropout: false);

    static LayerTime Layer(double imbalance, int ep = 8, bool moe = true)
    {
        var job = new TrainingJob(Model, 1e9, 512, 4096, Precision.Bf16);
        var system = TestSystems.DgxH100;
        var sw = GpuSoftware.Modern.WithMoeDispatch(MoeDispatch.Flat with { GroupedKernel = true, Imbalance = imbalance });
        return LayerTime.For(Model, moe, job, new Layout(Dp: 8, Ep: ep), system, new Collectives(system), sw);
    }

    [Fact]
    public void The_busiest_rank_runs_its_extra_tokens_and_sends_them_back()
    {
        var balanced = Layer(1);
        var skewed = Layer(1.25);
        // 4096 tokens · 4 copies · 8 ranks / 64 experts = 2048 tokens per local expert; the busiest rank's experts see 2560.
        double Experts(double m) => MatmulEfficiency.Seconds(TestSystems.H100, Precision.Bf16, m, 2048, 2048, 8) + MatmulEfficiency.Seconds(TestSystems.H100, Precision.Bf16, m, 2048, 1024, 8);
        Assert.Equal(Experts(2560) - Experts(2048), skewed.Gemm.Forward - balanced.Gemm.Forward, 1e-12);
        Assert.Equal(1.25 * balanced.Ep.Forward, skewed.Ep.Forward, 1e-12);
        Assert.Equal(1.25 * balanced.Ep.Backward, skewed.Ep.Backward, 1e-12);
        // A rank cannot receive more than every copy of its EP group: the input is capped at the group size.
        Assert.Equal(Layer(8, ep: 8), Layer(100, ep: 8));
        // Dense layers route nothing.
        Assert.Equal(Layer(1, moe: false), Layer(1.25, moe: false));
    }

    [Theory]
    [InlineData("imbalance=0.9", "imbalance=0.9: expected the busiest expert-parallel rank's routed tokens over the mean, a number from 1 (balanced)")]
    [InlineData("imbalance=lots", "imbalance=lots: expected")]
    public void Bad_imbalance_says_what_would_be_right(string text, string message) =>
        Assert.Contains(message, Assert.Throws<WaferInputException>(() => MoeDispatch.Parse("--moe-dispatch", text, MoeDispatch.Flat)).Message);

    [Fact]
    public void Imbalance_parses_onto_the_framework_defaults() =>
        Assert.Equal(MoeDispatch.DeepSeekV3 with { Imbalance = 1.2 }, MoeDispatch.Parse("--moe-dispatch", "imbalance=1.2", MoeDispatch.DeepSeekV3));
}
