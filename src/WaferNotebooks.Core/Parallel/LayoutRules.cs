using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Parallel;

/// <summary>
/// The one rulebook of layouts: whether a layout can run at all, for every kind of system. The
/// planner's candidates, <c>--layout</c> (refused as bad input) and the estimators (an
/// infeasible estimate with the message) all ask here, so what the planner proposes is exactly
/// what <c>--layout</c> accepts. Slow regimes (a tensor-parallel group spanning nodes, m &lt; p,
/// FP8 on a device without FP8 units) are not errors: the estimators cost them. Memory is not a
/// rule either: a legal layout may still not fit, which is an answer, not bad input.
/// The rule is found first (<see cref="Allows"/> builds no string, so the planner can reject
/// thousands of candidates cheaply); the message is formatted only when asked for.
/// </summary>
public static class LayoutRules
{
    enum Rule
    {
        SizeBelowOne, ZeroStage, DeviceCount, Devices, TpHeads, PpLayers, VppWithoutPp, Batch, Interleave, CpSequence,
        EpDense, EpExperts, EpReplicas, PartialWithoutFull, WaferModelParallel, WaferSelective, WaferBatch,
        StagesWithoutPp, StageSplit, ShardWithoutZero, ShardSplit, ShardExperts, HpzWithoutZero3, HpzSplit,
        WaferOffload, OffloadFullRecompute, OffloadNoHostLink, OffloadEveryLayer, RematRecompute, RematPartial, RematOffload,
    }

    /// <summary>True when the layout breaks no rule (the cheap form of <see cref="Violation"/>).</summary>
    public static bool Allows(TrainingJob job, SystemSpec system, int devices, Layout layout) => Broken(job, system, devices, layout) is null;

