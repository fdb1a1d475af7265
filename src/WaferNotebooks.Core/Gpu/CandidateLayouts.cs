using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// The planner's search space on a GPU-class system: every layout that passes
/// <see cref="LayoutRules"/>, over tensor parallel within the scale-up domain (dividing
/// the heads), pipeline parallel (at most one stage per layer), context parallel for long
/// sequences, expert parallel for MoE, micro-batches 1–8, interleaving that divides the
/// layers, ZeRO 1 (distributed optimizer) and 3 (fully sharded), and each recompute policy,
/// full recompute also of a quarter, half or three quarters of each stage's layers (Megatron's
/// block method: what a practitioner sets when full activations fall a little short of memory).
/// Sequence parallelism is always on with tp &gt; 1: it moves the same bytes and stores less.
/// <see cref="Refinements"/> adds, around the planner's best layouts and nearest misses only, the
/// keys that refine a layout without changing its shape: uneven stages, hybrid sharding, ZeRO++
/// hpZ and activation offload (each would multiply the whole space were it enumerated here).
/// </summary>
public static class CandidateLayouts
{
    static readonly int[] MicroBatchSizes = [1, 2, 4, 8];
    static readonly int[] ZeroStages = [1, 3];
    static readonly Recompute[] Policies = [Recompute.None, Recompute.Selective, Recompute.Full];

    public static IEnumerable<Layout> For(TrainingJob job, GpuCluster system, int devices)
    {
        var m = job.Model;
        foreach (int tp in Divisors(devices).Where(t => t <= system.ScaleUpDomain && m.Heads % t == 0))
        foreach (int cp in Divisors(devices / tp).Where(c => c == 1 || (job.SeqLen >= 8192 && c <= 16)))
        foreach (int pp in Divisors(devices / tp / cp).Where(p => p <= m.Layers))
        {
            int dp = devices / tp / cp / pp;
            foreach (int ep in ExpertSizes(m, dp * cp))
            foreach (int mb in MicroBatchSizes)
            {
                if (job.GlobalBatchSeqs % ((long)dp * mb) != 0) continue;
                int microBatches = (int)(job.GlobalBatchSeqs / ((long)dp * mb));
                foreach (int vpp in Interleaves(m.Layers, pp, microBatches))
                foreach (int zero in ZeroStages)
                foreach (var recompute in Policies)
                foreach (int rl in recompute == Recompute.Full ? PartialRecomputeLayers(ModelPartition.StageLayers(m.Layers, pp)) : [0])
                {
                    var layout = new Layout(tp, pp, dp, cp, ep, vpp, mb, zero, recompute, tp > 1, rl);
                    if (LayoutRules.Allows(job, system, devices, layout))
                        yield return layout;
                }
            }
        }
    }

    /// <summary>
    /// Layouts one change away from <paramref name="l"/>, each where it can help, all passing
    /// <see cref="LayoutRules"/>: the first and last pipeline stages lighter (they also carry the
    /// embedding and the logit layer and loss; Llama 3 §3.3.2); ZeRO sharded inside the scale-up
    /// domain and replicated across domains (HSDP, MiCS) when the data-parallel group spans domains;
    /// ZeRO++ hpZ's in-domain secondary weight shards when ZeRO-3 gathers weights every micro-batch
    /// (no pipeline); and, in place of what does not fit, half or all but one of each stage's layers'
    /// activations offloaded to host memory, where the device's host link is known.
    /// </summary>
    public static IEnumerable<Layout> Refinements(TrainingJob job, GpuCluster system, int devices, Layout l)
    {
        int layers = job.Model.Layers;
        if (l.Pp > 2 && !l.UnevenStages)
            foreach (var (first, last) in LighterEnds(layers, l.Pp, l.Vpp))
                if (Allowed(l with { FirstStageLayers = first, LastStageLayers = last }) is { } uneven) yield return uneven;
        int ranks = l.Dp * l.Cp;
        int inDomain = l.Tp > system.ScaleUpDomain ? 1
            : Divisors(ranks).LastOrDefault(d => (long)d * l.Tp <= system.ScaleUpDomain && d % l.Ep == 0);
        if (l.ZeroStage >= 1 && l.ShardGroup == 0 && inDomain > 1 && inDomain < ranks
            && Allowed(l with { ShardGroup = inDomain }) is { } hybrid) yield return hybrid;
        if (l.ZeroStage == 3 && l.Pp == 1 && l.SecondaryShard == 0 && inDomain > 1 && inDomain < l.ShardSize
            && Allowed(l with { SecondaryShard = inDomain }) is { } hpz) yield return hpz;
        if (l.OffloadLayers == 0 && l.Recompute != Recompute.Full && system.Device.HostLinkGBps is not null)
        {
            int fewest = LayoutRules.FewestStageLayers(layers, l);
            foreach (int n in new[] { fewest / 2, fewest - 1 }.Where(n => n >= 1).Distinct())
                if (Allowed(l with { OffloadLayers = n }) is { } offloaded) yield return offloaded;
        }

        Layout? Allowed(Layout candidate) => LayoutRules.Allows(job, system, devices, candidate) ? candidate : null;
    }

    /// <summary>
    /// First and last stages lighter than the ones between: the stages between take M = ⌈L/p⌉ or
    /// ⌈L/p⌉ + 1 layers each and the two ends split the rest, the last (with the logit layer) never
    /// the heavier; an even split is not repeated.
    /// </summary>
    static IEnumerable<(int First, int Last)> LighterEnds(int layers, int pp, int vpp)
    {
        int fullest = ModelPartition.StageLayers(layers, pp);
        for (int middle = fullest; middle <= fullest + 1; middle++)
        {
            long rest = layers - (long)(pp - 2) * middle;
            int last = (int)(rest / 2), first = (int)(rest - last);
            if (last >= vpp && first <= middle && (first, last) != (middle, middle))
                yield return (first, last);
        }
    }

    /// <summary>0 (every layer), then a quarter, half and three quarters of a stage's layers, distinct and short of all of them.</summary>
    static IEnumerable<int> PartialRecomputeLayers(int stageLayers) =>
        new[] { 0 }.Concat(new[] { 1, 2, 3 }.Select(q => (int)Math.Round(stageLayers * q / 4.0)).Where(n => n >= 1 && n < stageLayers).Distinct());

    static IEnumerable<int> ExpertSizes(ModelSpec m, int replicas) =>
        m.Moe is { } moe ? Divisors(replicas).Where(e => moe.Experts % e == 0) : [1];

    static IEnumerable<int> Interleaves(int layers, int pp, int microBatches)
    {
        yield return 1;
        if (pp == 1 || microBatches % pp != 0) yield break;
        foreach (int v in new[] { 2, 3, 4, 6, 8 })
            if (layers % (pp * v) == 0) yield return v;
    }

    /// <summary>
    /// The divisors of n in ascending order, found up to √n (46,341 trials for n = 2^31−1 rather
    /// than 2^31, and no counter that can wrap past int.MaxValue).
    /// </summary>
    public static IEnumerable<int> Divisors(int n)
    {
        if (n < 1) yield break;
        var large = new List<int>();
        for (long i = 1; i * i <= n; i++)
        {
            if (n % i != 0) continue;
            yield return (int)i;
            if (i * i != n) large.Add((int)(n / i));
        }
        for (var k = large.Count - 1; k >= 0; k--) yield return large[k];
    }
}
