using WaferNotebooks.Core.Charting;
using WaferNotebooks.Core.Results;
using static WaferNotebooks.Core.Commands.CommandGrammar;

namespace WaferNotebooks.Core.Commands;

/// <summary><c>estimate</c>: one job on one system, its headline figures with ranges, where a step and the memory go.</summary>
public sealed class EstimateCommand : Subcommand<EstimateRequest, Estimate>
{
    public static EstimateCommand Instance { get; } = new();

    public override SubcommandSpec Spec { get; } = new("estimate",
        "Estimate one training job on one system: time to train, throughput, MFU, memory, energy, cost.",
        "estimate --model llama2-70b --on dgx-h100:512 --tokens 2T",
        [.. JobOptions, On, Layout, Objective, .. EconomicOptions, .. PhysicsOptions, .. SharedOptions]);

    public override EstimateRequest Parse(RequestArgs a) =>
        a.Run((job, target, layout, economics, objective) => new EstimateRequest(job, target, layout, economics, objective));

    public override Estimate Run(EstimateRequest r, RunContext context) =>
        InputNotes.Add(RangedEstimate.Of(r.Job, r.Target, r.Layout, r.Economics, r.Objective), r, r.Target.System, r.Economics);

    public override string? DoesNotFit(Estimate e) => e.Feasible ? null : e.Reason ?? "the layout does not fit";

    public override IReadOnlyList<ChartFigure> Figures(Estimate e, IChartRenderer charts) => charts.Estimate(e);

    /// <summary>
    /// Headline figures with their ranges, the step and memory tables, the sensitivities and the
    /// assumptions; a job that does not fit has none of the figures, only why and what overflows.
    /// </summary>
    public override ResultView View(Estimate e) => EstimateView.For(e, DoesNotFit(e));
}
