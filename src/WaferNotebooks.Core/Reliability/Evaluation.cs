using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Reliability;

/// <summary>
/// Evaluation during training, as MLPerf-style time-to-train counts it: every
/// <see cref="IntervalSteps"/> training steps, <see cref="Iterations"/> forward-only passes over
/// a global batch of held-out data (options --eval-interval, --eval-iters). The defaults are
/// Megatron-LM's (<c>--eval-interval 1000</c>, <c>--eval-iters 100</c>, arguments.py).
/// </summary>
public sealed record EvaluationAssumptions(Sourced IntervalSteps, Sourced Iterations)
{
    public static EvaluationAssumptions Default { get; } = new(
        new Sourced(1000, "Megatron-LM default --eval-interval 1000 (training steps between evaluations)", Confidence.Secondary, 200, 5000),
        new Sourced(100, "Megatron-LM default --eval-iters 100 (global batches per evaluation)", Confidence.Secondary, 10, 200));

    /// <summary>
    /// Seconds of evaluation in a run of <paramref name="steps"/> steps when one evaluation
    /// iteration (a forward-only pass of the global batch through the pipeline) takes
    /// <paramref name="evalStepS"/>: ⌊steps / interval⌋ · iterations · t_eval.
    /// </summary>
    public double Seconds(double steps, double evalStepS) =>
        Math.Floor(steps / IntervalSteps.Value) * Iterations.Value * evalStepS;
}