    /// <summary>The first rule the layout breaks, as a sentence naming it, or null when it can run.</summary>
    public static string? Violation(TrainingJob job, SystemSpec system, int devices, Layout l)
    {
        var m = job.Model;
        return Broken(job, system, devices, l) switch
        {
            null => null,
            Rule.SizeBelowOne => SizeBelowOne(l),
            Rule.ZeroStage => $"zero must be 0, 1, 2 or 3 (the ZeRO stage), got {l.ZeroStage}",
            Rule.Devices => DeviceProblem(system, devices),
            Rule.DeviceCount => DeviceCount(l, devices),
            Rule.TpHeads => $"tp={l.Tp} does not divide the {m.Heads} attention heads",
            Rule.PpLayers => $"pp·vpp = {l.Pp}·{l.Vpp} = {(long)l.Pp * l.Vpp:N0} exceeds the {m.Layers} layers (each pipeline chunk needs at least one layer)",
            Rule.VppWithoutPp => $"vpp={l.Vpp} interleaves pipeline stages, so it needs pp > 1",
            Rule.Batch => $"the global batch of {job.GlobalBatchSeqs} sequences is not a multiple of dp·mb = {l.Dp}·{l.MicroBatch} = {(long)l.Dp * l.MicroBatch:N0}",
            Rule.Interleave => $"the interleaved schedule (vpp={l.Vpp}) needs the {MicroBatches(job, l)} micro-batches per pipeline to be a multiple of pp={l.Pp}",
            Rule.CpSequence => $"cp={l.Cp} needs the sequence length {job.SeqLen} divisible by 2·cp = {2L * l.Cp} (load-balanced causal split)",
            Rule.EpDense => $"ep={l.Ep} needs a mixture-of-experts model; {m.Id} is dense",
            Rule.EpExperts => $"ep={l.Ep} does not divide the {m.Moe!.Experts} experts",
            Rule.EpReplicas => $"ep={l.Ep} must divide dp·cp = {(long)l.Dp * l.Cp:N0} (experts are sharded inside the data-parallel group)",
            Rule.ShardWithoutZero => $"shard={l.ShardGroup} sets the group ZeRO shards over, so it needs zero=1, 2 or 3 (got zero={l.ZeroStage})",
            Rule.ShardSplit => $"shard={l.ShardGroup} must divide the dp·cp = {(long)l.Dp * l.Cp:N0} data-parallel ranks (each shard group holds a whole copy)",
            Rule.ShardExperts => $"shard={l.ShardGroup} must be a multiple of ep={l.Ep} (each shard group holds every expert)",
            Rule.HpzWithoutZero3 => $"hpz={l.SecondaryShard} keeps a secondary copy of ZeRO-3's sharded weights, so it needs zero=3 (got zero={l.ZeroStage})",
            Rule.HpzSplit => $"hpz={l.SecondaryShard} must divide the ZeRO shard group of {l.ShardSize:N0} ranks" + (l.Ep > 1 ? $" and be a multiple of ep={l.Ep}" : ""),
            Rule.StagesWithoutPp => $"first=/last= set the layers of the first and last pipeline stages, so they need pp > 1 (got pp={l.Pp})",
            Rule.StageSplit => StageSplit(m.Layers, l),
            Rule.PartialWithoutFull => $"rl={l.RecomputeLayers} recomputes {l.RecomputeLayers} layers of each stage in full, so it needs recompute=full",
            Rule.WaferModelParallel => $"a wafer-scale cluster runs pure data parallelism over its systems: tp, pp, cp and ep must be 1 (got {l})",
            Rule.WaferSelective => "Selective recompute is a GPU technique; on a wafer-scale system use recompute=none or recompute=full",
            Rule.WaferOffload => $"offload={l.OffloadLayers} moves activations to a GPU host's memory; a wafer-scale system keeps its activations on the wafer, so leave offload= out",
            Rule.OffloadFullRecompute => $"offload={l.OffloadLayers} moves the activations a layer stores to host memory; with recompute=full a layer stores only its input, so use recompute=none or selective with offload= (Megatron-Core offloads beside selective recomputation)",
            Rule.OffloadNoHostLink => $"offload={l.OffloadLayers} needs the host-link bandwidth of {((GpuCluster)system).Device.Name}, which the catalog does not know, so the transfer time cannot be costed; " +
                                      "leave offload= out, or give the accelerator a host_link_gbps in a user catalog",
            Rule.OffloadEveryLayer => $"offload={l.OffloadLayers} must leave at least one layer of each pipeline stage on the device (the backward starts with the stage's last layer at once): " +
                                      $"the smallest stage has {FewestStageLayers(m.Layers, l)} layers, so offload ≤ {FewestStageLayers(m.Layers, l) - 1}",
            Rule.WaferBatch => $"the global batch ({job.GlobalBatchSeqs} sequences) is smaller than the {devices} systems: each system needs at least one sequence per step; use at most {job.GlobalBatchSeqs} systems or a larger batch",
            Rule.RematRecompute => $"remat={l.Remat!.Name} is recompute={l.Remat.Recompute.ToString().ToLowerInvariant()} (full saves only each layer's input, every other policy is selective), not recompute={l.Recompute.ToString().ToLowerInvariant()}: leave recompute= out or make them agree",
            Rule.RematPartial => $"rl={l.RecomputeLayers} recomputes some layers in full, but remat={l.Remat!.Name} applies to every layer (MaxText's scanned layers share one policy): leave rl= out",
            Rule.RematOffload => $"offload={l.OffloadLayers} with remat={l.Remat!.Name}: MaxText's host offload is its own policies (minimal_offloaded, qkv_proj_offloaded), which are not modelled; leave offload= out",
            var rule => throw new InvalidOperationException($"no message for {rule}"),
        };
    }

    static string SizeBelowOne(Layout l)
    {
        var (name, value) = new[] { ("tp", l.Tp), ("pp", l.Pp), ("dp", l.Dp), ("cp", l.Cp), ("ep", l.Ep), ("vpp", l.Vpp), ("mb", l.MicroBatch),
                ("rl", l.RecomputeLayers + 1), ("first", l.FirstStageLayers + 1), ("last", l.LastStageLayers + 1), ("shard", l.ShardGroup + 1), ("hpz", l.SecondaryShard + 1), ("offload", l.OffloadLayers + 1) }
            .First(x => x.Item2 < 1);
        return name is "rl" or "first" or "last" or "shard" or "hpz" or "offload" ? $"{name} must not be negative, got {value - 1}" : $"{name} must be at least 1, got {value}";
    }

    static string DeviceCount(Layout l, int devices)
    {
        long model = (long)l.Tp * l.Pp * l.Cp;
        var fix = devices % model == 0
            ? $"with tp={l.Tp}, pp={l.Pp}, cp={l.Cp} that is dp={devices / model:N0}"
            : $"{devices:N0} is not a multiple of tp·pp·cp = {model:N0}, so change those too";
        return $"tp·pp·dp·cp = {l.Tp}·{l.Pp}·{l.Dp}·{l.Cp} uses {l.Devices:N0} devices, but the run has {devices:N0}: it does not match {devices:N0} devices ({fix})";
    }

