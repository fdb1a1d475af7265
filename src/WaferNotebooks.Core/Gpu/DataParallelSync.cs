using WaferNotebooks.Core.Parallel;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// Gradient and weight synchronisation across data-parallel replicas, once per step, and the
/// share of it left exposed.
/// <list type="bullet">
/// <item>ZeRO 0: all-reduce of the gradients.</item>
/// <item>ZeRO 1/2 (Megatron distributed optimizer): reduce-scatter of the gradients, then
/// all-gather of the updated 16-bit weights: the same bytes as an all-reduce.</item>
/// <item>ZeRO 3 (FSDP): weights all-gathered before each micro-batch's forward and backward,
/// gradients reduce-scattered once per step; the gathers are prefetched under compute.</item>
/// </list>
/// Overlap (when the software buckets gradients): the reduction runs under the backward pass
/// of the last micro-batch, so only what exceeds it, and at least the last bucket (one layer's
/// gradients), is exposed; the weight all-gather runs under the next step's first forward.
/// Without bucketing everything runs after the backward pass. Expert weights synchronise over
/// the dp·cp/ep ranks that hold the same experts.
/// </summary>
public static class DataParallelSync
{
    public sealed record Result(double TotalSeconds, double ExposedSeconds, string Description);

    public static Result Of(ModelPartition part, Layout l, int microBatches, double gradientBytes, Collectives net,
        double lastMicroBatchBackwardS, double firstMicroBatchForwardS, double stepComputeS, bool overlap)
    {
        int replicas = l.Dp * l.Cp;
        if (replicas <= 1) return new Result(0, 0, "no data parallelism");
        var (dense, expert) = part.HeaviestStageWeights;
        var denseGroup = net.Place(replicas, l.Tp);
        var expertGroup = net.Place(Math.Max(1, replicas / l.Ep), l.Tp * l.Ep);
        double Reduce(double w, GroupPlacement g) => net.ReduceScatter(w * gradientBytes, g);
        double Gather(double w, GroupPlacement g) => net.AllGather(w * 2, g);

        double reduce = Reduce(dense, denseGroup) + Reduce(expert, expertGroup);
        double gather = Gather(dense, denseGroup) + Gather(expert, expertGroup);
        int layersOnStage = Math.Max(1, part.MaxLayersPerStage);

        if (l.ZeroStage >= 3)
        {
            // Two gathers (forward, backward) per micro-batch, one reduce-scatter per step.
            double gathers = 2 * microBatches * gather;
            double total = gathers + reduce;
            double exposed = overlap
                ? Math.Max(gathers / (2 * microBatches * layersOnStage) + reduce / layersOnStage, total - stepComputeS)
                : total;
            return new Result(total, exposed, $"ZeRO-3: weights gathered twice per micro-batch, gradients reduce-scattered over {replicas} ranks");
        }

        if (!overlap)
            return new Result(reduce + gather, reduce + gather, $"gradients {(l.ZeroStage == 0 ? "all-reduced" : "reduce-scattered and weights all-gathered")} over {replicas} ranks after the backward pass");

        double exposedReduce = Math.Max(reduce / layersOnStage, reduce - lastMicroBatchBackwardS);
        double exposedGather = Math.Max(gather / layersOnStage, gather - firstMicroBatchForwardS);
        return new Result(reduce + gather, exposedReduce + exposedGather,
            $"gradients {(l.ZeroStage == 0 ? "all-reduced" : "reduce-scattered, weights all-gathered")} over {replicas} ranks, overlapped with the last backward and the next forward");
    }
}
