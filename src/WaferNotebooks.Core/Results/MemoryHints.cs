using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Results;

/// <summary>
/// What to change when a layout overflows device memory, matched to the part that overflows:
/// recompute, a smaller micro-batch and context parallelism shrink activations only; a higher
/// ZeRO stage shards optimizer state, gradients and (stage 3) weights over data parallelism;
/// more tensor or pipeline parallelism splits every per-layer part. (Recompute never shrinks
/// optimizer state, so it is not offered for it.) Where the device's host link is known,
/// activation offload (<c>offload=N</c>) is offered too, with the N that fits when one does.
/// </summary>
public static class MemoryHints
{
    /// <summary>The part of the breakdown that takes the most memory.</summary>
    public static MemoryPart Largest(MemoryBreakdown memory) => memory.Parts.MaxBy(p => p.Gb)!;

    /// <summary>
    /// Layers per pipeline stage whose activations, kept in host memory, bring <paramref name="memory"/>
    /// under its capacity: N = ⌈overflow / (activations / L)⌉, with L the layers of the fullest
    /// stage (each offloaded layer frees its share of every micro-batch in flight; the copies in
    /// flight hold no more, <see cref="Gpu.ActivationOffload"/>). Null when the activations do not overflow or when N would
    /// not stay below <paramref name="fewestStageLayers"/> (offload keeps at least one layer per stage).
    /// </summary>
    public static int? OffloadLayersThatFit(MemoryBreakdown memory, int stageLayers, int fewestStageLayers)
    {
        double over = memory.TotalGb - memory.CapacityGb, activations = memory["activations"];
        if (over <= 0 || activations <= 0 || stageLayers < 1) return null;
        double n = Math.Ceiling(over / (activations / stageLayers));
        return n < fewestStageLayers ? (int)n : null;
    }

    /// <summary>
    /// Changes that shrink <paramref name="part"/> under <paramref name="layout"/>, most effective first.
    /// <paramref name="offloadLayers"/>: the <see cref="OffloadLayersThatFit"/> of a device whose host
    /// link is known (offload is offered only then, and not beside full recompute, which it excludes).
    /// </summary>
    public static IReadOnlyList<string> For(string part, Layout layout, int? offloadLayers = null)
    {
        var hints = new List<string>();
        // ZeRO shards over the data-parallel ranks (dp·cp, or shard=); with one rank it saves nothing.
        bool canShard = layout.ShardSize > 1;
        switch (part)
        {
            case "activations" or "logits":
                if (layout.Recompute == Recompute.None) hints.Add("recompute=selective or recompute=full");
                else if (layout.Recompute == Recompute.Selective || layout.PartialRecompute) hints.Add("recompute=full of every layer");
                if (part == "activations" && offloadLayers is { } n && layout.Recompute != Recompute.Full && layout.OffloadLayers == 0)
                    hints.Add($"offload={n} (activations of {n} layers per stage in host memory)");
                if (layout.MicroBatch > 1) hints.Add("a smaller micro-batch (mb)");
                hints.Add("context parallelism (cp) for long sequences");
                hints.Add("more tensor (tp, with sp=1) or pipeline (pp) parallelism");
                break;
            case "optimizer":
                if (!canShard) hints.Add(NoRanksToShard);
                else if (layout.ZeroStage < 1) hints.Add("zero=1 (shard the optimizer state over data parallelism)");
                else if (layout.ZeroStage < 3) hints.Add("zero=3 (shard weights, gradients and optimizer state)");
                hints.Add("more pipeline (pp) or tensor (tp) parallelism");
                hints.Add("more devices, so each shard is smaller");
                break;
            case "gradients":
                if (!canShard) hints.Add(NoRanksToShard);
                else if (layout.ZeroStage < 2) hints.Add("zero=2 or zero=3 (shard the gradients over data parallelism)");
                hints.Add("more pipeline (pp) or tensor (tp) parallelism");
                break;
            case "weights":
                if (!canShard) hints.Add(NoRanksToShard);
                else if (layout.ZeroStage < 3) hints.Add("zero=3 (shard the weights over data parallelism)");
                hints.Add("more pipeline (pp) or tensor (tp) parallelism");
                hints.Add("a system with more memory per device");
                break;
            default:
                hints.Add("a system with more memory per device");
                break;
        }
        return hints;
    }

    private const string NoRanksToShard = "data parallelism (dp > 1) with a ZeRO stage: with one data-parallel rank there is nothing to shard over";

    /// <summary>"zero=3 or more pipeline (pp) ..." as one phrase.</summary>
    public static string Phrase(string part, Layout layout, int? offloadLayers = null) => "try " + string.Join(", or ", For(part, layout, offloadLayers));
}
