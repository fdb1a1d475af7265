using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// Where the members of one communication group sit: <see cref="Size"/> ranks, of which
/// <see cref="PerDomain"/> share a scale-up domain (NVLink, ICI) and the rest are reached over
/// the scale-out network. Megatron orders ranks tp, cp, ep, dp, pp from the innermost, so a
/// group's stride is the product of the sizes inside it.
/// </summary>
public readonly record struct GroupPlacement(int Size, int PerDomain)
{
    public int Domains => (Size + PerDomain - 1) / PerDomain;
    public bool CrossesDomains => Size > PerDomain;

    public static GroupPlacement Of(int size, int stride, int scaleUpDomain)
    {
        if (size <= 1) return new GroupPlacement(1, 1);
        // Members stride apart: as many as fit in one domain, at least the member itself.
        int perDomain = stride >= scaleUpDomain ? 1 : Math.Max(1, scaleUpDomain / stride);
        return new GroupPlacement(size, Math.Min(size, perDomain));
    }
}

/// <summary>
/// Ring collectives with the α-β model (nccl-tests PERFORMANCE.md): all-reduce
/// 2·(n−1)/n·S/β + 2·(n−1)·α, reduce-scatter and all-gather (n−1)/n·S/β + (n−1)·α, all-to-all
/// (n−1)/n·S/β + (n−1)·α. S is the full buffer in bytes per rank, β the per-device
/// per-direction bandwidth. Hierarchical groups run the collective inside each scale-up domain,
/// then across domains on the 1/k share each device owns (k members per domain), then back
/// inside the domain: the cross-domain part moves S/k per device over the scale-out tier.
/// A struct: one per estimate, holding only the system, so it costs no allocation.
/// </summary>
public readonly struct Collectives(GpuCluster system)
{
    double UpBps => system.ScaleUpGBps.Value * 1e9;
    double OutBps => system.ScaleOutGBps.Value * 1e9;
    double UpAlpha => system.ScaleUpLatencyUs.Value * 1e-6;
    double OutAlpha => system.ScaleOutLatencyUs.Value * 1e-6;

    public GroupPlacement Place(int size, int stride) => GroupPlacement.Of(size, stride, system.ScaleUpDomain);

    /// <summary>One ring pass (reduce-scatter or all-gather) of S bytes over n ranks at β, α.</summary>
    public static double RingPass(double bytes, int n, double bytesPerS, double alphaS) =>
        n <= 1 ? 0 : (n - 1.0) / n * bytes / bytesPerS + (n - 1) * alphaS;

    public double AllReduce(double bytes, GroupPlacement g) => 2 * ReduceScatter(bytes, g);

    /// <summary>Reduce-scatter (and, by symmetry, all-gather) of a buffer of S bytes per rank.</summary>
    public double ReduceScatter(double bytes, GroupPlacement g)
    {
        if (g.Size <= 1 || bytes <= 0) return 0;
        int k = g.PerDomain;
        return RingPass(bytes, k, UpBps, UpAlpha) + RingPass(bytes / k, g.Domains, OutBps, OutAlpha);
    }

    public double AllGather(double bytes, GroupPlacement g) => ReduceScatter(bytes, g);

    /// <summary>All-to-all where each rank holds S bytes and sends (n−1)/n of it; the share bound
    /// for other domains crosses the scale-out tier.</summary>
    public double AllToAll(double bytes, GroupPlacement g)
    {
        if (g.Size <= 1 || bytes <= 0) return 0;
        double remoteShare = (g.Size - g.PerDomain) / (double)g.Size;
        double localShare = (g.PerDomain - 1.0) / g.Size;
        double local = localShare * bytes / UpBps + (g.PerDomain - 1) * UpAlpha;
        double remote = remoteShare * bytes / OutBps + (g.Domains - 1) * OutAlpha;
        // NVLink and the NICs run at once; the slower of the two bounds the exchange.
        return Math.Max(local, remote);
    }

    /// <summary>Point-to-point send of S bytes between two ranks, inside one domain or across.</summary>
    public double SendRecv(double bytes, bool crossDomain) => Send(bytes, crossDomain, 1);

    /// <summary>S bytes leaving one device on one tier, in <paramref name="hops"/> messages: S/β + hops·α.</summary>
    public double Send(double bytes, bool crossDomain, int hops) =>
        bytes <= 0 ? 0 : crossDomain ? bytes / OutBps + hops * OutAlpha : bytes / UpBps + hops * UpAlpha;
}