    /// <summary>
    /// Why <paramref name="devices"/> devices of the system cannot be used at all (fewer than one,
    /// more than it is built with), or null. The one check of the device limit.
    /// </summary>
    public static string? DeviceProblem(SystemSpec system, long devices) =>
        devices < 1 ? $"the device count must be at least 1, got {devices:N0}"
        : devices > int.MaxValue ? $"{devices:N0} devices are more than the simulator counts (at most {int.MaxValue:N0})"
        : system.MaxDevices is { } max && devices > max
            ? system is WaferCluster
                ? $"{devices:N0} systems is more than SwarmX supports for {system.Id} ({max:N0}); use at most {max:N0}"
                : $"{system.Id} is built with at most {max:N0} {system.DeviceNoun}s; {devices:N0} were asked for"
        : null;

    static Rule? Broken(TrainingJob job, SystemSpec system, int devices, Layout l)
    {
        var m = job.Model;
        if (l.Tp < 1 || l.Pp < 1 || l.Dp < 1 || l.Cp < 1 || l.Ep < 1 || l.Vpp < 1 || l.MicroBatch < 1 || l.RecomputeLayers < 0
            || l.FirstStageLayers < 0 || l.LastStageLayers < 0 || l.ShardGroup < 0 || l.SecondaryShard < 0 || l.OffloadLayers < 0) return Rule.SizeBelowOne;
        if (l.ZeroStage is < 0 or > 3) return Rule.ZeroStage;
        if (DeviceProblem(system, devices) is not null) return Rule.Devices;
        if (l.Devices != devices) return Rule.DeviceCount;
        if (l.RecomputeLayers > 0 && l.Recompute != Recompute.Full) return Rule.PartialWithoutFull;
        if (l.Remat is { } remat)
        {
            if (remat.Recompute != l.Recompute) return Rule.RematRecompute;
            if (l.RecomputeLayers > 0) return Rule.RematPartial;
            if (l.OffloadLayers > 0) return Rule.RematOffload;
        }
        if (l.UnevenStages && l.Pp == 1) return Rule.StagesWithoutPp;
        if (l.ShardGroup > 0 && l.ZeroStage == 0) return Rule.ShardWithoutZero;
        if (l.ShardGroup > 0 && (long)l.Dp * l.Cp % l.ShardGroup != 0) return Rule.ShardSplit;
        if (l.SecondaryShard > 0 && l.ZeroStage != 3) return Rule.HpzWithoutZero3;
        if (l.SecondaryShard > 0 && (l.ShardSize % l.SecondaryShard != 0 || l.SecondaryShard % l.Ep != 0)) return Rule.HpzSplit;
        if (system is WaferCluster)
        {
            if (l.Tp != 1 || l.Pp != 1 || l.Cp != 1 || l.Ep != 1) return Rule.WaferModelParallel;
            if (l.Recompute == Recompute.Selective) return Rule.WaferSelective;
            if (l.OffloadLayers > 0) return Rule.WaferOffload;
            if (job.GlobalBatchSeqs < devices) return Rule.WaferBatch;
            return null;
        }
        if (system is not GpuCluster gpu) return null;
        if (m.Heads % l.Tp != 0) return Rule.TpHeads;
        if (m.Layers < (long)l.Pp * l.Vpp) return Rule.PpLayers;
        if (l.UnevenStages && MiddleStageLayers(m.Layers, l) is null) return Rule.StageSplit;
        if (l.Pp == 1 && l.Vpp > 1) return Rule.VppWithoutPp;
        if (l.OffloadLayers > 0)
        {
            if (l.Recompute == Recompute.Full) return Rule.OffloadFullRecompute;
            if (gpu.Device.HostLinkGBps is null) return Rule.OffloadNoHostLink;
            if (l.OffloadLayers >= FewestStageLayers(m.Layers, l)) return Rule.OffloadEveryLayer;
        }
        if (job.GlobalBatchSeqs % ((long)l.Dp * l.MicroBatch) != 0) return Rule.Batch;
        if (l.Vpp > 1 && MicroBatches(job, l) % l.Pp != 0) return Rule.Interleave;
        if (l.Cp > 1 && job.SeqLen % (2L * l.Cp) != 0) return Rule.CpSequence;
        if (m.Moe is null && l.Ep > 1) return Rule.EpDense;
        if (m.Moe is { } moe)
        {
            if (moe.Experts % l.Ep != 0) return Rule.EpExperts;
            if ((long)l.Dp * l.Cp % l.Ep != 0) return Rule.EpReplicas;
            if (l.ShardGroup > 0 && l.ShardGroup % l.Ep != 0) return Rule.ShardExperts;
        }
        return null;
    }

