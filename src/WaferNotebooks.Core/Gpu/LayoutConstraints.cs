using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// The hard rules a layout must satisfy before it can run at all, each with a message that
/// names the constraint. Slow regimes (a tensor-parallel group spanning nodes, m &lt; p, FP8 on
/// a device without FP8 units) are not errors: they are costed and noted in the assumptions.
/// The rules are checked once, to a <see cref="Rule"/>; the message is formatted only when it is
/// asked for, so the planner can reject thousands of candidates without building strings.
/// </summary>
public static class LayoutConstraints
{
    enum Rule { SizeBelowOne, ZeroStage, NoDevices, DeviceCount, TooManyDevices, TpHeads, PpLayers, VppWithoutPp, Batch, Interleave, CpSequence, EpDense, EpExperts, EpReplicas }

    /// <summary>True when the layout breaks no rule (the cheap form of <see cref="Violation"/>).</summary>
    public static bool Allows(TrainingJob job, GpuCluster system, int devices, Layout l) => Broken(job, system, devices, l) is null;

    /// <summary>The first rule the layout breaks, or null when it can run.</summary>
    public static string? Violation(TrainingJob job, GpuCluster system, int devices, Layout l)
    {
        var m = job.Model;
        return Broken(job, system, devices, l) switch
        {
            null => null,
            Rule.SizeBelowOne => $"every parallel size and the micro-batch must be at least 1 (got {l})",
            Rule.ZeroStage => $"ZeRO stage must be 0, 1, 2 or 3 (got {l.ZeroStage})",
            Rule.NoDevices => $"the device count must be at least 1 (got {devices})",
            Rule.DeviceCount => $"tp·pp·dp·cp = {l.Tp}·{l.Pp}·{l.Dp}·{l.Cp} = {l.Devices} does not match {devices} devices",
            Rule.TooManyDevices => $"{devices} devices exceed the {system.MaxDevices} that {system.Id} can be built with",
            Rule.TpHeads => $"tp={l.Tp} does not divide the {m.Heads} attention heads",
            Rule.PpLayers => $"pp·vpp = {l.Pp}·{l.Vpp} exceeds the {m.Layers} layers",
            Rule.VppWithoutPp => "vpp > 1 needs pipeline parallelism (pp > 1)",
            Rule.Batch => $"global batch {job.GlobalBatchSeqs} is not a multiple of dp·micro-batch = {l.Dp}·{l.MicroBatch}",
            Rule.Interleave => $"the interleaved schedule needs the {MicroBatches(job, l)} micro-batches per pipeline to be a multiple of pp={l.Pp}",
            Rule.CpSequence => $"cp={l.Cp} needs the sequence {job.SeqLen} divisible by 2·cp (load-balanced causal split)",
            Rule.EpDense => $"ep={l.Ep} needs a mixture-of-experts model; {m.Id} is dense",
            Rule.EpExperts => $"ep={l.Ep} does not divide the {m.Moe!.Experts} experts",
            Rule.EpReplicas => $"ep={l.Ep} must divide dp·cp = {l.Dp * l.Cp} (experts are sharded inside the data-parallel group)",
            var rule => throw new InvalidOperationException($"no message for {rule}"),
        };
    }

    static Rule? Broken(TrainingJob job, GpuCluster system, int devices, Layout l)
    {
        var m = job.Model;
        if (l.Tp < 1 || l.Pp < 1 || l.Dp < 1 || l.Cp < 1 || l.Ep < 1 || l.Vpp < 1 || l.MicroBatch < 1) return Rule.SizeBelowOne;
        if (l.ZeroStage is < 0 or > 3) return Rule.ZeroStage;
        if (devices < 1) return Rule.NoDevices;
        if (l.Devices != devices) return Rule.DeviceCount;
        if (system.MaxDevices is { } max && devices > max) return Rule.TooManyDevices;
        if (m.Heads % l.Tp != 0) return Rule.TpHeads;
        if (m.Layers < l.Pp * l.Vpp) return Rule.PpLayers;
        if (l.Pp == 1 && l.Vpp > 1) return Rule.VppWithoutPp;
        long perReplica = (long)l.Dp * l.MicroBatch;
        if (job.GlobalBatchSeqs % perReplica != 0) return Rule.Batch;
        if (l.Vpp > 1 && MicroBatches(job, l) % l.Pp != 0) return Rule.Interleave;
        if (l.Cp > 1 && job.SeqLen % (2 * l.Cp) != 0) return Rule.CpSequence;
        if (m.Moe is null && l.Ep > 1) return Rule.EpDense;
        if (m.Moe is { } moe)
        {
            if (moe.Experts % l.Ep != 0) return Rule.EpExperts;
            if ((l.Dp * l.Cp) % l.Ep != 0) return Rule.EpReplicas;
        }
        return null;
    }

    /// <summary>Micro-batches per pipeline per step.</summary>
    public static int MicroBatches(TrainingJob job, Layout l) => job.GlobalBatchSeqs / (l.Dp * l.MicroBatch);
}
