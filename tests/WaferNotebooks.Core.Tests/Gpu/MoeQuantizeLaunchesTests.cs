using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>The per-expert FP8 quantize launches of Transformer Engine's grouped linear (docs/gpu-model.md §4.6).</summary>
public class MoeQuantizeLaunchesTests
{
    [Fact]
    public void Launch_counts_are_those_of_transformer_engine_2_9_and_the_launch_cost_is_the_measured_loop()
    {
        Assert.Equal(0, Fp8ScalingRecipe.Delayed.LaunchesPerExpert());
        Assert.Equal(3, Fp8ScalingRecipe.Current.LaunchesPerExpert());
        Assert.Equal(1, Fp8ScalingRecipe.Mxfp8.LaunchesPerExpert());
        Assert.Equal(1, Fp8ScalingRecipe.Blockwise.LaunchesPerExpert());
        // ROCm TE PR #598: 615 µs for 128 per-expert quantizes against 96 µs for one grouped launch.
        Assert.Equal(4.0547e-6, MoeQuantizeLaunches.PerLaunchS, 1e-10);
        Assert.Equal(Fp8ScalingRecipe.Mxfp8, Fp8ScalingRecipes.Parse(" MXFP8 "));
        Assert.Null(Fp8ScalingRecipes.Parse("nvfp4"));
    }

    [Fact]
    public void At_the_loop_floor_every_launch_is_gpu_idle_and_a_lead_hides_them()
    {
        double l = MoeQuantizeLaunches.PerLaunchS;
        // Current scaling, 16 local experts at the floor: 16 · 3 launches per grouped linear, two linears, each way.
        var current = MoeQuantizeLaunches.Seconds(Fp8ScalingRecipe.Current, eightBit: true, oneKernel: false, localExperts: 16, loopSlackS: 0);
        Assert.Equal(2 * 48 * l, current.Forward, 1e-15);
        Assert.Equal(2 * 48 * l, current.Backward, 1e-15);
        // MXFP8, 16 experts (64.9 µs per linear) with the loop 30 µs above its floor: 34.9 µs left forward, 4.9 µs backward (twice the lead).
        var mx = MoeQuantizeLaunches.Seconds(Fp8ScalingRecipe.Mxfp8, true, false, 16, 30e-6);
        Assert.Equal(2 * (16 * l - 30e-6), mx.Forward, 1e-15);
        Assert.Equal(2 * (16 * l - 60e-6), mx.Backward, 1e-15);
        // Nothing for delayed scaling, 16-bit GEMMs, one grouped kernel or one expert per rank.
        Assert.Equal(default, MoeQuantizeLaunches.Seconds(Fp8ScalingRecipe.Delayed, true, false, 16, 0));
        Assert.Equal(default, MoeQuantizeLaunches.Seconds(Fp8ScalingRecipe.Current, false, false, 16, 0));
        Assert.Equal(default, MoeQuantizeLaunches.Seconds(Fp8ScalingRecipe.Current, true, true, 16, 0));
        Assert.Equal(default, MoeQuantizeLaunches.Seconds(Fp8ScalingRecipe.Current, true, false, 1, 0));
    }

    [Fact]
    public void A_moe_layer_in_fp8_waits_for_its_recipes_launches_and_a_dense_layer_does_not()
    {
        // Qwen3-30B-A3B-like on 8 H100s (EP 8, 16 local experts, 2,048 tokens each): fc2 (2048 × 2048 × 768, four at a time)
        // runs far below the 33 µs floor, so the loop's slack is 0 and current scaling adds its 2 · 16 · 3 launches each way.
        var model = GroupedGemmTests.Qwen3MoeLike;
        var job = new TrainingJob(model, 1e9, 512, 4096, Precision.Fp8);
        var system = TestSystems.DgxH100;
        LayerTime Layer(bool moe, Fp8ScalingRecipe recipe) => LayerTime.For(model, moe, job, new Layout(Dp: 8, Ep: 8), system, new Collectives(system),
            GpuSoftware.Modern.WithMoeDispatch(MoeDispatch.Flat with { Recipe = recipe }), hostLayerForwardS: 0.8e-3);
        Assert.Equal(0, GroupedGemm.LoopSlack(system.Device, Precision.Fp8, 2048, 2048, 768, 16, oneKernel: false));
        var delayed = Layer(true, Fp8ScalingRecipe.Delayed);
        var current = Layer(true, Fp8ScalingRecipe.Current);
        Assert.Equal(96 * MoeQuantizeLaunches.PerLaunchS, current.HostWait.Forward - delayed.HostWait.Forward, 1e-12);
        Assert.Equal(96 * MoeQuantizeLaunches.PerLaunchS, current.HostWait.Backward - delayed.HostWait.Backward, 1e-12);
        Assert.Equal(delayed.Gemm, current.Gemm);
        Assert.Equal(Layer(false, Fp8ScalingRecipe.Delayed), Layer(false, Fp8ScalingRecipe.Current));
    }
}
