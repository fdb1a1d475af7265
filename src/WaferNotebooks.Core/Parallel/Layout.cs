using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Parallel;

/// <summary>
/// How a job is split over devices: tensor (tp), pipeline (pp), data (dp), context (cp) and
/// expert (ep, nested inside dp) parallel sizes, interleaved chunks per device (vpp), per-device
/// micro-batch in sequences, ZeRO stage, recompute and Megatron sequence parallelism.
/// Full recompute may cover only <see cref="RecomputeLayers"/> layers of each pipeline stage
/// (Megatron's <c>--recompute-method block --recompute-num-layers N</c>); 0 means every layer.
/// <see cref="FirstStageLayers"/> and <see cref="LastStageLayers"/> set the layers of the first
/// and last pipeline stages, the rest splitting evenly over the stages between (Megatron's
/// <c>--decoder-first/last-pipeline-num-layers</c>; Llama 3 §3.3.2 takes one layer off each end);
/// 0 leaves the split to the default. <see cref="ShardGroup"/> limits ZeRO sharding to that many
/// of the dp·cp ranks, the shards replicated across the rest (PyTorch HSDP, MiCS); 0: all of them.
/// <see cref="SecondaryShard"/> (ZeRO++ hpZ) keeps a second copy of the ZeRO-3 weights sharded
/// over that many ranks, from which the backward gathers; 0: none. <see cref="OffloadLayers"/> layers
/// of each pipeline stage move the activations they store to host memory in the forward pass and
/// back before their backward (Megatron-Core/Transformer Engine CPU offloading); 0: none.
/// <see cref="Remat"/>: the JAX remat policy a MaxText run names (<see cref="RematPolicy"/>), which then
/// sets what each layer keeps and recomputes; <see cref="Recompute"/> is its coarse class. Null: Megatron's
/// meaning of <see cref="Recompute"/>.
/// Devices used = tp·pp·dp·cp. On a wafer-scale cluster dp is the number of systems.
/// </summary>
public sealed record Layout(
    int Tp = 1,
    int Pp = 1,
    int Dp = 1,
    int Cp = 1,
    int Ep = 1,
    int Vpp = 1,
    int MicroBatch = 1,
    int ZeroStage = 0,
    Recompute Recompute = Recompute.None,
    bool SequenceParallel = false,
    int RecomputeLayers = 0,
    int FirstStageLayers = 0,
    int LastStageLayers = 0,
    int ShardGroup = 0,
    int SecondaryShard = 0,
    int OffloadLayers = 0,
    RematPolicy? Remat = null)
{
    /// <summary>
    /// Ranks of the data-parallel group (dp·cp) each ZeRO shard spans: <see cref="ShardGroup"/>
    /// when set (hybrid sharding: HSDP, MiCS), else all of them.
    /// </summary>
    public int ShardSize => ShardGroup > 0 ? ShardGroup : Dp * Cp;

    /// <summary>Copies of each shard: dp·cp / shard (1 unless shard= splits the group).</summary>
    public int ShardCopies => Math.Max(1, Dp * Cp / ShardSize);

    /// <summary>True when the first or the last pipeline stage has a layer count of its own.</summary>
    public bool UnevenStages => FirstStageLayers > 0 || LastStageLayers > 0;

    /// <summary>tp·pp·dp·cp, in 64 bits so that an absurd layout cannot wrap to a plausible count.</summary>
    public long Devices => (long)Tp * Pp * Dp * Cp;

    /// <summary>True when full recompute covers only some layers of each stage.</summary>
    public bool PartialRecompute => Recompute == Recompute.Full && RecomputeLayers > 0;

    /// <summary>Layers recomputed among <paramref name="layers"/> spread over <paramref name="stages"/> stages: all of them under full recompute, <see cref="RecomputeLayers"/> per stage under partial, none otherwise.</summary>
    public double RecomputedLayers(double layers, int stages = 1) =>
        Recompute != Recompute.Full ? 0 : PartialRecompute ? Math.Min(layers, (double)RecomputeLayers * stages) : layers;

    public override string ToString() =>
        $"tp={Tp},pp={Pp},dp={Dp},cp={Cp},ep={Ep},vpp={Vpp},mb={MicroBatch},zero={ZeroStage},recompute={Recompute.ToString().ToLowerInvariant()},sp={(SequenceParallel ? 1 : 0)}"
        + (PartialRecompute ? $",rl={RecomputeLayers}" : "")
        + (FirstStageLayers > 0 ? $",first={FirstStageLayers}" : "")
        + (LastStageLayers > 0 ? $",last={LastStageLayers}" : "")
        + (ShardGroup > 0 ? $",shard={ShardGroup}" : "")
        + (SecondaryShard > 0 ? $",hpz={SecondaryShard}" : "")
        + (OffloadLayers > 0 ? $",offload={OffloadLayers}" : "")
        + (Remat is not null ? $",remat={Remat.Name}" : "");
}
