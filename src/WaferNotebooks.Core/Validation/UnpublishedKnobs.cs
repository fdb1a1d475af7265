using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Validation;

/// <summary>
/// The layouts a validation row allows, derived from the planner's candidates for the job: the
/// row's published fields replace the candidate's. With <see cref="LayoutPolicy.FrameworkDefaults"/>
/// the knobs the row leaves empty take the value a Megatron-family framework (Megatron-LM,
/// Megatron-DeepSpeed, NeMo) uses unless told otherwise, because picking the fastest unpublished
/// knobs biases predictions fast (docs/gpu-model.md §9.2):
/// <list type="bullet">
/// <item>micro-batch 1 (<c>--micro-batch-size</c> / <c>train_micro_batch_size_per_gpu</c> in the
/// frameworks' example scripts); but fully sharded (ZeRO-3) without a pipeline: no gradient
/// accumulation, the local batch in one micro-batch (FSDP trainers such as metaseq and torchtitan
/// accumulate only when configured to; each accumulation step would gather the weights again),
/// and fewer sequences per micro-batch only when memory forces it, before more recompute;</item>
/// <item>no interleaving (<c>--num-layers-per-virtual-pipeline-stage</c> unset); when the row says (<c>interleaved</c> = 1)
/// the schedule was interleaved but not with how many chunks, the fewest: 2;</item>
/// <item>ZeRO stage 1 (Megatron's distributed optimizer, DeepSpeed ZeRO-1); fully sharded (3) is
/// preferred when the row's framework shards fully by default (<see cref="Gpu.TrainingFramework.PreferredZeroStage"/>: FSDP), otherwise used only if nothing else fits;
/// only the stages the framework can run at the row's date (<see cref="Gpu.TrainingFramework.UnpublishedZeroStagesAt"/>: Megatron
/// has no ZeRO-2, and no ZeRO-3 before 2024-12), so a row that fits none of them is predicted at its framework's layout and flagged as not fitting;</item>
/// <item>the smallest model-parallel size tp·pp·cp that fits in memory, tensor before pipeline
/// parallelism (Narayanan et al. 2021, Sec. 3.3: tensor parallelism up to the node size first);
/// tp ≥ 2 when the row has sequence parallelism or <c>tensor_parallel</c> = 1, tp = 1 when <c>tensor_parallel</c> = 0;</item>
/// <item>recompute none if it fits, else selective, else full of the fewest layers per stage that
/// fit (a quarter, half, three quarters, all; checkpointing is opt-in);</item>
/// <item>sequence parallelism with tp &gt; 1 (the planner's rule);</item>
/// <item>no activation offload unless the row's <c>activation_offload</c> gives it (then applied as
/// <c>offload=N</c>, and full recompute, which it excludes, is not a candidate).</item>
/// </list>
/// Candidates come out in order of preference: the first that fits is the framework's choice.
/// </summary>
public static class UnpublishedKnobs
{
    public static IEnumerable<Layout> Constrain(IEnumerable<Layout> plannerCandidates, ValidationCase c, TrainingJob job, int devices, LayoutPolicy policy) =>
        Constrain(plannerCandidates, c, _ => job, devices, policy);

    /// <summary>As above, for a job whose batch depends on the data-parallel size (<see cref="TokenBatchEstimator"/>).</summary>
    public static IEnumerable<Layout> Constrain(IEnumerable<Layout> plannerCandidates, ValidationCase c, Func<int, TrainingJob> jobFor, int devices, LayoutPolicy policy)
    {
        var seen = new HashSet<Layout>();
        var layouts = new List<Layout>();
        foreach (var candidate in plannerCandidates)
            foreach (var l in Impose(candidate, c, jobFor, devices, policy))
                if (seen.Add(l)) layouts.Add(l);
        if (policy == LayoutPolicy.Fastest) return layouts;

        var framework = c.Inputs.ResolvedFramework;
        int preferredZero = framework.PreferredZeroStage;
        var zeroStages = framework.UnpublishedZeroStagesAt(c.Inputs.SoftwareDate);
        bool modelParallel = c.SequenceParallel == true || c.Inputs.TensorParallel == true;
        return layouts
            .Where(l => c.ZeroStage is not null || zeroStages.Contains(l.ZeroStage))
            .Where(l => c.Tp is not null || (modelParallel ? l.Tp > 1 : c.Inputs.TensorParallel != false || l.Tp == 1))
            .OrderBy(l => l.ZeroStage == (c.ZeroStage ?? preferredZero) ? 0 : 1)
            .ThenBy(l => l.Tp * l.Pp * l.Cp)
            .ThenByDescending(l => l.Tp)
            .ThenBy(l => l.Ep)
            .ThenByDescending(l => l.ZeroStage == 3 && l.Pp == 1 ? l.MicroBatch : 0)
            .ThenBy(l => l.Recompute)
            .ThenBy(l => l.PartialRecompute ? l.RecomputeLayers : int.MaxValue);
    }

