using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Validation;

/// <summary>
/// Layouts consistent with what a validation row publishes: published fields are fixed, empty
/// ones range over the values a framework would accept (tp within the scale-up domain dividing
/// the heads, pp up to the layers, micro-batch 1–8, interleaving dividing the layers, ZeRO 1 or
/// 3, each recompute policy). dp is what the devices leave; sequence parallelism follows tp.
/// </summary>
public static class LayoutSearch
{
    public static IEnumerable<Layout> Consistent(TrainingJob job, SystemSpec system, int devices, ValidationCase c)
    {
        var m = job.Model;
        int domain = system is GpuCluster g ? g.ScaleUpDomain : 1;
        IEnumerable<int> Range(int? given, IEnumerable<int> free) => given is { } v ? [v] : free;
        var divisors = CandidateLayouts.Divisors(devices).ToArray();

        foreach (int tp in Range(c.Tp, divisors.Where(t => t <= domain && m.Heads % t == 0)))
        foreach (int cp in Range(c.Cp, c.Tp is not null && c.Pp is not null && c.Dp is not null ? [Math.Max(1, devices / (c.Tp.Value * c.Pp.Value * c.Dp.Value))] : [1]))
        foreach (int pp in Range(c.Pp, divisors.Where(p => p <= m.Layers)))
        {
            if (devices % (tp * pp * cp) != 0) continue;
            int dp = devices / (tp * pp * cp);
            if (c.Dp is { } givenDp && givenDp != dp) continue;
            foreach (int ep in Range(c.Ep, m.Moe is { } moe ? CandidateLayouts.Divisors(dp * cp).Where(e => moe.Experts % e == 0) : [1]))
            foreach (int mb in Range(c.MicroBatch, [1, 2, 4, 8]))
            foreach (int vpp in Range(pp == 1 ? 1 : c.Vpp, [1, 2, 3, 4, 6, 8]))
            foreach (int zero in Range(c.ZeroStage, [1, 3]))
            foreach (var rc in c.Recompute is { } r ? [r] : new[] { Recompute.None, Recompute.Selective, Recompute.Full })
                yield return new Layout(tp, pp, dp, cp, ep, vpp, mb, zero, rc, c.SequenceParallel ?? tp > 1);
        }
    }
}
