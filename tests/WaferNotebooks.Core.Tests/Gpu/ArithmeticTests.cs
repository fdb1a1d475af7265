using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

public class ArithmeticTests
{
    static readonly ModelSpec Gpt175 = new("gpt3-175b", "GPT-3", 96, 12288, 49152, FfnKind.Gelu, 96, 96, 128, 51200, 2048);

    [Fact]
    public void KorthikantiActivationsWithoutParallelism()
    {
        double s = 2048, b = 1, h = 12288, a = 96;
        double bytes = ActivationMemory.PerLayer(Gpt175, 49152, 2048, s * b, 1, false, Recompute.None, fusedAttention: false);
        Assert.Equal(s * b * h * (34 + 5 * a * s / h), bytes, 1e-6);
    }

    [Fact]
    public void KorthikantiActivationsWithTensorAndSequenceParallel()
    {
        double s = 2048, b = 2, h = 12288, a = 96, t = 8;
        Assert.Equal(s * b * h * (10 + 24 / t + 5 * a * s / (h * t)),
            ActivationMemory.PerLayer(Gpt175, 49152, 2048, s * b, 8, false, Recompute.None, false), 1e-3);
        Assert.Equal(s * b * h / t * (34 + 5 * a * s / h),
            ActivationMemory.PerLayer(Gpt175, 49152, 2048, s * b, 8, true, Recompute.None, false), 1e-3);
        Assert.Equal(34 * s * b * h / t,
            ActivationMemory.PerLayer(Gpt175, 49152, 2048, s * b, 8, true, Recompute.Selective, false), 1e-3);
        Assert.Equal(2 * s * b * h / t,
            ActivationMemory.PerLayer(Gpt175, 49152, 2048, s * b, 8, true, Recompute.Full, false), 1e-3);
        // Fused attention keeps no s×s scores: the same as selective recompute.
        Assert.Equal(34 * s * b * h / t,
            ActivationMemory.PerLayer(Gpt175, 49152, 2048, s * b, 8, true, Recompute.None, true), 1e-3);
    }

    [Fact]
    public void WithoutDropoutTheMasksAreNotStored()
    {
        // Korthikanti's 34 holds two 1-byte masks per token (h each) and, with materialised
        // scores, a mask and a dropout output beside the softmax (5·a·s → 2·a·s).
        double s = 2048, b = 1, h = 12288, a = 96;
        var noDropout = Gpt175 with { Dropout = false };
        Assert.Equal(s * b * h * (32 + 2 * a * s / h),
            ActivationMemory.PerLayer(noDropout, 49152, 2048, s * b, 1, false, Recompute.None, fusedAttention: false), 1e-6);
    }

    [Fact]
    public void Fp8GemmsSaveTheirInputsInOneByte()
    {
        // QKV input h, output-projection input h, MLP-in input h and MLP-out input 4h drop from
        // 2 bytes to 1: 34·s·b·h − 7·s·b·h = 27·s·b·h per layer (fused attention, GPT shape).
        double s = 2048, b = 1, h = 12288;
        Assert.Equal(27 * s * b * h,
            ActivationMemory.PerLayer(Gpt175, 49152, 2048, s * b, 1, false, Recompute.None, fusedAttention: true, fp8Inputs: true), 1e-6);
    }

    [Fact]
    public void Bf16GradientReductionHalvesTheGradientsAndFp8CachesTwoBytesPerLinearWeight()
    {
        var m = new ModelSpec("x", "x", 2, 1024, 4096, FfnKind.Gelu, 8, 8, 128, 1, 128);
        var layout = new Layout(Dp: 8, ZeroStage: 1);
        var part = new ModelPartition(m, TransformerArithmetic.Parameters(m), layout);
        var job = new TrainingJob(m, 1e9, 8, 128, Precision.Bf16);
        var fp32 = DeviceMemory.Of(part, job, layout, 1, GpuSoftware.Modern, false, 80).Breakdown;
        var bf16 = DeviceMemory.Of(part, job, layout, 1, GpuSoftware.Modern.WithBf16GradientReduction(), false, 80).Breakdown;
        Assert.Equal(fp32["gradients"] / 2, bf16["gradients"], 1e-12);

        var fp8 = DeviceMemory.Of(part, job with { Precision = Precision.Fp8 }, layout, 1, GpuSoftware.Modern, true, 80).Breakdown;
        Assert.Equal(fp32["weights"] + 2 * 2 * part.LinearWeightsPerLayer / 1e9, fp8["weights"], 1e-12);
    }

    [Fact]
    public void RingAllReduceTime()
    {
        // 8 ranks in one NVLink domain at 100 GB/s, α = 5 µs, 1 GB: 2·7/8·1e9/1e11 + 2·7·5e-6.
        var system = TestSystems.Cluster("t", TestSystems.A100(), 100, 10) with { ScaleUpLatencyUs = new Sourced(5, "test") };
        var net = new Collectives(system);
        Assert.Equal(2 * 7.0 / 8 * 1e9 / 1e11 + 2 * 7 * 5e-6, net.AllReduce(1e9, net.Place(8, 1)), 1e-12);
    }

