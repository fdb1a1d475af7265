using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>shard=N in --layout: hybrid sharding (HSDP, MiCS), docs/gpu-model.md §4.4.</summary>
public class HybridShardingTests
{
    static readonly ModelSpec Llama7 = SimulatorCatalog.Default.FindModel("llama2-7b");
    static readonly TrainingJob Job = new(Llama7, 1e12, 1024, 4096);
    static readonly GpuCluster H100 = TestSystems.DgxH100;

    static Layout Parse(string text) => LayoutSpec.Parse(text).Resolve(64, Job, H100);

    static Results.Estimate Run(Layout l) => new GpuEstimator().Estimate(Job, H100, 64, l, EconomicAssumptions.Default);

    [Fact]
    public void Shards_span_the_group_given_and_the_state_divides_by_it()
    {
        var hsdp = Parse("zero=3,shard=8");
        Assert.Equal((8, 8), (hsdp.ShardSize, hsdp.ShardCopies));
        Assert.Equal(hsdp, LayoutSpec.Parse(hsdp.ToString()).Resolve(64, Job, H100));
        var (sharded, full) = (Run(hsdp), Run(Parse("zero=3")));
        // Optimizer state 12 B/param over 8 ranks instead of 64.
        Assert.Equal(8, sharded.Memory["optimizer"] / full.Memory["optimizer"], 1e-9);
        Assert.Contains(sharded.Assumptions, a => a.StartsWith("hybrid sharding (shard=8; PyTorch HSDP, MiCS): ZeRO-3 shards over 8 of the 64 data-parallel ranks inside one node, and the 8 copies"));
        // shard = dp·cp is plain ZeRO.
        Assert.Equal(full.StepTimeS, Run(Parse("zero=3,shard=64")).StepTimeS, 1e-12);
    }

    [Fact]
    public void Zero1_traffic_is_an_in_node_reduce_scatter_a_cross_node_all_reduce_of_one_eighth_and_an_in_node_gather()
    {
        var l = Parse("zero=1,shard=8");
        var part = new ModelPartition(Llama7, TransformerArithmetic.Parameters(Llama7), l);
        double w = part.HeaviestStageWeights.Dense;
        var net = new Collectives(H100);
        // In node: 8 ranks at 370 GB/s, 3 µs per step; across nodes: 8 copies, one per node, at 45 GB/s, 8 µs.
        double RingUp(double bytes) => 7.0 / 8 * bytes / 370e9 + 7 * 3e-6;
        double RingOut(double bytes) => 7.0 / 8 * bytes / 45e9 + 7 * 8e-6;
        double expected = RingUp(w * 4) + 2 * RingOut(w * 4 / 8) + RingUp(w * 2);
        // Without overlap the whole of it is exposed.
        var r = DataParallelSync.Of(part, l, 16, 4, net, 1.0, 0.5, GpuSoftware.Megatron2021);
        Assert.Equal(expected, r.TotalSeconds, 1e-12);
        Assert.Equal(expected, r.ExposedSeconds, 1e-12);
        Assert.Contains("over 8 ranks (shard=), gradient shards all-reduced across 8 copies", r.Description);
    }

    [Fact]
    public void Hpz_gathers_the_backward_inside_the_node_and_holds_a_secondary_copy()
    {
        var (hpz, plain) = (Parse("zero=3,hpz=8"), Parse("zero=3"));
        var part = new ModelPartition(Llama7, TransformerArithmetic.Parameters(Llama7), hpz);
        var (withCopy, without) = (Run(hpz), Run(plain));
        // The secondary partition: 2 bytes per weight over 8 ranks.
        Assert.Equal(2 * part.HeaviestStageWeights.Dense / 8 / 1e9, withCopy.Memory["weights"] - without.Memory["weights"], 1e-9);
        Assert.True(withCopy.Breakdown["dp_comm"] < without.Breakdown["dp_comm"], $"{withCopy.Breakdown["dp_comm"]} vs {without.Breakdown["dp_comm"]}");
        // Backward gathers per layer: in node (8 ranks, 370 GB/s) instead of over all 64 (8 nodes at 45 GB/s).
        var net = new Collectives(H100);
        double layer = part.HeaviestStageWeights.Dense / part.MaxLayersPerStage * 2;
        var z = DataParallelSync.Zero3(Llama7, part.MaxLayersPerStage, 1, false, 64, GpuSoftware.Modern.WithDeepSpeed2021Zero3() with { Zero3SyncPerTensorS = 0 },
            gather: 1.0, reduce: 0, forwardPerLayer: 0, backwardPerLayer: 0, backwardGather: 0.25);
        // No prefetch, no compute: L·(g + c_f) + L·(g_b + c_b + r) = L·(1 + 0.25).
        Assert.Equal(part.MaxLayersPerStage * 1.25, z.ExposedSeconds, 1e-12);
        // Over all 64 the gather adds the cross-node ring on its 1/8 share; hpZ's backward gather is the in-node ring alone.
        Assert.Equal(7.0 / 8 * layer / 370e9 + 7 * 3e-6, net.AllGather(layer, net.Place(8, 1)), 1e-12);
        Assert.Equal(7.0 / 8 * layer / 370e9 + 7 * 3e-6 + 7.0 / 8 * layer / 8 / 45e9 + 7 * 8e-6, net.AllGather(layer, net.Place(64, 1)), 1e-12);
    }

    [Theory]
    [InlineData("zero=1,hpz=8", "hpz=8 keeps a secondary copy of ZeRO-3's sharded weights, so it needs zero=3 (got zero=1)")]
    [InlineData("zero=3,shard=8,hpz=16", "hpz=16 must divide the ZeRO shard group of 8 ranks")]
    [InlineData("zero=0,shard=8", "shard=8 sets the group ZeRO shards over, so it needs zero=1, 2 or 3 (got zero=0)")]
    [InlineData("zero=3,shard=24", "shard=24 must divide the dp·cp = 64 data-parallel ranks")]
    [InlineData("zero=3,shard=0", "--layout shard")]
    public void Impossible_shard_groups_are_refused(string layout, string message) =>
        Assert.Contains(message, Assert.Throws<WaferInputException>(() => Parse(layout)).Message);

    [Fact]
    public void A_shard_group_must_hold_every_expert()
    {
        var mixtral = new TrainingJob(SimulatorCatalog.Default.FindModel("mixtral-8x7b"), 1e12, 1024, 4096);
        var message = Assert.Throws<WaferInputException>(() => LayoutSpec.Parse("tp=2,ep=8,zero=1,shard=4").Resolve(64, mixtral, H100)).Message;
        Assert.Contains("shard=4 must be a multiple of ep=8", message);
    }
}
