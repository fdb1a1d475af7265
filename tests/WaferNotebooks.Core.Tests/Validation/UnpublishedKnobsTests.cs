using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.ValidationTests;

/// <summary>How a validation row's unpublished layout knobs are filled, and the software profile it gets.</summary>
public class UnpublishedKnobsTests
{
    const string Header = "id,model,params_b,layers,hidden,ffn_hidden,heads,kv_heads,vocab,seq_len,global_batch_seqs,micro_batch,moe_experts,moe_active,system,devices,tp,pp,dp,cp,ep,vpp,zero_stage,recompute,sequence_parallel,precision,tokens_b,metric,value,source,notes";

    static ValidationCase Gpt(int layers = 48, int hidden = 8192, int heads = 64, int batch = 1536, int devices = 512, CaseInputs? inputs = null) =>
        new("gpt", 2, "GPT", null, layers, hidden, 4 * hidden, heads, heads, 51200, 2048, batch, null, null, null,
            "dgx-a100-80gb", devices, null, null, null, null, null, null, null, null, null, Precision.Bf16, null, "hfu_tflops_per_device", 140, "")
        { Inputs = inputs ?? CaseInputs.None };

    static List<Layout> Candidates(ValidationCase c, LayoutPolicy policy)
    {
        var system = (GpuCluster)SimulatorCatalog.Default.FindSystem(c.SystemId);
        var job = new TrainingJob(CaseModel.Build(c), 1e9, c.GlobalBatchSeqs!.Value, c.SeqLen, c.Precision);
        return UnpublishedKnobs.Constrain(new GpuEstimator().CandidateLayouts(job, system, c.Devices!.Value), c, job, c.Devices.Value, policy).ToList();
    }

    [Fact]
    public void DefaultsAreMicroBatchOneNoInterleavingZeroOneSmallestModelParallelFirst()
    {
        var layouts = Candidates(Gpt(), LayoutPolicy.FrameworkDefaults);
        Assert.NotEmpty(layouts);
        Assert.All(layouts.Where(l => l.ZeroStage != 3 || l.Pp > 1), l => Assert.Equal(1, l.MicroBatch));
        Assert.All(layouts, l => Assert.Equal(1, l.Vpp));
        var first = layouts[0];
        Assert.Equal((1, 1, 1), (first.Tp, first.Pp, first.ZeroStage));
        // Model-parallel size never decreases before the ZeRO stage changes; tp comes before pp at equal size.
        var zeroOne = layouts.TakeWhile(l => l.ZeroStage == 1).ToList();
        for (int i = 1; i < zeroOne.Count; i++)
            Assert.True(zeroOne[i].Tp * zeroOne[i].Pp * zeroOne[i].Cp >= zeroOne[i - 1].Tp * zeroOne[i - 1].Pp * zeroOne[i - 1].Cp);
        var size8 = zeroOne.Where(l => l.Tp * l.Pp * l.Cp == 8).ToList();
        Assert.Equal(8, size8[0].Tp);
    }

    [Fact]
    public void StatedInterleavingWithoutACountTakesTwoChunks()
    {
        var c = Gpt(inputs: new() { Interleaved = true });
        var layouts = Candidates(c, LayoutPolicy.FrameworkDefaults).Where(l => l.Pp > 1).ToList();
        // Two chunks where the schedule allows them (2·pp layers, micro-batches a multiple of pp), else none.
        bool Allowed(Layout l) => c.Layers >= 2 * l.Pp && c.GlobalBatchSeqs!.Value / (l.Dp * l.MicroBatch) % l.Pp == 0;
        Assert.Contains(layouts, Allowed);
        Assert.All(layouts, l => Assert.Equal(Allowed(l) ? 2 : 1, l.Vpp));
    }

    [Fact]
    public void StatedTensorParallelismExcludesTpOneAndFsdpPrefersFullSharding()
    {
        var layouts = Candidates(Gpt(inputs: new() { Framework = TrainingFramework.Fsdp, TensorParallel = true }), LayoutPolicy.FrameworkDefaults);
        Assert.All(layouts, l => Assert.True(l.Tp > 1));
        Assert.Equal(3, layouts[0].ZeroStage);
    }

    [Fact]
    public void NoTensorParallelismMeansTpOneAndPlainZeroOneOutsideFsdp()
    {
        var layouts = Candidates(Gpt(inputs: new() { TensorParallel = false, Framework = TrainingFramework.MegatronLm }), LayoutPolicy.FrameworkDefaults);
        Assert.NotEmpty(layouts);
        Assert.All(layouts, l => Assert.Equal(1, l.Tp));
        Assert.Equal(1, layouts[0].ZeroStage);
    }

