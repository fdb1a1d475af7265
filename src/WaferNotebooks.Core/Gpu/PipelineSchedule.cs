using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// 1F1B and interleaved pipeline schedules (Narayanan et al. 2021, Sec. 2.2). With m
/// micro-batches on p stages, each taking t per micro-batch, the step is (m + p − 1)·t, so the
/// bubble fraction is (p−1)/m; with v interleaved chunks per device the fill and drain shrink
/// to (p−1)/v chunks, a bubble of (p−1)/(v·m). When the stages are uneven the steady state runs
/// at the slowest stage and the fill/drain at the average one. m &lt; p needs no special case:
/// the same formula gives a bubble larger than the work.
/// </summary>
public static class PipelineSchedule
{
    /// <summary>Bubble fraction (idle time over busy time) of the schedule with equal stages.</summary>
    public static double BubbleFraction(int pp, int microBatches, int vpp) =>
        pp <= 1 ? 0 : (pp - 1.0) / (Math.Max(1, vpp) * microBatches);

    /// <summary>Idle time of the step: the fill and drain of (p−1)/v micro-batch slots at the mean stage time.</summary>
    public static double BubbleSeconds(int pp, int vpp, double meanStageSecondsPerMicroBatch) =>
        pp <= 1 ? 0 : (pp - 1.0) / Math.Max(1, vpp) * meanStageSecondsPerMicroBatch;

    /// <summary>
    /// True when the stack runs DualPipe (DeepSeek-V3 §3.2.1; <see cref="MoeDispatch.Overlap"/>):
    /// bidirectional, so it needs an even number of stages, and not interleaved.
    /// </summary>
    public static bool IsDualPipe(Parallel.Layout l, GpuSoftware sw) => sw.MoeDispatch.Overlap && l.Pp > 1 && l.Pp % 2 == 0 && l.Vpp == 1;

    /// <summary>
    /// Idle time of a DualPipe step (DeepSeek-V3 Table 2): (p/2 − 1)·(F&amp;B + B − 3W), with F, B
    /// and W a stage's forward, backward (input and weight gradients) and weight-gradient time per
    /// micro-batch, and F&amp;B = F + B the time of a forward and a backward chunk run together.
    /// </summary>
    public static double DualPipeBubbleSeconds(int pp, double forwardS, double backwardS, double weightGradS) =>
        pp <= 1 ? 0 : Math.Max(0, (pp / 2.0 - 1) * (forwardS + 2 * backwardS - 3 * weightGradS));

    /// <summary>Point-to-point transfers per micro-batch on a stage boundary: one activation
    /// forward and one gradient backward, for each of the v chunks.</summary>
    public static int TransfersPerMicroBatch(int pp, int vpp) => pp <= 1 ? 0 : 2 * Math.Max(1, vpp);
}