    /// <summary>
    /// Layers of each stage between the first and the last when first=/last= are set: the layers
    /// they leave, split evenly over the stages between (Megatron requires an even split). Null
    /// when that split is impossible: a fraction, a stage of fewer than vpp layers (each interleaved
    /// chunk needs one), or, with no stage between, first + last ≠ L.
    /// </summary>
    public static int? MiddleStageLayers(int layers, Layout l)
    {
        int ends = (l.FirstStageLayers > 0 ? 1 : 0) + (l.LastStageLayers > 0 ? 1 : 0);
        int middleStages = l.Pp - ends;
        long rest = (long)layers - l.FirstStageLayers - l.LastStageLayers;
        if ((l.FirstStageLayers > 0 && l.FirstStageLayers < l.Vpp) || (l.LastStageLayers > 0 && l.LastStageLayers < l.Vpp)) return null;
        if (middleStages <= 0) return rest == 0 ? 0 : null;
        if (rest < (long)middleStages * l.Vpp || rest % middleStages != 0) return null;
        return (int)(rest / middleStages);
    }

    /// <summary>Layers the last stage takes when the split is left to the default: the fullest stages come first (⌈L/p⌉ each) and the last takes the rest.</summary>
    public static int DefaultLastStageLayers(int layers, int pp)
    {
        int fullest = (layers + pp - 1) / pp;
        return layers - (pp - 1) * fullest > 0 ? layers - (pp - 1) * fullest : layers / pp;
    }

    /// <summary>Layers of the pipeline's smallest stage (all of them without a pipeline).</summary>
    public static int FewestStageLayers(int layers, Layout l)
    {
        if (l.Pp == 1) return layers;
        if (!l.UnevenStages) return DefaultLastStageLayers(layers, l.Pp);
        int fewest = MiddleStageLayers(layers, l) is { } middle && l.Pp > (l.FirstStageLayers > 0 ? 1 : 0) + (l.LastStageLayers > 0 ? 1 : 0) ? middle : int.MaxValue;
        if (l.FirstStageLayers > 0) fewest = Math.Min(fewest, l.FirstStageLayers);
        if (l.LastStageLayers > 0) fewest = Math.Min(fewest, l.LastStageLayers);
        return fewest == int.MaxValue ? layers / l.Pp : fewest;
    }

    static string StageSplit(int layers, Layout l)
    {
        int ends = (l.FirstStageLayers > 0 ? 1 : 0) + (l.LastStageLayers > 0 ? 1 : 0);
        int middle = l.Pp - ends;
        long rest = (long)layers - l.FirstStageLayers - l.LastStageLayers;
        string given = string.Join(" + ", new[] { l.FirstStageLayers > 0 ? $"first={l.FirstStageLayers}" : null, l.LastStageLayers > 0 ? $"last={l.LastStageLayers}" : null }.OfType<string>());
        return middle <= 0
            ? $"pp={l.Pp} has no stage between the first and the last, so {given} must be the {layers} layers (got {l.FirstStageLayers + l.LastStageLayers})"
            : (l.FirstStageLayers > 0 && l.FirstStageLayers < l.Vpp) || (l.LastStageLayers > 0 && l.LastStageLayers < l.Vpp)
                ? $"with vpp={l.Vpp} every stage needs at least {l.Vpp} layers (one per interleaved chunk); {given} gives fewer"
                : $"{given} leave {rest} of the {layers} layers for the other {middle} stages, which must split them evenly with at least vpp={l.Vpp} each " +
                  $"(e.g. first and last that leave a multiple of {middle})";
    }

    /// <summary>Micro-batches per pipeline per step.</summary>
    public static int MicroBatches(TrainingJob job, Layout l) => (int)(job.GlobalBatchSeqs / ((long)l.Dp * l.MicroBatch));
}
