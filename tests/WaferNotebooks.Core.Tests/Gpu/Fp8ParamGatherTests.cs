using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>Megatron-Core fp8_param_gather: no 16-bit copy of the linear weights, 1-byte gathers.</summary>
public class Fp8ParamGatherTests
{
    static readonly TrainingJob Job = new(SimulatorCatalog.Default.FindModel("llama2-7b"), 1e11, 512, 4096, Precision.Fp8);
    static readonly Layout Zero1 = new(1, 1, 64, 1, 1, 1, 1, 1, Recompute.Selective, false);

    [Fact]
    public void The_weights_drop_by_the_fp8_caches_and_the_gather_moves_one_byte_per_linear_weight()
    {
        var part = new ModelPartition(Job.Model, TransformerArithmetic.Parameters(Job.Model), Zero1);
        double linear = part.MaxLayersPerStage * part.LinearWeightsPerLayer;
        var (dense, expert) = part.HeaviestStageWeights;
        Assert.Equal(2, DataParallelSync.GatherBytesPerWeight(part, false));
        Assert.Equal(2 - linear / (dense + expert), DataParallelSync.GatherBytesPerWeight(part, true), 1e-12);

        var plain = new GpuEstimator().Estimate(Job, TestSystems.DgxH100, 64, Zero1, EconomicAssumptions.Default);
        var gathered = new GpuEstimator(GpuSoftware.Modern.WithFp8ParamGather()).Estimate(Job, TestSystems.DgxH100, 64, Zero1, EconomicAssumptions.Default);
        // Without it: 16-bit weights + FP8 weight and transpose (2 B per linear weight); with it the FP8 pair replaces the 16-bit copy.
        Assert.Equal(2 * linear / 1e9, plain.Memory["weights"] - gathered.Memory["weights"], 1e-9);
        Assert.True(gathered.StepTimeS <= plain.StepTimeS);
    }

    [Fact]
    public void Without_fp8_gemms_nothing_changes()
    {
        var bf16 = Job with { Precision = Precision.Bf16 };
        var plain = new GpuEstimator().Estimate(bf16, TestSystems.DgxH100, 64, Zero1, EconomicAssumptions.Default);
        var gathered = new GpuEstimator(GpuSoftware.Modern.WithFp8ParamGather()).Estimate(bf16, TestSystems.DgxH100, 64, Zero1, EconomicAssumptions.Default);
        Assert.Equal(plain.StepTimeS, gathered.StepTimeS);
        Assert.Equal(plain.Memory.TotalGb, gathered.Memory.TotalGb);
    }
}
