using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.ResultsTests;

/// <summary>Activation offload among the hints for an activation overflow (docs/gpu-model.md §5.1).</summary>
public class MemoryHintsOffloadTests
{
    private static MemoryBreakdown Breakdown(double activationsGb, double otherGb, double capacityGb) =>
        new([new MemoryPart("weights", otherGb, ""), new MemoryPart("activations", activationsGb, "")], capacityGb);

    [Fact]
    public void The_layers_to_offload_are_the_overflow_over_one_layers_share()
    {
        // 40 GB of activations over 10 layers = 4 GB a layer; 90 GB of 80 is 10 GB over: ⌈10/4⌉ = 3
        // (the copies in flight hold nothing beyond the kept layers, Transformer Engine's offload schedule).
        Assert.Equal(3, MemoryHints.OffloadLayersThatFit(Breakdown(40, 50, 80), stageLayers: 10, fewestStageLayers: 10));
        // Exactly 8 GB over: ⌈2⌉ = 2.
        Assert.Equal(2, MemoryHints.OffloadLayersThatFit(Breakdown(40, 48, 80), 10, 10));
        // Offload keeps a layer per stage on the device: 3 is not below a smallest stage of 3 layers.
        Assert.Null(MemoryHints.OffloadLayersThatFit(Breakdown(40, 50, 80), 10, 3));
        // Nothing over, nothing to offload.
        Assert.Null(MemoryHints.OffloadLayersThatFit(Breakdown(40, 30, 80), 10, 10));
    }

    [Fact]
    public void Offload_is_offered_for_activations_when_a_count_is_known_and_not_beside_full_recompute()
    {
        var none = new Layout(Tp: 8, Pp: 4);
        Assert.Contains("offload=3 (activations of 3 layers per stage in host memory)", MemoryHints.For("activations", none, 3));
        Assert.DoesNotContain(MemoryHints.For("activations", none), h => h.StartsWith("offload="));
        Assert.DoesNotContain(MemoryHints.For("activations", none with { Recompute = Recompute.Full }, 3), h => h.StartsWith("offload="));
        Assert.DoesNotContain(MemoryHints.For("optimizer", none, 3), h => h.StartsWith("offload="));
    }

    [Fact]
    public void The_reason_a_405b_layout_overflows_names_an_offload_that_then_fits()
    {
        // Llama 3's shape at 8K on H100s (PCIe Gen5 host link): 93 GB of 80 without recompute.
        var catalog = SimulatorCatalog.Default;
        var system = catalog.FindSystem("dgx-h100");
        var job = new TrainingJob(catalog.FindModel("llama3-405b"), 1e12, 2048, 8192);
        var layout = new Layout(Tp: 8, Pp: 16, Dp: 128, ZeroStage: 1, SequenceParallel: true, FirstStageLayers: 7, LastStageLayers: 7);
        var estimator = Simulator.EstimatorFor(system);
        var e = estimator.Estimate(job, system, 16384, layout, EconomicAssumptions.Default);
        Assert.False(e.Feasible);
        var match = System.Text.RegularExpressions.Regex.Match(e.Reason!, @"offload=(\d+) ");
        Assert.True(match.Success, e.Reason);
        int n = int.Parse(match.Groups[1].Value);
        Assert.True(estimator.Estimate(job, system, 16384, layout with { OffloadLayers = n }, EconomicAssumptions.Default).Feasible);
        Assert.False(estimator.Estimate(job, system, 16384, layout with { OffloadLayers = n - 2 }, EconomicAssumptions.Default).Feasible);
    }
}
