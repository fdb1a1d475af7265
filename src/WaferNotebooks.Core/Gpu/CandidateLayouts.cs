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
