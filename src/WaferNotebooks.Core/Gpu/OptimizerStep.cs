using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// The Adam update is memory-bound: per parameter it reads the fp32 master weight, momentum,
/// variance and gradient (16 bytes), writes the three fp32 states and the 16-bit weight
/// (14 bytes), and reads the gradient once more for the global norm used in clipping (4 bytes):
/// 34 bytes per parameter at HBM bandwidth. ZeRO ≥ 1 updates only this rank's shard.
/// </summary>
public static class OptimizerStep
{
    public const double BytesPerParameter = 34;

    /// <summary>The update of the heaviest stage, which every stage waits for.</summary>
    public static double Seconds(ModelPartition part, Layout l, Accelerator a) => Seconds(part.HeaviestStageWeights, l, a);

    /// <summary>The update of <paramref name="weights"/> (non-expert, expert) held on one device.</summary>
    public static double Seconds((double Dense, double Expert) weights, Layout l, Accelerator a)
    {
        var (dense, expert) = weights;
        int shard = l.ZeroStage >= 1 ? l.Dp * l.Cp : 1;
        int expertShard = l.ZeroStage >= 1 ? Math.Max(1, l.Dp * l.Cp / l.Ep) : 1;
        double parameters = dense / shard + expert / expertShard;
        return parameters * BytesPerParameter / MatmulEfficiency.HbmBytesPerS(a);
    }
}
