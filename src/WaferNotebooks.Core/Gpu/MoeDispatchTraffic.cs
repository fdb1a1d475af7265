using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// The time of a stack's expert dispatch (<see cref="MoeDispatch"/>, the stack's settings in the
/// catalog) on a cluster's links: the all-to-alls of every MoE layer (docs/gpu-model.md §4.6).
/// </summary>
public static class MoeDispatchTraffic
{
    /// <summary>
    /// Seconds of one all-to-all (dispatch or combine) for <paramref name="tokens"/> tokens of
    /// width <paramref name="hidden"/> at <paramref name="bytesPerElement"/>, each to k of E
    /// experts sharded over the EP group <paramref name="g"/>. Flat: the collective's all-to-all
    /// of k copies per token. Hierarchical (node-limited): the network carries
    /// n·(D−1)/D copies per token (n the expected target nodes, own node excluded), NVLink
    /// k·(g−1)/g (each copy forwarded inside its node unless it landed on its expert's GPU);
    /// the two tiers run at once, the slower bounds the exchange.
    /// </summary>
    public static double AllToAllSeconds(this MoeDispatch settings, Collectives net, GroupPlacement g, MoeSpec moe, double tokens, double hidden, double bytesPerElement)
    {
        if (g.Size <= 1 || tokens <= 0) return 0;
        double tokenBytes = hidden * bytesPerElement;
        if (settings.NodeLimit <= 0 || !g.CrossesDomains)
            return net.AllToAll(tokens * moe.Active * tokenBytes, g);
        int d = g.Domains, k = g.PerDomain;
        double remoteCopies = MoeDispatch.ExpectedNodes(moe.Experts, moe.Active, d, settings.NodeLimit) * (d - 1.0) / d;
        double network = net.Send(tokens * remoteCopies * tokenBytes, crossDomain: true, hops: d - 1);
        double nvlink = net.Send(tokens * moe.Active * (k - 1.0) / k * tokenBytes, crossDomain: false, hops: k - 1);
        return Math.Max(network, nvlink);
    }

    /// <summary>Forward and backward expert traffic of one MoE layer: a dispatch and a combine each way; the dispatches in FP8 when asked.
    /// The busiest rank receives (dispatch) and sends back (combine) <see cref="MoeDispatch.BusiestRank"/> times the mean, and the exchange ends with it.</summary>
    public static FwdBwd LayerSeconds(this MoeDispatch settings, Collectives net, GroupPlacement g, MoeSpec moe, double tokens, double hidden)
    {
        double dispatch = settings.AllToAllSeconds(net, g, moe, tokens, hidden, settings.Fp8 ? MoeDispatch.Fp8BytesPerElement : 2);
        double combine = settings.AllToAllSeconds(net, g, moe, tokens, hidden, 2);
        double busiest = settings.BusiestRank(g.Size) * (dispatch + combine);
        return new FwdBwd(busiest, busiest);
    }
}
