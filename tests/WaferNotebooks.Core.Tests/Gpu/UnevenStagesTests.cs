using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>first=/last= in --layout: uneven pipeline stages as Llama 3 ran them (docs/gpu-model.md §4.3).</summary>
public class UnevenStagesTests
{
    static readonly SimulatorCatalog Catalog = SimulatorCatalog.Default;
    static readonly ModelSpec Llama405 = Catalog.FindModel("llama3-405b");
    static readonly TrainingJob Job = new(Llama405, 15.6e12, 2048, 8192);
    static readonly SystemSpec H100 = TestSystems.DgxH100;

    static Layout Parse(string text, int devices = 8192) => LayoutSpec.Parse(text).Resolve(devices, Job, H100);

    [Fact]
    public void Llama3_split_parses_prints_back_and_gives_7_8_7()
    {
        // Llama 3 §3.3.2: 126 layers on 16 stages, one layer fewer on the first and the last.
        var l = Parse("tp=8,pp=16,first=7,last=7,recompute=selective,sp=1");
        Assert.Equal((7, 7), (l.FirstStageLayers, l.LastStageLayers));
        Assert.Equal(l, LayoutSpec.Parse(l.ToString()).Resolve(8192, Job, H100));
        var part = new ModelPartition(Llama405, TransformerArithmetic.Parameters(Llama405), l);
        Assert.Equal([7, 8, 8, 7], new[] { 0, 1, 14, 15 }.Select(part.StageLayersAt));
        Assert.Equal(8, part.MaxLayersPerStage);
        Assert.Equal(126, Enumerable.Range(0, 16).Sum(part.StageLayersAt));
        // The default split: 15 stages of ⌈126/16⌉ = 8, the last 6.
        var even = new ModelPartition(Llama405, TransformerArithmetic.Parameters(Llama405), l with { FirstStageLayers = 0, LastStageLayers = 0 });
        Assert.Equal([8, 8, 6], new[] { 0, 1, 15 }.Select(even.StageLayersAt));
        // Only first given: the other 15 stages split 126 − 6 = 120.
        var firstOnly = new ModelPartition(Llama405, TransformerArithmetic.Parameters(Llama405), l with { FirstStageLayers = 6, LastStageLayers = 0 });
        Assert.Equal([6, 8, 8], new[] { 0, 1, 15 }.Select(firstOnly.StageLayersAt));
    }

    [Theory]
    [InlineData("tp=8,pp=1,first=7", 8192 / 8, "need pp > 1 (got pp=1)")]
    [InlineData("tp=8,pp=16,first=6,last=7", 8192, "first=6 + last=7 leave 113 of the 126 layers for the other 14 stages, which must split them evenly")]
    [InlineData("tp=8,pp=2,first=60,last=60", 8192, "pp=2 has no stage between the first and the last, so first=60 + last=60 must be the 126 layers (got 120)")]
    [InlineData("tp=8,pp=16,vpp=2,first=1,last=5", 8192, "with vpp=2 every stage needs at least 2 layers")]
    [InlineData("tp=8,pp=16,first=0", 8192, "--layout first")]
    public void Impossible_splits_are_refused_by_the_one_rulebook(string layout, int devices, string message) =>
        Assert.Contains(message, Assert.Throws<WaferInputException>(() => Parse(layout, devices)).Message);

    static Results.Estimate Run(Layout l) => new GpuEstimator().Estimate(Job, H100, 8192, l, EconomicAssumptions.Default);

    [Fact]
    public void Shrinking_the_first_stage_moves_the_activation_peak_to_the_second_stage()
    {
        var uneven = Run(Parse("tp=8,pp=16,first=7,last=7,recompute=selective,sp=1"));
        var even = Run(Parse("tp=8,pp=16,recompute=selective,sp=1"));
        // 1F1B: the first stage holds p = 16 micro-batches, the second 15. Default: 8 layers × 16;
        // first=7: max(7 × 16, 8 × 15) = 120 layer-micro-batches against 128.
        Assert.Equal(120.0 / 128, uneven.Memory["activations"] / even.Memory["activations"], 1e-9);
        Assert.Contains("second pipeline stage", uneven.Memory.Parts.Single(p => p.Name == "activations").Description);
        Assert.Contains(uneven.Assumptions, a => a.StartsWith("pipeline stages of 7 (first, with the embedding), 8 (each of the 14 between) and 7 layers"));
    }

    [Fact]
    public void The_slowest_stage_sets_the_pace_and_the_bubble_runs_at_the_mean()
    {
        // pp=2: one stage of 100 layers and the last of 26 with the logits against 63 + 63.
        var lopsided = Run(Parse("tp=8,pp=2,first=100,last=26"));
        var balanced = Run(Parse("tp=8,pp=2,first=63,last=63"));
        var even = Run(Parse("tp=8,pp=2"));
        Assert.Equal(even.StepTimeS, balanced.StepTimeS, 1e-12);
        // The widest stage paces the steady state: 100 layers against 90 (the last stage's 26 or 36
        // layers and the logit layer, about 0.65 of a layer here, are fewer), so compute scales 100/90.
        var lessLopsided = Run(Parse("tp=8,pp=2,first=90,last=36"));
        Assert.Equal(100.0 / 90, lopsided.Breakdown["compute"] / lessLopsided.Breakdown["compute"], 1e-9);
        Assert.True(lopsided.StepTimeS > balanced.StepTimeS);
        // The bubble is one mean stage slot, the same whenever the layers total 126.
        Assert.Equal(balanced.Breakdown["bubble"], lopsided.Breakdown["bubble"], 1e-9);
    }
}
