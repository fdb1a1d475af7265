namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// Activations moved to host memory (<c>offload=N</c>), as Megatron-Core and Transformer Engine
/// offload them (layer-level <c>cpu_offloading_num_layers</c>, fine-grained activation
/// offloading): in the forward pass each of N layers per pipeline stage copies what it stores to
/// host memory on a copy stream while the next layer computes, and in the backward pass the copy
/// back is prefetched while the layer after it (in backward order) runs its backward. A copy moves
/// x bytes (the layer's stored activations of one micro-batch) over the host link at B GB/s per
/// direction; what the neighbouring layer's pass does not cover is exposed:
/// <code>exposed per micro-batch = N · (max(0, x/B − t_forward) + max(0, x/B − t_backward))</code>
/// The copies run on DMA copy engines, not the SMs; their HBM traffic (2x per layer and
/// micro-batch) is a few percent of HBM bandwidth and is not charged. Transformer Engine's
/// offload synchronizer lets the copy of layer i finish as late as layer L − N + i and starts its
/// reload L − N layers ahead of its backward, so a copy may spread over more than one neighbouring
/// layer: hiding each under one layer's pass, as above, is the conservative side. The same schedule
/// keeps the device's saved activations at (L − N) layers' worth (TE's <c>get_cpu_offload_context</c>
/// documentation): device memory holds the other layers' activations, host memory the N layers of
/// every micro-batch in flight.
/// </summary>
public static class ActivationOffload
{
    /// <summary>Seconds to copy <paramref name="bytes"/> one way over a host link of <paramref name="linkGBps"/> GB/s per direction.</summary>
    public static double CopySeconds(double bytes, double linkGBps) => bytes / (linkGBps * 1e9);

    /// <summary>Seconds one offloaded layer leaves exposed per micro-batch: the copy out beyond the next layer's forward, the copy back beyond the previous backward.</summary>
    public static double ExposedPerLayer(double copyS, double forwardS, double backwardS) =>
        Math.Max(0, copyS - forwardS) + Math.Max(0, copyS - backwardS);
}