    [Fact]
    public void HierarchicalAllReduceCrossesNodesWithItsShare()
    {
        var system = TestSystems.Cluster("t", TestSystems.A100(), 100, 10) with
        {
            ScaleUpLatencyUs = new Sourced(0, "test"),
            ScaleOutLatencyUs = new Sourced(0, "test"),
        };
        var net = new Collectives(system);
        // 32 ranks, 8 per node: inside 2·7/8·S/100, across 4 nodes 2·3/4·(S/8)/10.
        double expected = 2 * 7.0 / 8 * 1e9 / 1e11 + 2 * 3.0 / 4 * (1e9 / 8) / 1e10;
        Assert.Equal(expected, net.AllReduce(1e9, net.Place(32, 1)), 1e-12);
        // A dp group strided by tp=8 has one member per node: everything crosses at scale-out speed.
        Assert.Equal(2 * 3.0 / 4 * 1e9 / 1e10, net.AllReduce(1e9, net.Place(4, 8)), 1e-12);
    }

    [Theory]
    [InlineData(8, 64, 1, 7.0 / 64)]
    [InlineData(8, 64, 4, 7.0 / 256)]
    [InlineData(4, 2, 1, 1.5)]
    [InlineData(1, 8, 1, 0)]
    public void BubbleFraction(int pp, int m, int v, double expected) =>
        Assert.Equal(expected, PipelineSchedule.BubbleFraction(pp, m, v), 1e-12);

    [Theory]
    [InlineData(0, 16.0)]
    [InlineData(1, 4 + 12.0 / 8)]
    [InlineData(2, 2 + 14.0 / 8)]
    [InlineData(3, 16.0 / 8)]
    public void ZeroBytesPerParameterWithFp16Gradients(int stage, double bytesPerParam)
    {
        // One layer of weights, no vocabulary, pp=1, dp=8: ZeRO paper's 16 B/param convention (fp16 gradients).
        var m = new ModelSpec("x", "x", 1, 1024, 4096, FfnKind.Gelu, 8, 8, 128, 1, 128);
        var layout = new Layout(Dp: 8, ZeroStage: stage);
        var part = new ModelPartition(m, TransformerArithmetic.Parameters(m), layout);
        var job = new TrainingJob(m, 1e9, 8, 128, Precision.Fp16);
        var mem = DeviceMemory.Of(part, job, layout, 1, GpuSoftware.Modern, false, 80).Breakdown;
        var (dense, _) = part.HeaviestStageWeights;
        double states = mem["weights"] + mem["gradients"] + mem["optimizer"];
        double gathered = stage == 3 ? 2 * 2 * part.DenseWeightsPerLayer(false) / 1e9 : 0;
        Assert.Equal(bytesPerParam * dense / 1e9 + gathered, states, 1e-9);
    }

    [Fact]
    public void BigGemmsRunNearTheCeilingAndSkinnyOnesFallBelowIt()
    {
        var a = TestSystems.A100();
        double big = MatmulEfficiency.ComputeFraction(a, 16384, 12288, 12288);
        double skinny = MatmulEfficiency.ComputeFraction(a, 1024, 128, 1024);
        Assert.InRange(big, 0.80 * a.SustainedShare, 0.87 * a.SustainedShare);
        Assert.True(skinny < 0.6 * big);
    }

    [Theory]
    [InlineData("a100-80gb", 108, 0.854)]
    [InlineData("h100-pcie", 114, 1.0)]
    [InlineData("mi250x", 110, 0.586)]
    [InlineData("mi300x", 304, 1.0)]
    [InlineData("gaudi2", MatmulEfficiency.DefaultComputeUnits, 0.614)]
    public void ComputeUnitsAndSustainedShareComeFromTheCatalog(string id, int units, double share)
    {
        var a = SimulatorCatalog.Default.FindAccelerator(id);
        Assert.Equal(units, MatmulEfficiency.ComputeUnits(a));
        Assert.Equal(share, a.SustainedShare);
    }

    [Fact]
    public void Fp8GemmsUseTheMeasuredFp8FractionAndSayWhenItIsAssumed()
    {
        var catalog = SimulatorCatalog.Default;
        var h100 = catalog.FindAccelerator("h100-sxm");
        double bf16 = MatmulEfficiency.ComputeFraction(h100, 16384, 12288, 12288);
        double fp8 = MatmulEfficiency.ComputeFraction(h100, 16384, 12288, 12288, precision: Precision.Fp8);
        Assert.Equal(h100.MatmulEfficiencyFp8!.Value / h100.MatmulEfficiency.Value, fp8 / bf16, 1e-9);
        Assert.False(MatmulEfficiency.Fp8EfficiencyAssumed(h100, Precision.Fp8));

        // The catalog's MI300X figure is an assumed one; a user's device may have none at all.
        var mi300x = catalog.FindAccelerator("mi300x");
        Assert.False(MatmulEfficiency.Fp8EfficiencyAssumed(mi300x, Precision.Fp8));
        var system = catalog.Systems.OfType<GpuCluster>().First(s => s.Device.Id == "mi300x");
        var job = new TrainingJob(catalog.FindModel("llama2-7b"), 1e9, 64, 4096, Precision.Fp8);
        IReadOnlyList<string> Assumptions(GpuCluster on) =>
            new GpuEstimator().Estimate(job, on, 8, new Layout(Dp: 8, ZeroStage: 1), Economics.EconomicAssumptions.Default).Assumptions;
        Assert.Contains(Assumptions(system), a => a.Contains("FP8 matmul efficiency 0.482 (0.45–0.531) is assumed"));
        var unmeasured = system with { Device = mi300x with { MatmulEfficiencyFp8 = null } };
        Assert.True(MatmulEfficiency.Fp8EfficiencyAssumed(unmeasured.Device, Precision.Fp8));
        Assert.Contains(Assumptions(unmeasured), a => a.Contains("no measured FP8 matmul efficiency"));
    }
}