    [Fact]
    public void MegatronRunsOnlyItsOwnZeroStagesUnpublished()
    {
        // Megatron-Core in 2024-07 (NeMo 24.07): DDP or the distributed optimizer, nothing sharded further,
        // so a row too large for ZeRO-1 stays at ZeRO-1 (and is flagged) instead of taking ZeRO-3.
        var mcore2024 = Candidates(Gpt(inputs: new() { Framework = TrainingFramework.Nemo, SoftwareDate = new DateOnly(2024, 7, 1) }), LayoutPolicy.FrameworkDefaults);
        Assert.NotEmpty(mcore2024);
        Assert.All(mcore2024, l => Assert.Contains(l.ZeroStage, new[] { 0, 1 }));
        // From 2024-12 (FSDP2 in Megatron-Core r0.10) ZeRO-3 is a last resort, after every ZeRO-1 layout.
        var mcore2025 = Candidates(Gpt(inputs: new() { Framework = TrainingFramework.MegatronCore, SoftwareDate = new DateOnly(2025, 3, 1) }), LayoutPolicy.FrameworkDefaults);
        Assert.Contains(mcore2025, l => l.ZeroStage == 3);
        Assert.Equal(1, mcore2025[0].ZeroStage);
        Assert.All(mcore2025.SkipWhile(l => l.ZeroStage == 1), l => Assert.Equal(3, l.ZeroStage));
        // DeepSpeed runs every stage; a published stage is always kept.
        Assert.Contains(Candidates(Gpt(inputs: new() { Framework = TrainingFramework.DeepSpeed, SoftwareDate = new DateOnly(2022, 5, 1) }), LayoutPolicy.FrameworkDefaults), l => l.ZeroStage == 3);
        var published = Gpt(inputs: new() { Framework = TrainingFramework.MegatronCore, SoftwareDate = new DateOnly(2024, 7, 1) }) with { ZeroStage = 3 };
        Assert.All(Candidates(published, LayoutPolicy.FrameworkDefaults), l => Assert.Equal(3, l.ZeroStage));
    }

    [Fact]
    public void FullyShardedWithoutPipelineRunsTheLocalBatchInOneMicroBatchFirst()
    {
        var c = Gpt(inputs: new() { Framework = TrainingFramework.Fsdp }) with { Pp = 1, ZeroStage = 3 };
        var first = Candidates(c, LayoutPolicy.FrameworkDefaults)[0];
        Assert.Equal(c.GlobalBatchSeqs!.Value / first.Dp, first.MicroBatch);
    }

    [Fact]
    public void PublishedFieldsAreKeptAndTheFastestPolicyKeepsThePlannersKnobs()
    {
        var c = Gpt() with { Tp = 8, Pp = 4, MicroBatch = 2, ZeroStage = 0, Recompute = Recompute.Full, SequenceParallel = false };
        var fixedLayouts = Candidates(c, LayoutPolicy.FrameworkDefaults);
        Assert.All(fixedLayouts, l => Assert.Equal((8, 4, 16, 2, 0, Recompute.Full, false), (l.Tp, l.Pp, l.Dp, l.MicroBatch, l.ZeroStage, l.Recompute, l.SequenceParallel)));
        var fastest = Candidates(Gpt(), LayoutPolicy.Fastest);
        Assert.Contains(fastest, l => l.MicroBatch > 1);
        Assert.Contains(fastest, l => l.Vpp > 1);
    }

    [Fact]
    public void PoliciesDifferOnlyInUnpublishedKnobsAndDefaultsAreNeverFaster()
    {
        string row = Header + "\nr,GPT,,48,8192,32768,64,64,51200,2048,1536,,,,dgx-a100-80gb,512,8,2,32,1,,,0,full,0,fp16,,hfu_tflops_per_device,138,src,\n";
        var defaults = new ValidationRun().Run(row).Rows[0];
        var fastest = new ValidationRun(SimulatorCatalog.Default.FindSystem, policy: LayoutPolicy.Fastest).Run(row).Rows[0];
        Assert.False(defaults.Skipped, defaults.Reason);
        Assert.Contains("mb=1", defaults.Layout);
        Assert.True(fastest.Predicted >= defaults.Predicted, $"fastest {fastest.Predicted} < defaults {defaults.Predicted}");
    }

    [Fact]
    public void BatchInTokensIsRoundedToAMultipleOfTheLayoutsDataParallelSizeAndSaysSo()
    {
        string row = Header + ",batch_tokens,framework,tensor_parallel\nopt,OPT,175,96,12288,49152,96,96,50272,2048,,,,,dgx-a100-80gb,992,,1,,,,,3,,,fp16,,hfu_tflops_per_device,147,src,,2M,fsdp,1\n";
        var r = new ValidationRun().Run(row).Rows[0];
        Assert.False(r.Skipped, r.Reason);
        // 2M tokens = 1024 sequences; never rounded up to the 992 devices' multiple (1984).
        int dp = int.Parse(System.Text.RegularExpressions.Regex.Match(r.Layout, @"dp=(\d+)").Groups[1].Value);
        int expected = (int)Math.Round(1024.0 / dp) * dp;
        Assert.True(expected < 1984, $"batch {expected}");
        if (expected != 1024) Assert.Contains(r.Notes!, n => n.Contains($"1024 sequences is rounded to {expected}, the nearest multiple of the layout's dp = {dp}"));
        Assert.Contains("global_batch (rounded to dp)", r.Assumed!);
    }

