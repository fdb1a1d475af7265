using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Results;

/// <summary>
/// What to change when a layout overflows device memory, matched to the part that overflows:
/// recompute, a smaller micro-batch and context parallelism shrink activations only; a higher
/// ZeRO stage shards optimizer state, gradients and (stage 3) weights over data parallelism;
/// more tensor or pipeline parallelism splits every per-layer part. (Recompute never shrinks
/// optimizer state, so it is not offered for it.)
/// </summary>
public static class MemoryHints
{
    /// <summary>The part of the breakdown that takes the most memory.</summary>
    public static MemoryPart Largest(MemoryBreakdown memory) => memory.Parts.MaxBy(p => p.Gb)!;

    /// <summary>Changes that shrink <paramref name="part"/> under <paramref name="layout"/>, most effective first.</summary>
    public static IReadOnlyList<string> For(string part, Layout layout)
    {
        var hints = new List<string>();
        switch (part)
        {
            case "activations" or "logits":
                if (layout.Recompute == Recompute.None) hints.Add("recompute=selective or recompute=full");
                else if (layout.Recompute == Recompute.Selective || layout.PartialRecompute) hints.Add("recompute=full of every layer");
                if (layout.MicroBatch > 1) hints.Add("a smaller micro-batch (mb)");
                hints.Add("context parallelism (cp) for long sequences");
                hints.Add("more tensor (tp, with sp=1) or pipeline (pp) parallelism");
                break;
            case "optimizer":
                if (layout.ZeroStage < 1) hints.Add("zero=1 (shard the optimizer state over data parallelism)");
                else if (layout.ZeroStage < 3) hints.Add("zero=3 (shard weights, gradients and optimizer state)");
                hints.Add("more pipeline (pp) or tensor (tp) parallelism");
                hints.Add("more devices, so each shard is smaller");
                break;
            case "gradients":
                if (layout.ZeroStage < 2) hints.Add("zero=2 or zero=3 (shard the gradients over data parallelism)");
                hints.Add("more pipeline (pp) or tensor (tp) parallelism");
                break;
            case "weights":
                if (layout.ZeroStage < 3) hints.Add("zero=3 (shard the weights over data parallelism)");
                hints.Add("more pipeline (pp) or tensor (tp) parallelism");
                hints.Add("a system with more memory per device");
                break;
            default:
                hints.Add("a system with more memory per device");
                break;
        }
        return hints;
    }

    /// <summary>"zero=3 or more pipeline (pp) ..." as one phrase.</summary>
    public static string Phrase(string part, Layout layout) => "try " + string.Join(", or ", For(part, layout));
}
