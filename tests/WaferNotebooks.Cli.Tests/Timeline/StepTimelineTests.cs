using CsCheck;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Cli.Tests.Timeline;

public class StepTimelineTests
{
    private static readonly ModelSpec Model = new("test-13b", "Test 13B", 40, 5120, 20480, FfnKind.Gelu, 40, 40, 128, 51200, 2048);

    private static Estimate EstimateWith(Layout layout, int globalBatch, params (string Name, double Seconds)[] parts)
    {
        var breakdown = new StepBreakdown(parts.Select(p => new StepPart(p.Name, p.Seconds, "")).ToList());
        return new Estimate
        {
            Job = new TrainingJob(Model, 1e11, globalBatch, 2048), SystemId = "test-system", DeviceName = "Test GPU", Devices = (int)layout.Devices,
            Layout = layout, ExecutionMode = parts.Any(p => p.Name is "weight_streaming" or "gradient_reduction" or "memoryx_update") ? ExecutionMode.WeightStreaming : ExecutionMode.ThreeDParallel,
            Feasible = true, StepTimeS = breakdown.Total, Breakdown = breakdown, TokensPerS = 1e6, ModelTflopsPerDevice = 100, HardwareTflopsPerDevice = 110, Mfu = 0.4, Hfu = 0.44,
            Memory = new MemoryBreakdown([new MemoryPart("weights", 10, "")], 80), TimeToTrainDays = 10, DeviceHours = 1000, AveragePowerKw = 100,
            EnergyMwh = 1, CostUsd = 1000, Co2Tonnes = 0.4, Bottleneck = "compute", Assumptions = [],
        };
    }

    private static void AssertDrawsTheBreakdown(Estimate e, StepTimeline t)
    {
        var segments = t.Lanes.SelectMany(l => l.Segments).ToList();
        foreach (var part in e.Breakdown.Parts)
            Assert.Equal(part.Seconds, segments.Where(s => s.Part == part.Name).Sum(s => s.DurationS), tolerance: 1e-9 * e.StepTimeS);
        Assert.Equal(e.StepTimeS, segments.Max(s => s.EndS), tolerance: 1e-9 * e.StepTimeS);
        // One clock: segments never overlap, on a lane or across lanes.
        var ordered = segments.OrderBy(s => s.StartS).ThenBy(s => s.EndS).ToList();
        for (var i = 1; i < ordered.Count; i++)
            Assert.True(ordered[i].StartS >= ordered[i - 1].EndS - 1e-12, $"{ordered[i - 1].Label} overlaps {ordered[i].Label}");
    }

    [Fact]
    public void A_pipelined_step_has_warm_up_and_cool_down_bubbles_around_the_steady_state()
    {
        // pp = 4, dp = 2, mb = 1, batch 16: 8 micro-batches, 3 warm-up forwards on the first stage.
        var e = EstimateWith(new Layout(Tp: 2, Pp: 4, Dp: 2), 16,
            ("compute", 6), ("recompute", 1), ("tp_comm", 0.6), ("pp_comm", 0.2), ("dp_comm", 0.3), ("bubble", 1.5), ("optimizer", 0.1), ("other", 0.05));
        var t = StepTimeline.From(e);
        AssertDrawsTheBreakdown(e, t);

        var compute = t["compute"]!.Segments;
        Assert.Equal(["forward micro-batch 1", "forward micro-batch 2", "forward micro-batch 3", "forward micro-batch 4"],
            compute.Take(4).Select(s => s.Label));
        var bubbles = t["pipeline bubble"]!.Segments;
        Assert.Equal(4, bubbles.Count);
        Assert.Equal("pipeline warm-up bubble", bubbles[0].Label);
        Assert.Equal(1.0, bubbles[0].DurationS, 9);
        Assert.All(bubbles.Skip(1), b => Assert.Equal("pipeline cool-down bubble", b.Label));
        // The warm-up bubble comes right before the first backward (its recompute).
        var firstBackward = t["compute"]!.Segments.First(s => s.Label.StartsWith("recompute"));
        Assert.Equal(bubbles[0].EndS, firstBackward.StartS, 9);
        Assert.Equal(["compute", "communication", "communication", "communication", "bubble", "optimizer", "other"], t.Lanes.Select(l => l.Kind));
        Assert.Equal(e.StepTimeS - 0.3 - 0.1 - 0.05, t["data-parallel comm"]!.Segments[0].StartS, 9);
    }

    [Fact]
    public void Many_micro_batches_are_drawn_in_groups()
    {
        var e = EstimateWith(new Layout(Pp: 2, Dp: 4), 4096, ("compute", 10), ("bubble", 0.01));
        var t = StepTimeline.From(e);
        AssertDrawsTheBreakdown(e, t);
        Assert.Equal(2 * StepTimeline.MaxGroups, t["compute"]!.Segments.Count);
        Assert.Contains("micro-batch group", t["compute"]!.Segments[0].Label);
    }

    [Fact]
    public void A_weight_streaming_step_streams_before_each_layer_and_updates_in_memoryx_last()
    {
        var e = EstimateWith(new Layout(Dp: 4), 64,
            ("compute", 3), ("weight_streaming", 0.4), ("gradient_reduction", 0.2), ("memoryx_update", 0.1), ("other", 0.01));
        var t = StepTimeline.From(e);
        AssertDrawsTheBreakdown(e, t);
        Assert.Equal("stream weights, layer 1", t.Lanes.SelectMany(l => l.Segments).MinBy(s => s.StartS)!.Label);
        Assert.Equal(2 * Model.Layers, t["weight streaming (MemoryX)"]!.Segments.Count);
        Assert.Equal("weight update in MemoryX", t["optimizer (MemoryX)"]!.Segments.Single().Label);
        Assert.Contains("Weight streaming", t.Schedule);
    }

    [Fact]
    public void A_part_no_estimator_models_is_refused_by_name()
    {
        // Step parts are a closed, typed set: a breakdown cannot carry a part the timeline could only guess a lane for.
        var e = Assert.Throws<ArgumentException>(() => EstimateWith(new Layout(Dp: 8), 64, ("compute", 1), ("checkpoint_io", 0.5)));
        Assert.Contains("'checkpoint_io' is not a step part; the parts are compute, recompute, tp_comm", e.Message);
    }

    [Fact]
    public void Any_breakdown_and_layout_is_drawn_exactly()
    {
        var part = Gen.Double[0, 10];
        Gen.Select(Gen.Int[1, 16], Gen.Int[1, 4], Gen.Int[1, 512], Gen.Select(part, part, part, part), Gen.Select(part, part, part, part))
            .Sample((pp, dp, batch, a, b) =>
            {
                var e = EstimateWith(new Layout(Pp: pp, Dp: dp), batch,
                    ("compute", a.Item1 + 1e-3), ("recompute", a.Item2), ("tp_comm", a.Item3), ("pp_comm", a.Item4),
                    ("bubble", pp > 1 ? b.Item1 : 0), ("dp_comm", b.Item2), ("optimizer", b.Item3), ("other", b.Item4));
                AssertDrawsTheBreakdown(e, StepTimeline.From(e));
            }, iter: 300);
    }
}
