using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// The hard rules a layout must satisfy before it can run at all, each with a message that
/// names the constraint. Slow regimes (a tensor-parallel group spanning nodes, m &lt; p, FP8 on
/// a device without FP8 units) are not errors: they are costed and noted in the assumptions.
/// </summary>
public static class LayoutConstraints
{
    /// <summary>The first rule the layout breaks, or null when it can run.</summary>
    public static string? Violation(TrainingJob job, GpuCluster system, int devices, Layout l)
    {
        var m = job.Model;
        if (l.Tp < 1 || l.Pp < 1 || l.Dp < 1 || l.Cp < 1 || l.Ep < 1 || l.Vpp < 1 || l.MicroBatch < 1)
            return $"every parallel size and the micro-batch must be at least 1 (got {l})";
        if (l.ZeroStage is < 0 or > 3)
            return $"ZeRO stage must be 0, 1, 2 or 3 (got {l.ZeroStage})";
        if (devices < 1)
            return $"the device count must be at least 1 (got {devices})";
        if (l.Devices != devices)
            return $"tp·pp·dp·cp = {l.Tp}·{l.Pp}·{l.Dp}·{l.Cp} = {l.Devices} does not match {devices} devices";
        if (system.MaxDevices is { } max && devices > max)
            return $"{devices} devices exceed the {max} that {system.Id} can be built with";
        if (m.Heads % l.Tp != 0)
            return $"tp={l.Tp} does not divide the {m.Heads} attention heads";
        if (m.Layers < l.Pp * l.Vpp)
            return $"pp·vpp = {l.Pp}·{l.Vpp} exceeds the {m.Layers} layers";
        if (l.Pp == 1 && l.Vpp > 1)
            return "vpp > 1 needs pipeline parallelism (pp > 1)";
        long perReplica = (long)l.Dp * l.MicroBatch;
        if (job.GlobalBatchSeqs % perReplica != 0)
            return $"global batch {job.GlobalBatchSeqs} is not a multiple of dp·micro-batch = {l.Dp}·{l.MicroBatch}";
        int microBatches = job.GlobalBatchSeqs / (int)perReplica;
        if (l.Vpp > 1 && microBatches % l.Pp != 0)
            return $"the interleaved schedule needs the {microBatches} micro-batches per pipeline to be a multiple of pp={l.Pp}";
        if (l.Cp > 1 && job.SeqLen % (2 * l.Cp) != 0)
            return $"cp={l.Cp} needs the sequence {job.SeqLen} divisible by 2·cp (load-balanced causal split)";
        if (m.Moe is null && l.Ep > 1)
            return $"ep={l.Ep} needs a mixture-of-experts model; {m.Id} is dense";
        if (m.Moe is { } moe)
        {
            if (moe.Experts % l.Ep != 0)
                return $"ep={l.Ep} does not divide the {moe.Experts} experts";
            if ((l.Dp * l.Cp) % l.Ep != 0)
                return $"ep={l.Ep} must divide dp·cp = {l.Dp * l.Cp} (experts are sharded inside the data-parallel group)";
        }
        return null;
    }

    /// <summary>Micro-batches per pipeline per step.</summary>
    public static int MicroBatches(TrainingJob job, Layout l) => job.GlobalBatchSeqs / (l.Dp * l.MicroBatch);
}
