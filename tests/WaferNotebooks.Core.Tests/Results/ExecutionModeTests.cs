using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.ResultsTests;

/// <summary>Execution modes and step parts are typed; their names and captions come from one place.</summary>
public class ExecutionModeTests
{
    static SimulatorCatalog Catalog => SimulatorCatalog.Default;

    static Estimate Wafer(int systems) => EstimateWordsTests.Wafer(systems);

    [Fact]
    public void Each_estimate_captions_its_gantt_with_its_own_mode()
    {
        var gpu = new GpuEstimator().Estimate(new TrainingJob(Catalog.FindModel("llama2-7b"), 1e11, 512, 4096), Catalog.FindSystem("dgx-h100"), 64,
            new Layout(Tp: 8, Dp: 8, ZeroStage: 1), EconomicAssumptions.Default);
        var (pipelined, streaming) = (Wafer(1), Wafer(4));
        Assert.Equal((ExecutionMode.ThreeDParallel, ExecutionMode.LayerPipelined, ExecutionMode.WeightStreaming),
            (gpu.ExecutionMode, pipelined.ExecutionMode, streaming.ExecutionMode));

        Assert.StartsWith("1F1B pipeline", StepTimeline.From(gpu).Schedule);
        Assert.StartsWith("Weight streaming:", StepTimeline.From(streaming).Schedule);
        Assert.Contains("weights streamed from MemoryX", StepTimeline.From(streaming).Schedule);

        // A layer-pipelined run keeps its weights in SRAM: nothing on its Gantt may say MemoryX.
        var t = StepTimeline.From(pipelined);
        Assert.StartsWith("Layer pipelined:", t.Schedule);
        Assert.DoesNotContain("MemoryX", t.Schedule);
        Assert.DoesNotContain(t.Lanes, l => l.Name.Contains("MemoryX") || l.Segments.Any(s => s.Label.Contains("MemoryX")));
        Assert.NotNull(t["optimizer (on the wafer)"]);
    }

    [Fact]
    public void Modes_read_as_their_ids_and_parse_back()
    {
        Assert.Equal(["3d-parallel", "weight-streaming", "layer-pipelined"], ExecutionMode.All.Select(m => m.ToString()));
        foreach (var m in ExecutionMode.All)
        {
            Assert.Same(m, ExecutionMode.Parse(m.Id));
            Assert.Equal(m != ExecutionMode.ThreeDParallel, m.IsWafer);
        }
        Assert.Contains("the modes are 3d-parallel", Assert.Throws<ArgumentException>(() => ExecutionMode.Parse("pipelined")).Message);
    }

    [Fact]
    public void Step_parts_have_one_id_and_one_label_each()
    {
        Assert.Equal(StepParts.All.Count, StepParts.All.Select(k => k.Id()).Distinct().Count());
        Assert.Equal(StepParts.All.Count, StepParts.All.Select(k => k.Label()).Distinct().Count());
        foreach (var k in StepParts.All)
            Assert.Equal(k, StepParts.Parse(k.Id()));
        Assert.Equal(("tp_comm", "tensor-parallel comm."), (StepPartKind.TpComm.Id(), StepPartKind.TpComm.Label()));
        Assert.Equal("memoryx_update", new StepPart("memoryx_update", 1, "").Name);
        Assert.Throws<ArgumentException>(() => new StepPart("tp-comm", 1, ""));
    }

    [Fact]
    public void A_breakdown_reads_parts_by_kind_and_by_id()
    {
        var b = new StepBreakdown([StepPartKind.Compute, StepPartKind.TpComm, StepPartKind.Other], [3, 5, 1], null);
        Assert.Equal(9, b.Total);
        Assert.Equal((5, 5, 0, 0), (b[StepPartKind.TpComm], b["tp_comm"], b[StepPartKind.Bubble], b["nonsense"]));
        Assert.Equal(StepPartKind.TpComm, b.LargestKind);
        Assert.Equal(new StepPart(StepPartKind.TpComm, 5, ""), b.Largest);
    }
}