    /// <summary>The candidate with the row's published fields (and, by policy, the default knobs) imposed; none when they cannot hold together.</summary>
    static IEnumerable<Layout> Impose(Layout l, ValidationCase c, Func<int, TrainingJob> jobFor, int devices, LayoutPolicy policy)
    {
        int tp = c.Tp ?? l.Tp, pp = c.Pp ?? l.Pp;
        int cp = c.Cp ?? (c.Tp is not null && c.Pp is not null && c.Dp is not null ? Math.Max(1, devices / (c.Tp.Value * c.Pp.Value * c.Dp.Value)) : l.Cp);
        if (devices % (tp * pp * cp) != 0) yield break;
        int dp = devices / (tp * pp * cp);
        if (c.Dp is { } givenDp && givenDp != dp) yield break;
        var job = jobFor(dp);
        int zero = c.ZeroStage ?? l.ZeroStage;
        // A published offload is part of the layout; it excludes full recompute (LayoutRules), so a
        // candidate whose unpublished recompute is full does not hold together with it.
        int offload = c.Inputs.ActivationOffloadLayers ?? l.OffloadLayers;
        var remat = c.Inputs.RematPolicy;
        var recompute = c.Recompute ?? remat?.Recompute ?? l.Recompute;
        if (offload > 0 && recompute == Recompute.Full) yield break;
        var fixedFields = l with
        {
            Tp = tp, Pp = pp, Dp = dp, Cp = cp, Ep = c.Ep ?? l.Ep, ZeroStage = zero,
            Recompute = recompute, SequenceParallel = c.SequenceParallel ?? tp > 1,
            // A published "full" (or remat policy) means every layer; partial recompute only fills an unpublished knob.
            RecomputeLayers = c.Recompute is null && remat is null ? l.RecomputeLayers : 0,
            OffloadLayers = offload,
            Remat = remat,
        };
        if (policy == LayoutPolicy.Fastest || c.MicroBatch is not null)
        {
            int mb = c.MicroBatch ?? l.MicroBatch;
            yield return fixedFields with { MicroBatch = mb, Vpp = pp == 1 ? 1 : c.Vpp ?? l.Vpp };
            yield break;
        }
        if (zero == 3 && pp == 1 && job.GlobalBatchSeqs % dp == 0)
        {
            int local = job.GlobalBatchSeqs / dp;
            foreach (int mb in Gpu.CandidateLayouts.Divisors(local))
                yield return fixedFields with { MicroBatch = mb, Vpp = 1 };
            yield break;
        }
        yield return fixedFields with { MicroBatch = 1, Vpp = pp == 1 ? 1 : c.Vpp ?? DefaultInterleave(c, job, pp, dp, 1) };
    }

    /// <summary>1, or 2 when the row says interleaved without the count and the schedule allows it.</summary>
    static int DefaultInterleave(ValidationCase c, TrainingJob job, int pp, int dp, int mb)
    {
        if (c.Inputs.Interleaved != true || job.Model.Layers < 2 * pp) return 1;
        long perReplica = (long)dp * mb;
        bool allowed = job.GlobalBatchSeqs % perReplica == 0 && job.GlobalBatchSeqs / perReplica % pp == 0;
        return allowed ? 2 : 1;
    }
}