    [Fact]
    public void AnOpenBatchStartsAtOnePublishedMicroBatchPerRankInsteadOfSkippingTheRow()
    {
        // 64 ranks of fully sharded data parallelism at a published micro-batch of 4: the open
        // batch's 1M-token end (128 sequences of 8192) is below the 256 such a run needs.
        string Row(string batch) => Header + $"\nb,GPT,,32,4096,16384,32,32,51200,8192,{batch},4,,,dgx-h100,64,1,1,64,1,,,3,full,0,bf16,,tokens_per_s_per_device,5000,src,\n";
        var open = new ValidationRun().Run(Row("")).Rows[0];
        Assert.False(open.Skipped, open.Reason);
        var smallest = new ValidationRun().Run(Row("256")).Rows[0];
        Assert.False(smallest.Skipped, smallest.Reason);
        Assert.Null(smallest.DoesNotFit);
        Assert.True(open.PredictedLow!.Value <= smallest.Predicted!.Value * (1 + 1e-9) && smallest.Predicted.Value <= open.PredictedHigh!.Value * (1 + 1e-9),
            $"256 sequences give {smallest.Predicted}, outside the open batch's range {open.PredictedLow}–{open.PredictedHigh}");
    }

    [Fact]
    public void DeepSpeedRowsGetThePipelineEngineWithoutInterleaving()
    {
        var system = SimulatorCatalog.Default.FindSystem("dgx-a100-80gb");
        var ds = ValidationRun.SoftwareFor(Gpt(inputs: new() { Framework = TrainingFramework.DeepSpeed }), system);
        var megatron = ValidationRun.SoftwareFor(Gpt(inputs: new() { Framework = TrainingFramework.MegatronLm }), system);
        Assert.False(ds.InterleavedSchedule);
        Assert.False(ds.OverlapGradientReduction);
        Assert.True(megatron.InterleavedSchedule);

        var c = Gpt();
        var job = new TrainingJob(CaseModel.Build(c), 1e9, 1536, 2048, Precision.Bf16);
        var interleaved = new Layout(8, 4, 16, Vpp: 2, ZeroStage: 1, Recompute: Recompute.Full, SequenceParallel: true);
        var e = new GpuEstimator(ds).Estimate(job, system, 512, interleaved, Economics.EconomicAssumptions.Default);
        Assert.False(e.Feasible);
        Assert.Contains("interleaved", e.Reason);
        Assert.True(new GpuEstimator(megatron).Estimate(job, system, 512, interleaved, Economics.EconomicAssumptions.Default).StepTimeS > 0);
    }

    [Fact]
    public void WaferRowsRunThroughTheSimulatorsEstimator()
    {
        string row = Header + "\nw,GPT 1.3B,,24,2048,8192,16,16,50257,2048,256,,,,cs-3,1,,,,,,,,,,bf16,,tokens_per_s_per_device,100000,src,\n";
        var r = new ValidationRun().Run(row).Rows[0];
        Assert.False(r.Skipped, r.Reason);
        Assert.True(r.Predicted > 0);
    }

    [Fact]
    public void RowsBeyondASystemsSizeSaySo()
    {
        // TPU v3 reaches 4,096 chips over ICI (the multipod); 8,192 is beyond any published v3 machine.
        string row = Header + "\np,GPT,,24,2048,8192,16,16,51200,2048,8192,,,,tpu-v3-pod,8192,,,,,,,,,,bf16,,mfu_percent,40,src,\n";
        var r = new ValidationRun().Run(row).Rows[0];
        Assert.True(r.Skipped);
        Assert.Contains("exceed", r.Reason);
    }

    [Fact]
    public void ARowNoLayoutCanRunIsSkippedWithTheReasonNotPredictedAsZero()
    {
        // Published vpp=4 with pp=2 needs the micro-batches to be a multiple of pp; 3 are not.
        string row = Header + "\nx,GPT,,48,4096,16384,32,32,51200,2048,3,1,,,dgx-a100-80gb,16,8,2,1,1,,4,1,full,1,bf16,,iteration_s,1,src,\n";
        var r = new ValidationRun().Run(row).Rows[0];
        Assert.True(r.Skipped, $"predicted {r.Predicted}");
        Assert.Contains("interleaved schedule", r.Reason);
    }
}
